"""R22: what the party with a lookup code and the public may read (APL art.41 ¶1, ¶3)."""
from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from zhifa.core.violations import Refused
from zhifa.offsite import public, services
from zhifa.offsite.models import Capture

from .conftest import row


def test_r22_party_sees_only_an_accepted_capture_with_a_case(ow):
    device = ow.device()
    ow.upload(device, [row(1)], {"img1.jpg": b"a"})
    c = Capture.objects.get()
    assert public.capture_for_party("") is None and public.capture_for_party("ABCDEFGHJK") is None
    services.review_capture(c.pk, accepted=True, actor=ow.actor("officer1"))
    services.capture_to_case(c.pk, actor=ow.actor("officer1"))
    c.refresh_from_db()
    view = public.capture_for_party(c.lookup_code.lower())
    assert view["subject"] == "新A00001" and view["case"]["number"] == c.case.number
    assert view["may_state_and_defend"] is False  # no notice served yet
    handle, content_type = public.capture_file(c.lookup_code)
    assert handle.read() == b"a" and content_type == "image/jpeg"  # no third party marked: the original


def test_r22_published_devices(ow):
    ow.device()
    ow.device(code="CAM-2", published_on=None)
    rows = [public.device(d) for d in public.published_devices()]
    assert [r["code"] for r in rows] == ["CAM-001"] and rows[0]["basis"].endswith("第一百一十四条")


def _jpeg(width=200, height=100) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 4):  # sharp stripes: a blur flattens them
        draw.line([(x, 0), (x, height)], fill="black", width=2)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def _spread(image, box):
    from PIL import ImageStat

    return ImageStat.Stat(image.crop(box).convert("L")).stddev[0]


def test_r22_third_parties_marked_at_review_are_blurred_for_the_party_not_for_staff(ow, client):
    import io

    from PIL import Image

    from zhifa.core.ledger import RecordEntry

    device = ow.device()
    original = _jpeg()
    ow.upload(device, [row(1)], {"img1.jpg": original})
    c = Capture.objects.get()
    face = {"x": 0.5, "y": 0.0, "w": 0.5, "h": 1.0, "kind": "face"}
    with pytest.raises(Refused) as bad:
        services.review_capture(c.pk, accepted=True, regions=[{"x": 0.9, "y": 0, "w": 0.5, "h": 1}], actor=ow.actor("officer1"))
    assert bad.value.violations[0].code == "INVALID_INPUT"
    services.review_capture(c.pk, accepted=True, regions=[face], actor=ow.actor("officer1"))
    services.capture_to_case(c.pk, actor=ow.actor("officer1"))
    c.refresh_from_db()
    assert c.regions == [face]
    entry = RecordEntry.objects.filter(stream=c.stream, action="review").get()
    assert entry.content()["payload"]["third_party_regions"] == [face]
    handle, content_type = public.capture_file(c.lookup_code)
    shown = Image.open(io.BytesIO(handle.read()))
    assert content_type == "image/jpeg" and shown.size == (200, 100)
    assert _spread(shown, (110, 10, 190, 90)) < 15  # the marked half: stripes gone
    assert _spread(shown, (10, 10, 90, 90)) > 60  # the party's half: as recorded
    with default_storage.open(c.file.name, "rb") as f:
        assert f.read() == original  # the evidence is unchanged, staff read it as it is
    r = client.get(f"/public/captures/{c.lookup_code}/file/")
    assert r.status_code == 200 and b"".join(r.streaming_content) != original
    page = client.get(f"/public/captures/{c.lookup_code}/")
    assert "已作模糊处理" in page.content.decode()


def test_r22_a_video_with_third_parties_is_not_shown_online(ow, client):
    device = ow.device()
    ow.upload(device, [row(1, file="v1.mp4")], {"v1.mp4": b"\x00\x00\x00\x18ftypmp42"})
    c = Capture.objects.get()
    services.review_capture(c.pk, accepted=True, regions=[{"x": 0, "y": 0, "w": 0.2, "h": 0.2, "kind": "plate"}],
                            actor=ow.actor("officer1"))
    services.capture_to_case(c.pk, actor=ow.actor("officer1"))
    c.refresh_from_db()
    Capture.objects.filter(pk=c.pk).update(content_type="video/mp4")
    assert public.capture_file(c.lookup_code) is None
    assert client.get(f"/public/captures/{c.lookup_code}/file/").status_code == 404
    assert "不在线提供" in client.get(f"/public/captures/{c.lookup_code}/").content.decode()


def test_r22_regions_typed_on_the_review_page(ow, client):
    from zhifa.offsite import rules

    assert rules.parse_regions("10,20,30,40,plate\n，\n50，0，50，100")[0] == [
        {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4, "kind": "plate"}, {"x": 0.5, "y": 0.0, "w": 0.5, "h": 1.0, "kind": "other"}]
    assert rules.parse_regions("10,20")[1][0].code == "INVALID_INPUT"
    device = ow.device()
    ow.upload(device, [row(1)], {"img1.jpg": _jpeg()})
    c = Capture.objects.get()
    client.force_login(ow.world.users["officer1"])
    client.post(f"/offsite/captures/{c.pk}/review/", {"accepted": "1", "regions": "0,0,120,10,face"})
    c.refresh_from_db()
    assert c.state == "pending"  # refused: outside the image
    client.post(f"/offsite/captures/{c.pk}/review/", {"accepted": "1", "regions": "50,0,50,100,face"})
    c.refresh_from_db()
    assert c.state == "accepted" and c.regions == [{"x": 0.5, "y": 0.0, "w": 0.5, "h": 1.0, "kind": "face"}]
