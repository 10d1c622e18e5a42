"""同案不同罚 (unequal penalties for like cases, R33; APL arts.5, 34; legal-rules.md §A benchmarks).

Like cases are the fines decided under the same item and the same benchmark grade (the grade's
range ``low``–``high`` stored on the decision). A fine is flagged when

- it lies outside the grade's range and the decision states no reason for leaving it
  (``outside_benchmark_reason``, 超出裁量基准的理由);
- the decision has no written reasoning (说理) of at least ``min_reason_chars`` characters;
- it lies further than ``k`` × MAD (median absolute deviation, 绝对中位差 — robust to the odd
  large fine) from the group's median (groups of at least ``min_group``), and the decision's
  reasoning is not written out.

So an amount inside the grade's range with a written reason never flags (property-tested).
Pure: no Django, no clock.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from .alerts import Candidate, RuleSpec, case_alert, case_name


@dataclass(frozen=True)
class FineRow:
    case_id: int
    number: str
    body_id: int
    item_id: int
    low: Decimal | None
    high: Decimal | None
    amount: Decimal
    reasoning_chars: int      # length of the decision's written reasoning (说理)
    outside_reason: bool      # a reason for leaving the benchmark range is stated


def mad(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    """(median, median absolute deviation) of ``values`` (not empty)."""
    m = median(values)
    return Decimal(m), Decimal(median([abs(v - m) for v in values]))


def judge(row: FineRow, group_median: Decimal | None, group_mad: Decimal | None, spec: RuleSpec) -> list[str]:
    """The reasons (Chinese) why ``row`` is flagged; empty when it is not."""
    k = Decimal(str(spec.params.get("k", 3)))
    min_chars = int(spec.params.get("min_reason_chars", 15))
    reasoned = row.reasoning_chars >= min_chars
    reasons = []
    outside = (row.low is not None and row.amount < row.low) or (row.high is not None and row.amount > row.high)
    if outside and not row.outside_reason:
        reasons.append(f"罚款{row.amount}元超出裁量档次幅度（{row.low}–{row.high}元），未说明理由")
    if not reasoned:
        reasons.append("处罚决定没有书面说理")
    if (group_median is not None and group_mad is not None and group_mad > 0 and not reasoned
            and abs(row.amount - group_median) > k * group_mad):
        reasons.append(f"罚款{row.amount}元偏离同类案件中位数{group_median}元超过{k}倍绝对中位差（{group_mad}元）")
    return reasons


class Nearest:
    """The members of a group nearest in amount to one of them, nearest first (ties: the smaller
    case id first) — the same order as sorting the whole group by (|difference|, case id), found
    by bisection on the distinct amounts, so a group of 50,000 fines with thousands flagged costs
    thousands of short walks, not thousands of sorts."""

    def __init__(self, members: list[FineRow]):
        classes: dict[Decimal, list[FineRow]] = defaultdict(list)
        for m in members:
            classes[m.amount].append(m)
        self.amounts = sorted(classes)
        self.classes = {a: sorted(ms, key=lambda m: m.case_id) for a, ms in classes.items()}

    def around(self, row: FineRow, limit: int) -> list[FineRow]:
        at = bisect_left(self.amounts, row.amount)
        out = [m for m in self.classes.get(row.amount, []) if m.case_id != row.case_id][:limit]
        left, right = at - 1, at + (1 if at < len(self.amounts) and self.amounts[at] == row.amount else 0)
        while len(out) < limit and (left >= 0 or right < len(self.amounts)):
            below = row.amount - self.amounts[left] if left >= 0 else None
            above = self.amounts[right] - row.amount if right < len(self.amounts) else None
            if above is None or (below is not None and below < above):
                tier, left = self.classes[self.amounts[left]], left - 1
            elif below is None or above < below:
                tier, right = self.classes[self.amounts[right]], right + 1
            else:  # as far below as above: one tier, by case id
                tier = sorted(self.classes[self.amounts[left]] + self.classes[self.amounts[right]], key=lambda m: m.case_id)
                left, right = left - 1, right + 1
            out += tier[:limit - len(out)]
        return out


def unequal_penalties(rows: Iterable[FineRow], spec: RuleSpec) -> list[Candidate]:
    """Group the fines by (item, grade range), judge each against its group; evidence lists the
    comparable cases (up to ``max_comparables``, nearest in amount first) and their amounts."""
    groups: dict[tuple, list[FineRow]] = defaultdict(list)
    for r in rows:
        groups[(r.item_id, r.low, r.high)].append(r)
    min_group = int(spec.params.get("min_group", 5))
    max_comparables = int(spec.params.get("max_comparables", 20))
    out = []
    for (item_id, low, high), members in groups.items():
        med = dev = None
        if len(members) >= min_group:
            med, dev = mad([m.amount for m in members])
        nearest = None
        for r in members:
            reasons = judge(r, med, dev, spec)
            if not reasons:
                continue
            nearest = nearest or Nearest(members)
            comparables = [{"case_id": m.case_id, "number": m.number, "amount": str(m.amount)}
                           for m in nearest.around(r, max_comparables)]
            out.append(case_alert(spec, r, f"案件{case_name(r)}：" + "；".join(reasons) + "。",
                                  {"amount": str(r.amount), "grade_low": None if low is None else str(low),
                                   "grade_high": None if high is None else str(high), "group_size": len(members),
                                   "median": None if med is None else str(med), "mad": None if dev is None else str(dev),
                                   "k": spec.params.get("k", 3), "reasons": reasons, "comparables": comparables},
                                  item_id=item_id))
    return out
