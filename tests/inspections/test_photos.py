"""Site photos (现场照片) of an inspection (R28, R30): only the assigned inspectors add or remove
them, only before the result is published, only real images within the size limit; stored with
their SHA-256 in the draw's full-process record; served only to staff who may see the inspection."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.test import Client

from zhifa.core import ledger
from zhifa.core.violations import Refused
from zhifa.inspections import rules, services
from zhifa.inspections.models import Inspection, InspectionPhoto
from zhifa.registry.access import actor_for
from zhifa.registry.models import Officer

from .drawing import HEIC_HEAD, answers_for, first_inspection, image_bytes, login, revealed_draw, upload

pytestmark = pytest.mark.usefixtures("frozen_clock")



@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def drawn(world, head, item, media):
    """A revealed draw, its first inspection, an assigned inspector and a market officer who is not."""
    draw = revealed_draw(world, head, item)
    inspection, officers = first_inspection(draw)
    inspector = next(o for o in officers if o.user_id)
    pool = services.inspector_pool([world.market.pk], draw.revealed_at.date())
    outsider = next(o for o in pool if o.pk not in {x.pk for x in officers})
    return draw, inspection, inspector, outsider


def noise_png(side: int = 100) -> bytes:
    import io
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def photo_entries(draw):
    return list(ledger.RecordEntry.objects.filter(stream=f"draw:{draw.pk}", action__startswith="photo").order_by("seq"))


# --- The service -------------------------------------------------------------------------------

def test_sniff_image_reads_magic_bytes_not_names():
    assert services.sniff_image(image_bytes("JPEG")[:16]) == "image/jpeg"
    assert services.sniff_image(image_bytes("PNG")[:16]) == "image/png"
    assert services.sniff_image(image_bytes("WEBP")[:16]) == "image/webp"
    assert services.sniff_image(HEIC_HEAD[:16]) == "image/heic"
    assert services.sniff_image(b"GIF89a" + b"\0" * 10) is None
    assert services.sniff_image(b"%PDF-1.7\n") is None
    assert services.sniff_image(b"") is None


def test_r28_assigned_inspector_adds_photos_hash_in_draw_record(world, drawn, media):
    draw, inspection, inspector, _ = drawn
    jpeg, png, webp = image_bytes("JPEG"), image_bytes("PNG", color=(0, 90, 200)), image_bytes("WEBP", color=(9, 9, 9))
    photos = services.add_photos(inspection_id=inspection.pk, uploads=[upload("a.jpg", jpeg), upload("b.png", png),
                                                                        upload("c.webp", webp), upload("d.heic", HEIC_HEAD)],
                                 caption="后厨操作间", actor=actor_for(inspector.user))
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png", "image/webp", "image/heic"]
    assert photos[0].sha256 == hashlib.sha256(jpeg).hexdigest() and photos[0].size == len(jpeg)
    assert photos[0].uploaded_by == inspector and photos[0].caption == "后厨操作间"
    assert (media / photos[0].file.name).read_bytes() == jpeg
    assert photos[0].thumbnail and (media / photos[0].thumbnail.name).read_bytes()[:3] == b"\xff\xd8\xff"
    assert not photos[3].thumbnail  # HEIC: no thumbnail without a HEIF decoder
    entries = photo_entries(draw)
    assert [e.payload["sha256"] for e in entries] == [p.sha256 for p in photos]
    assert entries[0].payload["inspection"] == inspection.pk and entries[0].payload["size"] == len(jpeg)
    assert ledger.verify(f"draw:{draw.pk}") is None
    assert services.verify_draw(draw).ok


def test_r28_photos_refused_lists_every_reason_and_writes_nothing(world, drawn, media, settings):
    draw, inspection, inspector, _ = drawn
    settings.ZHIFA = {**settings.ZHIFA, "INSPECTION_PHOTO_MAX_BYTES": 2000}
    big = noise_png()
    truncated = image_bytes("JPEG", size=(200, 200))[:200]
    with pytest.raises(Refused) as exc:
        services.add_photos(inspection_id=inspection.pk, uploads=[
            upload("note.jpg", b"just text, not a photo"), upload("big.png", big), upload("empty.jpg", b""),
            upload("broken.jpg", truncated), upload("ok.jpg", image_bytes()), upload("again.jpg", image_bytes()),
        ], caption="x" * 101, actor=actor_for(inspector.user))
    codes = [v.code for v in exc.value.violations]
    assert codes == ["INVALID_INPUT", "PHOTO_NOT_IMAGE", "PHOTO_TOO_LARGE", "PHOTO_EMPTY", "PHOTO_UNREADABLE", "PHOTO_DUPLICATE"]
    messages = " ".join(v.message for v in exc.value.violations)
    assert "第 1 张（note.jpg）不是图片" in messages and "超过每张" in messages and "空文件" in messages
    assert not InspectionPhoto.objects.exists() and not stored_files(media) and not photo_entries(draw)


def test_r28_only_assigned_inspectors_before_publication(world, drawn, media, head):
    draw, inspection, inspector, outsider = drawn
    for actor in (actor_for(outsider.user), actor_for(world.users["aux1"]), actor_for(world.users["officer_other"]),
                  actor_for(world.users["supervisor"])):
        if actor.officer is not None and actor.officer.pk in set(inspection.inspector_ids):
            continue
        with pytest.raises(Refused) as exc:
            services.add_photos(inspection_id=inspection.pk, uploads=[upload("a.jpg", image_bytes())], actor=actor)
        assert exc.value.violations[0].code == rules.NOT_ASSIGNED_INSPECTOR
    photo = services.add_photos(inspection_id=inspection.pk, uploads=[upload("a.jpg", image_bytes())], actor=actor_for(inspector.user))[0]
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(inspected_on=inspection.planned_on, outcome="no_problem",
                                                                                    answers=answers_for(inspection)),
                           actor=actor_for(inspector.user))
    assert services.publish_results(task_id=inspection.task_id, actor=head) == 1
    before = stored_files(media)
    with pytest.raises(Refused) as exc:
        services.add_photos(inspection_id=inspection.pk, uploads=[upload("b.jpg", image_bytes(color=(1, 2, 3)))], actor=actor_for(inspector.user))
    assert [v.code for v in exc.value.violations] == [rules.WRONG_STATE]
    with pytest.raises(Refused):
        services.remove_photo(photo_id=photo.pk, actor=actor_for(inspector.user))
    assert InspectionPhoto.objects.count() == 1 and stored_files(media) == before


def test_r28_removal_before_publication_is_recorded(world, drawn, media, django_capture_on_commit_callbacks):
    draw, inspection, inspector, outsider = drawn
    photo = services.add_photos(inspection_id=inspection.pk, uploads=[upload("a.jpg", image_bytes())], actor=actor_for(inspector.user))[0]
    with pytest.raises(Refused):
        services.remove_photo(photo_id=photo.pk, actor=actor_for(outsider.user))
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(photo_id=photo.pk, actor=actor_for(inspector.user))
    assert not InspectionPhoto.objects.exists() and not stored_files(media)
    assert [e.action for e in photo_entries(draw)] == ["photo", "photo_removed"]
    assert photo_entries(draw)[1].payload["sha256"] == photo.sha256


# --- The results page ---------------------------------------------------------------------------

def test_r28_results_page_uploads_and_shows_thumbnails(world, drawn, media):
    draw, inspection, inspector, _ = drawn
    client = login(inspector.user.username)
    page = client.get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert 'accept="image/*" capture="environment" multiple' in page
    jpeg = image_bytes()
    r = client.post(f"/inspections/results/{inspection.pk}/", {"action": "photos", "caption": "进货台账",
                                                              "photos": [upload("a.jpg", jpeg), upload("b.png", image_bytes("PNG"))]})
    assert r.status_code == 302
    photo = InspectionPhoto.objects.order_by("id").first()
    page = client.get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert f"/inspections/photos/{photo.pk}/thumb/" in page and "进货台账" in page
    full = client.get(f"/inspections/photos/{photo.pk}/")
    assert full.status_code == 200 and full["Content-Type"] == "image/jpeg" and b"".join(full.streaming_content) == jpeg
    thumb = client.get(f"/inspections/photos/{photo.pk}/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg" and "private" in thumb["Cache-Control"]
    # the head of the planning body sees the thumbnails on the draw page; the public sees no photo at all
    draw_page = login("head1").get(f"/inspections/draws/{draw.pk}/").content.decode()
    assert f"/inspections/photos/{photo.pk}/thumb/" in draw_page and "现场照片" in draw_page
    public_page = Client().get(f"/inspections/draws/{draw.pk}/").content.decode()
    assert "/inspections/photos/" not in public_page
    assert Client().get(f"/inspections/photos/{photo.pk}/").status_code == 302  # to the login page


def test_r28_results_page_refuses_non_images_in_chinese_next_to_the_field(world, drawn, media):
    draw, inspection, inspector, _ = drawn
    client = login(inspector.user.username)
    r = client.post(f"/inspections/results/{inspection.pk}/", {"action": "photos",
                                                              "photos": [upload("合同.pdf", b"%PDF-1.7 not an image", "image/jpeg")]})
    page = r.content.decode()
    assert r.status_code == 200 and 'data-testid="photo-errors"' in page and "不是图片：只接受 JPEG、PNG、WebP 或 HEIC 格式的照片" in page
    r = client.post(f"/inspections/results/{inspection.pk}/", {"action": "photos"})
    assert "请选择要上传的照片" in r.content.decode()
    assert not InspectionPhoto.objects.exists() and not stored_files(media) and not photo_entries(draw)


def test_r28_photos_hidden_from_other_bodies_and_auxiliary_staff(world, drawn, media):
    draw, inspection, inspector, outsider = drawn
    photo = services.add_photos(inspection_id=inspection.pk, uploads=[upload("a.jpg", image_bytes())], actor=actor_for(inspector.user))[0]
    for username in ("officer_other", "aux1"):
        client = login(username)
        assert client.get(f"/inspections/photos/{photo.pk}/").status_code == 404
        assert client.get(f"/inspections/photos/{photo.pk}/thumb/").status_code == 404
        page = client.get(f"/inspections/results/{inspection.pk}/").content.decode()
        assert 'data-testid="photos"' not in page and "/inspections/photos/" not in page
        r = client.post(f"/inspections/results/{inspection.pk}/", {"action": "photos", "photos": [upload("b.jpg", image_bytes(color=(5, 5, 5)))]})
        assert InspectionPhoto.objects.count() == 1
    # a colleague of the same body who was not drawn sees the photos but cannot add any
    client = login(outsider.user.username)
    assert client.get(f"/inspections/photos/{photo.pk}/").status_code == 200
    page = client.get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert "/inspections/photos/" in page and 'data-testid="photo-form"' not in page
    r = client.post(f"/inspections/results/{inspection.pk}/", {"action": "photos", "photos": [upload("c.jpg", image_bytes(color=(7, 7, 7)))]})
    assert "只有抽取选派的检查人员可以上传" in r.content.decode() and InspectionPhoto.objects.count() == 1
    # the supervisor of the city sees them
    assert login("supervisor").get(f"/inspections/photos/{photo.pk}/").status_code == 200


def test_draw_page_photo_column_has_no_n_plus_one(world, head, item, media, django_assert_max_num_queries):
    draw = revealed_draw(world, head, item, entities=20, sample=8)
    client = login("head1")
    client.get(f"/inspections/draws/{draw.pk}/")  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        client.get(f"/inspections/draws/{draw.pk}/")
    for n, inspection in enumerate(Inspection.objects.filter(draw=draw)):
        officer = Officer.objects.select_related("user").get(pk=inspection.inspector_ids[0])
        services.add_photos(inspection_id=inspection.pk, uploads=[upload("a.jpg", image_bytes(color=(n, n, n))),
                                                                  upload("b.jpg", image_bytes(color=(n, n, 200)))],
                            actor=actor_for(officer.user))
    with django_assert_max_num_queries(len(without) + 1):
        r = client.get(f"/inspections/draws/{draw.pk}/")
    assert r.content.decode().count("/thumb/") == 16


# --- The API ------------------------------------------------------------------------------------

def multipart(api, path, data):
    return api.client.post(path, data, **api.headers)


def test_r28_photo_api_upload_list_download_delete(world, drawn, media, api_as):
    draw, inspection, inspector, outsider = drawn
    api = api_as(inspector.user.username)
    url = f"/api/v1/inspections/inspections/{inspection.pk}/photos"
    jpeg = image_bytes()
    r = multipart(api, url, {"files": [upload("a.jpg", jpeg), upload("b.heic", HEIC_HEAD, "image/heic")], "caption": "门头"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert [p["content_type"] for p in body] == ["image/jpeg", "image/heic"]
    assert body[0]["sha256"] == hashlib.sha256(jpeg).hexdigest() and body[0]["caption"] == "门头"
    assert body[0]["thumbnail_url"] and body[1]["thumbnail_url"] is None
    listed = api.get(url)
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [p["id"] for p in body]
    download = api.client.get(body[0]["url"], **api.headers)
    assert download.status_code == 200 and b"".join(download.streaming_content) == jpeg
    thumb = api.client.get(body[0]["thumbnail_url"], **api.headers)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    # another body's officer: not found; the public: not logged in
    other = api_as("officer_other")
    assert other.get(url).status_code == 404 and other.client.get(body[0]["url"], **other.headers).status_code == 404
    assert api_as(None).get(url).status_code == 401
    # a colleague who was not drawn sees them, cannot upload or delete
    colleague = api_as(outsider.user.username)
    assert colleague.get(url).status_code == 200
    r = multipart(colleague, url, {"files": [upload("c.jpg", image_bytes(color=(1, 1, 1)))]})
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "NOT_ASSIGNED_INSPECTOR"
    assert colleague.client.delete(f"/api/v1/inspections/photos/{body[0]['id']}", **colleague.headers).status_code == 409
    r = api.client.delete(f"/api/v1/inspections/photos/{body[1]['id']}", **api.headers)
    assert r.status_code == 204
    assert [p["id"] for p in api.get(url).json()] == [body[0]["id"]]


def test_r28_photo_api_non_image_is_422_in_chinese_and_writes_nothing(world, drawn, media, api_as):
    draw, inspection, inspector, _ = drawn
    api = api_as(inspector.user.username)
    url = f"/api/v1/inspections/inspections/{inspection.pk}/photos"
    r = multipart(api, url, {"files": [upload("x.jpg", b"<html>not an image</html>", "image/jpeg")]})
    assert r.status_code == 422, r.content
    error = r.json()["errors"][0]
    assert error["field"] == "files" and "不是图片" in error["message"]
    r = multipart(api, url, {"caption": "无文件"})
    assert r.status_code == 422 and r.json()["errors"][0]["message"] == "必填项"
    assert multipart(api, "/api/v1/inspections/inspections/999999/photos",
                     {"files": [upload("a.jpg", image_bytes())]}).status_code == 404
    assert not InspectionPhoto.objects.exists() and not stored_files(media) and not photo_entries(draw)


def test_inspections_api_has_no_deprecated_tuple_returns(world, api_as, item, recwarn):
    head = api_as("head1")
    r = head.post("/api/v1/inspections/plans", {"body_id": world.market.pk, "year": 2026, "title": "计划"})
    assert r.status_code == 201
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning) and "tuple" in str(w.message)]


def test_r04_officer3_with_an_expired_certificate_adds_no_photo_through_the_api_or_the_page(world, drawn, media, api_as):
    """APL art.42: photographing the site is part of the inspection — the actor's own certificate
    must be valid (``CERTIFICATE_INVALID``, 409), even on an inspection the officer was sent to."""
    draw, inspection, inspector, _ = drawn
    officer3 = world.officers["officer3"]
    Inspection.objects.filter(pk=inspection.pk).update(inspector_ids=[officer3.pk, inspector.pk])
    url = f"/api/v1/inspections/inspections/{inspection.pk}/photos"
    r = multipart(api_as("officer3"), url, {"files": [upload("a.jpg", image_bytes())]})
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["CERTIFICATE_INVALID"]
    page = login("officer3").get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert 'data-testid="photo-form"' not in page and 'data-code="CERTIFICATE_INVALID"' in page
    assert not InspectionPhoto.objects.exists() and not stored_files(media) and not photo_entries(draw)
