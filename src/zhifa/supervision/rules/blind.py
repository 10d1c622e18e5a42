"""Double-blind cross-evaluation (双盲评查, R31; legal-rules §J: cross-evaluation, the evaluator
independent of the evaluated body). In a plan marked double-blind:

- the evaluator does not see whose file it is: the body, the case number, the party, the officers
  and the file's cover, index and notes sheet (which name them) are withheld; the evaluator reads
  the numbered pages (documents and the evidence list) under a file code (``blind_code``);
- the evaluated body does not see who evaluated its file until the office publishes the plan's
  results.

The supervision office and the administrator see everything (they organise the evaluation).
Pure: who sees what, from facts the caller reads.
"""
from __future__ import annotations

HIDDEN_BODY = "（双盲评查，已隐去）"
HIDDEN_EVALUATOR = "（结果公布前不显示评查人）"


def hides_identity(*, double_blind: bool, is_evaluator: bool, is_office: bool) -> bool:
    """Whether the viewer must not see the evaluated body and its officers."""
    return double_blind and is_evaluator and not is_office


def hides_evaluator(*, double_blind: bool, published: bool, in_body: bool, is_office: bool) -> bool:
    """Whether the viewer (of the evaluated body) must not see the evaluator yet."""
    return double_blind and not published and in_body and not is_office


def blind_code(plan_id: int, evaluation_id: int) -> str:
    """The code a blind evaluator knows the file by."""
    return f"盲评-{plan_id}-{evaluation_id:05d}"


def mask_names(text: str, names) -> str:
    """``text`` with each of ``names`` (the case's officers, the party) replaced by a mask."""
    for name in sorted(set(names), key=len, reverse=True):
        text = text.replace(name, "（已隐去）")
    return text
