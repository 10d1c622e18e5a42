"""The supervision API (contract.md, Wave 2): a file bound and evaluated through the API, a
notice from issue to close, denials, lists paginated without N+1."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(cw):
    return cw.walk(cw.register(), "archived")


def test_r31_a_file_bound_sampled_and_evaluated_through_the_api(cw, api_as, archived, django_assert_max_num_queries):
    office, other, head = api_as("supervisor"), api_as("officer_other"), api_as("head1")
    sheets = office.get("/api/v1/supervision/sheets").json()
    if not sheets:
        from zhifa.supervision import services

        services.load_default_sheet()
        sheets = office.get("/api/v1/supervision/sheets").json()
    sheet = sheets[0]
    assert sheet["status"] == "published" and sheet["content"]["total"] == 100
    plan = office.post("/api/v1/supervision/plans", {
        "name": "2026年度评查", "sheet_id": sheet["id"], "period_start": (TODAY - dt.timedelta(days=300)).isoformat(),
        "period_end": TODAY.isoformat(), "body_ids": [cw.world.market.pk], "files_per_body": 3})
    assert plan.status_code == 201, plan.content
    assert head.post("/api/v1/supervision/plans", {**plan.json(), "body_ids": [cw.world.market.pk], "sheet_id": sheet["id"]}).status_code == 403
    sample = office.post("/api/v1/supervision/samples", {"plan_id": plan.json()["id"]}).json()
    assert sample["secret"] == "" and sample["state"] == "committed"
    drawn = office.post(f"/api/v1/supervision/samples/{sample['id']}/draw", {"witness": "03 17 22 29 31 08"}).json()
    assert drawn["secret"] and [d["case_id"] for d in drawn["drawn"]] == [archived.pk]
    conflict = office.post("/api/v1/supervision/evaluations", {"case_id": archived.pk, "plan_id": plan.json()["id"],
                                                                "evaluator_id": cw.world.users["officer2"].pk})
    assert conflict.status_code == 409 and {v["code"] for v in conflict.json()["violations"]} == {"EVALUATOR_CONFLICT"}
    ev = office.post("/api/v1/supervision/evaluations", {"case_id": archived.pk, "plan_id": plan.json()["id"],
                                                          "evaluator_id": cw.world.users["officer_other"].pk})
    assert ev.status_code == 201, ev.content
    ev_id = ev.json()["id"]
    assert head.post(f"/api/v1/supervision/evaluations/{ev_id}/submit", {}).status_code == 404  # not the evaluator
    bad = other.post(f"/api/v1/supervision/evaluations/{ev_id}/submit", {"items": {"C1": {"deduction": -1}}})
    assert bad.status_code == 422
    done = other.post(f"/api/v1/supervision/evaluations/{ev_id}/submit",
                      {"items": {"D1": {"deduction": 2, "comment": "文书未加盖骑缝章"}, "E2": {"deduction": 7, "comment": "无音像记录"}},
                       "comments": "程序基本规范"})
    assert done.status_code == 200, done.content
    assert done.json()["score"] == "91.0" and done.json()["grade"] == "excellent" and done.json()["items"]["E2"]["score"] == "0"
    assert head.get(f"/api/v1/supervision/evaluations/{ev_id}").json()["grade_label"] == "优秀"  # the body reads its result
    results = office.get(f"/api/v1/supervision/plans/{plan.json()['id']}/results").json()
    assert results == [{"body_id": cw.world.market.pk, "body": cw.world.market.name, "files": 1, "average": 91.0,
                        "excellent": 1, "passed": 0, "fail": 0}]
    xlsx = office.get(f"/api/v1/supervision/plans/{plan.json()['id']}/results", format="xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "执法主体" and rows[2][:3] == (cw.world.market.name, 1, 91)
    with django_assert_max_num_queries(12):
        page = office.get("/api/v1/supervision/evaluations", page_size=50).json()
    assert page["count"] == 1 and set(page) == {"items", "count", "page", "page_size"}
    assert api_as("officer_other").get("/api/v1/supervision/evaluations", mine=True).json()["count"] == 1


def test_r32_a_notice_from_issue_to_close_through_the_api(cw, api_as, django_assert_max_num_queries):
    office, head, other = api_as("supervisor"), api_as("head1"), api_as("officer_other")
    issued = office.post("/api/v1/supervision/notices", {
        "kind": "supervision_notice", "body_id": cw.world.market.pk, "source": "complaint",
        "findings": "部分案件未在法定期限内作出决定", "basis": "行政处罚法第六十条", "rectify": "全面自查超期案件并报送整改报告"})
    assert issued.status_code == 201, issued.content
    nid = issued.json()["id"]
    assert issued.json()["state"] == "issued" and issued.json()["overdue"] is False
    assert other.get(f"/api/v1/supervision/notices/{nid}").status_code == 404
    refused = head.post(f"/api/v1/supervision/notices/{nid}/actions/respond", {"text": "已整改"})
    assert refused.status_code == 409 and refused.json()["violations"][0]["code"] == "RECTIFICATION_EVIDENCE_REQUIRED"
    ok = head.post(f"/api/v1/supervision/notices/{nid}/actions/respond",
                   {"text": "已完成自查", "evidence": [{"title": "自查报告", "sha256": "b" * 64}]})
    assert ok.json()["state"] == "responded"
    assert head.post(f"/api/v1/supervision/notices/{nid}/actions/accept", {}).status_code == 403
    closed = office.post(f"/api/v1/supervision/notices/{nid}/actions/accept", {"text": "整改到位"}).json()
    assert closed["state"] == "closed" and [s["action"] for s in closed["steps"]] == ["issue", "respond", "accept"]
    assert office.post(f"/api/v1/supervision/notices/{nid}/actions/unknown", {}).status_code == 422
    with django_assert_max_num_queries(12):
        page = head.get("/api/v1/supervision/notices", page_size=50).json()
    assert page["count"] == 1 and page["items"][0]["state_label"] == "已办结"
    assert office.get(f"/api/v1/records/notice:{nid}").json()["count"] == 3
