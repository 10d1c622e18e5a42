"""Complaints over the API (R35): filed and followed without login, acted on by the body's head,
409 with every violation, identity only for the supervision office, 429 past the rate limit."""
from __future__ import annotations

import pytest

from tests.conftest import TODAY
from zhifa.core import clock, workdays
from zhifa.portal import rules

pytestmark = pytest.mark.django_db


def body(world, **extra) -> dict:
    data = {"kind": "complaint", "body_id": world.market.pk, "subject": "执法人员未出示证件",
            "facts": "执法人员到店检查时没有出示执法证件。", "reporter_name": "孙志远", "reporter_phone": "13600002222"}
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(TODAY):
        yield


def test_r35_api_complaint_flow(world, api_as):
    public = api_as(None)
    filed = public.post("/api/v1/public/complaints", body(world))
    assert filed.status_code == 201, filed.content
    code = filed.json()["tracking_code"]
    assert filed.json()["accept_due"] == workdays.add_working_days(TODAY, 7).date.isoformat()
    tracked = public.get(f"/api/v1/public/complaints/{code}").json()
    assert tracked["state"] == "received" and "孙志远" not in str(tracked)

    head = api_as("head1")
    page = head.get("/api/v1/complaints").json()
    assert page["count"] == 1 and page["items"][0]["reporter"] is None
    assert page["items"][0]["allowed_actions"] == ["accept", "reject", "mark_abusive"]
    complaint_id = page["items"][0]["id"]
    refused = head.post(f"/api/v1/complaints/{complaint_id}/actions/answer", {"text": ""})
    assert refused.status_code == 409
    assert {v["code"] for v in refused.json()["violations"]} == {rules.WRONG_STATE, rules.REASON_REQUIRED}
    accepted = head.post(f"/api/v1/complaints/{complaint_id}/actions/accept", {})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert head.post(f"/api/v1/complaints/{complaint_id}/actions/nope", {}).status_code == 422

    supervisor = api_as("supervisor").get("/api/v1/complaints").json()
    assert supervisor["items"][0]["reporter"]["name"] == "孙志远" and supervisor["items"][0]["allowed_actions"] == []
    assert api_as("officer1").get("/api/v1/complaints").status_code == 403
    assert api_as("supervisor").post(f"/api/v1/complaints/{complaint_id}/actions/handle", {"text": "x"}).status_code == 403
    assert public.get("/api/v1/complaints").status_code == 401
    assert public.get("/api/v1/public/complaints/TSXXXXXXXXXXXX").status_code == 404


def test_r35_api_refuses_unnamed_complaint_and_bad_input(world, api_as):
    public = api_as(None)
    refused = public.post("/api/v1/public/complaints", body(world, reporter_name="", reporter_phone=""))
    assert refused.status_code == 409 and refused.json()["violations"][0]["code"] == rules.IDENTITY_REQUIRED
    assert public.post("/api/v1/public/complaints", body(world, facts="x" * 5000)).status_code == 422
    assert public.post("/api/v1/public/complaints", body(world, kind="other")).status_code == 422
    assert public.post("/api/v1/public/complaints", body(world, subject="a\x00b")).status_code == 422


def test_r35_api_rate_limit(world, api_as):
    public = api_as(None)
    for _ in range(rules.FILINGS_PER_ADDRESS_PER_HOUR):
        assert public.post("/api/v1/public/complaints", body(world)).status_code == 201
    limited = public.post("/api/v1/public/complaints", body(world))
    assert limited.status_code == 429 and "一小时" in limited.json()["detail"]
