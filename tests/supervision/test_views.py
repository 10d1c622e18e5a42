"""The supervision pages (R31, R32): the office's plans, sample and assignment; the evaluation
form with the sheet beside the file's PDF; the notice loop; the heads' view; denials; query counts."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.conftest import TODAY, page_queries
from zhifa.supervision import inputs, services
from zhifa.supervision.models import Evaluation, EvaluationPlan, SupervisionNotice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


def logged_in(cw, username: str) -> Client:
    client = Client()
    client.force_login(cw.world.users[username])
    return client


@pytest.fixture
def archived(cw):
    return cw.walk(cw.register(), "archived")


def test_r31_the_office_plans_samples_assigns_and_the_evaluator_submits_on_the_page(cw, archived):
    office, evaluator = logged_in(cw, "supervisor"), logged_in(cw, "officer_other")
    sheet = services.load_default_sheet()
    assert office.get("/supervision/plans/").status_code == 200
    refused = office.post("/supervision/plans/", {"name": "计划", "sheet_id": sheet.pk, "period_start": "2026-12-01",
                                                  "period_end": "2026-01-01", "body_ids": [cw.world.market.pk], "files_per_body": 2})
    assert refused.status_code == 200 and "结案截止日期不能早于起始日期" in refused.content.decode()
    created = office.post("/supervision/plans/", {"name": "年度评查", "sheet_id": sheet.pk, "period_start": "2026-01-01",
                                                  "period_end": TODAY.isoformat(), "body_ids": [cw.world.market.pk], "files_per_body": 2})
    plan = EvaluationPlan.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/supervision/plans/{plan.pk}/"
    office.post(f"/supervision/plans/{plan.pk}/", {"step": "commit"})
    sample = plan.samples.get()
    office.post(f"/supervision/plans/{plan.pk}/", {"step": "draw", "sample_id": sample.pk, "witness": "7 14 21"})
    conflict = office.post(f"/supervision/plans/{plan.pk}/", {"step": "assign", "case_id": archived.pk,
                                                              "evaluator_id": cw.world.users["officer1"].pk})
    assert 'data-code="EVALUATOR_CONFLICT"' in conflict.content.decode()
    office.post(f"/supervision/plans/{plan.pk}/", {"step": "assign", "case_id": archived.pk, "evaluator_id": cw.world.users["officer_other"].pk})
    ev = Evaluation.objects.get()
    form = evaluator.get(f"/supervision/evaluations/{ev.pk}/").content.decode()
    assert 'data-testid="evaluation-form"' in form and f"/api/v1/supervision/evaluations/{ev.pk}/file" in form
    overridden = evaluator.post(f"/supervision/evaluations/{ev.pk}/", {"veto_V2": "1"})
    assert 'data-code="REASON_REQUIRED"' in overridden.content.decode()
    done = evaluator.post(f"/supervision/evaluations/{ev.pk}/", {"item_C2": "2", "item_C2_comment": "执法过程中语气生硬", "comments": "较好"})
    assert done.status_code == 302
    ev.refresh_from_db()
    assert ev.score == 98 and ev.grade == "excellent"
    page = logged_in(cw, "head1").get(f"/supervision/evaluations/{ev.pk}/").content.decode()
    assert re.search(r'data-testid="grade">优秀<', page)
    assert logged_in(cw, "head1").get("/supervision/plans/").status_code == 403


def test_r32_the_notice_loop_on_the_pages(cw):
    office, head = logged_in(cw, "supervisor"), logged_in(cw, "head1")
    issued = office.post("/supervision/notices/", {"kind": "supervision_opinion", "body_id": cw.world.market.pk, "source": "alert",
                                                   "findings": "多起案件未制作音像记录", "basis": "行政处罚法第四十七条", "rectify": "完善音像记录制度"})
    notice = SupervisionNotice.objects.get()
    assert issued.status_code == 302
    assert "没有需要您办理" not in head.get(f"/supervision/notices/{notice.pk}/").content.decode()
    refused = head.post(f"/supervision/notices/{notice.pk}/", {"action": "respond", "text": "已整改"})
    assert 'data-code="RECTIFICATION_EVIDENCE_REQUIRED"' in refused.content.decode()
    head.post(f"/supervision/notices/{notice.pk}/", {"action": "respond", "text": "已建立制度", "evidence_title": ["音像记录管理制度"]})
    assert head.post(f"/supervision/notices/{notice.pk}/", {"action": "accept"}).status_code == 403
    office.post(f"/supervision/notices/{notice.pk}/", {"action": "accept", "text": "整改到位"})
    notice.refresh_from_db()
    assert notice.state == "closed"
    assert logged_in(cw, "officer_other").get(f"/supervision/notices/{notice.pk}/").status_code == 404


def test_r31_r32_lists_take_a_constant_number_of_queries(cw, archived):
    office = logged_in(cw, "supervisor")
    for i in range(3):
        services.issue_notice(inputs.NoticeIn(kind="evaluation_sheet", body_id=cw.world.market.pk, source="evaluation",
                                              findings=f"问题{i}", basis="依据", rectify="整改"), actor=cw.actor("supervisor"))
        services.assign_evaluation(inputs.EvaluationIn(case_id=archived.pk, evaluator_id=cw.world.users["officer_other"].pk),
                                   actor=cw.actor("supervisor"))
    few = {path: page_queries(office, path) for path in ("/supervision/notices/", "/supervision/evaluations/")}
    for i in range(5):
        services.issue_notice(inputs.NoticeIn(kind="evaluation_sheet", body_id=cw.world.market.pk, source="evaluation",
                                              findings=f"更多{i}", basis="依据", rectify="整改"), actor=cw.actor("supervisor"))
        services.assign_evaluation(inputs.EvaluationIn(case_id=archived.pk, evaluator_id=cw.world.users["officer_other"].pk),
                                   actor=cw.actor("supervisor"))
    assert {path: page_queries(office, path) for path in few} == few
    assert logged_in(cw, "head1").get(f"/supervision/case-files/{archived.pk}/").status_code == 200
    assert logged_in(cw, "officer_other").get(f"/supervision/case-files/{archived.pk}/").status_code == 404


def test_r31_a_head_starts_the_self_evaluation_from_the_case_file_and_sees_notices_to_answer(cw, archived):
    head = logged_in(cw, "head1")
    started = head.post(f"/supervision/case-files/{archived.pk}/", {"step": "self_evaluate"})
    ev = Evaluation.objects.get()
    assert started.status_code == 302 and ev.kind == "self" and started["Location"] == f"/supervision/evaluations/{ev.pk}/"
    services.issue_notice(inputs.NoticeIn(kind="evaluation_sheet", body_id=cw.world.market.pk, source="evaluation",
                                          findings="问题", basis="依据", rectify="整改"), actor=cw.actor("supervisor"))
    from zhifa.supervision import selectors

    assert selectors.notices_to_answer(cw.actor("head1")) == 1 and selectors.notices_to_answer(cw.actor("supervisor")) == 0
    assert "件待整改反馈" in head.get("/").content.decode()


def test_r31_a_closed_case_is_bound_from_its_page_and_linked_from_the_case(cw):
    case = cw.walk(cw.register(), "closed")
    officer = logged_in(cw, "officer1")
    assert 'data-testid="case-file-link"' in officer.get(f"/cases/{case.pk}/").content.decode()
    page = officer.get(f"/supervision/case-files/{case.pk}/").content.decode()
    assert "案卷尚未装订" in page and 'data-testid="bind-form"' in page
    assert officer.post(f"/supervision/case-files/{case.pk}/", {}).status_code == 302
    assert 'data-testid="case-file-contents"' in officer.get(f"/supervision/case-files/{case.pk}/").content.decode()
