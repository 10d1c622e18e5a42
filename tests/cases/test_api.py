"""R14 through the API (contract.md): create, detail with deadlines and allowed actions, actions
with every violation at once (409), the record and its verification, paging and scope."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY
from zhifa.core.models import RecordEntry

pytestmark = pytest.mark.django_db

NEW = {
    "item_code": "SJJ-CF-001", "party_kind": "organisation", "party_name": "示例商贸有限公司",
    "party_id_code": "91650200MA0000001X", "party_address": "示例市人民路2号",
    "act_date": (TODAY - dt.timedelta(days=30)).isoformat(), "clue": "群众举报销售过期食品", "source": "complaint",
}


def act(client, case_id, action, data=None, status=200):
    response = client.post(f"/api/v1/cases/{case_id}/actions/{action}", data or {})
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_r14_full_normal_procedure_through_the_api(cw, api_as):
    officer, head = api_as("officer1"), api_as("head1")
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    response = officer.post("/api/v1/cases", NEW)
    assert response.status_code == 201, response.content
    case = response.json()
    cid = case["id"]
    assert case["state"] == "source" and case["deadlines"][0]["kind"] == "filing"
    assert "file" not in case["allowed_actions"]  # officer1 is not the head
    assert "file" in head.get(f"/api/v1/cases/{cid}").json()["allowed_actions"]

    body = act(head, cid, "file", {"officer_ids": [o1, o2]})
    assert body["state"] == "investigating" and body["filed_on"] == TODAY.isoformat()
    assert body["next_due_kind"] == "decision" and "show_credentials" in officer.get(f"/api/v1/cases/{cid}").json()["allowed_actions"]
    body = act(officer, cid, "show_credentials", {"place": "示例市人民路2号"})  # R15: 亮证 at the inspection
    assert "show_credentials" not in body["allowed_actions"]
    decision_deadline = next(d for d in body["deadlines"] if d["kind"] == "decision")
    assert decision_deadline["due"] >= (TODAY + dt.timedelta(days=90)).isoformat()
    # The party block the decision prints (APL art.59 (一)): completed through the API, recorded.
    body = act(officer, cid, "update_party", {"legal_representative": "王示例", "service_address": "示例市人民路2号收发室"})
    assert body["party"]["legal_representative"] == "王示例" and body["party_name"] == "示例商贸有限公司"
    act(officer, cid, "record_evidence", {"kind": "record", "title": "现场检查笔录"})
    act(officer, cid, "end_investigation", {"report": "销售过期食品属实", "facts": "销售过期食品", "proposed_kinds": ["fine"],
                                            "proposed_amount": "5000.00", "act_place": "示例市人民路2号"})
    act(head, cid, "review_case", {"opinion": "同意"})
    # decide before notice: every reason at once
    refused = act(head, cid, "decide", {"outcome": "penalty", "kinds": ["fine"], "amount": "5000.00", "reasoning": "当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。"}, status=409)
    assert [v["code"] for v in refused["violations"]] == ["NOTICE_REQUIRED"]
    assert refused["violations"][0]["basis"].startswith("行政处罚法")
    body = act(officer, cid, "notify", {"kinds": ["fine"], "amount": "5000.00"})
    assert body["state"] == "notified" and {d["kind"] for d in body["deadlines"]} >= {"defence", "decision"}
    refused = act(head, cid, "decide", {"outcome": "penalty", "kinds": ["fine", "warning"], "amount": "6000.00", "reasoning": "x"}, status=409)
    assert {v["code"] for v in refused["violations"]} == {"DEFENCE_PERIOD_OPEN", "PENALTY_ABOVE_NOTICE"}
    act(officer, cid, "record_defence", {"statement": "当事人称不知道食品过期"})
    # The party spoke: the decision must say how its statement was weighed (legal-rules.md §F+).
    refused = act(head, cid, "decide", {"outcome": "penalty", "kinds": ["fine"], "amount": "5000.00", "reasoning": "当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。"},
                  status=409)
    assert [v["code"] for v in refused["violations"]] == ["DECISION_PROCEDURE_MISSING"]
    body = act(head, cid, "decide", {"outcome": "penalty", "kinds": ["fine"], "amount": "5000.00", "reasoning": "当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。",
                                     "defence_opinion": "当事人称不知道食品过期，但其作为食品经营者负有查验义务，该意见不予采纳"})
    assert body["state"] == "decided" and body["decision_amount"] == "5000.00"
    body = act(officer, cid, "serve", {"method": "direct"})
    assert body["state"] == "served" and body["payment_due"] == (TODAY + dt.timedelta(days=15)).isoformat()
    body = act(officer, cid, "pay", {"amount": "5000.00"})
    assert body["state"] == "executed"
    act(head, cid, "close", {})
    body = act(officer, cid, "archive")
    assert body["state"] == "archived" and body["allowed_actions"] == []

    record = officer.get(f"/api/v1/cases/{cid}/record", page_size=200).json()
    assert [e["action"] for e in record["items"]][:6] == ["register", "file", "show_credentials", "update_party", "record_evidence",
                                                          "end_investigation"]
    assert record["count"] == 15  # 14 acts and the binding of the case file (卷宗) before archiving
    assert [e["action"] for e in record["items"]][-2:] == ["bind_file", "archive"]
    assert officer.get(f"/api/v1/cases/{cid}/record/verify").json() == {"ok": True}


def test_r14_record_verify_detects_raw_sql_edit(cw, api_as):
    officer = api_as("officer1")
    cid = officer.post("/api/v1/cases", NEW).json()["id"]
    act(api_as("head1"), cid, "file", {"officer_ids": [cw.officer("officer1").pk, cw.officer("officer2").pk]})
    entry = RecordEntry.objects.get(stream=f"case:{cid}", seq=1)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {RecordEntry._meta.db_table} SET payload = %s WHERE id = %s", ['{"label": "篡改"}', entry.pk])
    result = officer.get(f"/api/v1/cases/{cid}/record/verify").json()
    assert result["ok"] is False and result["seq"] == 1


def test_r15_filing_with_invalid_officers_lists_every_violation(cw, api_as):
    cid = api_as("officer1").post("/api/v1/cases", NEW).json()["id"]
    refused = act(api_as("head1"), cid, "file", {"officer_ids": [cw.officer("officer3").pk, cw.officer("aux1").pk]}, status=409)
    assert {v["code"] for v in refused["violations"]} == {"CERTIFICATE_INVALID", "AUXILIARY_CANNOT_ACT", "TWO_OFFICERS_REQUIRED"}
    assert RecordEntry.objects.filter(stream=f"case:{cid}").count() == 1  # nothing written by the refusal


def test_r14_case_of_another_body_is_404_and_bad_input_422(cw, api_as):
    cid = api_as("officer1").post("/api/v1/cases", NEW).json()["id"]
    other = api_as("officer_other")
    assert other.get(f"/api/v1/cases/{cid}").status_code == 404
    assert other.post(f"/api/v1/cases/{cid}/actions/file", {}).status_code == 404
    assert api_as("supervisor").get(f"/api/v1/cases/{cid}").status_code == 200
    bad = api_as("head1").post(f"/api/v1/cases/{cid}/actions/file", {"officer_ids": ["x"], "nope": 1})
    assert bad.status_code == 422 and bad.json()["errors"]
    assert api_as("head1").post(f"/api/v1/cases/{cid}/actions/fly", {}).status_code == 422
    assert api_as("officer1").post(f"/api/v1/cases/{cid}/actions/file", {}).status_code == 403
    assert api_as(None).get("/api/v1/cases").status_code == 401


def test_r14_simple_procedure_on_the_spot(cw, api_as):
    officer = api_as("officer1")
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    data = {**NEW, "procedure": "simple", "party_kind": "person", "party_name": "张某", "party_id_code": "650200199001000201",
            "officer_ids": [o1, o2], "act_date": TODAY.isoformat()}
    cid = officer.post("/api/v1/cases", data).json()["id"]
    refused = act(officer, cid, "decide_on_spot", {"kinds": ["fine", "suspension"], "amount": "500.00", "reasoning": "占道经营"}, status=409)
    assert [v["code"] for v in refused["violations"]] == ["SIMPLE_PROCEDURE_LIMIT", "SIMPLE_PROCEDURE_LIMIT",
                                                           "CREDENTIALS_NOT_SHOWN", "RIGHTS_NOT_TOLD"]
    act(officer, cid, "show_credentials", {"officer_ids": [o1, o2]})
    act(officer, cid, "inform_rights", {})
    body = act(officer, cid, "decide_on_spot", {"kinds": ["fine"], "amount": "200.00", "reasoning": "占道经营，当场处罚"})
    assert body["state"] == "served" and body["payment_due"]
    body = act(officer, cid, "pay", {"amount": "200.00"})
    act(api_as("head1"), cid, "close")
    assert act(officer, cid, "archive")["state"] == "archived"


def test_r14_case_list_has_a_constant_query_count(cw, api_as):
    officer = api_as("officer1")
    cid = officer.post("/api/v1/cases", NEW).json()["id"]
    act(api_as("head1"), cid, "file", {"officer_ids": [cw.officer("officer1").pk, cw.officer("officer2").pk]})
    officer.get("/api/v1/cases")  # warm the calendar cache and token
    with CaptureQueriesContext(connection) as few:
        assert officer.get("/api/v1/cases").status_code == 200
    for _ in range(6):
        officer.post("/api/v1/cases", NEW)
    with CaptureQueriesContext(connection) as many:
        page = officer.get("/api/v1/cases").json()
    assert page["count"] == 7
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
