"""Evaluation sheets (案卷评查表) and scoring (R31, R43; legal-rules §E, §J).

A sheet is data (``sheets/*.toml``, versioned, immutable once published): veto items (否决项) —
any one failed gives the file 0 points and 不合格 — and scored items in groups (binding and
materials, documents, procedure, facts, evidence, law applied, discretion, effect, civilized
conduct: dress, conduct, language), each with its points and the deduction per fault; the points
sum to the sheet's total (100: about 20 for form, 80 for content). An item never goes below 0.
The grade follows the plan's cut-offs (common practice 90 / 60, configurable): 优秀 / 合格 / 不合格.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Mapping

EXCELLENT, PASS, FAIL = "excellent", "pass", "fail"
GRADE_LABELS = {EXCELLENT: "优秀", PASS: "合格", FAIL: "不合格"}
DEFAULT_EXCELLENT = Decimal(90)
DEFAULT_PASS = Decimal(60)

#: The automatic pre-checks (自动预检) a sheet item or veto may name in ``check``: what the data
#: of the case already knows.
CHECKS = {
    "two_officers": "承办的持证执法人员少于两人",
    "missing_documents": "缺少应有的执法文书",
    "late_steps": "办案环节超过法定期限",
    "uncertified": "承办人员办案时未持有有效执法证件",
}


class SheetError(ValueError):
    """The sheet's data is not a valid sheet; ``problems`` lists every reason in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class Veto:
    code: str
    text: str
    basis: str = ""
    check: str = ""


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    points: Decimal
    deduction: Decimal  # deducted per fault found
    group: str
    basis: str = ""
    check: str = ""


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    items: tuple[Item, ...]

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))


@dataclass(frozen=True)
class Sheet:
    code: str
    name: str
    total: Decimal
    vetoes: tuple[Veto, ...]
    groups: tuple[Group, ...]
    excellent: Decimal = DEFAULT_EXCELLENT
    passing: Decimal = DEFAULT_PASS

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.groups for i in g.items)

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)

    def veto(self, code: str) -> Veto | None:
        return next((v for v in self.vetoes if v.code == code), None)


def _decimal(value, where: str, problems: list[str]) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(f"{where}的分值“{value}”不是数字")
        return Decimal(0)
    if not number.is_finite() or number < 0:
        problems.append(f"{where}的分值不能为负数")
        return Decimal(0)
    return number


def parse_sheet(data: Mapping) -> Sheet:
    """The sheet of ``data`` (the TOML's tables), or ``SheetError`` with every problem: codes
    unique, points and deductions not negative, a deduction not above its item's points, the
    items summing to the total, cut-offs ordered within the total, known pre-checks."""
    problems: list[str] = []
    codes: set[str] = set()

    def code_of(entry: Mapping, where: str) -> str:
        code = str(entry.get("code", "")).strip()
        if not code:
            problems.append(f"{where}缺少编号")
        elif code in codes:
            problems.append(f"编号 {code} 重复")
        codes.add(code)
        return code

    def check_of(entry: Mapping, code: str) -> str:
        check = str(entry.get("check", "") or "")
        if check and check not in CHECKS:
            problems.append(f"{code} 的自动预检“{check}”不存在")
        return check

    vetoes = []
    for entry in data.get("vetoes", []):
        code = code_of(entry, "否决项")
        vetoes.append(Veto(code, str(entry.get("text", "")), str(entry.get("basis", "")), check_of(entry, code)))
    groups = []
    for g in data.get("groups", []):
        gcode = code_of(g, "评分组")
        items = []
        for entry in g.get("items", []):
            code = code_of(entry, f"评分组 {gcode} 的评查项")
            points = _decimal(entry.get("points", 0), f"评查项 {code}", problems)
            deduction = _decimal(entry.get("deduction", points), f"评查项 {code} 的扣分", problems)
            if deduction > points:
                problems.append(f"评查项 {code} 每处扣分（{deduction}）超过该项分值（{points}）")
            items.append(Item(code, str(entry.get("text", "")), points, deduction, gcode, str(entry.get("basis", "")),
                              check_of(entry, code)))
        if not items:
            problems.append(f"评分组 {gcode} 没有评查项")
        groups.append(Group(gcode, str(g.get("name", "")), tuple(items)))
    total = _decimal(data.get("total", 100), "评查表总分", problems)
    summed = sum((i.points for g in groups for i in g.items), Decimal(0))
    if summed != total:
        problems.append(f"各评查项分值之和（{summed}）与总分（{total}）不一致")
    excellent = _decimal(data.get("excellent", DEFAULT_EXCELLENT), "优秀线", problems)
    passing = _decimal(data.get("passing", DEFAULT_PASS), "合格线", problems)
    problems += cutoff_problems(excellent, passing, total)
    if problems:
        raise SheetError(problems)
    return Sheet(str(data.get("code", "")), str(data.get("name", "")), total, tuple(vetoes), tuple(groups), excellent, passing)


def cutoff_problems(excellent: Decimal, passing: Decimal, total: Decimal) -> list[str]:
    """Cut-offs: 0 < 合格线 < 优秀线 ≤ 总分."""
    if not (Decimal(0) < passing < excellent <= total):
        return [f"等次分数线应满足 0 < 合格线（{passing}） < 优秀线（{excellent}） ≤ 总分（{total}）"]
    return []


def grade_of(score: Decimal, excellent: Decimal, passing: Decimal) -> str:
    if score >= excellent:
        return EXCELLENT
    if score >= passing:
        return PASS
    return FAIL


@dataclass(frozen=True)
class Result:
    score: Decimal
    grade: str
    vetoed: tuple[str, ...]
    item_scores: dict  # item code → points kept
    deducted: dict  # item code → points deducted (never above the item's points)


def score(sheet: Sheet, failed_vetoes, deductions: Mapping[str, Decimal], *, excellent: Decimal | None = None,
          passing: Decimal | None = None) -> Result:
    """The score and grade of one evaluation. A failed veto → 0 and 不合格. Otherwise each item
    keeps its points less what was deducted, never below 0; the score is their sum."""
    excellent = sheet.excellent if excellent is None else excellent
    passing = sheet.passing if passing is None else passing
    vetoed = tuple(sorted(set(failed_vetoes)))
    deducted = {i.code: min(i.points, max(Decimal(0), Decimal(deductions.get(i.code, 0)))) for i in sheet.items}
    kept = {code: i.points - deducted[code] for code, i in ((i.code, i) for i in sheet.items)}
    if vetoed:
        return Result(Decimal(0), FAIL, vetoed, {code: Decimal(0) for code in kept}, deducted)
    total = sum(kept.values(), Decimal(0))
    return Result(total, grade_of(total, excellent, passing), (), kept, deducted)


def override_problems(suggested: Mapping[str, object], given: Mapping[str, object], reasons: Mapping[str, str]) -> list[str]:
    """Codes whose value differs from the automatic pre-check's suggestion without a reason."""
    return sorted(code for code, value in suggested.items()
                  if code in given and given[code] != value and not (reasons.get(code) or "").strip())
