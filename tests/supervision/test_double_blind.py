"""Double-blind cross-evaluation (双盲评查, R31; issue 17): in a plan marked double-blind the
evaluator does not see the evaluated body, the case number or the officers (the file comes without
cover, index and notes sheet), and the body does not see its evaluator until the office publishes
the results. The office sees everything. Denials tested."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import TODAY
from zhifa.core.ledger import RecordEntry
from zhifa.core.violations import Refused
from zhifa.supervision import inputs, selectors, services
from zhifa.supervision.models import CaseFile
from zhifa.supervision.rules import blind

pytestmark = pytest.mark.django_db


@pytest.fixture
def blind_evaluation(cw):
    case = cw.walk(cw.register(), "archived")
    office = cw.actor("supervisor")
    sheet = services.load_default_sheet()
    plan = services.create_plan(inputs.PlanIn(name="双盲交叉评查", sheet_id=sheet.pk, period_start=TODAY - dt.timedelta(days=365),
                                              period_end=TODAY, body_ids=[cw.world.market.pk], files_per_body=1, double_blind=True),
                                actor=office)
    sample = services.commit_sample(plan.pk, actor=office)
    services.draw_sample(sample.pk, witness="07 11 23", actor=office)
    ev = services.assign_evaluation(inputs.EvaluationIn(case_id=case.pk, plan_id=plan.pk, evaluator_id=cw.world.users["officer_other"].pk),
                                    actor=office)
    return case, plan, ev


def test_r31_blind_rules():
    assert blind.hides_identity(double_blind=True, is_evaluator=True, is_office=False)
    assert not blind.hides_identity(double_blind=True, is_evaluator=True, is_office=True)
    assert not blind.hides_identity(double_blind=False, is_evaluator=True, is_office=False)
    assert blind.hides_evaluator(double_blind=True, published=False, in_body=True, is_office=False)
    assert not blind.hides_evaluator(double_blind=True, published=True, in_body=True, is_office=False)
    assert blind.mask_names("执法人员李明的执法证已过期", ["李明"]) == "执法人员（已隐去）的执法证已过期"


def test_r31_the_blind_evaluator_sees_neither_body_nor_case_nor_officers(cw, blind_evaluation, api_as, media_root):
    from pypdf import PdfReader

    case, plan, ev = blind_evaluation
    evaluator = api_as("officer_other")
    body = evaluator.get(f"/api/v1/supervision/evaluations/{ev.pk}").json()
    assert body["body"] == blind.HIDDEN_BODY and body["case_id"] is None and body["double_blind"]
    assert body["case_number"] == blind.blind_code(plan.pk, ev.pk) and case.number not in str(body)
    names = [o.name for o in case.officers.all()] + [case.party_name]
    assert not any(name in str(body) for name in names)  # the pre-checks' reasons are masked too
    listed = evaluator.get("/api/v1/supervision/evaluations", mine="true").json()["items"]
    assert [e["body"] for e in listed] == [blind.HIDDEN_BODY]
    probe = evaluator.get("/api/v1/supervision/evaluations", body=cw.world.market.pk).json()["items"]
    assert probe == []  # filtering by body does not reveal whose file it is
    assert evaluator.get(f"/api/v1/case-files/{case.pk}").status_code == 404  # the file by case: denied
    assert evaluator.get(f"/api/v1/case-files/{case.pk}/pdf").status_code == 404
    pdf = evaluator.get(f"/api/v1/supervision/evaluations/{ev.pk}/file")
    assert pdf.status_code == 200
    cf = CaseFile.objects.get(pk=ev.case_file_id)
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) == cf.page_count  # only the numbered pages: no cover, index, notes sheet
    assert "- 1 -" in pages[0].extract_text()
    office_copy = api_as("supervisor").get(f"/api/v1/supervision/evaluations/{ev.pk}")
    assert office_copy.json()["body"] == cw.world.market.name and office_copy.json()["case_number"] == case.number
    assert api_as("officer1").get(f"/api/v1/supervision/evaluations/{ev.pk}/file").status_code == 200  # the body's own file, whole
    assert api_as(None).get(f"/api/v1/supervision/evaluations/{ev.pk}/file").status_code == 401


def test_r31_the_blind_evaluators_page_hides_the_body(cw, blind_evaluation, client):
    case, plan, ev = blind_evaluation
    client.force_login(cw.world.users["officer_other"])
    page = client.get(f"/supervision/evaluations/{ev.pk}/").content.decode()
    assert blind.HIDDEN_BODY in page and cw.world.market.name not in page and case.number not in page
    listed = client.get("/supervision/evaluations/?mine=1").content.decode()
    assert blind.HIDDEN_BODY in listed and case.number not in listed


def test_r31_the_body_sees_its_evaluator_only_after_the_results_are_published(cw, blind_evaluation, api_as):
    case, plan, ev = blind_evaluation
    head = api_as("head1")
    assert head.get(f"/api/v1/supervision/evaluations/{ev.pk}").json()["evaluator"] == blind.HIDDEN_EVALUATOR
    with pytest.raises(Refused) as exc:  # not every file evaluated yet
        services.publish_plan_results(plan.pk, actor=cw.actor("supervisor"))
    assert [v.code for v in exc.value.violations] == ["WRONG_STATE"]
    services.submit_evaluation(ev.pk, inputs.MarksIn(vetoes={}, items={}, comments="案卷规范"), actor=cw.actor("officer_other"))
    assert api_as("head1").post(f"/api/v1/supervision/plans/{plan.pk}/publish-results").status_code == 403
    published = api_as("supervisor").post(f"/api/v1/supervision/plans/{plan.pk}/publish-results")
    assert published.status_code == 200 and published.json()["results_published_on"]
    evaluator_name = selectors.get_evaluation(cw.actor("supervisor"), ev.pk).evaluator_name
    assert head.get(f"/api/v1/supervision/evaluations/{ev.pk}").json()["evaluator"] == evaluator_name
    assert RecordEntry.objects.filter(stream=plan.stream, action="publish_results").count() == 1
    assert api_as("supervisor").post(f"/api/v1/supervision/plans/{plan.pk}/publish-results").status_code == 409


def test_r31_office_staff_cannot_be_blind_evaluators(cw, blind_evaluation):
    case, plan, ev = blind_evaluation
    with pytest.raises(Refused) as exc:
        services.assign_evaluation(inputs.EvaluationIn(case_id=case.pk, plan_id=plan.pk, evaluator_id=cw.world.users["supervisor"].pk),
                                   actor=cw.actor("supervisor"))
    assert "INVALID_INPUT" in [v.code for v in exc.value.violations]
    with pytest.raises(PermissionDenied):
        services.publish_plan_results(plan.pk, actor=cw.actor("officer_other"))
