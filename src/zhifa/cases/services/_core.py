"""The skeleton of every act on a case (办案操作的共同骨架), shared by the chapter modules.

An act is ``name(case_id, *, …, actor)`` and reads as what is checked, what changes, what is
recorded::

    with _act(case_id, "serve", actor) as (case, act):   # transaction, lock, role, certificate, state
        act.v += rules.check_service(method, consent)      # the legal guards of ``rules``
        act.refuse()                                       # refuse with every violation at once
        case.served_on = served_on                         # the change
        return act.commit({...}, fields=[...])             # state, version, deadline, record entry

``_act`` opens the transaction, ``_lock``s the case row in the actor's scope and ``_begin``s the act
(role → 403, the actor's certificate and assignment, procedure and state → ``WRONG_STATE``); guards
that need nothing of the change can be given to ``_act`` and are refused on entry. ``act.commit``
is ``_commit``: the new state, the version, the stored next deadline and one entry on the
full-process record ``case:<id>`` — all in the one transaction. ``_set_and_record`` is an act whose
whole effect is a few fields of the case. ``action`` registers each act under its workflow code
(one row in ``workflow``, one function here, one template), and ``perform`` runs an act by its
code and returns the case as the act left it.
"""
from __future__ import annotations

import contextvars
import datetime as dt
from contextlib import contextmanager
import hashlib
import json
from decimal import Decimal
from typing import Any, NamedTuple
from collections.abc import Callable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404

from zhifa.catalog import discretion
from zhifa.catalog import rules as cat
from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import Item
from zhifa.core import citations
from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import TWO_OFFICERS_REQUIRED, Refused, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry import rules as registry_rules
from zhifa.registry import services as registry
from zhifa.registry.models import Body, Officer

from .. import deadlines, hooks, paperwork, rules, workflow
from ..models import Case, Pause, RemedyPeriod, Seizure
from ..permissions import check_actor, forget_officers, officer_facts, officer_ids, require_role
from ..selectors import get_case, policy, visible_cases


# --- The table of acts: workflow code -> function -------------------------------------------

class _Actions:
    """``@action("file")`` registers the decorated use case as the workflow action ``file``."""

    def __init__(self) -> None:
        self.table: dict[str, Callable[..., Any]] = {}

    def __call__(self, code: str):
        def register(fn):
            if code in self.table:
                raise ValueError(f"办案操作 {code} 重复登记")
            self.table[code] = fn
            return fn
        return register


action = _Actions()
# The cases ``_commit`` saved during one ``perform`` (the last is the case the act changed).
_acted: contextvars.ContextVar[list | None] = contextvars.ContextVar("zhifa_cases_acted", default=None)


@use_case
def perform(case_id: int, code: str, data: dict, *, actor: access.Actor) -> Case:
    """Run the action ``code`` with its keyword arguments ``data``; return the case as the act left
    it (whatever the act's own function returns: a seizure, a decision …)."""
    if code not in action.table:
        raise Http404("没有这个办案操作。")
    token = _acted.set([])
    try:
        action.table[code](case_id, **data, actor=actor)
        acted = _acted.get()
    finally:
        _acted.reset(token)
    if not acted:
        return get_case(case_id, actor)
    return prime(acted[-1])


# --- The skeleton of every write -------------------------------------------------------------

def _lock(case_id: int, actor: access.Actor) -> Case:
    """The case row locked in the actor's scope, with its body, item and party, and whether it has
    pauses and running seizures (``_due_items`` reads them only then: most cases have none)."""
    case = (visible_cases(actor).select_for_update(of=("self",)).select_related("body", "item", "party")
            .annotate(has_pauses=Exists(Pause.objects.filter(case_id=OuterRef("pk"))),
                      has_open_seizures=Exists(Seizure.objects.filter(case_id=OuterRef("pk"), released_on__isnull=True)),
                      **workdays.stamp_columns(), **ledger.head_columns(f"case:{case_id}"))
            .filter(pk=case_id).first())
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    # The calendar stamp and the record's last entry came with the lock: the act reads neither again.
    workdays.hold(case)
    ledger.know_head_of(case.stream, case)
    return case


def _begin(case: Case, code: str, actor: access.Actor) -> tuple[workflow.Action, list[Violation]]:
    """Role (403); the actor's own certificate on the act's date (R04) and assignment to the case
    (承办), then procedure and state (409) of an action on a locked case."""
    act = workflow.BY_CODE[code]
    require_role(actor, case, act.role, act.label)
    violations: list[Violation] = check_actor(actor, case, act.role, act.label, clock.today())
    if case.procedure not in act.procedures:
        violations.append(Violation(rules.WRONG_STATE, f"{workflow.PROCEDURES[case.procedure]}案件不能{act.label}。", rules.ART47))
    violations += rules.check_state(case.state, act.sources, act.label, workflow.state_label(case.state))
    return act, violations


def _officer_ids(case: Case) -> list[int]:
    """The assigned officers' ids, read once per act (``permissions.officer_ids``)."""
    return officer_ids(case)


def _assign(case: Case, ids: list[int]) -> None:
    """Set the case's assigned officers (承办人员). When the act knows the officers before (its
    first check read them) only the difference is written; when it read the new ones
    (``_require_body_officers``), they are kept for its other guards, its documents and its
    answer; otherwise the next ``_officer_ids`` reads them again."""
    before = case.__dict__.get("_zhifa_officer_ids")
    if before is None:
        case.officers.set(ids)
    else:
        if gone := set(before) - set(ids):
            case.officers.remove(*gone)
        if new := [pk for pk in ids if pk not in before]:
            case.officers.add(*new)
    forget_officers(case)
    named = case.__dict__.get("_zhifa_named_officers")
    if named is not None and set(ids) <= named.keys():
        case._zhifa_officer_ids = [pk for pk in named if pk in set(ids)]  # in the registry's order, as a read gives them
        case._zhifa_officer_facts = {pk: named[pk] for pk in case._zhifa_officer_ids}


def _officers_ok(ids: list[int], today: dt.date, case: Case | None = None) -> list[Violation]:
    """R15: two officers with valid certificates (APL art.42) — from the facts the act's first
    check kept on ``case`` (``permissions.load_people``) when they cover ``ids``, else read."""
    if not ids:
        return _two_required()
    facts = officer_facts(case, ids) if case is not None else None
    named = case.__dict__.get("_zhifa_named_officers") if case is not None else None
    if facts is None and named is not None and set(ids) <= named.keys():
        facts = [f for pk, f in named.items() if pk in set(ids)]
    if facts is None:
        return registry.check_officers_may_act(ids, today)
    return registry_rules.officers_may_act(facts, today)


def _two_required() -> list[Violation]:
    from zhifa.registry.rules import BASIS_TWO_OFFICERS

    return [Violation(TWO_OFFICERS_REQUIRED, "执法人员不得少于2人且均应持有有效行政执法证，当前符合条件的仅0人（辅助人员不计入）。", BASIS_TWO_OFFICERS)]


def _plain(content: dict) -> dict:
    """JSON-safe copy (dates as ISO strings, money as decimal strings) for a JSON field."""
    return json.loads(ledger.canonical(content))


def _digest(content: dict) -> str:
    return hashlib.sha256(ledger.canonical(content)).hexdigest()


def _commit(case: Case, act: workflow.Action, actor: access.Actor, payload: dict, *, target: str | None = None,
            fields: list[str] | None = None) -> Case:
    """Apply the state change, bump the version, save and append the record entry."""
    before = case.state
    new_state = target or act.target
    if new_state:
        case.state = new_state
    case.version += 1
    _set_next_due(case, _due_items(case, clock.today()))
    if fields is None:
        case.save()
    else:
        case.save(update_fields=sorted({*fields, *ALWAYS_SAVED, "state", "version", "updated_at"}))
    ledger.append(case.stream, act.code, {"label": act.label, "from": before, "to": case.state, "version": case.version, **payload},
                  actor=actor.user, actor_name=_actor_name(actor), savepoint=False)  # the act fails whole with its entry
    acted = _acted.get()
    if acted is not None:
        acted.append(case)
    hooks.after_act(case.pk)  # e.g. supervision's per-case alerts, on commit (cases.hooks)
    return case


class _Act:
    """One act in progress on a locked case (``_act``): ``case``, the workflow ``action``, the
    violations ``v`` gathered so far; ``refuse()`` ends the checks, ``commit()`` records the change."""

    __slots__ = ("action", "actor", "case", "v")

    def __init__(self, case: Case, act: workflow.Action, v: list[Violation], actor: access.Actor) -> None:
        self.case, self.action, self.v, self.actor = case, act, v, actor

    def refuse(self) -> None:
        """Refuse with every violation gathered (403/409/422 …) before anything changes."""
        refuse_if_any(self.v)

    def commit(self, payload: dict, *, target: str | None = None, fields: list[str] | None = None) -> Case:
        """``_commit``: the new state, the version, the stored deadline and the record entry."""
        refuse_if_any(self.v)  # a check added after ``refuse()`` still refuses (no query when empty)
        return _commit(self.case, self.action, self.actor, payload, target=target, fields=fields)


# The guards an act may give ``_act``: violations already found, or a function of the locked case.
_Checks = list[Violation] | Callable[[Case], list[Violation]] | None


@contextmanager
def _act(case_id: int, code: str, actor: access.Actor, checks: _Checks = None):
    """The skeleton of every act: open the transaction, lock the case in the actor's scope and
    ``_begin`` the act ``code`` (role, the actor's certificate and assignment, procedure, state).
    Yields ``(case, act)``; the block appends its guards to ``act.v``, calls ``act.refuse()``, makes
    the change and returns ``act.commit(...)``. With ``checks`` — the violations of guards that need
    no case, or a function of the locked case returning them — the guards are gathered and refused
    on entry: the block is the change."""
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, code, actor)
        current = _Act(case, act, v, actor)
        if checks is not None:
            current.v += checks(case) if callable(checks) else checks
            current.refuse()
        yield case, current


def _require(ok: bool, code: str, message: str, basis: str = "") -> list[Violation]:
    """The violation ``code`` unless ``ok`` (a guard that is one condition)."""
    return [] if ok else [Violation(code, message, basis)]


def _set_and_record(case_id: int, code: str, actor: access.Actor, changes: dict[str, Any], payload: dict, *,
                    checks: _Checks = None) -> Case:
    """An act whose whole effect is a few fields of the case and its record entry: the checks,
    then ``changes`` set and saved with the record."""
    with _act(case_id, code, actor, checks) as (case, act):
        for name, value in changes.items():
            setattr(case, name, value)
        return act.commit(payload, fields=list(changes))


# Saved by every ``_commit``: the stored next deadline, and the fields the checks of R15, R18,
# APL arts.33, 48, 66 and 73 keep (cheap to rewrite; the row is locked).
ALWAYS_SAVED = ("next_due", "next_due_kind", "next_due_provisional", "review_basis", "review_status", "rights_told_on",
                "credentials_shown_on", "educated_on", "publication_due", "published_on", "withdrawal_due",
                "publication_withdrawn_on", "payment_deferred_on", "deferral_requested_on", "remedy_since",
                "collected_on_spot_on", "collection_handed_over_on")


def _due_items(case: Case, today: dt.date, schedule=None, pol: rules.CasePolicy | None = None) -> list[deadlines.Deadline]:
    """The running deadlines of a locked case, read fresh (pauses only while the 90-day clock runs).

    What it read is kept on the case (``_Held``): the last call, in ``_commit``, sees the case as
    the act leaves it, so ``prime`` can answer the act's caller without reading the case again."""
    # ``has_pauses`` / ``has_open_seizures``: annotated by ``_lock`` and set by the acts that add
    # one (``pause_clock``, ``seize``); a case not locked here reads them whatever.
    pauses = (list(Pause.objects.filter(case_id=case.pk).order_by("start"))
              if case.state in workflow.OPEN_STATES and case.filed_on and getattr(case, "has_pauses", True) else [])
    seizures = (list(Seizure.objects.filter(case_id=case.pk, released_on__isnull=True))
                if case.state not in ("source", *workflow.TERMINAL) and getattr(case, "has_open_seizures", True) else [])
    schedule = schedule or workdays.schedule()
    case._zhifa_held = _Held(schedule, pauses, seizures)
    return deadlines.case_deadlines(case, schedule, today, [deadlines.Interval(p.start, p.end) for p in pauses], seizures,
                                    pol or policy())


class _Held(NamedTuple):
    """What ``_due_items`` read for a case: the calendar it counted with, the pauses (only while the
    decision period runs) and the running seizures (only in the states where they matter)."""

    schedule: Any
    pauses: list[Pause]
    seizures: list[Seizure]


def _cached(manager, rows: list) -> Any:
    """A queryset of ``manager`` whose result is ``rows`` (what ``prefetch_related`` stores)."""
    qs = manager.all()
    qs._result_cache, qs._prefetch_done = rows, True
    return qs


@query
def prime(case: Case) -> Case:
    """The case an act just committed, ready to be shown without reading it again (issue 21: the
    answer of an action is built from what the action holds): its pauses and running seizures as
    the act's last deadline computation read them (``situation`` and the deadlines read no more —
    the same conditions select them), its officers once, the calendar the act counted with. A case
    that holds nothing is returned as it is."""
    held = case.__dict__.get("_zhifa_held")
    if held is None:
        return case
    cache = case.__dict__.setdefault("_prefetched_objects_cache", {})
    cache["pauses"] = _cached(case.pauses, held.pauses)
    cache["seizures"] = _cached(case.seizures, held.seizures)
    return case


@query
def held_schedule(case: Case):
    """The calendar the act on ``case`` counted with (None when it holds none)."""
    held = case.__dict__.get("_zhifa_held")
    return held.schedule if held is not None else None


def _set_next_due(case: Case, items: list[deadlines.Deadline]) -> None:
    """Store the most urgent running deadline on the case (lists sort and filter by it in SQL)."""
    first = items[0] if items else None
    case.next_due = first.due if first else None
    case.next_due_kind = first.kind if first else ""
    case.next_due_provisional = bool(first and first.provisional)


def _actor_name(actor: access.Actor) -> str:
    """The officer's name in the record (the login name for an account without an officer)."""
    if actor.officer is not None:
        return actor.officer.name
    return actor.user.get_username() if getattr(actor.user, "is_authenticated", False) else ""

_UNSET = object()  # "not loaded yet" (a benchmark may be loaded and be None)

# --- Facts of a case for the rules --------------------------------------------------------------

def _noticed(case: Case) -> rules.NoticeFacts | None:
    if case.notice_served_on is None:
        return None
    return rules.NoticeFacts(
        served_on=case.notice_served_on, kinds=tuple(case.proposed_kinds), amount=case.proposed_amount,
        defence_due=case.defence_due, hearing_due=case.hearing_due, defence_done=case.defence_done,
        hearing_status=case.hearing_status,
    )


def _party_kind(case: Case) -> cat.PartyKind:
    return cat.PartyKind(case.party_kind)


def _other_fines(case: Case) -> int:
    """APL art.29: fines already decided for the same act of the same party (``rules.same_act``:
    party id code and overlapping act dates) by any body, under any item."""
    if not case.party_id_code:
        return 0
    others = (Case.objects.filter(party_id_code=case.party_id_code, outcome="penalty", decision_amount__gt=0,
                                  act_date__lte=case.act_end_date or case.act_date)
              .exclude(pk=case.pk).values_list("party_id_code", "act_date", "act_end_date"))
    return sum(rules.same_act(case.party_id_code, case.act_date, case.act_end_date, code, start, end) for code, start, end in others)


def _statutory_guard(case: Case, amount: Decimal | None, benchmark=_UNSET) -> list[Violation]:
    """A fine within the violated provision's statutory maximum (the published benchmark's range in
    force on the day of the act, APL art.37), whatever reason is written."""
    if amount is None:
        return []
    if benchmark is _UNSET:
        benchmark = discretion.applicable_benchmark(case.item, case.act_date)
    if benchmark is None:
        return []
    spec = discretion.benchmark_spec(benchmark)
    bases = {g.amount_basis for g in spec.grades if g.has_amount}
    fixed = bases <= {cat.AmountBasis.FIXED}
    base = None
    if len(bases) == 1 and not fixed:
        base = {cat.AmountBasis.ILLEGAL_GAINS: case.illegal_gains, cat.AmountBasis.GOODS_VALUE: case.goods_value}.get(next(iter(bases)))
    maximum = rules.statutory_maximum(spec.legal_max(), fixed, base) if len(bases) <= 1 else None
    return rules.check_statutory_maximum(amount, maximum, spec.legal_basis)


def _court_window(case: Case):
    """ACL art.53: the first and last day to apply to the court (``deadlines.court_window``), from
    the service of the decision and any remedy the party brought that has ended."""
    ended = [e for e in RemedyPeriod.objects.filter(case_id=case.pk, end__isnull=False).values_list("end", flat=True)]
    return deadlines.court_window(workdays.schedule(), case.served_on or case.decided_on, ended, policy())


def _decision_due(case: Case, today: dt.date) -> dt.date:
    """The last day of the decision period (APL art.60) as it stands on ``today``."""
    pauses = ([deadlines.Interval(a, b) for a, b in Pause.objects.filter(case_id=case.pk).order_by("start").values_list("start", "end")]
              if getattr(case, "has_pauses", True) else [])  # the lock's flag (``_lock``)
    return deadlines.decision_due(workdays.schedule(), case.filed_on, pauses, case.extension_days, today, policy()).date


def _av_guard(case: Case, act_kind: str, act_label: str) -> list[Violation]:
    level, citation = discretion.must_record(case.body_id, act_kind)
    if level is not cat.RecordingLevel.MUST:
        return []
    has_av = case.evidence.filter(is_av=True, act=act_kind).exists()
    return rules.check_av_record(level.value, has_av, act_label, citation)


def _limitation(case: Case, on: dt.date) -> list[Violation]:
    return rules.check_limitation(case.act_date, case.act_end_date, case.safety_harm, on)


def _item_and_competence(body: Body, item: Item, on: dt.date) -> list[Violation]:
    return rules.check_competence(catalog_selectors.competence_of(body.pk).covers(item.pk, on), body.name, item.full_name)


def _require_body_officers(officer_ids: list[int], body_id: int, case: Case | None = None) -> None:
    """The officers named are the body's. With ``case``, the same query reads them with their
    latest certificates and keeps their facts on the case for ``_officers_ok`` and ``_assign``."""
    if case is None:
        found = set(Officer.objects.filter(pk__in=officer_ids, body_id=body_id).values_list("pk", flat=True))
    else:
        rows = registry.with_current_certificate(Officer.objects.filter(pk__in=officer_ids))
        named = case._zhifa_named_officers = {o.pk: registry.officer_facts(o) for o in rows}
        found = {pk for pk, f in named.items() if f.body_id == body_id}
    missing = [i for i in officer_ids if i not in found]
    if missing:
        raise Refused([Violation(rules.OFFICER_NOT_OF_BODY, f"承办人员（编号{'、'.join(map(str, missing))}）不是本主体的执法人员。",
                                 citations.APL_ART42)])


def _remedies(case: Case) -> list[deadlines.Interval]:
    return [deadlines.Interval(a, b) for a, b in RemedyPeriod.objects.filter(case_id=case.pk).values_list("start", "end")]


def _seizure(case: Case, seizure_id: int) -> Seizure:
    s = Seizure.objects.select_for_update().filter(pk=seizure_id, case=case).first()
    if s is None:
        raise Http404("未找到该查封扣押。")
    return s


def _seizure_number(case: Case, s: Seizure) -> str:
    """The number of the seizure's decision (or, for one made before documents were issued, its date)."""
    return paperwork.number_of(case, ["seizure_decision"], seizure_id=s.pk) or f"{s.decided_on.isoformat()}作出的查封（扣押）"


def _review_needed(case: Case, kinds: list[str], amount: Decimal | None) -> tuple[bool, list[str]]:
    triggers = frozenset({cat.ReviewTrigger.COMPLEX} if case.is_major else set())
    facts = cat.DecisionFacts(
        item_code=case.item.code, party_kind=_party_kind(case),
        penalty_kinds=frozenset(cat.PenaltyKind(k) for k in kinds if k in cat.PenaltyKind._value2member_map_),
        fine=amount or Decimal(0), confiscation_value=case.illegal_gains or Decimal(0) if "confiscate_gains" in kinds else Decimal(0),
        hearing_held=case.hearing_status == "held", triggers=triggers,
    )
    return discretion.needs_legal_review(case.body_id, facts)
