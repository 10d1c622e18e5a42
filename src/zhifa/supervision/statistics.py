"""Statistics queries (执法统计, R34): figures by body, item, jurisdiction level or month over a
period, read from the yearly, monthly and daily sums (``models_statistics``), never from the cases
table. Reads are pure: they never refresh the sums (``services.statistics`` does, off the request).

Scope (registry/access.py): the supervision office reads the bodies of its jurisdiction subtree,
the administrator every body, staff their own body; the public nothing. Every figure carries its
measure's date basis (``statistics_sources.MEASURES``, legal-rules.md §K). The rows of one
grouping always add up to the total over the same scope and period: every daily sum has exactly
one body, one item (0 for none, shown as "未关联执法事项"), one level and one day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote_plus

from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.urls import reverse

from zhifa.catalog.models import Item
from zhifa.core.ledger import RecordEntry
from zhifa.registry import access
from zhifa.registry.models import Body, Jurisdiction

from .models_statistics import StatBodyMonthly, StatBodyYearly, StatDaily, StatMonthly, StatState, StatYearly
from .statistics_sources import ACTIVITY_MEASURES, MEASURES

REFUSED = "只有执法监督机构、系统管理员和执法主体的工作人员可以查看执法统计。"
GROUPINGS = {"body": "执法主体", "item": "执法事项", "level": "层级", "month": "月份"}
NO_ITEM = "未关联执法事项（检查、投诉等）"
LEVEL_LABELS = dict(Jurisdiction.Level.choices)
#: The case list's filters behind each case measure (drill-down, 下钻到案件清单): the date filter
#: follows the measure's date basis.
CASE_DRILL = {
    "cases_filed": {"date": "filed"},
    "penalties": {"date": "decided", "outcome": "penalty"},
    "no_penalty": {"date": "decided", "outcome": "no_penalty"},
    "cases_closed": {"date": "closed"},
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"


@dataclass
class Row:
    key: str
    label: str
    figures: dict[str, dict] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)


@dataclass
class Figures:
    by: str
    period: Period
    rows: list[Row]
    total: Row
    cut_off: dt.datetime | None
    scope_label: str
    pending: bool = False  # the record has acts the aggregates have not applied yet (being refreshed)


def may_read(actor: access.Actor) -> bool:
    return actor.is_admin or (actor.is_supervisor and bool(actor.jurisdiction_path)) or actor.body_id is not None


def scope_q(actor: access.Actor, body_field: str = "body_id") -> Q:
    """The daily sums of the bodies in the actor's scope (one SQL condition)."""
    if not may_read(actor):
        raise PermissionDenied(REFUSED)
    if actor.is_admin:
        return Q()
    condition = Q(pk__in=[])
    if actor.jurisdiction_path:
        condition |= Q(**{f"{body_field}__in": Body.objects.filter(
            jurisdiction__path__startswith=actor.jurisdiction_path).values("pk")})
    if actor.body_id is not None:
        condition |= Q(**{body_field: actor.body_id})
    return condition


def scope_label(actor: access.Actor, body: Body | None = None) -> str:
    if body is not None:
        return body.name
    if actor.is_admin:
        return "全部执法主体"
    if actor.jurisdiction_path:
        j = Jurisdiction.objects.filter(path=actor.jurisdiction_path).first()
        return f"{j.name}（含下级）" if j else "所辖区划"
    return Body.objects.filter(pk=actor.body_id).values_list("name", flat=True).first() or "本主体"


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split(period: Period) -> tuple[tuple[dt.date, dt.date] | None, list[Period]]:
    """The period's whole months (first and last month's 1st), read from the monthly sums, and
    its partial edge months, read from the daily sums: at most two, of under a month each."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    after_end = period.end + dt.timedelta(days=1)
    last = after_end.replace(day=1) - dt.timedelta(days=1)  # the last day of the last whole month
    if first > last:
        return None, [period]
    edges = []
    if period.start < first:
        edges.append(Period(period.start, first - dt.timedelta(days=1)))
    if last < period.end:
        edges.append(Period(last + dt.timedelta(days=1), period.end))
    return (first, last.replace(day=1)), edges


@dataclass(frozen=True)
class Pieces:
    """A period cut along the sum tables' grains: whole calendar years (first and last 1 January),
    whole months outside them (ranges of 1sts, at most two), and partial edge months (at most two)."""

    years: tuple[dt.date, dt.date] | None
    months: list[tuple[dt.date, dt.date]]
    days: list[Period]


def pieces(period: Period) -> Pieces:
    """``split`` further cut: the whole months that make whole years are read from the yearly sums."""
    months, days = split(period)
    if months is None:
        return Pieces(None, [], days)
    first, last = months
    first_year = first.year if first.month == 1 else first.year + 1
    last_year = last.year if last.month == 12 else last.year - 1
    if first_year > last_year:
        return Pieces(None, [months], days)
    ranges = []
    if first < dt.date(first_year, 1, 1):
        ranges.append((first, dt.date(first_year - 1, 12, 1)))
    if last > dt.date(last_year, 12, 1):
        ranges.append((dt.date(last_year + 1, 1, 1), last))
    return Pieces((dt.date(first_year, 1, 1), dt.date(last_year, 1, 1)), ranges, days)


def _ranges(date_field: str, ranges) -> Q:
    condition = Q(pk__in=[])
    for start, end in ranges:
        condition |= Q(**{f"{date_field}__gte": start, f"{date_field}__lte": end})
    return condition


def sums(actor: access.Actor, period: Period, group: str, *, body_id: int | None = None,
         measures: tuple[str, ...] | None = None) -> list[tuple[object, str, int, Decimal]]:
    """(group value, measure, count, amount) over the period, ``group`` being ``body_id``,
    ``item_id``, ``level`` or ``month``: the whole years from the yearly sums, the other whole
    months from the monthly sums (per body, or per item when grouping by item), the edges from the
    daily sums. Three queries at most, over tables whose size does not grow with the cases'
    (a grouping by month reads months for the whole years too)."""
    cut = pieces(period)
    months, years = list(cut.months), cut.years
    if group == "month" and years:
        months.append((years[0], years[1].replace(month=12)))
        years = None
    condition = scope_q(actor)
    if body_id is not None:
        condition &= Q(body_id=body_id)
    if measures:
        condition &= Q(measure__in=measures)
    by_item = group == "item_id"
    out: list = []
    for model, date_field, ranges in ((StatYearly if by_item else StatBodyYearly, "year", [years] if years else []),
                                      (StatMonthly if by_item else StatBodyMonthly, "month", months),
                                      (StatDaily, "day", [(p.start, p.end) for p in cut.days])):
        if not ranges:
            continue
        qs = model.objects.filter(condition & _ranges(date_field, ranges))
        field = date_field if group == "month" else group
        for value, measure, n, yuan in qs.values_list(field, "measure").annotate(n=Sum("count"), yuan=Sum("amount")).order_by():
            out.append((value.replace(day=1) if group == "month" else value, measure, n, yuan))
    return out


def cut_off() -> dt.datetime | None:
    """When the aggregates were last brought up to date (数据截止时间)."""
    return freshness()[0]


def freshness() -> tuple[dt.datetime | None, bool]:
    """The cut-off time (数据截止时间) and whether the record has entries newer than the last one
    the aggregates applied (two indexed reads; nothing is written)."""
    state = StatState.objects.filter(pk=1).values_list("refreshed_at", "last_entry_id").first()
    if state is None:
        return None, RecordEntry.objects.exists()
    return state[0], RecordEntry.objects.filter(pk__gt=state[1]).exists()


def _empty() -> dict[str, dict]:
    return {code: {"count": 0, "amount": Decimal("0.00")} for code in MEASURES}


def _labels(by: str, keys: list) -> dict:
    if by == "body":
        return dict(Body.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "item":
        labels = {pk: f"{name}（{code}）" for pk, name, code in Item.objects.filter(pk__in=keys).values_list("pk", "name", "code")}
        labels[0] = NO_ITEM
        return labels
    if by == "level":
        return LEVEL_LABELS
    return {k: f"{k:%Y年%m月}" for k in keys}


def figures(actor: access.Actor, by: str, period: Period, *, body_id: int | None = None) -> Figures:
    """The figures of every measure grouped ``by`` body, item, level or month, and their total.

    A few queries on the yearly, monthly and daily sums (``sums``) and one for the labels,
    whatever the number of cases. A pure read: the aggregates as of their cut-off time (the
    callers ask for a refresh with ``services.statistics.request_refresh``)."""
    if by not in GROUPINGS:
        raise ValueError(f"分组方式应为 {'、'.join(GROUPINGS)} 之一")
    column = {"body": "body_id", "item": "item_id", "level": "level", "month": "month"}[by]
    rows: dict = {}
    total = Row(key="total", label="合计", figures=_empty())
    for group, measure, n, yuan in sums(actor, period, column, body_id=body_id):
        row = rows.setdefault(group, _empty())
        n, yuan = int(n or 0), Decimal(yuan or 0).quantize(Decimal("0.01"))
        row[measure]["count"] += n
        row[measure]["amount"] += yuan
        total.figures[measure]["count"] += n
        total.figures[measure]["amount"] += yuan
    labels = _labels(by, list(rows))
    out = [Row(key=str(k.isoformat() if isinstance(k, dt.date) else k), label=str(labels.get(k, k)), figures=v)
           for k, v in rows.items()]
    out.sort(key=lambda r: r.key if by == "month" else (-r.figures["cases_filed"]["count"],
                                                        -r.figures["penalties"]["count"], r.label))
    for row in out:
        row.links = drill_links(by, row.key, period, body_id)
    total.links = drill_links(None, None, period, body_id)
    body = Body.objects.filter(pk=body_id).first() if body_id else None
    cut, pending = freshness()
    return Figures(by=by, period=period, rows=out, total=total, cut_off=cut, scope_label=scope_label(actor, body),
                   pending=pending)


def drill_links(by: str | None, key: str | None, period: Period, body_id: int | None = None) -> dict[str, str]:
    """The case list behind each case figure (R34 drill-down): the same body/item/level, the
    measure's date basis limited to the period (for a month row, to that month)."""
    start, end = period.start, period.end
    base: dict[str, str] = {}
    if body_id:
        base["body"] = str(body_id)
    if by == "body":
        base["body"] = key
    elif by == "item":
        if key == "0":
            return {}
        base["item"] = key
    elif by == "level":
        base["level"] = key
    elif by == "month":
        month = dt.date.fromisoformat(key)
        start = max(start, month)
        nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = min(end, nxt - dt.timedelta(days=1))
    links = {}
    url = reverse("cases:list")
    head = "&".join(f"{k}={quote_plus(str(v))}" for k, v in base.items())
    for code, drill in CASE_DRILL.items():
        query = f"{drill['date']}_from={start.isoformat()}&{drill['date']}_to={end.isoformat()}"
        if "outcome" in drill:
            query += f"&outcome={drill['outcome']}"
        links[code] = f"{url}?{head}&{query}" if head else f"{url}?{query}"
    return links


def zero_case_items(actor: access.Actor, period: Period, *, body_id: int | None = None, limit: int = 200):
    """Items of the power lists (权责清单) in scope, in force during the period, with no case
    filed, no flexible act and no inspection on them in the period (执法不作为的提示, R34;
    APL art.83). Inspections count only when tied to an item; a double-random inspection is
    tied to an inspection item, not to a power-list item. Returns (count, first ``limit`` items)."""
    items = Item.objects.filter(scope_q(actor, "body_id"), valid_from__lte=period.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
    cut = pieces(period)
    active = Q(measure__in=ACTIVITY_MEASURES, item_id__gt=0, count__gt=0)
    for model, date_field, ranges in ((StatYearly, "year", [cut.years] if cut.years else []), (StatMonthly, "month", cut.months),
                                      (StatDaily, "day", [(p.start, p.end) for p in cut.days])):
        if ranges:
            items = items.exclude(pk__in=model.objects.filter(active, _ranges(date_field, ranges)).values("item_id"))
    if body_id is not None:
        items = items.filter(body_id=body_id)
    ids = list(items.order_by("body_id", "code").values_list("pk", flat=True))  # the anti-joins run once
    shown = Item.objects.filter(pk__in=ids[:limit]).select_related("body").order_by("body_id", "code")
    return len(ids), list(shown)
