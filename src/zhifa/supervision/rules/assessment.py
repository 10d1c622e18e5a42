"""The annual assessment (年度执法考核, R36; APL art.75: county governments and above organise the
evaluation and assessment of enforcement every year) and the officer workload flags (执法人员工作量
与风险, R38): pure. No Django, no database, no clock.

The weights, directions and end points of the components are data (``assessment.toml``, versioned);
this module only knows their *shape*:

- a component's value is turned into points by a straight line between ``worst`` (0 points) and
  ``best`` (full weight), clamped — so a value beyond ``best`` earns no more than the weight and a
  value beyond ``worst`` never goes below 0 (no component can sink a body on its own);
- a body with no data for a component (no evaluated file, no remedy concluded) gets what the
  component's ``when_missing`` says: ``full`` (nothing went wrong) or ``zero``;
- manual items (人工加减分) are added with their sign, their sum clamped to ``manual_cap``;
- the ranking is by total, descending; equal totals share a rank (1, 2, 2, 4), ties shown in body
  code order so the table is stable;
- the inputs' hash covers the configuration, every component value and every manual item, so a
  recomputation over the same data gives the same hash and the same figures (reproducible).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = {HIGHER: "越高越好", LOWER: "越低越好"}
MISSING = ("full", "zero")
TWO = Decimal("0.01")


@dataclass(frozen=True)
class Component:
    """One weighted component (考核指标) as the TOML describes it."""

    code: str
    name: str
    weight: Decimal
    direction: str
    best: Decimal
    worst: Decimal
    unit: str
    formula: str
    basis: str
    function: str
    rows: str = ""
    when_missing: str = "full"
    params: tuple = ()  # (name, value) pairs passed to the function as keyword arguments

    @property
    def kwargs(self) -> dict:
        return dict(self.params)


@dataclass(frozen=True)
class Config:
    version: str
    name: str
    basis: str
    manual_cap: Decimal
    components: tuple[Component, ...]

    def as_dict(self) -> dict:
        """Canonical plain form (for the hash and the snapshot)."""
        return {"version": self.version, "name": self.name, "basis": self.basis, "manual_cap": str(self.manual_cap),
                "components": [{k: (str(v) if isinstance(v, Decimal) else dict(v) if k == "params" else v)
                                for k, v in c.__dict__.items()} for c in self.components]}


class ConfigError(ValueError):
    """The assessment configuration is malformed (the message lists every problem, in Chinese)."""


def _dec(value, where: str, problems: list[str]) -> Decimal:
    try:
        return Decimal(str(value))
    except Exception:  # noqa: BLE001 - any malformed number is one problem in the list
        problems.append(f"{where}应为数字。")
        return Decimal(0)


def parse_config(data: Mapping) -> Config:
    """Validate the TOML's content; every problem at once. Weights must add up to 100."""
    problems: list[str] = []
    comps = []
    seen = set()
    for i, raw in enumerate(data.get("components") or []):
        where = f"第{i + 1}项指标"
        code = str(raw.get("code", "")).strip()
        if not code or code in seen:
            problems.append(f"{where}的编码为空或者重复。")
        seen.add(code)
        for key in ("name", "formula", "basis", "function"):
            if not str(raw.get(key, "")).strip():
                problems.append(f"{where}（{code}）缺少 {key}。")
        direction = raw.get("direction")
        if direction not in DIRECTIONS:
            problems.append(f"{where}（{code}）的 direction 应为 higher 或 lower。")
        when_missing = raw.get("when_missing", "full")
        if when_missing not in MISSING:
            problems.append(f"{where}（{code}）的 when_missing 应为 full 或 zero。")
        weight = _dec(raw.get("weight"), f"{where}（{code}）的权重", problems)
        best = _dec(raw.get("best"), f"{where}（{code}）的 best", problems)
        worst = _dec(raw.get("worst"), f"{where}（{code}）的 worst", problems)
        if weight <= 0:
            problems.append(f"{where}（{code}）的权重应大于 0。")
        if best == worst:
            problems.append(f"{where}（{code}）的 best 与 worst 不能相同。")
        elif direction == HIGHER and best < worst or direction == LOWER and best > worst:
            problems.append(f"{where}（{code}）的 best、worst 与 direction 不一致。")
        comps.append(Component(code=code, name=str(raw.get("name", "")), weight=weight, direction=str(direction),
                               best=best, worst=worst, unit=str(raw.get("unit", "")), formula=str(raw.get("formula", "")),
                               basis=str(raw.get("basis", "")), function=str(raw.get("function", "")),
                               rows=str(raw.get("rows", "")), when_missing=str(when_missing),
                               params=tuple(sorted((str(k), v) for k, v in (raw.get("params") or {}).items()))))
    if not comps:
        problems.append("至少需要一项考核指标。")
    elif sum((c.weight for c in comps), Decimal(0)) != 100:
        problems.append(f"各项指标权重之和应为 100，现为 {sum((c.weight for c in comps), Decimal(0))}。")
    version = str(data.get("version", "")).strip()
    if not version:
        problems.append("缺少版本号 version。")
    cap = _dec(data.get("manual_cap", 10), "manual_cap", problems)
    if problems:
        raise ConfigError("；".join(problems))
    return Config(version=version, name=str(data.get("name", "")), basis=str(data.get("basis", "")),
                  manual_cap=cap, components=tuple(comps))


def points(component: Component, value: Decimal | None) -> Decimal:
    """The points a value earns: linear from ``worst`` (0) to ``best`` (the weight), clamped."""
    if value is None:
        return component.weight if component.when_missing == "full" else Decimal(0)
    fraction = (Decimal(value) - component.worst) / (component.best - component.worst)
    fraction = min(Decimal(1), max(Decimal(0), fraction))
    return (component.weight * fraction).quantize(TWO, rounding=ROUND_HALF_UP)


def manual_total(entries: Iterable[Decimal], cap: Decimal) -> Decimal:
    """The manual items' sum, clamped to ±``cap`` (人工加减分合计不超过上限)."""
    total = sum((Decimal(e) for e in entries), Decimal(0))
    return max(-cap, min(cap, total)).quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass
class BodyScore:
    body_id: int
    code: str
    components: dict = field(default_factory=dict)  # code -> {"value", "points", "detail_url"}
    manual: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    rank: int = 0


def score_body(config: Config, body_id: int, code: str, values: Mapping[str, tuple[Decimal | None, str]],
               manual_points: Iterable[Decimal]) -> BodyScore:
    """One body's components, manual total and total (``values``: code → (value, detail url))."""
    score = BodyScore(body_id=body_id, code=code)
    for c in config.components:
        value, url = values.get(c.code, (None, ""))
        p = points(c, value)
        score.components[c.code] = {"value": None if value is None else str(Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)),
                                    "points": str(p), "detail_url": url}
    score.manual = manual_total(manual_points, config.manual_cap)
    score.total = (sum((Decimal(v["points"]) for v in score.components.values()), Decimal(0)) + score.manual).quantize(TWO)
    return score


def rank(scores: list[BodyScore]) -> list[BodyScore]:
    """Order by total (descending), then body code; equal totals share a rank (competition ranking)."""
    ordered = sorted(scores, key=lambda s: (-s.total, s.code))
    previous, current = None, 0
    for position, s in enumerate(ordered, start=1):
        if s.total != previous:
            current, previous = position, s.total
        s.rank = current
    return ordered


def change(current: Decimal, previous: Decimal | None) -> Decimal | None:
    """Year-on-year change of a total (同比变化), ``None`` without last year's figure."""
    return None if previous is None else (Decimal(current) - Decimal(previous)).quantize(TWO)


def digest(data) -> str:
    """SHA-256 of the canonical JSON of ``data`` (sorted keys, no spaces, decimals as strings)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Reversals (复议、诉讼中被纠错) ---------------------------------------------------------------
# The outcomes of a reconsideration (行政复议法 2023 arts.63–68) and of a judgment (行政诉讼法
# arts.69–78) that correct the decision: changed, revoked, confirmed unlawful or void, ordered to
# decide again. ``维持`` and ``驳回`` leave it standing. The case records the outcome as text
# (``RemedyPeriod.result``); these words classify it.
REVERSAL_WORDS = ("撤销", "变更", "确认违法", "确认无效", "责令重新", "重新作出")


def is_reversal(result: str) -> bool:
    text = (result or "").strip()
    return any(word in text for word in REVERSAL_WORDS)


# --- Officer workload flags (R38) -----------------------------------------------------------------

@dataclass(frozen=True)
class WorkloadThresholds:
    """Thresholds of ``workload.toml``: no national figure exists; they are practice, configurable."""

    version: str
    due_window_days: int
    overload_open_cases: int
    overload_overdue: int
    overload_actions_per_month: Decimal
    risk_evaluation_failures: int
    risk_reversals: int
    risk_overdue_share: Decimal  # overdue / open, percent
    risk_complaints: int = 2


def workload_flags(t: WorkloadThresholds, *, open_cases: int, overdue: int, actions_per_month: Decimal,
                   evaluation_failures: int, reversals: int, complaints: int = 0) -> list[tuple[str, str]]:
    """The flags (code, Chinese reason) of one officer or of a body's per-officer averages."""
    flags = []
    if open_cases >= t.overload_open_cases:
        flags.append(("overload", f"在办案件 {open_cases} 件，达到负荷上限 {t.overload_open_cases} 件"))
    if actions_per_month >= t.overload_actions_per_month:
        flags.append(("overload", f"月均办案操作 {actions_per_month} 次，达到 {t.overload_actions_per_month} 次"))
    if overdue >= t.overload_overdue:
        flags.append(("overload", f"超期未办环节 {overdue} 个，达到 {t.overload_overdue} 个"))
    if evaluation_failures >= t.risk_evaluation_failures:
        flags.append(("risk", f"案卷评查不合格 {evaluation_failures} 件"))
    if reversals >= t.risk_reversals:
        flags.append(("risk", f"复议、诉讼中被纠错 {reversals} 件"))
    if complaints >= t.risk_complaints:
        flags.append(("risk", f"受理的投诉举报 {complaints} 件"))
    if open_cases and Decimal(overdue * 100) / open_cases >= t.risk_overdue_share:
        flags.append(("risk", f"超期案件占在办案件的比例达到 {t.risk_overdue_share}%"))
    return flags
