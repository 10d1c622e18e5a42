"""Evaluation work (R31, R43): plans, the verifiable sample, cross-evaluation without conflicts,
pre-checks confirmed or overridden with a reason, score and grade, sheets immutable once published."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import TODAY
from zhifa.core import ledger
from zhifa.core.violations import Refused
from zhifa.supervision import inputs, services
from zhifa.supervision.models import Evaluation
from zhifa.supervision.rules import sampling

pytestmark = pytest.mark.django_db


def codes(exc) -> list[str]:
    return [v.code for v in exc.value.violations]


@pytest.fixture
def archived(cw):
    return cw.walk(cw.register(), "archived")


@pytest.fixture
def plan(cw, archived):
    sheet = services.load_default_sheet()
    data = inputs.PlanIn(name="2026年度案卷评查", sheet_id=sheet.pk, period_start=TODAY - dt.timedelta(days=365),
                         period_end=TODAY, body_ids=[cw.world.market.pk], files_per_body=2)
    return services.create_plan(data, actor=cw.actor("supervisor"))


def drawn_plan(cw, plan):
    sample = services.commit_sample(plan.pk, actor=cw.actor("supervisor"))
    assert len(sample.commitment) == 64 and sample.seed == ""
    sample = services.draw_sample(sample.pk, witness="12 25 33", actor=cw.actor("supervisor"))
    assert sampling.draw(sample.pool, sample.secret, "12 25 33") == (sample.seed, [(d["body_id"], d["case_id"]) for d in sample.drawn])
    return sample


def test_r31_the_sample_is_drawn_verifiably_and_recorded(cw, plan, archived):
    sample = drawn_plan(cw, plan)
    assert sample.drawn == [{"body_id": cw.world.market.pk, "case_id": archived.pk}]
    actions = list(ledger.RecordEntry.objects.filter(stream=sample.stream).values_list("action", flat=True))
    assert actions == ["commit", "draw"]
    with pytest.raises(Refused) as exc:
        services.draw_sample(sample.pk, witness="again", actor=cw.actor("supervisor"))
    assert codes(exc) == ["WRONG_STATE"]


def test_r31_nobody_evaluates_their_own_bodys_files_or_cases_they_handled(cw, plan, archived):
    drawn_plan(cw, plan)
    for username in ("officer1", "reviewer1"):
        with pytest.raises(Refused) as exc:
            services.assign_evaluation(inputs.EvaluationIn(case_id=archived.pk, plan_id=plan.pk, evaluator_id=cw.world.users[username].pk),
                                       actor=cw.actor("supervisor"))
        assert set(codes(exc)) == {"EVALUATOR_CONFLICT"}
    with pytest.raises(PermissionDenied):
        services.assign_evaluation(inputs.EvaluationIn(case_id=archived.pk, evaluator_id=cw.world.users["officer_other"].pk),
                                   actor=cw.actor("head1"))


def test_r31_an_evaluation_scores_grades_and_needs_a_reason_to_override_a_precheck(cw, plan, archived):
    drawn_plan(cw, plan)
    ev = services.assign_evaluation(inputs.EvaluationIn(case_id=archived.pk, plan_id=plan.pk,
                                                        evaluator_id=cw.world.users["officer_other"].pk), actor=cw.actor("supervisor"))
    assert ev.prechecks["V2"] == {"suggested": False, "why": ""} and ev.prechecks["B2"]["suggested"] == "0"
    evaluator = cw.actor("officer_other")
    with pytest.raises(Refused) as exc:
        services.submit_evaluation(ev.pk, inputs.MarksIn(vetoes={"V2": {"failed": True}}), actor=evaluator)
    assert codes(exc) == ["REASON_REQUIRED"]
    with pytest.raises(Refused) as exc:
        services.submit_evaluation(ev.pk, inputs.MarksIn(items={"C1": {"deduction": 5}, "ZZ": {"deduction": 1}}), actor=evaluator)
    assert codes(exc) == ["INVALID_INPUT", "INVALID_INPUT"]
    done = services.submit_evaluation(ev.pk, inputs.MarksIn(items={"C1": {"deduction": 1, "comment": "未佩戴执法标志"},
                                                                   "R1": {"deduction": 8, "comment": "说理不充分"}},
                                                            comments="基本规范"), actor=evaluator)
    assert done.score == 91 and done.grade == "excellent" and done.items["C1"]["score"] == "2"
    with pytest.raises(Refused):
        services.submit_evaluation(ev.pk, inputs.MarksIn(), actor=evaluator)


def test_r31_a_veto_gives_zero_and_the_self_evaluation_is_the_heads(cw, archived):
    ev = services.assign_evaluation(inputs.EvaluationIn(case_id=archived.pk, kind="self"), actor=cw.actor("head1"))
    assert ev.kind == Evaluation.Kind.SELF and ev.evaluator == cw.world.users["head1"]
    done = services.submit_evaluation(ev.pk, inputs.MarksIn(vetoes={"V4": {"failed": True, "comment": "违法所得数额未查清"}}),
                                      actor=cw.actor("head1"))
    assert done.score == 0 and done.grade == "fail"


def test_r31_published_sheets_are_immutable_drafts_are_validated(cw):
    sheet = services.load_default_sheet()
    with pytest.raises(Refused) as exc:
        services.publish_sheet(sheet.pk, actor=cw.actor("supervisor"))
    assert codes(exc) == ["WRONG_STATE"]
    with pytest.raises(Refused) as exc:
        services.save_sheet_draft(code="default", content={**sheet.content, "total": 90}, actor=cw.actor("supervisor"))
    assert codes(exc) == ["SHEET_INVALID"]
    draft = services.save_sheet_draft(code="default", content={**sheet.content, "name": "评查表（修订）"}, actor=cw.actor("supervisor"))
    assert draft.version == 2 and draft.status == "draft"
    assert services.publish_sheet(draft.pk, actor=cw.actor("supervisor")).status == "published"
    with pytest.raises(PermissionDenied):
        services.save_sheet_draft(code="x", content=sheet.content, actor=cw.actor("head1"))
