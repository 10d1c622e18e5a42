"""The read side of the alert engine (预警, R33): the catalogue, the inputs of each rule prepared
by set-based queries (one query per rule, filtered and grouped in SQL — never a query per case:
the nightly sweep of a city's million cases reads only the rows that already break a rule, except
the fines of the 同案不同罚 rule, read once as narrow tuples), the scoped list of alerts and the
figures other modules read (workbench to-do list, annual assessment, congress report).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from decimal import Decimal
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.http import Http404

from zhifa.cases import workflow
from zhifa.cases.models import Case, Decision, FlexibleAct, Seizure
from zhifa.catalog.models import Item
from zhifa.inspections.models import Draw, Inspection
from zhifa.registry import access
from zhifa.registry.models import Body, Certificate, Officer
from zhifa.transfers.models import Transfer

from .models_alerts import Alert, NoOccurrenceMark
from .rules import alerts as rules
from .rules import alerts_unequal as unequal

CATALOGUE_FILE = Path(__file__).resolve().parent / "alert_rules.toml"
#: Rules that concern one case and are evaluated by the light hook after a case act.
CASE_RULES = ("OVERDUE_STEP", "NOTICE_NOT_SERVED", "DECISION_DOCUMENTS_MISSING", "COLLECTION_NOT_HANDED_OVER",
              "UNCERTIFIED_ENFORCEMENT")
#: Who raises and closes alerts in a sweep (the steps the page shows for them).
SWEEPER = "系统预警扫描"
#: Case states after filing in which officers still act on the case (the staffing rule watches them).
ACTIVE_STATES = ("investigating", "investigated", "reviewed", "notified", "decided", "served", "executed", "enforcing")


@lru_cache(maxsize=1)
def _shipped() -> dict:
    return tomllib.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


def catalogue() -> dict[str, rules.RuleSpec]:
    """The published catalogue; ``settings.ZHIFA["ALERT_RULES"]`` overrides parameters by code."""
    zhifa = getattr(settings, "ZHIFA", {}) or {}
    overrides = dict(zhifa.get("ALERT_RULES", {}) or {})
    if "TRAINING_HOURS_PER_YEAR" in zhifa:  # one number for the registry's flag and the alert (R07, seed D §三)
        overrides["TRAINING_SHORTFALL"] = {"min_hours": zhifa["TRAINING_HOURS_PER_YEAR"], **overrides.get("TRAINING_SHORTFALL", {})}
    return rules.parse_catalogue(_shipped(), overrides)


def catalogue_version() -> str:
    return str(_shipped().get("catalogue_version", ""))


# --- Inputs of the rules -------------------------------------------------------------------------

def _cases(case_ids):
    qs = Case.objects.all()
    return qs if case_ids is None else qs.filter(pk__in=list(case_ids))


def due_rows(today: dt.date, spec: rules.RuleSpec, case_ids=None) -> list[rules.DueRow]:
    """Stored deadlines past ``today`` (the cases app keeps them on every act and every sweep):
    the nearest (``next_due``), the publication and withdrawal periods, open seizures."""
    kinds = list(spec.params.get("kinds", rules.KIND_LABELS))
    limit = today - dt.timedelta(days=int(spec.params.get("grace_days", 0)))
    base = _cases(case_ids).exclude(state__in=workflow.TERMINAL)
    out = [rules.DueRow(*row) for row in base.filter(next_due__lt=limit, next_due_kind__in=kinds)
           .values_list("pk", "number", "body_id", "next_due_kind", "next_due")]
    if "publication" in kinds:
        out += [rules.DueRow(pk, n, b, "publication", d) for pk, n, b, d in
                base.filter(publication_due__lt=limit, published_on__isnull=True).values_list("pk", "number", "body_id", "publication_due")]
    if "withdrawal" in kinds:
        out += [rules.DueRow(pk, n, b, "withdrawal", d) for pk, n, b, d in
                base.filter(withdrawal_due__lt=limit, publication_withdrawn_on__isnull=True)
                .values_list("pk", "number", "body_id", "withdrawal_due")]
    if "seizure" in kinds:
        seizures = Seizure.objects.filter(released_on__isnull=True, due__lt=limit).exclude(case__state__in=workflow.TERMINAL)
        if case_ids is not None:
            seizures = seizures.filter(case_id__in=list(case_ids))
        out += [rules.DueRow(c, n, b, "seizure", d) for c, n, b, d in
                seizures.values_list("case_id", "case__number", "case__body_id", "due")]
    return out


def transfer_due_rows(now: dt.datetime) -> list[rules.TransferDueRow]:
    """Transfers whose stored most urgent clock (``next_due_at``, O310) has run out."""
    return [rules.TransferDueRow(pk, case_id, body_id, state, due.date())
            for pk, case_id, body_id, state, due in Transfer.objects.filter(next_due_at__lt=now, closed_at__isnull=True)
            .values_list("pk", "case_id", "body_id", "state", "next_due_at")]


def _decision_rows(qs) -> list[rules.DecisionRow]:
    rows = qs.values_list("pk", "number", "body_id", "procedure", "outcome", "decided_on", "notice_served_on",
                          "is_major", "review_status", "collective_discussion_on")
    return [rules.DecisionRow(pk, n, b, proc, out, d, ns is not None, major, rs == "pass", cd is not None)
            for pk, n, b, proc, out, d, ns, major, rs, cd in rows]


def _decided(case_ids):
    return _cases(case_ids).filter(decided_on__isnull=False, procedure="normal").exclude(state__in=workflow.TERMINAL)


def notice_rows(spec: rules.RuleSpec, case_ids=None) -> list[rules.DecisionRow]:
    """General-procedure decisions of the watched outcomes without a served notice (SQL does the test)."""
    return _decision_rows(_decided(case_ids).filter(outcome__in=list(spec.params.get("outcomes", ["penalty"])),
                                                    notice_served_on__isnull=True))


def documents_rows(case_ids=None) -> list[rules.DecisionRow]:
    """Major cases decided without a passed review or without a collective discussion."""
    return _decision_rows(_decided(case_ids).filter(is_major=True, outcome__in=["penalty", "no_penalty"])
                          .filter(~Q(review_status="pass") | Q(collective_discussion_on__isnull=True)))


def collection_rows(today: dt.date, spec: rules.RuleSpec, case_ids=None) -> list[rules.CollectionRow]:
    limit = today - dt.timedelta(days=int(spec.params.get("handover_days", 2)))
    return [rules.CollectionRow(*r) for r in _cases(case_ids).filter(
        collected_on_spot_on__lt=limit, collection_handed_over_on__isnull=True).values_list("pk", "number", "body_id", "collected_on_spot_on")]


def staffing_rows(today: dt.date, spec: rules.RuleSpec, case_ids=None) -> list[rules.StaffingRow]:
    """Active cases whose assigned officers include fewer than ``min_certified`` non-auxiliary
    holders of a certificate valid today: the assignments grouped by case, counted against the
    (uncorrelated, computed once) set of validly certified officers — GROUP BY … HAVING in SQL —
    plus the active cases with no officer at all."""
    need = int(spec.params.get("min_certified", 2))
    valid = (Certificate.objects.filter(status=Certificate.Status.VALID, issued_on__lte=today, expires_on__gte=today,
                                        officer__is_auxiliary=False).values("officer_id"))
    through = Case.officers.through.objects.filter(case__state__in=ACTIVE_STATES)
    active = _cases(case_ids).filter(state__in=ACTIVE_STATES)
    if case_ids is not None:
        through = through.filter(case_id__in=list(case_ids))
    grouped = (through.values("case_id", "case__number", "case__body_id")
               .annotate(n=Count("officer_id"), certified=Count("officer_id", filter=Q(officer_id__in=valid)))
               .filter(certified__lt=need).order_by())
    out = [rules.StaffingRow(r["case_id"], r["case__number"], r["case__body_id"], r["n"], r["certified"]) for r in grouped]
    nobody = Case.officers.through.objects.filter(case_id=OuterRef("pk"))
    out += [rules.StaffingRow(pk, number, body_id, 0, 0)
            for pk, number, body_id in active.exclude(Exists(nobody)).values_list("pk", "number", "body_id")]
    return out


def training_rows(year: int, spec: rules.RuleSpec) -> list[rules.TrainingRow]:
    """Active non-auxiliary officers employed for the whole ``year`` with fewer hours than required."""
    need = spec.params.get("min_hours", 60)
    qs = (Officer.objects.filter(status=Officer.Status.ACTIVE, is_auxiliary=False, body__is_active=True)
          .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=dt.date(year, 1, 1)))
          .annotate(hours=Coalesce(Sum("trainings__hours", filter=Q(trainings__held_on__year=year)), Value(Decimal(0)),
                                output_field=DecimalField(max_digits=8, decimal_places=1)))
          .filter(hours__lt=need).order_by())
    return [rules.TrainingRow(pk, name, body_id, year, float(h or 0)) for pk, name, body_id, h in qs.values_list("pk", "name", "body_id", "hours")]


def reviewer_rows() -> list[tuple[int, str, int]]:
    """Active bodies with no active legal reviewer (one query)."""
    has = Officer.objects.filter(body_id=OuterRef("pk"), is_legal_reviewer=True, status=Officer.Status.ACTIVE)
    return [(pk, name, 0) for pk, name in Body.objects.filter(is_active=True).exclude(Exists(has)).values_list("pk", "name")]


def fine_rows(today: dt.date, spec: rules.RuleSpec) -> list[unequal.FineRow]:
    """The standing fine of each case decided in the look-back period: its latest original or
    amending decision with an amount and the grade's range (one query of narrow tuples)."""
    since = today - dt.timedelta(days=int(spec.params.get("lookback_days", 1095)))
    qs = (Decision.objects.filter(decided_on__gte=since, outcome="penalty", amount__gt=0,
                                  kind__in=[Decision.Kind.ORIGINAL, Decision.Kind.AMEND], case__outcome="penalty")
          .annotate(reasoning_chars=Length("reasoning"), outside_chars=Length("outside_benchmark_reason"))
          .order_by("case_id", "id")
          .values_list("case_id", "case__number", "case__body_id", "case__item_id", "benchmark_low", "benchmark_high", "amount",
                       "reasoning_chars", "outside_chars"))
    latest: dict[int, unequal.FineRow] = {}
    for case_id, number, body_id, item_id, low, high, amount, rc, oc in qs:
        latest[case_id] = unequal.FineRow(case_id, number, body_id, item_id, low, high, amount, rc or 0, bool(oc))
    return list(latest.values())


def zero_item_rows(today: dt.date, spec: rules.RuleSpec) -> tuple[dt.date, list[rules.ItemRow]]:
    """Items of the watched kinds, in force for the whole period, with no case (by clue date), no
    flexible act and no inspection (by planned date) since the period's start, not marked
    预计不发生: one query of EXISTS sub-selects."""
    since = today - dt.timedelta(days=int(spec.params.get("period_days", 365)))
    kinds = list(spec.params.get("kinds", ["penalty", "coercion", "inspection"]))
    cases = Case.objects.filter(item_id=OuterRef("pk"), clue_received_on__gte=since)
    flexible = FlexibleAct.objects.filter(item_id=OuterRef("pk"), acted_on__gte=since)
    inspections = Inspection.objects.filter(task__items__item_id=OuterRef("pk"), planned_on__gte=since)
    marked = NoOccurrenceMark.objects.filter(item_id=OuterRef("pk"), withdrawn_on__isnull=True)
    qs = (Item.objects.filter(kind__in=kinds, valid_from__lte=since, body__is_active=True)
          .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
          .exclude(Exists(cases)).exclude(Exists(flexible)).exclude(Exists(inspections)).exclude(Exists(marked)))
    return since, [rules.ItemRow(pk, code, name, body_id, 0, False) for pk, code, name, body_id in qs.values_list("pk", "code", "name", "body_id")]


def pair_rows(today: dt.date, spec: rules.RuleSpec) -> tuple[dt.date, list[rules.PairRow]]:
    """(officer, party) pairs with at least ``min_cases`` cases since the period's start (GROUP BY
    … HAVING in SQL); the party's code is kept only as a digest in the key."""
    since = today - dt.timedelta(days=int(spec.params.get("period_days", 365)))
    need = int(spec.params.get("min_cases", 3))
    through = Case.officers.through
    rows = (through.objects.filter(case__clue_received_on__gte=since).exclude(case__party_id_code="")
            .exclude(case__state="not_filed")
            .values("officer_id", "officer__name", "officer__body_id", "case__party_id_code")
            .annotate(n=Count("case_id", distinct=True)).filter(n__gte=need).order_by())
    rows = list(rows)
    # The cases of the flagged pairs, in one more query (not one per pair).
    cases: dict[tuple[int, str], list[tuple[int, str]]] = {}
    if rows:
        members = (through.objects.filter(case__clue_received_on__gte=since, officer_id__in={r["officer_id"] for r in rows},
                                          case__party_id_code__in={r["case__party_id_code"] for r in rows})
                   .exclude(case__state="not_filed").order_by("case_id")
                   .values_list("officer_id", "case__party_id_code", "case_id", "case__party_name"))
        for officer_id, code, case_id, name in members:
            cases.setdefault((officer_id, code), []).append((case_id, name))
    out = []
    for r in rows:
        code = r["case__party_id_code"]
        ids = cases.get((r["officer_id"], code), [])[:50]
        digest = hashlib.sha256(code.encode()).hexdigest()[:16]
        out.append(rules.PairRow(r["officer_id"], r["officer__name"], r["officer__body_id"], digest, ids[0][1] if ids else "",
                                 r["n"], tuple(i for i, _ in ids)))
    return since, out


def inspected_rows(today: dt.date, spec: rules.RuleSpec) -> tuple[dt.date, list[rules.InspectedRow]]:
    """Entities inspected ``min_inspections`` or more times by one body since the period's start
    (GROUP BY … HAVING), with the body's sum of sample ÷ candidates over its draws of the period
    (one more GROUP BY): two queries."""
    since = today - dt.timedelta(days=int(spec.params.get("period_days", 365)))
    need = int(spec.params.get("min_inspections", 3))
    counts = list(Inspection.objects.filter(planned_on__gte=since)
                  .values("task__plan__body_id", "entity_id", "entity__name").annotate(n=Count("pk")).filter(n__gte=need).order_by())
    if not counts:
        return since, []
    chances: dict[int, float] = {}
    for _pk, body_id, sample, candidates in (Draw.objects.filter(inspections__planned_on__gte=since, candidate_count__gt=0,
                                                                 task__plan__body_id__in={r["task__plan__body_id"] for r in counts})
                                             .values_list("pk", "task__plan__body_id", "sample", "candidate_count").distinct()):
        chances[body_id] = chances.get(body_id, 0.0) + min(1.0, sample / candidates)
    return since, [rules.InspectedRow(r["task__plan__body_id"], r["entity_id"], r["entity__name"], r["n"],
                                      chances.get(r["task__plan__body_id"], 0.0)) for r in counts]


#: Apps above supervision that hold complaints (the portal) register a source here (layering: they
#: call down): ``source(since) -> iterable of (body_id, body_name, kind, received, acted)``.
_complaint_sources: list = []


def register_complaint_source(source) -> None:
    if source not in _complaint_sources:
        _complaint_sources.append(source)


def complaint_rows(today: dt.date, spec: rules.RuleSpec) -> tuple[dt.date, list[rules.ComplaintRow]]:
    """Complaints by body and kind since the period's start, from the registered sources."""
    since = today - dt.timedelta(days=int(spec.params.get("period_days", 365)))
    return since, [rules.ComplaintRow(*row) for source in _complaint_sources for row in source(since)]


# --- The list of alerts --------------------------------------------------------------------------

def alerts_in_scope(actor: access.Actor) -> QuerySet[Alert]:
    """Alerts the actor may read: a body's staff their body's, a supervisor the jurisdiction
    subtree's, the administrator all; the public none."""
    if actor.is_public:
        return Alert.objects.none()
    return access.scope(actor, Alert.objects.all())


@dataclass(frozen=True)
class AlertFilter:
    rule: str = ""
    body: int | None = None
    state: str = ""
    case: int | None = None


def filter_alerts(actor: access.Actor, f: AlertFilter) -> QuerySet[Alert]:
    qs = alerts_in_scope(actor).select_related("body", "case")
    if f.rule:
        qs = qs.filter(rule=f.rule)
    if f.body:
        qs = qs.filter(body_id=f.body)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.case:
        qs = qs.filter(case_id=f.case)
    return qs.order_by("-raised_on", "-id")


def get_alert(actor: access.Actor, alert_id: int) -> Alert:
    alert = alerts_in_scope(actor).select_related("body", "case", "officer", "item", "transfer", "notice").filter(pk=alert_id).first()
    if alert is None:
        raise Http404("没有这条预警，或您无权查看。")
    return alert


def steps_of(alert: Alert) -> list[dict]:
    """The alert's history: raised by the sweep, the acts of people (``AlertStep``), closed by the
    sweep when the cause went away (the sweep's own record entry on ``alerts`` lists both)."""
    steps = [{"action": "raise", "on": alert.raised_on, "actor": SWEEPER, "text": ""}]
    steps += [{"action": s.action, "on": s.on, "actor": s.actor_name, "text": s.text} for s in alert.steps.all()]
    if alert.state == rules.CLOSED:
        steps.append({"action": "close", "on": alert.closed_on, "actor": SWEEPER, "text": "预警原因已消除，自动办结。"})
    return steps


def open_alerts_for(actor: access.Actor, limit: int = 10) -> list[dict]:
    """The live alerts for the actor's to-do list (待办): the office sees its jurisdiction's (the
    contested first: they wait for its decision), a head the body's, an officer those on the
    cases assigned to them or about them. Two queries at most (the scope, the page)."""
    qs = alerts_in_scope(actor).filter(state__in=rules.LIVE)
    is_office = actor.is_admin or actor.is_supervisor
    if not is_office and not actor.has(access.Role.HEAD):
        if actor.officer is None:
            return []
        mine = Case.officers.through.objects.filter(officer_id=actor.officer.pk).values("case_id")
        qs = qs.filter(Q(case_id__in=mine) | Q(officer_id=actor.officer.pk))
    order = ["-raised_on", "-id"]
    if is_office:
        qs = qs.annotate(waiting=Count("pk", filter=Q(state=rules.CONTESTED)))
        order = ["-waiting", *order]
    specs = catalogue()
    out = []
    for a in qs.select_related("body").order_by(*order)[:limit]:
        spec = specs.get(a.rule)
        out.append({"id": a.pk, "rule": a.rule, "rule_name": spec.name if spec else a.rule, "body_id": a.body_id, "body": a.body.name,
                    "case_id": a.case_id, "message": a.message, "raised_on": a.raised_on, "state": a.state,
                    "state_label": rules.STATE_LABELS.get(a.state, a.state), "url": f"/supervision/alerts/{a.pk}/"})
    return out


def alert_figures(year: int) -> dict[int, dict]:
    """Per body, the alerts of ``year`` (one GROUP BY query): raised, closed (cause gone or
    dismissed), converted to notices, open at the year's end, and those raised by category
    (overdue, procedural defects, unequal penalties) and the zero-case items watched in the year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    specs = catalogue()
    by_cat = lambda cat: [c for c, s in specs.items() if s.category == cat]  # noqa: E731
    in_year = Q(raised_on__gte=start, raised_on__lte=end)
    open_at_end = Q(raised_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    alive_in_year = Q(raised_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    rows = (Alert.objects.filter(raised_on__lte=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
            .values("body_id").annotate(
                raised=Count("pk", filter=in_year),
                closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
                converted=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end, state=rules.CONVERTED)),
                dismissed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end, state=rules.DISMISSED)),
                open_at_end=Count("pk", filter=open_at_end),
                overdue_raised=Count("pk", filter=in_year & Q(rule__in=by_cat("overdue"))),
                defects_raised=Count("pk", filter=in_year & Q(rule__in=by_cat("defect"))),
                unequal_raised=Count("pk", filter=in_year & Q(rule__in=by_cat("unequal"))),
                zero_case_items=Count("item_id", distinct=True, filter=alive_in_year & Q(rule__in=by_cat("zero"))),
            ).order_by("body_id"))
    return {r.pop("body_id"): r for r in rows}
