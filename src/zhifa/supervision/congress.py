"""The report to the people's congress standing committee (向人大常委会报告行政执法工作, R37;
O825 art.6, seed D §八): generated from the statistics for one year.

The report is a list of sections (``SECTIONS``), each a function of the ``ReportContext`` that
returns a ``Section`` of plain values (paragraphs, tables, charts as series): the renderers
(``congress_render``: PDF by WeasyPrint, Word by python-docx, charts by matplotlib) know nothing
of the data; a section is one function.

Deterministic: every figure comes from the daily sums of the statistics as of the cut-off time
(数据截止时间) printed on the cover, rows are sorted by value then name, and nothing reads the
clock but the cut-off — two generations for the same year give the same figures.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from zhifa.registry import access
from zhifa.registry.models import Body, Officer, TrainingRecord

from . import statistics
from .models import SupervisionNotice
from .selectors_alerts import alert_figures
from .statistics_sources import MEASURES


@dataclass
class Chart:
    title: str
    kind: str                   # "bar" (horizontal bars) or "line"
    labels: list[str]
    series: list[tuple[str, list[float]]]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)  # the numbers the text states, for checks


@dataclass
class ReportContext:
    year: int
    actor: access.Actor
    period: statistics.Period
    by_body: statistics.Figures
    by_level: statistics.Figures
    by_month: statistics.Figures

    def total(self, code: str) -> int:
        return self.by_body.total.figures[code]["count"]

    def amount(self, code: str) -> Decimal:
        return self.by_body.total.figures[code]["amount"]


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _pct(part: int, whole: int) -> str:
    return f"{(Decimal(part) * 100 / whole).quantize(Decimal('0.1'))}%" if whole else "—"


def _top(rows, code: str, n: int = 10):
    return sorted((r for r in rows if r.figures[code]["count"]), key=lambda r: (-r.figures[code]["count"], r.label))[:n]


def volume(ctx: ReportContext) -> Section:
    filed, penalties, amount = ctx.total("cases_filed"), ctx.total("penalties"), ctx.amount("penalties")
    s = Section("一、行政执法总体情况")
    s.paragraphs.append(
        f"{ctx.year}年，{ctx.by_body.scope_label}共立案 {filed} 件（按立案日期），作出行政处罚决定 {penalties} 件、"
        f"罚没金额 {_yuan(amount)} 元（按决定日期），作出不予行政处罚决定 {ctx.total('no_penalty')} 件，"
        f"结案 {ctx.total('cases_closed')} 件（按结案日期），实施柔性执法 {ctx.total('flexible_acts')} 次（按实施日期）。")
    s.tables.append(Table(["层级", "立案数", "处罚决定数", "罚没金额（元）", "不予处罚数", "结案数"], [
        [r.label, str(r.figures["cases_filed"]["count"]), str(r.figures["penalties"]["count"]),
         _yuan(r.figures["penalties"]["amount"]), str(r.figures["no_penalty"]["count"]), str(r.figures["cases_closed"]["count"])]
        for r in sorted(ctx.by_level.rows, key=lambda r: r.label)]))
    s.charts.append(Chart("按月立案数与处罚决定数", "line", [r.label for r in ctx.by_month.rows], [
        ("立案数（按立案日期）", [r.figures["cases_filed"]["count"] for r in ctx.by_month.rows]),
        ("处罚决定数（按决定日期）", [r.figures["penalties"]["count"] for r in ctx.by_month.rows])]))
    top = _top(ctx.by_body.rows, "cases_filed")
    s.charts.append(Chart("立案数最多的执法主体", "bar", [r.label for r in top],
                          [("立案数", [r.figures["cases_filed"]["count"] for r in top])]))
    s.figures = {"cases_filed": filed, "penalties": penalties, "penalty_amount": amount}
    return s


def inspections(ctx: ReportContext) -> Section:
    drawn, done, problem = ctx.total("inspections"), ctx.total("inspections_done"), ctx.total("inspections_problem")
    s = Section("二、“双随机、一公开”监管情况")
    s.paragraphs.append(f"全年抽取检查对象 {drawn} 户次，已检查 {done} 户次（完成率 {_pct(done, drawn)}），"
                        f"发现问题 {problem} 户次（按抽取日期计）。")
    top = _top(ctx.by_body.rows, "inspections")
    if top:
        s.tables.append(Table(["执法主体", "抽取户次", "已检查", "完成率", "发现问题"], [
            [r.label, str(r.figures["inspections"]["count"]), str(r.figures["inspections_done"]["count"]),
             _pct(r.figures["inspections_done"]["count"], r.figures["inspections"]["count"]),
             str(r.figures["inspections_problem"]["count"])] for r in top]))
    s.figures = {"inspections": drawn, "inspections_done": done}
    return s


def transfers(ctx: ReportContext) -> Section:
    out, inward = ctx.total("transfers_out"), ctx.total("transfers_in")
    s = Section("三、行政执法与刑事司法衔接情况")
    s.paragraphs.append(f"向公安机关移送涉嫌犯罪案件 {out} 件（按报告日期），收到公安机关反向移送和人民检察院检察意见 "
                        f"{inward} 件（按收文日期）。")
    top = _top(ctx.by_body.rows, "transfers_out")
    if top:
        s.tables.append(Table(["执法主体", "移送案件数"], [[r.label, str(r.figures["transfers_out"]["count"])] for r in top]))
    s.figures = {"transfers_out": out, "transfers_in": inward}
    return s


def evaluations(ctx: ReportContext) -> Section:
    evaluated, failed, notices = ctx.total("evaluations"), ctx.total("evaluations_failed"), ctx.total("notices")
    closed = SupervisionNotice.objects.filter(statistics.scope_q(ctx.actor), issued_on__gte=ctx.period.start,
                                              issued_on__lte=ctx.period.end, state="closed").count()
    s = Section("四、案卷评查和执法监督情况")
    s.paragraphs.append(f"评查行政执法案卷 {evaluated} 卷，其中不合格 {failed} 卷（不合格率 {_pct(failed, evaluated)}，按评查提交日期）；"
                        f"下发行政执法监督通知书 {notices} 份（按下发日期），其中已整改办结 {closed} 份。")
    s.figures = {"evaluations": evaluated, "evaluations_failed": failed, "notices": notices, "notices_closed": closed}
    return s


def zero_case(ctx: ReportContext) -> Section:
    count, items = statistics.zero_case_items(ctx.actor, ctx.period, limit=20)
    s = Section("五、零案件事项（执法不作为风险提示）")
    s.paragraphs.append(f"权责清单中有 {count} 个执法事项在本年度没有立案、柔性执法或检查（行政处罚法第八十三条），"
                        "请相关执法主体说明原因或者列入“预计无发生”事项。" + ("以下列出前 20 项。" if count > 20 else ""))
    if items:
        s.tables.append(Table(["事项编码", "执法事项", "实施主体"], [[i.code, i.name, i.body.name] for i in items]))
    s.figures = {"zero_case_items": count}
    return s


def training(ctx: ReportContext) -> Section:
    """培训: officers in scope and how many reached the yearly minimum (R07, seed D §三)."""
    required = Decimal(str(settings.ZHIFA["TRAINING_HOURS_PER_YEAR"]))
    officers = Officer.objects.filter(statistics.scope_q(ctx.actor), status=Officer.Status.ACTIVE)
    hours = officers.annotate(h=Sum("trainings__hours", filter=Q(trainings__held_on__year=ctx.year))).values_list("h", flat=True)
    total = reached = 0
    for h in hours:
        total += 1
        reached += (h or 0) >= required
    all_hours = TrainingRecord.objects.filter(officer__in=officers, held_on__year=ctx.year).aggregate(h=Sum("hours"))["h"] or 0
    s = Section("六、执法人员培训情况")
    s.paragraphs.append(f"在岗执法人员 {total} 人，全年参加培训共 {all_hours} 学时，达到每年 {required} 学时要求的 {reached} 人"
                        f"（{_pct(reached, total)}）。")
    s.figures = {"officers": total, "training_reached": reached}
    return s


def complaints(ctx: ReportContext) -> Section:
    n = ctx.total("complaints")
    s = Section("七、投诉举报情况")
    s.paragraphs.append(f"通过门户网站收到针对行政执法行为的投诉举报 {n} 件（按登记日期）。")
    top = _top(ctx.by_body.rows, "complaints")
    if top:
        s.tables.append(Table(["执法主体", "投诉举报数"], [[r.label, str(r.figures["complaints"]["count"])] for r in top]))
    s.figures = {"complaints": n}
    return s


def _bodies_in_scope(ctx: ReportContext) -> dict[int, str]:
    return dict(Body.objects.filter(statistics.scope_q(ctx.actor, "pk")).values_list("pk", "name"))


def alerts(ctx: ReportContext) -> Section:
    """预警: the alert engine's figures of the year (R33, ``selectors_alerts.alert_figures``)."""
    bodies = _bodies_in_scope(ctx)
    per_body = {b: f for b, f in alert_figures(ctx.year).items() if b in bodies}
    keys = ("raised", "closed", "converted", "open_at_end", "overdue_raised", "defects_raised", "unequal_raised")
    sums = {k: sum(f.get(k) or 0 for f in per_body.values()) for k in keys}
    s = Section("八、执法监督预警及处置情况")
    s.paragraphs.append(
        f"按公开的预警规则目录，全年产生预警 {sums['raised']} 条（按预警日期），其中环节超期 {sums['overdue_raised']} 条、"
        f"程序缺陷 {sums['defects_raised']} 条、同案不同罚 {sums['unequal_raised']} 条；已消除或处置 {sums['closed']} 条，"
        f"转为执法监督通知书 {sums['converted']} 条，年末仍待处理 {sums['open_at_end']} 条。")
    top = sorted(((bodies[b], f) for b, f in per_body.items() if f.get("raised")), key=lambda x: (-x[1]["raised"], x[0]))[:10]
    if top:
        s.tables.append(Table(["执法主体", "预警数", "环节超期", "程序缺陷", "同案不同罚", "年末待处理"], [
            [name, str(f["raised"]), str(f["overdue_raised"]), str(f["defects_raised"]), str(f["unequal_raised"]),
             str(f["open_at_end"])] for name, f in top]))
        s.charts.append(Chart("预警数最多的执法主体", "bar", [name for name, _ in top], [("预警数", [f["raised"] for _, f in top])]))
    s.figures = {f"alerts_{k}": v for k, v in sums.items()}
    return s


def assessment_results(ctx: ReportContext) -> Section:
    """年度考核: the latest stored snapshot of the year (R36); none computed yet is said so."""
    from .assessment import latest_snapshot, scores

    s = Section("九、年度行政执法考核结果")
    snapshot = latest_snapshot(ctx.actor, ctx.year)
    if snapshot is None:
        s.paragraphs.append(f"{ctx.year}年度考核尚未计算。")
        s.figures = {"assessed_bodies": 0}
        return s
    lines = list(scores(ctx.actor, snapshot))
    s.paragraphs.append(
        f"按考核指标（版本 {snapshot.config_version}）于 {timezone.localtime(snapshot.computed_at):%Y年%m月%d日} 计算，"
        f"共考核执法主体 {len(lines)} 个；输入数据摘要 SHA-256 {snapshot.inputs_sha256[:16]}…，可重新计算核对。")
    if lines:
        s.tables.append(Table(["名次", "执法主体", "总分", "上年总分"], [
            [str(line.rank), line.body.name, f"{line.total:.2f}",
             f"{line.previous_total:.2f}" if line.previous_total is not None else "—"] for line in lines[:20]]))
    s.figures = {"assessed_bodies": len(lines)}
    return s


#: The sections in order.
SECTIONS: list[Callable[[ReportContext], Section]] = [volume, inspections, transfers, evaluations, zero_case, training,
                                                       complaints, alerts, assessment_results]


@dataclass
class Report:
    year: int
    title: str
    scope: str
    cut_off: dt.datetime | None
    sections: list[Section]
    measures_basis: dict[str, str]

    def figures(self) -> dict[str, object]:
        return {s.title: s.figures for s in self.sections}


def build(actor: access.Actor, year: int) -> Report:
    """The report's content for ``year`` over the actor's scope (the office: its jurisdiction)."""
    period = statistics.Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    by_body = statistics.figures(actor, "body", period)
    ctx = ReportContext(year, actor, period, by_body,
                        statistics.figures(actor, "level", period),
                        statistics.figures(actor, "month", period))
    return Report(year=year, title=f"{year}年度行政执法工作情况报告", scope=by_body.scope_label, cut_off=by_body.cut_off,
                  sections=[section(ctx) for section in SECTIONS],
                  measures_basis={m.label: m.basis for m in MEASURES.values()})
