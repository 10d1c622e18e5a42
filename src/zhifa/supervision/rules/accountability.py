"""Accountability, exemption from liability and fault tolerance (问责、免责、容错纠错, R39;
市人大常委会决定第七部分).

A record references its source (evaluation, alert, complaint, notice), the persons concerned, the
finding, and ends in one outcome: corrected (已纠正), exempted (免责 / 容错), or held accountable
(已问责). Exemption is an explicit decision with a ground from a configurable list
(``accountability_grounds.toml``), proposed by one person and approved by another.
"""
from __future__ import annotations

from zhifa.core.violations import Violation

from .codes import BASIS_ACCOUNTABILITY, REASON_REQUIRED, WRONG_STATE

OPEN, PROPOSED, CORRECTED, EXEMPTED, ACCOUNTABLE = "open", "exemption_proposed", "corrected", "exempted", "accountable"
STATE_LABELS = {OPEN: "调查处理中", PROPOSED: "免责（容错）待批准", CORRECTED: "已纠正", EXEMPTED: "已免责（容错）",
                ACCOUNTABLE: "已问责"}
OUTCOMES = (CORRECTED, EXEMPTED, ACCOUNTABLE)
SAME_PERSON = "SAME_PERSON"

#: action → (sources, target)
ACTIONS = {
    "propose_exemption": ((OPEN,), PROPOSED),
    "approve_exemption": ((PROPOSED,), EXEMPTED),
    "reject_exemption": ((PROPOSED,), OPEN),
    "record_correction": ((OPEN,), CORRECTED),
    "hold_accountable": ((OPEN,), ACCOUNTABLE),
}
ACTION_LABELS = {"propose_exemption": "提出免责（容错）", "approve_exemption": "批准免责（容错）", "reject_exemption": "不予免责",
                 "record_correction": "记录已纠正", "hold_accountable": "作出问责决定"}


def check(action: str, state: str, *, text: str, ground: str = "", grounds=(), proposer_id=None, actor_id=None) -> list[Violation]:
    sources, _ = ACTIONS[action]
    found = []
    if state not in sources:
        found.append(Violation(WRONG_STATE, f"当前为“{STATE_LABELS.get(state, state)}”，不能{ACTION_LABELS[action]}。", BASIS_ACCOUNTABILITY))
    if not text.strip():
        found.append(Violation(REASON_REQUIRED, f"{ACTION_LABELS[action]}须写明理由或者处理内容。", BASIS_ACCOUNTABILITY))
    if action == "propose_exemption" and ground not in grounds:
        found.append(Violation(REASON_REQUIRED, "免责（容错）须选择规定的情形。", BASIS_ACCOUNTABILITY))
    if action in ("approve_exemption", "reject_exemption") and proposer_id is not None and proposer_id == actor_id:
        found.append(Violation(SAME_PERSON, "免责（容错）的提出人和批准人不得为同一人。", BASIS_ACCOUNTABILITY))
    return found
