"""What a recorded inspection result (检查结果) must say (finding 5 of issue 14: no result that
nobody made). Nothing is pre-selected on the form, so the rule asks for what a real inspection
yields: an answer — 符合 or 不符合 — to every check point (检查要点) of the task's items, a
description of every point found 不符合, and an outcome that agrees with the answers. A
result of 无法联系 (the entity not found at its registered address) answers no point."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# outcome values (``Inspection.Outcome``): the ones that report a problem, and the one with no visit
NO_PROBLEM_OUTCOME = "no_problem"
NOT_FOUND_OUTCOME = "not_found"


@dataclass(frozen=True)
class ResultProblem:
    """One thing missing from a result: the input ``field`` it is about (the API's name:
    ``answers``, ``answers.2.note``, ``outcome``), the check ``point`` it belongs to (its position
    in the checklist, for the page to put the message next to it; ``None`` for the others) and the
    Chinese ``message``."""

    field: str
    message: str
    point: int | None = None


def result_problems(checklist: Sequence[str], answers: Sequence[dict], outcome: str) -> list[ResultProblem]:
    """Every problem of a result as submitted (all at once; empty = complete). ``answers`` are
    ``{"point", "ok", "note"}`` dicts, ``ok`` ``True`` / ``False`` or ``None`` (not answered); an
    answer belongs to the checklist point of the same text (each answer to one point)."""
    found: list[ResultProblem] = []
    if not outcome:
        found.append(ResultProblem("outcome", "请选择检查结果"))
    if outcome == NOT_FOUND_OUTCOME:  # nobody was found to inspect: no point can be answered
        return found
    unused = list(range(len(answers)))
    any_bad = False
    for n, point in enumerate(checklist):
        i = next((i for i in unused if str(answers[i].get("point", "")) == point), None)
        ok = None if i is None else answers[i].get("ok")
        if i is not None:
            unused.remove(i)
        if ok is None:
            field = "answers" if i is None else f"answers.{i}.ok"
            found.append(ResultProblem(field, f"请选择检查要点「{point}」是否符合", n))
        elif not ok:
            any_bad = True
            if not str(answers[i].get("note", "") or "").strip():
                found.append(ResultProblem(f"answers.{i}.note", f"检查要点「{point}」不符合的，请说明发现的问题", n))
    if any_bad and outcome == NO_PROBLEM_OUTCOME:
        found.append(ResultProblem("outcome", "有检查要点不符合的，检查结果不能为“未发现问题”"))
    return found
