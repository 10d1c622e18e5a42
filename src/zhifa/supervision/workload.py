"""Officer workload and risk (执法人员工作量、压力与风险, R38; 规范 D §七): per officer and per body
normalised by officers, with flags for overload and risk whose thresholds are practice, set in
``workload.toml``.

Every figure is an aggregate (GROUP BY officer or body), computed for the rows of the current page
only: a page costs a fixed number of queries whatever the number of officers or cases.

- open cases (在办案件): the officer's cases not closed, archived or not filed;
- steps due (即将到期) / overdue (已超期): open cases whose stored next deadline (``Case.next_due``,
  kept by the cases app on the working-day calendar) falls in the window / has passed;
- actions per month (月均办案操作): the officer's entries on case records (``case:<id>``) over the
  last ``months`` months, divided by ``months``;
- evaluation failures (评查不合格): the office's evaluations graded ``fail`` of files of the
  officer's cases, submitted in the window;
- reversals (复议诉讼纠错): reconsiderations and suits concluded in the window that corrected a
  decision of the officer's cases (``rules.assessment.is_reversal``);
- complaints (投诉举报): accepted complaints (the portal records no "upheld" finding) that quote
  the number of one of the officer's cases; by body, every accepted complaint of the year.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.module_loading import import_string

from zhifa.cases.models import Case, RemedyPeriod
from zhifa.core import clock
from zhifa.core.ledger import RecordEntry
from zhifa.registry import access
from zhifa.registry.access import Role
from zhifa.registry.models import Body, Officer

from . import permissions
from .models import Evaluation
from .rules import assessment as rules

CONFIG_FILE = Path(__file__).resolve().parent / "workload.toml"
NOT_OPEN = ("source", "not_filed", "closed", "archived")
COMPLAINTS_FEED = "zhifa.portal.assessment_feed.complaints_per_body"
OFFICER_COMPLAINTS_FEED = "zhifa.portal.assessment_feed.complaints_per_officer"
SORTS = {"name": ("name",), "body": ("body__code", "name"), "open": ("open_cases",), "overdue": ("overdue",)}


def config() -> tuple[rules.WorkloadThresholds, int]:
    """The thresholds in force and the number of months counted (practice, configurable): the
    shipped ``workload.toml`` or the file named by ``settings.ZHIFA["WORKLOAD_CONFIG"]``."""
    return _parse(str(settings.ZHIFA.get("WORKLOAD_CONFIG") or CONFIG_FILE))


@lru_cache(maxsize=4)
def _parse(path: str) -> tuple[rules.WorkloadThresholds, int]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    t = rules.WorkloadThresholds(
        version=str(data["version"]), due_window_days=int(data["due_window_days"]),
        overload_open_cases=int(data["overload_open_cases"]), overload_overdue=int(data["overload_overdue"]),
        overload_actions_per_month=Decimal(str(data["overload_actions_per_month"])),
        risk_evaluation_failures=int(data["risk_evaluation_failures"]), risk_reversals=int(data["risk_reversals"]),
        risk_overdue_share=Decimal(str(data["risk_overdue_share"])), risk_complaints=int(data.get("risk_complaints", 2)))
    return t, int(data.get("months", 12))


def may_read(actor: access.Actor) -> bool:
    return permissions.is_office(actor) or (actor.has(Role.HEAD) and actor.body_id is not None)


def require_read(actor: access.Actor) -> None:
    if not may_read(actor):
        raise PermissionDenied("只有执法监督机构和主体负责人可以查看执法人员工作量与风险。")


def _bodies(actor: access.Actor):
    if permissions.is_office(actor):
        return access.scope_bodies(actor, Body.objects.all())
    return Body.objects.filter(pk=actor.body_id)


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in Asia/Shanghai: compared with ``at`` as is, so the index serves it."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.SHANGHAI)


def _window(today: dt.date, months: int) -> dt.date:
    return today - dt.timedelta(days=round(months * 30.44))


def _open_q(prefix: str = "case__") -> Q:
    return ~Q(**{f"{prefix}state__in": NOT_OPEN})


def _case_counts(today: dt.date, window_days: int, prefix: str = "case__") -> dict:
    """Open, due-soon and overdue counts (conditional COUNTs of one GROUP BY)."""
    open_q = _open_q(prefix)
    return {
        "open_cases": Count("pk", filter=open_q),
        "due_soon": Count("pk", filter=open_q & Q(**{f"{prefix}next_due__gte": today,
                                                     f"{prefix}next_due__lte": today + dt.timedelta(days=window_days)})),
        "overdue": Count("pk", filter=open_q & Q(**{f"{prefix}next_due__lt": today})),
    }


def _count_subquery(today: dt.date, overdue: bool):
    """An officer's open (or overdue) cases as a correlated subquery on the officers–cases link
    (indexed by officer): what a sort by workload orders by, without grouping the officers."""
    link = Case.officers.through.objects.filter(officer_id=OuterRef("pk")).filter(_open_q())
    if overdue:
        link = link.filter(case__next_due__lt=today)
    return Coalesce(Subquery(link.order_by().values("officer_id").annotate(n=Count("pk")).values("n")[:1]), 0)


def officers(actor: access.Actor, *, body_id: int | None = None, sort: str = "body"):
    """The active officers in the actor's scope (auxiliary staff included: they carry cases too).
    Sorted by body or name; by open or overdue cases (most first) through a correlated count."""
    require_read(actor)
    today = clock.today()
    qs = Officer.objects.filter(status=Officer.Status.ACTIVE, body__in=_bodies(actor)).select_related("body")
    if body_id:
        qs = qs.filter(body_id=body_id)
    key = sort.lstrip("-") if sort and sort.lstrip("-") in SORTS else "body"
    if key == "open":
        qs = qs.alias(open_cases=_count_subquery(today, overdue=False))
    elif key == "overdue":
        qs = qs.alias(overdue=_count_subquery(today, overdue=True))
    columns = [f"-{c}" if sort.startswith("-") or key in ("open", "overdue") else c for c in SORTS[key]]
    return qs.order_by(*columns, "id")


def fill_officers(rows: list) -> list:
    """Add actions per month, evaluation failures, reversals and flags to one page of officers:
    three GROUP BY queries for the page, never one per officer."""
    t, months = config()
    today = clock.today()
    since = _window(today, months)
    ids = [o.pk for o in rows]
    users = {o.user_id: o.pk for o in rows if o.user_id}
    cases = {r["officer_id"]: r for r in Case.officers.through.objects.filter(officer_id__in=ids).values("officer_id")
             .annotate(**_case_counts(today, t.due_window_days)).order_by()}
    actions = dict(RecordEntry.objects.filter(actor_id__in=list(users), stream__startswith="case:", at__gte=_start_of(since))
                   .values("actor_id").annotate(n=Count("id")).values_list("actor_id", "n").order_by())
    failures = dict(Evaluation.objects.filter(kind=Evaluation.Kind.OFFICE, grade="fail", submitted_on__gte=since,
                                              case_file__case__officers__in=ids)
                    .values("case_file__case__officers").annotate(n=Count("id", distinct=True))
                    .values_list("case_file__case__officers", "n").order_by())
    reversals = dict(RemedyPeriod.objects.filter(_reversal_q(), end__gte=since, case__officers__in=ids)
                     .values("case__officers").annotate(n=Count("id", distinct=True)).values_list("case__officers", "n").order_by())
    complaints = import_string(OFFICER_COMPLAINTS_FEED)(since, ids)
    for o in rows:
        o.complaints_accepted = complaints.get(o.pk, 0)
        c = cases.get(o.pk, {})
        o.open_cases, o.due_soon, o.overdue = c.get("open_cases", 0), c.get("due_soon", 0), c.get("overdue", 0)
        o.actions_per_month = (Decimal(actions.get(o.user_id, 0)) / months).quantize(Decimal("0.1"))
        o.evaluation_failures = failures.get(o.pk, 0)
        o.reversals = reversals.get(o.pk, 0)
        o.flags = rules.workload_flags(t, open_cases=o.open_cases, overdue=o.overdue, actions_per_month=o.actions_per_month,
                                       evaluation_failures=o.evaluation_failures, reversals=o.reversals,
                                       complaints=o.complaints_accepted)
        o.flag_kinds = sorted({code for code, _ in o.flags})
    return rows


def _reversal_q() -> Q:
    q = Q(pk__in=[])
    for word in rules.REVERSAL_WORDS:
        q |= Q(result__contains=word)
    return q


def bodies(actor: access.Actor):
    """The bodies in scope with their active officers counted (the normaliser), by code."""
    require_read(actor)
    return (_bodies(actor).annotate(officer_count=Count("officers", filter=Q(officers__status=Officer.Status.ACTIVE), distinct=True))
            .order_by("code", "id"))


def fill_bodies(rows: list) -> list:
    """Add case counts, actions, failures, reversals, complaints and the per-officer figures and
    flags to one page of bodies: five GROUP BY queries for the page."""
    t, months = config()
    today = clock.today()
    since = _window(today, months)
    ids = [b.pk for b in rows]
    cases = {r["body_id"]: r for r in Case.objects.filter(body_id__in=ids).values("body_id")
             .annotate(**_case_counts(today, t.due_window_days, prefix="")).order_by()}
    users = dict(Officer.objects.filter(body_id__in=ids, status=Officer.Status.ACTIVE, user__isnull=False)
                 .values_list("user_id", "body_id"))
    actions: dict[int, int] = {}
    for user_id, n in (RecordEntry.objects.filter(actor_id__in=list(users), stream__startswith="case:", at__gte=_start_of(since))
                       .values("actor_id").annotate(n=Count("id")).values_list("actor_id", "n").order_by()):
        actions[users[user_id]] = actions.get(users[user_id], 0) + n
    failures = dict(Evaluation.objects.filter(kind=Evaluation.Kind.OFFICE, grade="fail", submitted_on__gte=since, body_id__in=ids)
                    .values("body_id").annotate(n=Count("id")).values_list("body_id", "n").order_by())
    reversals = dict(RemedyPeriod.objects.filter(_reversal_q(), end__gte=since, case__body_id__in=ids)
                     .values("case__body_id").annotate(n=Count("id")).values_list("case__body_id", "n").order_by())
    complaints = import_string(COMPLAINTS_FEED)(today.year, ids)
    for b in rows:
        c = cases.get(b.pk, {})
        b.open_cases, b.due_soon, b.overdue = c.get("open_cases", 0), c.get("due_soon", 0), c.get("overdue", 0)
        b.actions = actions.get(b.pk, 0)
        b.evaluation_failures, b.reversals, b.complaints_accepted = failures.get(b.pk, 0), reversals.get(b.pk, 0), complaints.get(b.pk, 0)
        n = b.officer_count or 0

        def per(value, scale=Decimal(1)):
            return (Decimal(value) / n / scale).quantize(Decimal("0.1")) if n else None

        b.open_per_officer, b.overdue_per_officer = per(b.open_cases), per(b.overdue)
        b.actions_per_officer_month = per(b.actions, Decimal(months))
        b.flags = rules.workload_flags(t, open_cases=int(b.open_per_officer or 0), overdue=int(b.overdue_per_officer or 0),
                                       actions_per_month=b.actions_per_officer_month or Decimal(0),
                                       evaluation_failures=b.evaluation_failures, reversals=b.reversals) if n else []
        b.flag_kinds = sorted({code for code, _ in b.flags})
        b.flag_summary = [(kind, "；".join(text for code, text in b.flags if code == kind)) for kind in b.flag_kinds]
    return rows
