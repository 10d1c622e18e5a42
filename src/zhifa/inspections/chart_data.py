"""What the inspections pages draw (ECharts through ``core.charts``): each body's joint-task share
(联合抽查占比, R29) on the overview, and on the plan page each task's progress (drawn, recorded,
published), its problem rate (问题发现率) and the plan's outcome distribution."""
from __future__ import annotations

from zhifa.core import charts

from . import rules
from .models import Inspection
from .selectors import PENDING, TaskProgress


def percent(share) -> str:
    return charts.fmt(share, percent=True)


def share_bars(shares: list) -> list[charts.Bar]:
    """Each body's joint-task share (R29) as a bar; below the 10% floor in red."""
    return [
        charts.Bar(name, s.share, "ok" if s.meets_floor else "danger",
                   f"{s.joint}/{s.total} · {percent(s.share)}{'' if s.meets_floor else ' 未达标'}")
        for name, s in shares
    ]


# 检查结果 in the order of the outcome chart, with the short labels and the colour of their meaning
OUTCOME_PARTS = (
    (Inspection.Outcome.NO_PROBLEM, "未发现问题", "ok"),
    (Inspection.Outcome.CORRECTED, "当场整改", "primary"),
    (Inspection.Outcome.RECTIFY, "责令整改", "warn"),
    (Inspection.Outcome.CASE, "立案查处", "danger"),
    (Inspection.Outcome.NOT_FOUND, "无法联系", "muted"),
    (PENDING, "待检查", "pending"),
)
PROGRESS_SERIES = (charts.Series("已公示", "ok"), charts.Series("已录入待公示", "primary"), charts.Series("待检查", "pending"))


def plan_charts(tasks: list, total: TaskProgress, stats: dict) -> dict:
    """What the plan page draws: per task drawn / recorded / published (stacked) and the problem
    rate, and the plan's outcome distribution."""
    progress_rows = [
        charts.StackRow(t.title, (p.published, max(p.recorded - p.published, 0), max(p.drawn - p.recorded, 0)),
                        f"录入 {p.recorded}/{p.drawn} 户" if p.drawn else "未抽取")
        for t in tasks for p in [t.progress]
    ]
    rate_bars = [
        charts.Bar(t.title, t.progress.problem_rate, "warn",
                   f"{percent(t.progress.problem_rate)}（{t.progress.problems}/{t.progress.recorded}）")
        for t in tasks if t.progress.recorded
    ]
    rate_reference = charts.Reference(stats["problem_rate"], f"全计划 {percent(stats['problem_rate'])}") if len(rate_bars) > 1 else None
    outcome_parts = [(label, total.outcomes.get(value, 0), tone) for value, label, tone in OUTCOME_PARTS]
    return {"progress_rows": progress_rows, "progress_series": PROGRESS_SERIES, "rate_bars": rate_bars,
            "rate_reference": rate_reference, "outcome_parts": outcome_parts, "joint_floor": rules.JOINT_FLOOR}
