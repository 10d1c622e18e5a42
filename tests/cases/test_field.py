"""A case's field work without network (现场取证离线, B9): site photos and on-site records
(现场笔录 / 勘验笔录) with the party's drawn signature, saved on the phone and sent later to
``POST /api/v1/cases/{id}/offline/sync`` — received once per client id, registered as the case's
evidence through ``record_evidence``, written to the case's record with the capture and receipt
times; conflicts refused in Chinese with nothing written (the phone keeps them)."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import uuid
from pathlib import Path

import pytest

from tests.conftest import TODAY
from zhifa.cases.models import Evidence, FieldCapture
from zhifa.core import clock, ledger
from zhifa.registry.models import Certificate

NOW = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=clock.SHANGHAI)


def sync_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/offline/sync"


def image_bytes(fmt: str = "JPEG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 40)).save(out, fmt)
    return out.getvalue()


def data_url(content: bytes, kind: str = "image/jpeg") -> str:
    return f"data:{kind};base64,{base64.b64encode(content).decode()}"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def investigating(cw, media):
    return cw.walk(cw.register(), "investigating")


def photo_capture(**extra) -> dict:
    body = {"client_id": str(uuid.uuid4()), "kind": "photo", "captured_at": (NOW - dt.timedelta(hours=1)).isoformat(),
            "position": {"latitude": "43.825592", "longitude": "87.616848", "accuracy_m": 12}, "place": "示例市人民路2号仓库",
            "photo": {"data": data_url(image_bytes()), "caption": "仓库内的过期食品"}}
    body.update(extra)
    return body


def onsite_capture(**extra) -> dict:
    body = {"client_id": str(uuid.uuid4()), "kind": "scene", "captured_at": (NOW - dt.timedelta(minutes=30)).isoformat(),
            "onsite": {"text": "现场检查：仓库货架上有超过保质期的食品 12 箱。", "party_name": "王示例",
                       "signature": data_url(image_bytes("PNG"), "image/png")}}
    body.update(extra)
    return body


def case_entries(case, action):
    return list(ledger.RecordEntry.objects.filter(stream=f"case:{case.pk}", action=action).order_by("seq"))


def test_b9_case_photo_captured_offline_is_received_once_as_evidence_with_both_times(investigating, api_as):
    client = api_as("officer1")
    body = photo_capture()
    before = Evidence.objects.filter(case=investigating).count()
    with clock.frozen(NOW):
        first = client.post(sync_url(investigating), body)
        again = client.post(sync_url(investigating), body)  # the answer lost on a bad connection: sent again
    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["evidence_id"] == first.json()["evidence_id"]
    assert Evidence.objects.filter(case=investigating).count() == before + 1  # received once
    evidence = Evidence.objects.get(pk=first.json()["evidence_id"])
    assert evidence.kind == "photo" and evidence.title == "仓库内的过期食品" and evidence.collected_on == TODAY
    assert evidence.sha256 == hashlib.sha256(image_bytes()).hexdigest() and evidence.content_type == "image/jpeg"
    receipt = FieldCapture.objects.get(client_id=body["client_id"])
    assert receipt.captured_at == NOW - dt.timedelta(hours=1) and receipt.received_at == NOW
    assert (str(receipt.latitude), receipt.accuracy_m) == ("43.825592", 12)
    [entry] = case_entries(investigating, "field_capture")
    assert entry.payload["captured_at"].startswith(TODAY.isoformat()) and entry.payload["client_id"] == body["client_id"]
    assert entry.payload["evidence_id"] == evidence.pk and entry.payload["position"] == ["43.825592", "87.616848", 12]
    assert [e.action for e in ledger.RecordEntry.objects.filter(stream=f"case:{investigating.pk}").order_by("-seq")[:2]] == [
        "field_capture", "record_evidence"]
    assert ledger.verify(f"case:{investigating.pk}") is None


def test_b9_case_onsite_record_with_signature_is_kept_with_its_digests(investigating, api_as):
    body = onsite_capture(kind="inquest")
    with clock.frozen(NOW):
        response = api_as("officer1").post(sync_url(investigating), body)
    assert response.status_code == 201, response.content
    receipt = FieldCapture.objects.select_related("evidence").get(client_id=body["client_id"])
    assert receipt.kind == "inquest" and receipt.party_name == "王示例" and receipt.text.startswith("现场检查")
    assert receipt.evidence.kind == "record" and receipt.evidence.title == "勘验笔录（当事人 王示例 签名）"
    assert receipt.signature_sha256 == hashlib.sha256(image_bytes("PNG")).hexdigest() == receipt.evidence.sha256
    [entry] = case_entries(investigating, "field_capture")
    assert entry.payload["text_sha256"] == hashlib.sha256(receipt.text.encode()).hexdigest()
    assert entry.payload["signature_sha256"] == receipt.signature_sha256


def test_b9_case_capture_of_an_officer_no_longer_assigned_is_refused_and_nothing_written(cw, investigating, api_as):
    from zhifa.cases import services as s

    s.recuse(investigating.pk, officer_id=cw.officer("officer1").pk, reason="与当事人有利害关系，依法回避",
             replacement_ids=[cw.officer("reviewer1").pk], actor=cw.actor("head1"))
    body = photo_capture()
    with clock.frozen(NOW):
        response = api_as("officer1").post(sync_url(investigating), body)
    assert response.status_code in (403, 409), response.content
    assert not FieldCapture.objects.exists() and not case_entries(investigating, "field_capture")


def test_b9_case_capture_after_the_decision_is_a_conflict_in_chinese(cw, media, api_as):
    """Decided while the officer was offline: the evidence can no longer be added (WRONG_STATE)."""
    decided = cw.walk(cw.register(), "decided")
    with clock.frozen(NOW):
        response = api_as("officer1").post(sync_url(decided), onsite_capture())
    assert response.status_code == 409, response.content
    assert any(v["code"] == "WRONG_STATE" and "登记证据" in v["message"] for v in response.json()["violations"])
    assert not FieldCapture.objects.exists()


def test_b9_case_capture_judged_on_the_capture_date_certificate(cw, investigating, api_as):
    """R04: the officer's certificate must be valid on the day of the act, not only the day of sending."""
    cert = Certificate.objects.filter(officer=cw.officer("officer1")).order_by("-issued_on").first()
    captured = dt.datetime.combine(cert.issued_on - dt.timedelta(days=1), dt.time(10), tzinfo=clock.SHANGHAI)
    investigating.clue_received_on = captured.date() - dt.timedelta(days=1)
    investigating.save(update_fields=["clue_received_on"])
    with clock.frozen(NOW):
        response = api_as("officer1").post(sync_url(investigating), photo_capture(captured_at=captured.isoformat()))
    assert response.status_code == 409, response.content
    assert any(v["code"] == "CERTIFICATE_INVALID" for v in response.json()["violations"])


def test_b9_case_capture_in_the_future_or_before_the_clue_is_refused(investigating, api_as):
    client = api_as("officer1")
    with clock.frozen(NOW):
        future = client.post(sync_url(investigating), photo_capture(captured_at=(NOW + dt.timedelta(hours=2)).isoformat()))
        early = client.post(sync_url(investigating), photo_capture(
            captured_at=dt.datetime.combine(investigating.clue_received_on - dt.timedelta(days=3), dt.time(9), tzinfo=clock.SHANGHAI).isoformat()))
    assert future.status_code == 409 and "CAPTURED_IN_FUTURE" in {v["code"] for v in future.json()["violations"]}
    assert early.status_code == 409 and "PERIOD_INVALID" in {v["code"] for v in early.json()["violations"]}
    assert not FieldCapture.objects.exists()


@pytest.mark.parametrize("change", [
    {"client_id": "not-a-uuid-not-a-uuid-not-a-uuid-00"},
    {"captured_at": "2026-11-23T08:00:00"},
    {"photo": {"data": "!!!", "caption": ""}},
    {"photo": {"data": data_url(b"%PDF-1.7 not an image"), "caption": ""}},
    {"photo": None},
    {"kind": "video"},
])
def test_b9_case_capture_malformed_is_422_in_chinese(investigating, api_as, change):
    with clock.frozen(NOW):
        response = api_as("officer1").post(sync_url(investigating), photo_capture(**change))
    assert response.status_code == 422, response.content
    assert not FieldCapture.objects.exists()


def test_b9_case_onsite_without_text_or_with_a_non_png_signature_is_422(investigating, api_as):
    with clock.frozen(NOW):
        empty = api_as("officer1").post(sync_url(investigating), onsite_capture(onsite={"text": " ", "signature": ""}))
        bad = api_as("officer1").post(sync_url(investigating), onsite_capture(onsite={"text": "笔录", "signature": data_url(image_bytes())}))
    assert empty.status_code == 422 and bad.status_code == 422
    assert not FieldCapture.objects.exists()


def test_b9_case_client_id_of_another_officer_is_not_disclosed(investigating, api_as):
    body = photo_capture()
    with clock.frozen(NOW):
        assert api_as("officer1").post(sync_url(investigating), body).status_code == 201
        other = api_as("officer2").post(sync_url(investigating), body)
    assert other.status_code == 422 and "evidence_id" not in other.json()


def test_b9_case_capture_outside_the_actors_scope_is_404_and_anonymous_401(investigating, api_as, world):
    with clock.frozen(NOW):
        assert api_as(None).post(sync_url(investigating), photo_capture()).status_code == 401
        assert api_as("officer_other").post(sync_url(investigating), photo_capture()).status_code == 404
    assert not FieldCapture.objects.exists()


def test_b9_case_field_page_offers_capture_to_the_investigating_officer_only(investigating, client, world):
    client.force_login(world.users["officer1"])
    page = client.get(f"/cases/{investigating.pk}/field/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-offline-target="case"' in html and 'data-testid="onsite-form"' in html and "勘验笔录" in html
    assert f"/api/v1/cases/{investigating.pk}/offline/sync" in html
    client.force_login(world.users["head1"])
    html = client.get(f"/cases/{investigating.pk}/field/").content.decode()
    assert 'data-testid="no-capture"' in html and 'data-testid="onsite-form"' not in html
    detail = client.get(f"/cases/{investigating.pk}/").content.decode()
    assert f'href="/cases/{investigating.pk}/field/" data-offline-keep' in detail


def test_b9_case_service_worker_is_served_with_the_cases_scope(client, world):
    client.force_login(world.users["officer1"])
    response = client.get("/cases/sw.js")
    assert response.status_code == 200 and response["Service-Worker-Allowed"] == "/cases/"
    assert response["Content-Type"].startswith("text/javascript")
