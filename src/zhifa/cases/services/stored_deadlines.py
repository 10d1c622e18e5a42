"""The stored deadlines (``Case.next_due`` and the legal dates kept on the case): recomputed from the
working-day calendar as it is now, by ``zhifa sweep`` daily and after ``zhifa load_holidays``.
These are derived writes (``@use_case(derived=True)``); a legal date that moves is still
recorded on the case (``recompute_deadlines``).
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db import models as dj
from django.db.models import Q

from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import use_case

from .. import deadlines, workflow
from ..models import Case, Pause, Seizure
from ..selectors import policy
from ._core import _set_next_due


FIELDS = ["defence_due", "hearing_due", "payment_due", "publication_due", "next_due", "next_due_kind", "next_due_provisional"]


def _open_case_ids(case_ids, years) -> list[int]:
    """The open cases to recompute: all, those named, or those with a stored date in ``years``."""
    qs = Case.objects.exclude(state__in=workflow.TERMINAL)
    if case_ids is not None:
        qs = qs.filter(pk__in=list(case_ids))
    if years:
        ys = sorted(set(years))
        open_seizure = Seizure.objects.filter(case=dj.OuterRef("pk"), released_on__isnull=True, due__year__in=ys)
        qs = qs.filter(Q(next_due__year__in=ys) | Q(defence_due__year__in=ys) | Q(hearing_due__year__in=ys)
                       | Q(payment_due__year__in=ys) | Q(publication_due__year__in=ys) | Q(withdrawal_due__year__in=ys)
                       | dj.Exists(open_seizure))
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _legal_dates(case: Case, seizures: list[Seizure], schedule, pol) -> tuple[dict[str, dict], list[Seizure]]:
    """Set the legal dates of one case (and of its open seizures) as the calendar gives them now;
    returns what moved (``{"defence_due": {"from": …, "to": …}, "seizure:7": …}``) and the seizures changed."""
    moved: dict[str, dict] = {}

    def put(name, new, obj=case, key=None):
        old = getattr(obj, name)
        if new != old:
            moved[key or name] = {"from": old, "to": new}
            setattr(obj, name, new)

    if case.state == "notified" and case.notice_served_on:
        put("defence_due", schedule.add_working_days(case.notice_served_on, pol.defence_working_days).date)
        if case.hearing_due:
            put("hearing_due", schedule.add_working_days(case.notice_served_on, pol.hearing_request_working_days).date)
    if case.state == "served" and case.served_on and case.payment_due and not case.payment_deferred_on:
        put("payment_due", schedule.add_calendar_days(case.served_on, pol.payment_days).date)
    if case.publication_due and not case.published_on and case.decided_on and not case.publication_withdrawn_on:
        put("publication_due", schedule.add_working_days(case.decided_on, pol.publication_rule(case.body.sector)[0]).date)
    changed = []
    for s in seizures:
        days = pol.seizure_days + (pol.seizure_extension_days if s.extended_on else 0) + s.testing_days
        before = s.due
        put("due", schedule.add_calendar_days(s.decided_on, days).date, obj=s, key=f"seizure:{s.pk}")
        if s.due != before:
            changed.append(s)
    return moved, changed


def _recompute_batch(chunk: list[int], today: dt.date, schedule, pol) -> int:
    """One transaction: lock a batch of cases and their open seizures, recompute, save, record."""
    changed = 0
    cases = list(Case.objects.select_for_update(of=("self",)).select_related("body").filter(pk__in=chunk).order_by("pk"))
    pauses: dict[int, list] = {}
    for cid, a, b in Pause.objects.filter(case_id__in=chunk).order_by("start").values_list("case_id", "start", "end"):
        pauses.setdefault(cid, []).append(deadlines.Interval(a, b))
    seizures: dict[int, list] = {}
    for s in Seizure.objects.select_for_update().filter(case_id__in=chunk, released_on__isnull=True):
        seizures.setdefault(s.case_id, []).append(s)
    cases_out, seizures_out = [], []
    for case in cases:
        moved, moved_seizures = _legal_dates(case, seizures.get(case.pk, []), schedule, pol)
        seizures_out += moved_seizures
        before = (case.next_due, case.next_due_kind, case.next_due_provisional)
        _set_next_due(case, deadlines.case_deadlines(case, schedule, today, pauses.get(case.pk, []),
                                                     seizures.get(case.pk, []), pol))
        if moved or before != (case.next_due, case.next_due_kind, case.next_due_provisional):
            cases_out.append(case)
            changed += 1
        if moved:
            ledger.append(case.stream, "recompute_deadlines", {"label": "按节假日安排重新计算期限", "changes": moved},
                          actor_name="系统")
    Case.objects.bulk_update(cases_out, FIELDS)
    Seizure.objects.bulk_update(seizures_out, ["due"])
    return changed


@use_case(derived=True)
def recompute_deadlines(case_ids=None, *, years=None, today: dt.date | None = None, batch: int = 500) -> int:
    """Recompute the stored deadlines of open cases from the working-day calendar as it is now:
    the defence and hearing-request periods, the payment period (unless deferred), the publication
    period, open seizures' ends, and ``next_due``. ``years``: only cases with a stored date in those
    years (the hook after ``zhifa load_holidays``: provisional dates become final). A changed legal
    date is recorded on the case's record (``recompute_deadlines``); returns the cases changed."""
    today = today or clock.today()
    pol, schedule = policy(), workdays.schedule()
    ids = _open_case_ids(case_ids, years)
    changed = 0
    for i in range(0, len(ids), batch):
        with transaction.atomic():
            changed += _recompute_batch(ids[i:i + batch], today, schedule, pol)
    return changed


@use_case(derived=True)
def recompute_after_holidays(years: list[int]) -> int:
    """``ZHIFA["CALENDAR_RECOMPUTE_HOOKS"]`` hook: ``zhifa load_holidays`` loaded ``years``."""
    return recompute_deadlines(years=years)
