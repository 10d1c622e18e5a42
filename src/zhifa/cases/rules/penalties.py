"""Guards of the penalty itself: APL art.9's kinds, the simple procedure (art.51), who may not be
punished (arts.30–33), one fine for one act (art.29), the statutory maximum and the hearing right (art.63)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Sequence

from zhifa.catalog.rules import PartyKind, PenaltyKind
from zhifa.core import citations
from zhifa.core.violations import Violation

from .codes import (
    ABOVE_STATUTORY_MAXIMUM, APL, ART29, ART30_33, ART51, DUPLICATE_FINE, FINE_INSTEAD_OF_TRANSFER, INVALID_PENALTY,
    NOT_PUNISHABLE, SIMPLE_PROCEDURE_LIMIT, ZERO,
)
from .policy import DEFAULT_POLICY, HEARING_KINDS, SIMPLE_KINDS, CasePolicy, money

# --- Penalties -----------------------------------------------------------------------------------

def check_penalty_kinds(kinds: Sequence[str], amount: Decimal | None) -> list[Violation]:
    """The kinds are APL art.9's closed list; a fine names its amount and only a fine has one."""
    out: list[Violation] = []
    known = {k.value for k in PenaltyKind}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        out.append(Violation(INVALID_PENALTY, f"处罚种类不在行政处罚法第九条所列范围内：{'、'.join(unknown)}。", citations.APL_ART9))
    if not kinds:
        out.append(Violation(INVALID_PENALTY, "请至少选择一种处罚种类。", citations.APL_ART9))
    has_fine = PenaltyKind.FINE.value in kinds
    if has_fine and (amount is None or amount <= ZERO):
        out.append(Violation(INVALID_PENALTY, "罚款应当写明金额（大于零）。", citations.APL_ART9))
    if amount is not None and amount < ZERO:
        out.append(Violation(INVALID_PENALTY, "金额不得为负数。", citations.APL_ART9))
    return out


def check_simple_procedure(party_kind: PartyKind, kinds: Sequence[str], amount: Decimal | None) -> list[Violation]:
    """APL art.51: on the spot only a warning, or a fine ≤ 200 yuan (person) / ≤ 3,000 yuan
    (organisation)."""
    limit = Decimal("200") if party_kind is PartyKind.PERSON else Decimal("3000")  # APL art.51
    out: list[Violation] = []
    other = [k for k in kinds if k not in {k.value for k in SIMPLE_KINDS}]
    if other:
        out.append(Violation(SIMPLE_PROCEDURE_LIMIT, "简易程序只能给予警告或者罚款，其他处罚种类应当适用普通程序。", ART51))
    if PenaltyKind.FINE.value in kinds and amount is not None and amount > limit:
        out.append(Violation(SIMPLE_PROCEDURE_LIMIT,
                             f"简易程序对{party_kind.label}的罚款不得超过{money(limit)}，拟罚{money(amount)}，应当适用普通程序。", ART51))
    return out


def check_punishable(age: int | None, mental_illness: bool, no_fault: bool, kinds: Sequence[str]) -> list[Violation]:
    """APL arts.30, 31, 33: no penalty for a person under 14, for a person who could not
    recognise or control his conduct, or where no fault is proven."""
    if not kinds:
        return []
    reasons = []
    if age is not None and age < 14:  # APL art.30
        reasons.append("当事人不满十四周岁")
    if mental_illness:  # APL art.31
        reasons.append("当事人系在不能辨认或者不能控制自己行为时实施违法行为的精神病人、智力残疾人")
    if no_fault:  # APL art.33 ¶2
        reasons.append("当事人有证据足以证明没有主观过错")
    if reasons:
        return [Violation(NOT_PUNISHABLE, "；".join(reasons) + "，依法不予行政处罚，应当作出不予行政处罚决定。", ART30_33)]
    return []


def acts_overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Whether two acts' periods (a day, or a continuing act's first to last day) share a day."""
    return a_start <= (b_end or b_start) and b_start <= (a_end or a_start)


def same_act(party_code: str, start: dt.date, end: dt.date | None, other_code: str, other_start: dt.date,
             other_end: dt.date | None) -> bool:
    """APL art.29 (一事不再罚): the same act of the same party — the same party id code and act
    periods that overlap, *whatever* body and item fined it. The reading that protects the party:
    the item (each body has its own) does not tell two acts apart; the dates of the conduct do.
    Without a party id code nothing can be matched."""
    return bool(party_code) and party_code == other_code and acts_overlap(start, end, other_start, other_end)


def check_one_fine(kinds: Sequence[str], other_fines: int) -> list[Violation]:
    """APL art.29: one act of one party is fined at most once (``other_fines``: the fines already
    decided for the same act, ``same_act``, by any body)."""
    if PenaltyKind.FINE.value in kinds and other_fines:
        return [Violation(DUPLICATE_FINE, "同一违法行为已被给予罚款处罚（含其他执法主体依据其他事项作出的罚款），不得给予两次以上罚款。", ART29)]
    return []


def check_no_fine_during_transfer(kinds: Sequence[str], transfer_pending: bool) -> list[Violation]:
    """O310 art.11 ¶1: an agency must not fine in place of a transfer. While the case's transfer of a
    suspected crime is pending (``Case.transfer_pending``, set by the transfers app), no fine;
    other kinds (warning, licence measures) stay possible (art.11 ¶2)."""
    if PenaltyKind.FINE.value in kinds and transfer_pending:
        return [Violation(FINE_INSTEAD_OF_TRANSFER, "本案涉嫌犯罪已报告或者移送公安机关，移送办理期间不得以罚款代替移送。",
                          "行政执法机关移送涉嫌犯罪案件的规定第十一条")]
    return []


def statutory_maximum(legal_max: Decimal | None, fixed: bool, base: Decimal | None) -> Decimal | None:
    """The violated provision's maximum fine in yuan: the benchmark's statutory maximum (法定最高
    罚款), in yuan for a fixed range, else a multiple of its base (illegal gains, goods value);
    ``None`` when unknown (no benchmark, or the base not established yet)."""
    if legal_max is None:
        return None
    if fixed:
        return legal_max
    return None if base is None else (base * legal_max).quantize(Decimal("0.01"))


def check_statutory_maximum(amount: Decimal | None, maximum: Decimal | None, basis: str) -> list[Violation]:
    """APL arts.4, 38: a fine above the maximum the violated provision allows has no legal basis —
    refused whatever reason is written (unlike leaving the benchmark range, R19)."""
    if amount is None or maximum is None or amount <= maximum:
        return []
    return [Violation(ABOVE_STATUTORY_MAXIMUM, f"罚款{money(amount)}超过违法行为所违反规定的法定最高罚款{money(maximum)}，无论是否说明理由均不得作出。",
                      f"{APL}第四条、第三十八条" + (f"；{basis}" if basis else ""))]


def hearing_applies(party_kind: PartyKind, kinds: Sequence[str], amount: Decimal | None, confiscation: Decimal | None,
                    policy: CasePolicy = DEFAULT_POLICY) -> bool:
    """APL art.63: the party may ask for a hearing on larger fines or confiscations (thresholds
    *configurable*), downgrade, revocation, suspension, closure, restricted operation, occupational bar."""
    if any(PenaltyKind(k) in HEARING_KINDS for k in kinds if k in {x.value for x in PenaltyKind}):
        return True
    threshold = policy.hearing_threshold_person if party_kind is PartyKind.PERSON else policy.hearing_threshold_organisation
    total = (amount or ZERO) + (confiscation or ZERO)
    return total >= threshold
