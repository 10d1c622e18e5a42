"""Finding 5 of issue 14 (R28): a result answers every check point — nothing is pre-selected — and
describes what it found (pure rule, ``inspections.rules.results``)."""
from __future__ import annotations

from zhifa.inspections import rules

CHECKLIST = ["持证经营", "从业人员健康证明", "进货查验记录"]


def _all(ok=True, note=""):
    return [{"point": p, "ok": ok, "note": note} for p in CHECKLIST]


def test_r28_a_complete_clean_result_has_no_problem():
    assert rules.result_problems(CHECKLIST, _all(), "no_problem") == []
    assert rules.result_problems([], [], "no_problem") == []


def test_r28_every_unanswered_point_is_named_next_to_it():
    problems = rules.result_problems(CHECKLIST, [{"point": "持证经营", "ok": True}, {"point": "进货查验记录", "ok": None}], "no_problem")
    assert [(p.field, p.point) for p in problems] == [("answers", 1), ("answers.1.ok", 2)]
    assert problems[0].message == "请选择检查要点「从业人员健康证明」是否符合"
    assert [p.point for p in rules.result_problems(CHECKLIST, [], "no_problem")] == [0, 1, 2]


def test_r28_an_outcome_must_be_chosen():
    assert [(p.field, p.message) for p in rules.result_problems(CHECKLIST, _all(), "")] == [("outcome", "请选择检查结果")]


def test_r28_a_point_found_not_compliant_needs_its_description():
    answers = _all()
    answers[2] = {"point": "进货查验记录", "ok": False, "note": "  "}
    problems = rules.result_problems(CHECKLIST, answers, "rectify")
    assert [(p.field, p.point) for p in problems] == [("answers.2.note", 2)] and "请说明发现的问题" in problems[0].message
    answers[2]["note"] = "缺少三月台账"
    assert rules.result_problems(CHECKLIST, answers, "rectify") == []


def test_r28_a_point_not_compliant_contradicts_no_problem_found():
    answers = _all()
    answers[0] = {"point": "持证经营", "ok": False, "note": "超范围经营"}
    assert [p.field for p in rules.result_problems(CHECKLIST, answers, "no_problem")] == ["outcome"]


def test_r28_an_entity_not_found_answers_no_point():
    assert rules.result_problems(CHECKLIST, [], "not_found") == []
