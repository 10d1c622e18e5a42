"""Field work without network (离线现场执法, B9): captures saved on the phone are sent later to
``POST /api/v1/inspections/offline/sync`` — received once per client id, judged on the capture
date, written to the draw's record with the capture and receipt times; conflicts refused in
Chinese with nothing written (the phone keeps them)."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid

import pytest

from zhifa.core import clock, ledger
from zhifa.inspections import services
from zhifa.inspections.models import Inspection, InspectionPhoto, OfflineReceipt, OnsiteRecord
from zhifa.registry.models import Officer

from .drawing import answers_for, first_inspection, image_bytes, login, revealed_draw

pytestmark = pytest.mark.usefixtures("frozen_clock")
SYNC = "/api/v1/inspections/offline/sync"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.SHANGHAI)


@pytest.fixture
def drawn(world, head, item, media):
    """A revealed draw, its first inspection and its two assigned inspectors (with user accounts)."""
    draw = revealed_draw(world, head, item)
    inspection, officers = first_inspection(draw)
    return draw, inspection, [o for o in officers if o.user_id]


def result_capture(inspection, **extra) -> dict:
    body = {
        "client_id": str(uuid.uuid4()), "kind": "result", "inspection_id": inspection.pk,
        "captured_at": (NOW - dt.timedelta(hours=1)).isoformat(), "expected_outcome": "",
        "position": {"latitude": "43.825592", "longitude": "87.616848", "accuracy_m": 12},
        "result": {"inspected_on": "2026-11-23", "outcome": "no_problem", "answers": answers_for(inspection), "findings": ""},
    }
    body.update(extra)
    return body


def entries(draw, action):
    return list(ledger.RecordEntry.objects.filter(stream=f"draw:{draw.pk}", action=action).order_by("seq"))


def data_url(content: bytes, kind: str = "image/jpeg") -> str:
    return f"data:{kind};base64,{base64.b64encode(content).decode()}"


def test_b9_result_captured_offline_is_received_once_with_capture_and_receipt_times(world, drawn, api_as):
    draw, inspection, inspectors = drawn
    api = api_as(inspectors[0].user.username)
    body = result_capture(inspection)
    first = api.post(SYNC, body)
    assert first.status_code == 201, first.content
    assert first.json()["duplicate"] is False
    again = api.post(SYNC, body)  # the answer was lost on a bad connection: the phone sends again
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["received_at"] == first.json()["received_at"]
    inspection.refresh_from_db()
    assert inspection.outcome == "no_problem" and inspection.recorded_by == inspectors[0]
    receipt = OfflineReceipt.objects.get()
    assert str(receipt.client_id) == body["client_id"] and receipt.captured_at == NOW - dt.timedelta(hours=1)
    assert receipt.received_at == NOW and str(receipt.latitude) == "43.825592" and receipt.accuracy_m == 12
    [result] = entries(draw, "result")
    [offline] = entries(draw, "offline_receipt")
    assert offline.seq == result.seq + 1  # in the same transaction, right after the act
    assert offline.payload["client_id"] == body["client_id"] and offline.payload["kind"] == "result"
    assert dt.datetime.fromisoformat(offline.payload["captured_at"]) == NOW - dt.timedelta(hours=1)
    assert dt.datetime.fromisoformat(offline.payload["received_at"]) == NOW
    assert ledger.verify(f"draw:{draw.pk}") is None


def test_b9_inspection_reassigned_meanwhile_is_refused_in_chinese_and_nothing_is_written(world, drawn, api_as):
    draw, inspection, inspectors = drawn
    Inspection.objects.filter(pk=inspection.pk).update(inspector_ids=[o.pk for o in inspectors[1:]] or [0])
    before = ledger.RecordEntry.objects.count()
    r = api_as(inspectors[0].user.username).post(SYNC, result_capture(inspection))
    assert r.status_code == 409
    [violation] = r.json()["violations"]
    assert violation["code"] == "NOT_ASSIGNED_INSPECTOR" and "改派" in violation["message"]
    inspection.refresh_from_db()
    assert inspection.outcome == "" and not OfflineReceipt.objects.exists()
    assert ledger.RecordEntry.objects.count() == before


def test_r04_certificate_not_valid_on_the_capture_date_is_refused(world, drawn, api_as):
    """APL art.42: officer3's certificate expired 10 days ago; a capture of today is refused."""
    draw, inspection, inspectors = drawn
    officer3 = world.officers["officer3"]
    Inspection.objects.filter(pk=inspection.pk).update(inspector_ids=[officer3.pk, inspectors[0].pk])
    r = api_as("officer3").post(SYNC, result_capture(inspection))
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["CERTIFICATE_INVALID"]
    assert not OfflineReceipt.objects.exists() and not entries(draw, "result")


def test_b9_result_recorded_meanwhile_is_a_conflict_until_the_inspector_overwrites_it(world, drawn, api_as):
    draw, inspection, inspectors = drawn
    from zhifa.registry.access import actor_for

    other = actor_for(inspectors[1].user)
    services.record_result(inspection_id=inspection.pk, actor=other, data=services.ResultInput(
        inspected_on=dt.date(2026, 11, 23), outcome="rectify", answers=answers_for(inspection, "rectify"), findings="进货查验记录不全"))
    api = api_as(inspectors[0].user.username)
    body = result_capture(inspection)
    r = api.post(SYNC, body)
    assert r.status_code == 409
    [violation] = r.json()["violations"]
    assert violation["code"] == "RECORDED_MEANWHILE" and inspectors[1].name in violation["message"]
    inspection.refresh_from_db()
    assert inspection.outcome == "rectify" and not OfflineReceipt.objects.exists()
    # the inspector has seen the other result and sends theirs anyway: the same capture, received
    r = api.post(SYNC, {**body, "overwrite": True})
    assert r.status_code == 201, r.content
    inspection.refresh_from_db()
    assert inspection.outcome == "no_problem" and inspection.recorded_by == inspectors[0]


def test_b9_published_result_and_future_capture_are_refused(world, drawn, api_as, head):
    draw, inspection, inspectors = drawn
    api = api_as(inspectors[0].user.username)
    future = result_capture(inspection, captured_at=(NOW + dt.timedelta(hours=2)).isoformat())
    r = api.post(SYNC, future)
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["CAPTURED_IN_FUTURE"]
    early = result_capture(inspection, captured_at=(NOW - dt.timedelta(days=3)).isoformat())
    r = api.post(SYNC, early)
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["PERIOD_INVALID"]
    Inspection.objects.filter(pk=inspection.pk).update(outcome="no_problem", inspected_on=NOW.date(), published_on=NOW.date())
    r = api.post(SYNC, result_capture(inspection, expected_outcome="no_problem"))
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["WRONG_STATE"]
    assert "公示" in r.json()["violations"][0]["message"] and not OfflineReceipt.objects.exists()


def test_b9_photo_captured_offline_enters_the_record_once(world, drawn, api_as, media):
    draw, inspection, inspectors = drawn
    api = api_as(inspectors[0].user.username)
    jpeg = image_bytes(size=(320, 240))
    body = {"client_id": str(uuid.uuid4()), "kind": "photo", "inspection_id": inspection.pk,
            "captured_at": NOW.isoformat(), "photo": {"data": data_url(jpeg), "caption": "门头"}}
    r = api.post(SYNC, body)
    assert r.status_code == 201, r.content
    photo = InspectionPhoto.objects.get()
    assert r.json()["photo_id"] == photo.pk and photo.sha256 == hashlib.sha256(jpeg).hexdigest() and photo.caption == "门头"
    assert api.post(SYNC, body).status_code == 200
    assert InspectionPhoto.objects.count() == 1 and OfflineReceipt.objects.count() == 1
    assert [e.action for e in ledger.RecordEntry.objects.filter(stream=f"draw:{draw.pk}").order_by("seq")][-2:] == ["photo", "offline_receipt"]
    # not an image: malformed input (422), nothing stored
    bad = {**body, "client_id": str(uuid.uuid4()), "photo": {"data": data_url(b"<html>"), "caption": ""}}
    r = api.post(SYNC, bad)
    assert r.status_code == 422 and "不是图片" in r.json()["errors"][0]["message"]
    assert InspectionPhoto.objects.count() == 1 and OfflineReceipt.objects.count() == 1


def test_b9_onsite_record_with_the_party_signature(world, drawn, api_as, media):
    draw, inspection, inspectors = drawn
    api = api_as(inspectors[0].user.username)
    png = image_bytes("PNG", size=(320, 160), color=(255, 255, 255))
    body = {"client_id": str(uuid.uuid4()), "kind": "onsite", "inspection_id": inspection.pk, "captured_at": NOW.isoformat(),
            "onsite": {"text": "现场检查：后厨卫生良好，进货台账齐全。", "party_name": "王经理", "signature": data_url(png, "image/png")}}
    r = api.post(SYNC, body)
    assert r.status_code == 201, r.content
    record = OnsiteRecord.objects.get()
    assert r.json()["onsite_record_id"] == record.pk and record.party_name == "王经理"
    assert record.signature_sha256 == hashlib.sha256(png).hexdigest() and record.signature.read() == png
    assert record.captured_at == NOW and record.received_at == NOW and record.recorded_by == inspectors[0]
    [entry] = entries(draw, "onsite_record")
    assert entry.payload["signature_sha256"] == record.signature_sha256
    assert entry.payload["text_sha256"] == hashlib.sha256(record.text.encode()).hexdigest()
    # a signature that is not a PNG, an empty record: malformed (422), nothing written
    r = api.post(SYNC, {**body, "client_id": str(uuid.uuid4()), "onsite": {"text": " ", "signature": data_url(b"GIF89a", "image/gif")}})
    assert r.status_code == 422
    assert {e["message"] for e in r.json()["errors"]} == {"请填写现场笔录内容", "当事人签名应为不超过 512 KB 的 PNG 图片"}
    assert OnsiteRecord.objects.count() == 1


def test_b9_malformed_captures_are_422_and_anonymous_401(world, drawn, api_as):
    draw, inspection, inspectors = drawn
    api = api_as(inspectors[0].user.username)
    assert api.post(SYNC, result_capture(inspection, client_id="not-a-uuid-not-a-uuid-not-a-uuid-x")).status_code == 422
    assert api.post(SYNC, result_capture(inspection, result=None)).status_code == 422
    assert api.post(SYNC, result_capture(inspection, captured_at="2026-11-23T08:00:00")).status_code == 422
    assert api.post(SYNC, {**result_capture(inspection), "onsite": {"text": "x", "signature": "!!!"}, "kind": "onsite"}).status_code == 422
    incomplete = result_capture(inspection)
    incomplete["result"]["answers"] = []
    r = api.post(SYNC, incomplete)
    assert r.status_code == 422 and "检查要点" in r.json()["errors"][0]["message"]
    assert api_as(None).post(SYNC, result_capture(inspection)).status_code == 401
    assert api.post(SYNC, result_capture(inspection, inspection_id=999999)).status_code == 404
    assert not OfflineReceipt.objects.exists()


def test_b9_a_client_id_of_another_user_is_not_theirs(world, drawn, api_as):
    draw, inspection, inspectors = drawn
    body = result_capture(inspection)
    assert api_as(inspectors[0].user.username).post(SYNC, body).status_code == 201
    r = api_as(inspectors[1].user.username).post(SYNC, {**body, "expected_outcome": "no_problem"})
    assert r.status_code == 422 and "客户端编号" in r.json()["errors"][0]["message"]
    assert OfflineReceipt.objects.count() == 1


def test_b9_service_worker_scope_and_the_record_page_offline_panel(world, drawn):
    draw, inspection, inspectors = drawn
    client = login(inspectors[0].user.username)
    sw = client.get("/inspections/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("text/javascript")
    assert sw["Service-Worker-Allowed"] == "/inspections/" and "no-" in sw["Cache-Control"]  # never kept by the browser
    assert b"addEventListener(\"fetch\"" in sw.content
    page = client.get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert 'data-offline-target="inspection" data-offline-id="%d"' % inspection.pk in page and 'data-offline-form="result"' in page
    assert 'data-testid="onsite-form"' in page and 'rel="manifest"' in page
    assert "已保存在本机，尚未发送" in page
    # a colleague of the body who was not drawn: no capture form (the panel is there, hidden, for
    # what a phone already holds — a capture refused after a reassignment stays in sight)
    colleague = (Officer.objects.filter(body=world.market, user__isnull=False).exclude(pk__in=inspection.inspector_ids)
                 .select_related("user").order_by("pk").first())
    other_page = login(colleague.user.username).get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert "data-offline-form" not in other_page and 'data-testid="offline-panel"' in other_page
    # 我的检查 marks the day's inspections to keep for offline use
    mine = client.get("/inspections/mine/").content.decode()
    assert "data-offline-keep" in mine and "data-offline-summary" in mine


def test_b9_csp_allows_the_worker_and_the_manifest_from_our_origin(world, drawn):
    draw, inspection, inspectors = drawn
    header = login(inspectors[0].user.username).get("/inspections/mine/")["Content-Security-Policy"]
    assert "worker-src 'self'" in header and "manifest-src 'self'" in header


def test_b9_the_inspector_corrects_their_own_result_offline_without_a_conflict(world, drawn, api_as):
    """Two results of the same inspector saved on the phone one after the other (the page cached
    before either): the second corrects the first, it is no conflict with oneself."""
    draw, inspection, inspectors = drawn
    api = api_as(inspectors[0].user.username)
    assert api.post(SYNC, result_capture(inspection)).status_code == 201
    correction = result_capture(inspection)
    correction["result"] = {"inspected_on": "2026-11-23", "outcome": "rectify", "answers": answers_for(inspection, "rectify"),
                            "findings": "进货查验记录不全"}
    r = api.post(SYNC, correction)
    assert r.status_code == 201, r.content
    inspection.refresh_from_db()
    assert inspection.outcome == "rectify" and OfflineReceipt.objects.count() == 2


def test_b9_the_same_capture_sent_twice_at_once_is_received_once(world, drawn, api_as, monkeypatch):
    """Two sendings of one capture racing (the phone retried while the first was in flight): the
    second misses the first's receipt at its start, does the act, then meets the unique client
    id — its whole transaction is rolled back and it answers with the first receipt."""
    from zhifa.inspections.services import offline

    draw, inspection, inspectors = drawn
    api = api_as(inspectors[0].user.username)
    body = result_capture(inspection)
    assert api.post(SYNC, body).status_code == 201
    entries_before = ledger.RecordEntry.objects.count()
    real, calls = offline._existing, []

    def first_misses(client_id, actor):
        calls.append(client_id)
        return None if len(calls) == 1 else real(client_id, actor)

    monkeypatch.setattr(offline, "_existing", first_misses)
    r = api.post(SYNC, body)
    assert r.status_code == 200 and r.json()["duplicate"] is True and len(calls) == 2
    assert OfflineReceipt.objects.count() == 1 and ledger.RecordEntry.objects.count() == entries_before
    assert ledger.verify(f"draw:{draw.pk}") is None
