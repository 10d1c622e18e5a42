"""The alert engine (预警, R33): run the rules of the published catalogue over the data, raise new
alerts and close those whose cause is gone — idempotently: an alert's dedup key (去重键) names its
cause and is unique among live alerts (a database constraint), so a second sweep raises nothing
twice; a cause whose alert was converted to a notice or dismissed on contest is not raised again.

- ``run_alerts`` — the nightly sweep (``zhifa sweep``, ``ZHIFA["SWEEP_TASKS"]``: ``sweep``) or the
  light hook after a case act (``on_case_act``: the per-case rules of that case only). A run that
  changes anything writes one record entry (stream ``alerts``, or ``alerts:case:<id>`` for a
  one-case run) listing the alerts raised and closed (a bulk process records once per run, architecture.md).
- ``act_on_alert`` — the office converts an alert into a supervision notice (``notices.issue_notice``),
  the body contests it with reasons, the office upholds or dismisses the contest; each a step and
  an entry on ``alert:<id>``.
- ``mark_no_occurrence`` / ``withdraw_no_occurrence`` — an item "not expected to occur" (预计不发生),
  with its reason and approver, which the zero-case rule then skips.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.catalog.models import Item
from zhifa.core import clock, ledger
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Body
from zhifa.transfers import selectors as transfer_selectors

from .. import inputs, permissions
from .. import selectors_alerts as sel
from ..models_alerts import Alert, AlertStep, NoOccurrenceMark
from ..permissions import actor_name
from ..rules import alerts as rules
from ..rules import alerts_unequal as unequal
from .notices import issue_notice

log = logging.getLogger(__name__)
STREAM = "alerts"
SWEEPER = sel.SWEEPER
BASIS_ALERTS = "行政处罚法第七十五条；行政执法监督条例（国务院令第825号）第六条"
BATCH = 1000
#: The system's actor for the reads of a sweep (every body, no person).
SYSTEM = access.Actor(user=None, roles=frozenset({access.Role.ADMIN}))


@query
def evaluate(today: dt.date, codes: Iterable[str] | None = None, case_ids=None) -> tuple[list[str], list[rules.Candidate]]:
    """The candidates of the rules ``codes`` (all by default; with ``case_ids``, the per-case rules
    for those cases only): the selectors prepare the rows, the pure rules judge them."""
    specs = sel.catalogue()
    wanted = [c for c in (codes or specs) if c in specs]
    if case_ids is not None:
        wanted = [c for c in wanted if c in sel.CASE_RULES]
    out: list[rules.Candidate] = []
    for code in wanted:
        spec = specs[code]
        if code == "OVERDUE_STEP":
            out += rules.overdue_steps(sel.due_rows(today, spec, case_ids), today, spec)
        elif code == "TRANSFER_OVERDUE":
            now = dt.datetime.combine(today, dt.time.min, tzinfo=clock.now().tzinfo)
            out += rules.overdue_transfers(sel.transfer_due_rows(now), today, spec)
        elif code == "NOTICE_NOT_SERVED":
            out += rules.notice_not_served(sel.notice_rows(spec, case_ids), spec)
        elif code == "DECISION_DOCUMENTS_MISSING":
            out += rules.documents_missing(sel.documents_rows(case_ids), spec)
        elif code == "COLLECTION_NOT_HANDED_OVER":
            out += rules.collection_not_handed_over(sel.collection_rows(today, spec, case_ids), today, spec)
        elif code == "UNCERTIFIED_ENFORCEMENT":
            out += rules.uncertified_enforcement(sel.staffing_rows(today, spec, case_ids), spec)
        elif code == "TRAINING_SHORTFALL":
            out += rules.training_shortfall(sel.training_rows(today.year - 1, spec), spec)
        elif code == "NO_LEGAL_REVIEWER":
            out += rules.no_legal_reviewer(sel.reviewer_rows(), spec)
        elif code == "UNEQUAL_PENALTY":
            out += unequal.unequal_penalties(sel.fine_rows(today, spec), spec)
        elif code == "ZERO_CASE_ITEM":
            since, rows = sel.zero_item_rows(today, spec)
            out += rules.zero_case_items(rows, since, today, spec)
        elif code == "OVER_INSPECTED":
            since, rows = sel.inspected_rows(today, spec)
            out += rules.over_inspected(rows, since, spec)
        elif code == "COMPLAINTS_NEVER_ACTED":
            since, rows = sel.complaint_rows(today, spec)
            out += rules.complaints_never_acted(rows, since, spec)
        elif code == "SELECTIVE_ENFORCEMENT":
            since, rows = sel.pair_rows(today, spec)
            out += rules.selective_enforcement(rows, since, spec)
    signal_codes = [c for c in ("CASE_NOT_TRANSFERRED", "FINE_INSTEAD_OF_TRANSFER") if c in wanted]
    if signal_codes:
        signals = [s.as_dict() for s in transfer_selectors.signals(SYSTEM)]
        out += rules.transfer_signals([s for s in signals if s["code"] in signal_codes], specs)
    return wanted, out


@use_case
def run_alerts(case_ids: Iterable[int] | None = None, *, codes: Iterable[str] | None = None, today: dt.date | None = None,
               actor: access.Actor | None = None) -> dict:
    """Raise the new alerts and close the resolved ones for the rules evaluated (and, with
    ``case_ids``, only the per-case alerts of those cases). Returns the counts."""
    today = today or clock.today()
    case_ids = None if case_ids is None else sorted(set(case_ids))
    specs = sel.catalogue()
    evaluated, candidates = evaluate(today, codes, case_ids)
    found = {c.key: c for c in candidates}
    with transaction.atomic():
        live_qs = Alert.objects.filter(rule__in=evaluated, state__in=rules.LIVE)
        if case_ids is not None:
            live_qs = live_qs.filter(case_id__in=case_ids)
        live = dict(live_qs.select_for_update().values_list("key", "pk"))
        new_keys = [k for k in found if k not in live]
        suppressed: set[str] = set()
        for i in range(0, len(new_keys), BATCH):
            suppressed |= set(Alert.objects.filter(key__in=new_keys[i:i + BATCH], state__in=(rules.CONVERTED, rules.DISMISSED))
                              .values_list("key", flat=True))
        fresh = [found[k] for k in new_keys if k not in suppressed]
        created = Alert.objects.bulk_create([
            Alert(rule=c.rule, rule_version=specs[c.rule].version, key=c.key, body_id=c.body_id, case_id=c.case_id,
                  transfer_id=c.transfer_id, officer_id=c.officer_id, item_id=c.item_id, message=c.message,
                  evidence=c.evidence, raised_on=today) for c in fresh], batch_size=BATCH)
        gone = [pk for key, pk in live.items() if key not in found]
        for i in range(0, len(gone), BATCH):
            Alert.objects.filter(pk__in=gone[i:i + BATCH]).update(state=rules.CLOSED, closed_on=today)
        # Raising and closing are recorded once per run (the entry lists the alerts); the alert's
        # own steps (``AlertStep``) are the acts of people — the page shows the run's as its first
        # and last lines (``selectors_alerts.steps_of``). Half the rows of a large first sweep.
        name = actor_name(actor) if actor else SWEEPER
        user = ledger.user_of(actor) if actor else None
        if created or gone:
            # A one-case run (the hook after a case act) records on that case's own alerts stream, so
            # that acts on different cases at the same moment never contend for one stream's next entry.
            stream = f"{STREAM}:case:{case_ids[0]}" if case_ids and len(case_ids) == 1 else STREAM
            ledger.append(stream, "sweep", {"label": "预警扫描", "catalogue": sel.catalogue_version(), "rules": evaluated,
                                            "cases": case_ids, "today": today, "raised": [a.pk for a in created], "closed": gone},
                          actor=user, actor_name=name)
    return {"evaluated": evaluated, "found": len(found), "raised": len(created), "closed": len(gone), "suppressed": len(suppressed)}


@use_case
def sweep() -> str:
    """``ZHIFA["SWEEP_TASKS"]``: every rule over the whole city; the line ``zhifa sweep`` prints."""
    r = run_alerts()
    return f"执法监督预警：新增 {r['raised']} 条，自动消除 {r['closed']} 条，现有原因 {r['found']} 项。"


@use_case
def on_case_act(case_id: int) -> None:
    """``cases.hooks`` after-act hook (run on commit): queue the per-case rules of that one case for
    the task worker (``supervision/tasks.py``), so that the act does not wait for them. A failure
    here never breaks the act (the nightly sweep catches up)."""
    if not (getattr(settings, "ZHIFA", {}) or {}).get("ALERTS_ON_ACT", True):
        return
    from ..tasks import case_alerts

    try:
        case_alerts.enqueue(case_id)
    except Exception:  # pragma: no cover - logged, the sweep repairs
        log.exception("预警（案件 %s）计算失败", case_id)


# --- Acts on an alert --------------------------------------------------------------------------

def _may_contest(actor: access.Actor, body_id: int) -> bool:
    return actor.body_id == body_id and permissions.may_bind(actor, body_id)


@use_case
def act_on_alert(alert_id: int, action: str, data: inputs.AlertActionIn, *, actor: access.Actor) -> Alert:
    """``convert`` (the office: a supervision notice from the alert), ``contest`` (the body, with
    reasons), ``uphold`` / ``dismiss`` (the office decides the contest, with reasons)."""
    if action not in rules.ACTIONS:
        raise Http404("没有这个办理环节。")
    step = rules.ACTIONS[action]
    with transaction.atomic():
        alert = sel.alerts_in_scope(actor).select_for_update(of=("self",)).filter(pk=alert_id).first()
        if alert is None:
            raise Http404("没有这条预警，或您无权查看。")
        if step.side == "office":
            permissions.require_office(actor, step.label)
        elif not _may_contest(actor, alert.body_id):
            raise PermissionDenied("只有被预警主体的执法人员可以提出异议。")
        refused = rules.check_action(action, alert.state, data.text)
        if refused:
            raise Refused([Violation(code, message, BASIS_ALERTS) for code, message in refused])
        today = clock.today()
        spec = sel.catalogue().get(alert.rule)
        if action == "convert":
            alert.notice = issue_notice(inputs.NoticeIn(
                kind=data.notice_kind, body_id=alert.body_id, source="alert", case_id=alert.case_id,
                findings=f"【{spec.name if spec else alert.rule}】{alert.message}",
                basis=(spec.basis if spec else BASIS_ALERTS)[:300],
                rectify=data.text.strip() or "请核查预警所列问题，依法纠正，并反馈整改情况及证明材料。"), actor=actor)
        alert.state = step.target
        alert.closed_on = today if step.target in (rules.CONVERTED, rules.DISMISSED) else None
        alert.save(update_fields=["state", "closed_on", "notice"])
        AlertStep.objects.create(alert=alert, action=action, on=today, actor=ledger.user_of(actor), actor_name=actor_name(actor),
                                 text=data.text)
        ledger.append(alert.stream, action, {"label": step.label, "to": alert.state, "text": data.text, "rule": alert.rule,
                                             "rule_version": alert.rule_version, "notice_id": alert.notice_id},
                      actor=actor, actor_name=actor_name(actor))
        return alert


@use_case
def mark_no_occurrence(data: inputs.NoOccurrenceIn, *, actor: access.Actor) -> NoOccurrenceMark:
    """预计不发生: the body's staff mark an item of its power list as not expected to occur, with
    the reason and the head who approved it; the zero-case rule then skips the item."""
    item = Item.objects.filter(pk=data.item_id).first()
    if item is None or not (actor.is_admin or _may_contest(actor, item.body_id)):
        raise Refused([Violation(INVALID_INPUT, "只能标注本主体权力清单中的事项。", BASIS_ALERTS)])
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).first()
        if NoOccurrenceMark.objects.filter(item=item, withdrawn_on__isnull=True).exists():
            raise Refused([Violation("ALREADY_MARKED", "该事项已标注为预计不发生。", BASIS_ALERTS)])
        mark = NoOccurrenceMark.objects.create(item=item, body_id=item.body_id, reason=data.reason, approver=data.approver,
                                               marked_on=clock.today(), marked_by=ledger.user_of(actor))
        ledger.append(mark.stream, "mark", {"label": "标注预计不发生", "item_id": item.pk, "item_code": item.code,
                                            "reason": data.reason, "approver": data.approver},
                      actor=actor, actor_name=actor_name(actor))
        return mark


@use_case
def withdraw_no_occurrence(mark_id: int, *, actor: access.Actor) -> NoOccurrenceMark:
    """Withdraw a mark (the item is watched again from the next sweep)."""
    with transaction.atomic():
        mark = NoOccurrenceMark.objects.select_for_update().filter(pk=mark_id, withdrawn_on__isnull=True).first()
        # The body's own staff, or the supervision office over it (which may find the mark unfounded).
        office_over_it = permissions.is_office(actor) and mark is not None and \
            access.scope_bodies(actor, Body.objects.filter(pk=mark.body_id)).exists()
        if mark is None or not (actor.is_admin or _may_contest(actor, mark.body_id) or office_over_it):
            raise Http404("没有这项标注，或您无权撤销。")
        mark.withdrawn_on = clock.today()
        mark.save(update_fields=["withdrawn_on"])
        ledger.append(mark.stream, "withdraw", {"label": "撤销预计不发生标注", "item_id": mark.item_id},
                      actor=actor, actor_name=actor_name(actor))
        return mark
