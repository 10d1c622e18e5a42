"""Scoped reads of cases (案件查询), shared by the API, the pages and the services.

Every read of a staff member goes through ``visible_cases`` (the actor's scope, ``permissions``);
the list filter (``filter_cases``) is written once here for ``GET /api/v1/cases`` and the case list
page. Nothing here writes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models as dj
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from zhifa.catalog.models import Item
from zhifa.core import clock, ledger, workdays
from zhifa.registry import access

from . import deadlines, permissions, rules, workflow
from .models import Case, LegalReview, Pause, Seizure


def policy() -> rules.CasePolicy:
    """The procedure's configurable numbers: ``settings.ZHIFA["CASE_POLICY"]`` over the defaults."""
    overrides = (getattr(settings, "ZHIFA", {}) or {}).get("CASE_POLICY", {}) or {}
    values = {k: (Decimal(str(v)) if k.startswith("hearing_threshold") else v) for k, v in overrides.items()}
    if isinstance(values.get("publication_by_sector"), dict):  # {"market": [20, "citation"]} in settings
        values["publication_by_sector"] = tuple((k, *v) for k, v in values["publication_by_sector"].items())
    if isinstance(values.get("filing_by_sector"), dict):  # {"market": [15, 15, "citation"]} in settings
        values["filing_by_sector"] = tuple((k, *v) for k, v in values["filing_by_sector"].items())
    if isinstance(values.get("review_by_body"), dict):  # {"SJJ": 10} in settings
        values["review_by_body"] = tuple(values["review_by_body"].items())
    return rules.CasePolicy(**values)



# --- One case ---------------------------------------------------------------------------------


def visible_cases(actor: access.Actor) -> QuerySet[Case]:
    """Cases the actor may read: own body, a supervisor's subtree, the administrator everything;
    a county department's legal reviewers also see the township cases they review (提级审核)."""
    condition = permissions.case_scope(actor)
    return Case.objects.all() if condition is None else Case.objects.filter(condition)


def get_case(case_id: int, actor: access.Actor) -> Case:
    case = visible_cases(actor).select_related("body", "item", "party").filter(pk=case_id).first()
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case


def publishable(case: Case, pol: rules.CasePolicy) -> bool:
    """A penalty decision in force is published (3S; simple procedure only if configured)."""
    return (case.outcome == "penalty" and bool(case.decision_kinds) and case.state in workflow.AFTER_DECISION
            and (case.procedure == "normal" or pol.publish_simple_procedure) and case.withdrawal_due is None)


def situation(case: Case, pol: rules.CasePolicy | None = None) -> workflow.Situation:
    """What the case has in hand (seizures, pauses, hearing, review …) for ``workflow.applicable``;
    reads ``case.seizures`` / ``case.pauses`` (prefetched on lists) only in states where they matter."""
    pol = pol or policy()
    seizures = [s for s in case.seizures.all() if s.released_on is None] if case.state not in ("source", *workflow.TERMINAL) else []
    running_pause = case.state in workflow.INVESTIGATION_STATES and any(p.end is None for p in case.pauses.all())
    return workflow.Situation(
        open_seizures=len(seizures), unapproved_seizures=sum(1 for s in seizures if s.emergency and s.approved_on is None),
        running_pause=running_pause, preservation_pending=bool(case.preserved_on and not case.preservation_decided_on),
        defence_done=case.defence_done, hearing_right=bool(case.hearing_due), hearing_status=case.hearing_status,
        review_status=case.review_status, credentials_shown=case.credentials_shown_on is not None,
        rights_told=case.rights_told_on is not None, educated=case.educated_on is not None,
        has_fine="fine" in (case.decision_kinds or []) and bool(case.decision_amount),
        collected_on_spot=case.collected_on_spot_on is not None, handed_over=case.collection_handed_over_on is not None,
        running_remedy=case.remedy_since is not None, deferral_requested=case.deferral_requested_on is not None,
        publishable=publishable(case, pol), published=case.published_on is not None,
        withdrawal_pending=case.withdrawal_due is not None, filing_extended=case.filing_extended_on is not None,
    )


def allowed_actions(case: Case, actor: access.Actor, roles: frozenset[str] | None = None) -> list[str]:
    """The actions this actor may try now: state, procedure and role from the workflow table, and
    only those with something to act on (no release without a running seizure …)."""
    if roles is None:
        roles = permissions.acting_roles(actor, case, clock.today())
    if not roles:
        return []
    return workflow.allowed_actions(case.state, case.procedure, roles, situation(case))


def certified_officers(body_id: int, on: dt.date | None = None) -> QuerySet:
    """Active, non-auxiliary officers of a body whose own certificate is valid on ``on`` (R04): the
    only ones a page offers as 承办人员. The certificate rule is the registry's one rule
    (``registry.rules.may_act``), applied to the officers with their latest certificate."""
    from zhifa.registry import rules as registry_rules
    from zhifa.registry import services as registry
    from zhifa.registry.models import Officer

    on = on or clock.today()
    candidates = registry.with_current_certificate(
        Officer.objects.filter(body_id=body_id, status=Officer.Status.ACTIVE, is_auxiliary=False))
    ok = [o.pk for o in candidates if not registry_rules.may_act(registry.officer_facts(o), on)]
    return Officer.objects.filter(pk__in=ok).order_by("-is_head", "name", "pk")


def record_of(case_id: int, actor: access.Actor):
    if not visible_cases(actor).filter(pk=case_id).exists():  # in the actor's scope, or 404
        raise Http404("未找到该案件，或您无权查看。")
    return ledger.RecordEntry.objects.filter(stream=f"case:{case_id}").order_by("seq")


def verify_record(case_id: int, actor: access.Actor) -> ledger.Broken | None:
    get_case(case_id, actor)
    return ledger.verify(f"case:{case_id}")


def deadlines_of(case: Case, today: dt.date | None = None, schedule=None) -> list[deadlines.Deadline]:
    """The running deadlines of one case (two small queries plus the calendar stamp)."""
    today = today or clock.today()
    schedule = schedule or workdays.schedule()
    pauses = [deadlines.Interval(p.start, p.end) for p in case.pauses.all()]
    seizures = [s for s in case.seizures.all()]
    return deadlines.case_deadlines(case, schedule, today, pauses, seizures, policy())


def case_documents(case_id: int, actor: access.Actor):
    """The documents a case's actions produced (every version), oldest first; 404 outside scope."""
    from zhifa.documents.models import Document

    case = get_case(case_id, actor)
    return Document.objects.filter(subject=case.stream).select_related("body").order_by("issued_at", "pk")


def registrable_items(actor: access.Actor) -> QuerySet[Item]:
    """The enforcement items a case source can be registered under (案源登记): the penalty items
    (行政处罚事项) of the actor's body; every body's for the administrator. The registration page
    and the inspections' open-case form (R30) offer these."""
    qs = Item.objects.filter(kind=Item.Kind.PENALTY)
    if not actor.is_admin:
        qs = qs.filter(body_id=actor.body_id)
    return qs.order_by("code")


# --- The case list: one filter for the API and the page ----------------------------------------

@dataclass(frozen=True)
class CaseFilter:
    """What a case list is filtered by — the same for ``GET /api/v1/cases`` and the case list page
    (我的案件), so the two never drift apart.

    ``q`` matches the party's name or the case number (contains) or the party's ID code (exact);
    ``mine``: the cases the actor handles (承办); ``overdue``: the stored next deadline has passed."""

    q: str | None = None
    state: str | None = None
    procedure: str | None = None
    mine: bool = False
    overdue: bool = False
    # The drill-down from a statistics figure (R34): the body, item or jurisdiction level, and
    # the period of the figure's date basis (filing, decision or closing date) and outcome.
    body: int | None = None
    item: int | None = None
    level: str | None = None
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    outcome: str | None = None


DRILL_FILTERS = {"body": "body_id", "item": "item_id", "level": "body__jurisdiction__level",
                 "filed_from": "filed_on__gte", "filed_to": "filed_on__lte", "decided_from": "decided_on__gte",
                 "decided_to": "decided_on__lte", "closed_from": "closed_on__gte", "closed_to": "closed_on__lte",
                 "outcome": "outcome"}


def filter_cases(actor: access.Actor, filters: CaseFilter, today: dt.date | None = None) -> QuerySet[Case]:
    """The cases in the actor's scope that ``filters`` selects (unordered: each list sorts its own way)."""
    qs = visible_cases(actor)
    text = (filters.q or "").strip()
    if text:
        qs = qs.filter(Q(party_name__icontains=text) | Q(number__icontains=text) | Q(party_id_code=text))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.procedure:
        qs = qs.filter(procedure=filters.procedure)
    if filters.mine:
        qs = qs.filter(officers=actor.officer) if actor.officer else qs.none()
    if filters.overdue:
        qs = qs.filter(next_due__lt=today or clock.today())
    drill = {lookup: getattr(filters, name) for name, lookup in DRILL_FILTERS.items() if getattr(filters, name)}
    if drill:
        qs = qs.filter(**drill)
    return qs


# --- Queues: the head's approvals, the legal reviewer's reviews ------------------------------------------


EXTENSION_WARNING_DAYS = 10  # offer an extension when the decision period ends within 10 days (APL art.60)
APPROVAL_LABELS = {
    "seizure": "补办查封、扣押批准（24小时内）", "deferral": "延期（分期）缴纳审批", "hearing": "安排听证",
    "extension": "延长办案期限", "filing": "立案审批", "case_review": "案件审核", "decision": "作出处理决定",
    "court": "申请法院强制执行", "closing": "结案审批",
}


def pending_approvals(actor: access.Actor, today: dt.date | None = None) -> QuerySet[Case]:
    """负责人审批: the cases of the head's body waiting for the head — filing, case review, decision,
    hearing to schedule, emergency seizures to approve afterwards, deferral requests, decision
    periods about to end (extension), court applications and closing — each annotated with
    ``pending`` (a code of ``APPROVAL_LABELS``), most urgent first (stored ``next_due``), one query."""
    permissions.require_head(actor)
    today = today or clock.today()
    unapproved = dj.Exists(Seizure.objects.filter(case=dj.OuterRef("pk"), emergency=True, approved_on__isnull=True,
                                                  released_on__isnull=True))
    W = dj.When
    pending = dj.Case(
        W(unapproved, then=dj.Value("seizure")),
        W(Q(state="served", deferral_requested_on__isnull=False), then=dj.Value("deferral")),
        W(Q(state="notified", hearing_status="requested"), then=dj.Value("hearing")),
        W(Q(state__in=workflow.OPEN_STATES, next_due_kind="decision", next_due__lte=today + dt.timedelta(days=EXTENSION_WARNING_DAYS)),
          then=dj.Value("extension")),
        W(Q(state="source", procedure="normal"), then=dj.Value("filing")),
        W(Q(state="investigated"), then=dj.Value("case_review")),
        W(Q(state__in=["reviewed", "notified"]), then=dj.Value("decision")),
        W(Q(state="served", reminded_on__isnull=False, remedy_since__isnull=True), then=dj.Value("court")),
        W(Q(state="executed") | Q(state="decided", outcome__in=["no_penalty", "transfer"]), then=dj.Value("closing")),
        default=dj.Value(""), output_field=dj.CharField(),
    )
    return (visible_cases(actor).filter(body_id=actor.body_id).annotate(pending=pending).exclude(pending="")
            .order_by(dj.F("next_due").asc(nulls_last=True), "-id"))


def pending_reviews(actor: access.Actor) -> QuerySet[LegalReview]:
    """法制审核: the reviews waiting for this legal reviewer — of the own body's cases and, for a
    county department's reviewer, of its townships' cases (提级审核) — most urgent case first."""
    officer = permissions.require_reviewer(actor)
    return (LegalReview.objects.filter(reviewer=officer, completed_on__isnull=True, case__in=visible_cases(actor))
            .select_related("case", "case__item", "case__body")
            .order_by(dj.F("case__next_due").asc(nulls_last=True), "requested_on", "pk"))


def completed_reviews(actor: access.Actor, limit: int = 20) -> QuerySet[LegalReview]:
    officer = permissions.require_reviewer(actor)
    return (LegalReview.objects.filter(reviewer=officer, completed_on__isnull=False)
            .select_related("case", "case__item").order_by("-completed_on", "-pk")[:limit])


# --- Counts ------------------------------------------------------------------------------------


def overdue_counts(today: dt.date | None = None) -> dict[str, int]:
    """Open cases whose stored next deadline has passed, by kind (``zhifa sweep``)."""
    today = today or clock.today()
    rows = (Case.objects.exclude(state__in=workflow.TERMINAL).filter(next_due__lt=today)
            .values_list("next_due_kind").annotate(n=dj.Count("pk")).order_by())
    return {kind: n for kind, n in rows}


def for_shape(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Cases as a page or the API shows them: body, item and party joined, the calendar stamp
    (``workdays.stamp_columns``) and whether each has pauses or seizures, in the one query; the
    officers prefetched. ``with_clock_rows`` then reads pauses and seizures only for the cases
    that have any (most have none)."""
    return (qs.select_related("body", "item", "party").prefetch_related("officers")
            .annotate(has_pauses=Exists(Pause.objects.filter(case_id=OuterRef("pk"))),
                      has_seizures=Exists(Seizure.objects.filter(case_id=OuterRef("pk"))),
                      **workdays.stamp_columns()))


def with_clock_rows(cases: list[Case]) -> list[Case]:
    """Prefetch the pauses (by start) and seizures of the cases of ``for_shape`` that have any;
    the others get empty ones without a query."""
    from django.db.models import prefetch_related_objects

    for name, flag, queryset in (("pauses", "has_pauses", Pause.objects.order_by("start")),
                                 ("seizures", "has_seizures", Seizure.objects.all())):
        having = [c for c in cases if getattr(c, flag, True)]
        if having:
            prefetch_related_objects(having, Prefetch(name, queryset=queryset))
        for case in cases:
            if not getattr(case, flag, True):
                empty = getattr(case, name).none()
                empty._result_cache, empty._prefetch_done = [], True
                case.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty
    return cases
