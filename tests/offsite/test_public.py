"""R22: what the party with a lookup code and the public may read (APL art.41 ¶1, ¶3)."""
from __future__ import annotations

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
    assert public.capture_file(c.lookup_code) == (c.file.name, "image/jpeg")


def test_r22_published_devices(ow):
    ow.device()
    ow.device(code="CAM-2", published_on=None)
    rows = [public.device(d) for d in public.published_devices()]
    assert [r["code"] for r in rows] == ["CAM-001"] and rows[0]["basis"].endswith("第一百一十四条")
