"""Case use cases (案件办理): the only code that changes a case (R14–R20, R23, R24).

Every public write is ``name(case_id, *, …, actor)``: it runs in one transaction, locks the case
row (``select_for_update``), checks who acts (``roles_on``), the state (the table in
``workflow``) and every legal guard of ``rules`` — refusing with *all* violations at once — then
changes the case and appends one entry to the full-process record ``case:<id>`` in the same
transaction. A refusal or any failure leaves nothing behind. Two concurrent actions on one case
are serialised by the row lock: the second sees the new state and gets ``WRONG_STATE``.

Documents (R16): until the document service is wired in, each document-producing act stores the
structured content (``Notice.content``, ``Decision.content``, ``ServiceRecord.content``) and the
record entry carries its SHA-256 (``content_sha256``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any, Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db import models as dj
from django.http import Http404

from zhifa.catalog import discretion
from zhifa.catalog import rules as cat
from zhifa.catalog.services import item_version_on
from zhifa.catalog.models import Item
from zhifa.core import clock, ledger, workdays
from zhifa.core.violations import Refused, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Body, Officer

from . import deadlines, paperwork, rules, workflow
from .models import Case, Decision, Evidence, Hearing, LegalReview, Notice, Pause, Payment, Seizure, ServiceRecord
from .models import RemedyPeriod

CHUNK = 1024 * 1024


def policy() -> rules.CasePolicy:
    """The procedure's configurable numbers: ``settings.ZHIFA["CASE_POLICY"]`` over the defaults."""
    overrides = (getattr(settings, "ZHIFA", {}) or {}).get("CASE_POLICY", {}) or {}
    values = {k: (Decimal(str(v)) if k.startswith("hearing_threshold") else v) for k, v in overrides.items()}
    if isinstance(values.get("publication_by_sector"), dict):  # {"market": [20, "citation"]} in settings
        values["publication_by_sector"] = tuple((k, *v) for k, v in values["publication_by_sector"].items())
    return rules.CasePolicy(**values)


# --- Reads and roles ------------------------------------------------------------------------

def visible_cases(actor: access.Actor) -> QuerySet[Case]:
    """Cases the actor may read: own body, a supervisor's subtree, the administrator everything;
    a county department's legal reviewers also see the township cases they review (提级审核)."""
    qs = Case.objects.all()
    condition = access.body_filter(actor, "body")
    if condition is None:
        return qs
    if actor.officer is not None and actor.officer.is_legal_reviewer and actor.body_id:
        condition |= Q(body__parent_department_id=actor.body_id)
    return qs.filter(condition)


def roles_on(actor: access.Actor, case: Case, parent_department_id: int | None = None) -> frozenset[str]:
    """The actor's roles on this case (see ``workflow``): staff, officer, head, reviewer."""
    officer = actor.officer
    if officer is None or officer.status != Officer.Status.ACTIVE:
        return frozenset()
    roles = set()
    if officer.body_id == case.body_id:
        roles.add("staff")
        if not officer.is_auxiliary:
            roles.add("officer")
            if officer.is_head:
                roles.add("head")
    if officer.is_legal_reviewer and not officer.is_auxiliary and (
        officer.body_id == case.body_id or (parent_department_id is not None and officer.body_id == parent_department_id)
    ):
        roles.add("reviewer")
    return frozenset(roles)


def get_case(case_id: int, actor: access.Actor) -> Case:
    case = visible_cases(actor).select_related("body", "item").filter(pk=case_id).first()
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case


def _publishable(case: Case, pol: rules.CasePolicy) -> bool:
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
        publishable=_publishable(case, pol), published=case.published_on is not None,
        withdrawal_pending=case.withdrawal_due is not None,
    )


def allowed_actions(case: Case, actor: access.Actor, roles: frozenset[str] | None = None) -> list[str]:
    """The actions this actor may try now: state, procedure and role from the workflow table, and
    only those with something to act on (no release without a running seizure …)."""
    if roles is None:
        roles = roles_on(actor, case, case.body.parent_department_id)
    if not roles:
        return []
    return workflow.allowed_actions(case.state, case.procedure, roles, situation(case))


def record_of(case_id: int, actor: access.Actor):
    get_case(case_id, actor)
    return ledger.RecordEntry.objects.filter(stream=f"case:{case_id}").order_by("seq")


def verify_record(case_id: int, actor: access.Actor) -> ledger.Broken | None:
    get_case(case_id, actor)
    return ledger.verify(f"case:{case_id}")


def deadlines_of(case: Case, today: dt.date | None = None, schedule=None) -> list[deadlines.Deadline]:
    """The running deadlines of one case (two small queries plus the calendar stamp)."""
    today = today or clock.today()
    schedule = schedule or workdays.schedule()
    pauses = [rules.Interval(p.start, p.end) for p in case.pauses.all()]
    seizures = [s for s in case.seizures.all()]
    return deadlines.case_deadlines(case, schedule, today, pauses, seizures, policy())


# --- The skeleton of every write -------------------------------------------------------------

def _lock(case_id: int, actor: access.Actor) -> Case:
    case = (visible_cases(actor).select_for_update(of=("self",)).select_related("body", "item")
            .filter(pk=case_id).first())
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case


def _begin(case: Case, code: str, actor: access.Actor) -> tuple[workflow.Action, list[Violation]]:
    """Role (403) and state (409) of an action on a locked case."""
    act = workflow.BY_CODE[code]
    roles = roles_on(actor, case, case.body.parent_department_id)
    if act.role not in roles:
        who = {"staff": "本主体工作人员", "officer": "本主体持证执法人员", "head": "本主体负责人", "reviewer": "法制审核人员"}[act.role]
        raise PermissionDenied(f"只有{who}可以{act.label}。")
    violations: list[Violation] = []
    if case.procedure not in act.procedures:
        violations.append(Violation(rules.WRONG_STATE, f"{workflow.PROCEDURES[case.procedure]}案件不能{act.label}。", rules.ART47))
    violations += rules.check_state(case.state, act.sources, act.label, workflow.state_label(case.state))
    return act, violations


def _officer_ids(case: Case) -> list[int]:
    return list(case.officers.values_list("pk", flat=True))


def _officers_ok(ids: list[int], today: dt.date) -> list[Violation]:
    return registry.check_officers_may_act(ids, today) if ids else rules_two_required()


def rules_two_required() -> list[Violation]:
    from zhifa.registry.rules import BASIS_TWO_OFFICERS

    return [Violation("TWO_OFFICERS_REQUIRED", "执法人员不得少于2人且均应持有有效行政执法证，当前符合条件的仅0人（辅助人员不计入）。", BASIS_TWO_OFFICERS)]


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
                  actor=actor.user, actor_name=_actor_name(actor))
    return case


# Saved by every ``_commit``: the stored next deadline, and the fields the checks of R15, R18,
# APL arts.33, 48, 66 and 73 keep (cheap to rewrite; the row is locked).
ALWAYS_SAVED = ("next_due", "next_due_kind", "next_due_provisional", "review_basis", "review_status", "rights_told_on",
                "credentials_shown_on", "educated_on", "publication_due", "published_on", "withdrawal_due",
                "publication_withdrawn_on", "payment_deferred_on", "deferral_requested_on", "remedy_since",
                "collected_on_spot_on", "collection_handed_over_on")


def _due_items(case: Case, today: dt.date, schedule=None, pol: rules.CasePolicy | None = None) -> list[deadlines.Deadline]:
    """The running deadlines of a locked case, read fresh (pauses only while the 90-day clock runs)."""
    pauses = ([rules.Interval(a, b) for a, b in Pause.objects.filter(case_id=case.pk).order_by("start").values_list("start", "end")]
              if case.state in workflow.OPEN_STATES and case.filed_on else [])
    seizures = (list(Seizure.objects.filter(case_id=case.pk, released_on__isnull=True))
                if case.state not in ("source", *workflow.TERMINAL) else [])
    return deadlines.case_deadlines(case, schedule or workdays.schedule(), today, pauses, seizures, pol or policy())


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
    """APL art.29: other cases fining the same party for the same act (party code + item + act date)."""
    if not case.party_id_code:
        return 0
    return (Case.objects.filter(party_id_code=case.party_id_code, item_id=case.item_id, act_date=case.act_date,
                                outcome="penalty", decision_amount__gt=0).exclude(pk=case.pk).count())


def _av_guard(case: Case, act_kind: str, act_label: str) -> list[Violation]:
    level, citation = discretion.must_record(case.body_id, act_kind)
    if level is not cat.RecordingLevel.MUST:
        return []
    has_av = case.evidence.filter(is_av=True, act=act_kind).exists()
    return rules.check_av_record(level.value, has_av, act_label, citation)


def _limitation(case: Case, on: dt.date) -> list[Violation]:
    return rules.check_limitation(case.act_date, case.act_end_date, case.safety_harm, on)


def _item_and_competence(body: Body, item: Item, on: dt.date) -> list[Violation]:
    return rules.check_competence(registry.competence_of(body.pk).covers(item.pk, on), body.name, item.full_name)


# --- Registration (案源登记) and simple-procedure cases ----------------------------------------

def registrable_items(actor: access.Actor) -> QuerySet[Item]:
    """The enforcement items a case source can be registered under (案源登记): the penalty items
    (行政处罚事项) of the actor's body; every body's for the administrator. The registration page
    and the inspections' open-case form (R30) offer these."""
    qs = Item.objects.filter(kind=Item.Kind.PENALTY)
    if not actor.is_admin:
        qs = qs.filter(body_id=actor.body_id)
    return qs.order_by("code")


def register_source(*, item_code: str, party_kind: str, party_name: str, act_date: dt.date, procedure: str = "normal",
                    clue: str = "", source: str = "inspection", clue_received_on: dt.date | None = None,
                    party_id_code: str = "", party_address: str = "", party_phone: str = "", party_age: int | None = None,
                    party_mental_illness: bool = False, no_fault: bool = False, act_description: str = "",
                    act_end_date: dt.date | None = None, safety_harm: bool = False, officer_ids: list[int] | None = None,
                    body_id: int | None = None, actor: access.Actor) -> Case:
    """Register a case source (案源登记) — or open a simple-procedure case (简易程序) on the spot.

    Any staff member of the body may register a clue; the administrator names ``body_id``."""
    body_id = body_id or actor.body_id
    if body_id is None or not (actor.is_admin or actor.body_id == body_id) or (actor.officer is None and not actor.is_admin):
        raise PermissionDenied("只有本主体工作人员可以登记案源。")
    today = clock.today()
    with transaction.atomic():
        body = Body.objects.get(pk=body_id)
        # APL art.37: the version of the item in force when the act was committed; else the current one.
        item = item_version_on(item_code, act_date) or Item.objects.filter(code=item_code).first()
        violations: list[Violation] = []
        if item is None:
            raise Http404("未找到该执法事项。")
        if item.kind not in (Item.Kind.PENALTY,):
            violations.append(Violation(rules.INVALID_PENALTY, f"“{item.full_name}”不是行政处罚事项，不能据此立案处罚。", "行政处罚法第九条"))
        if act_date > today or (act_end_date and (act_end_date > today or act_end_date < act_date)):
            violations.append(Violation("INVALID_DATE", "违法行为日期不得晚于今天，终了日期不得早于发生日期。", ""))
        if procedure == "simple":
            violations += _item_and_competence(body, item, today)
        refuse_if_any(violations)
        if officer_ids:
            _require_body_officers(officer_ids, body_id)
        case = Case.objects.create(
            body=body, item=item, procedure=procedure, state="source", source=source, clue=clue,
            clue_received_on=clue_received_on or today, party_kind=party_kind, party_name=party_name,
            party_id_code=party_id_code, party_address=party_address, party_phone=party_phone, party_age=party_age,
            party_mental_illness=party_mental_illness, no_fault=no_fault, act_description=act_description,
            act_date=act_date, act_end_date=act_end_date, safety_harm=safety_harm,
        )
        case.number = f"{body.short_name or body.code}{'简' if procedure == 'simple' else '案'}〔{today.year}〕{case.pk}号"
        _set_next_due(case, _due_items(case, today))
        case.save(update_fields=["number", "next_due", "next_due_kind", "next_due_provisional"])
        if officer_ids:
            case.officers.set(officer_ids)
        content = {"source": case.get_source_display(), "received_on": case.clue_received_on, "clue": clue,
                   "party": {"name": party_name, "id_code": party_id_code, "address": party_address},
                   "item": item.code, "act_date": act_date, "procedure": procedure, "officers": sorted(officer_ids or [])}
        ledger.append(case.stream, "register", {"label": "案源登记", "to": "source", "version": 1, "document": "case_source_registration",
                                                "content": content, "content_sha256": _digest(content)}, actor=actor.user,
                      actor_name=_actor_name(actor))
        return case


def _require_body_officers(officer_ids: list[int], body_id: int) -> None:
    found = set(Officer.objects.filter(pk__in=officer_ids, body_id=body_id).values_list("pk", flat=True))
    missing = [i for i in officer_ids if i not in found]
    if missing:
        raise Refused([Violation("OFFICER_NOT_OF_BODY", f"承办人员（编号{'、'.join(map(str, missing))}）不是本主体的执法人员。",
                                 "行政处罚法第四十二条")])


# --- Filing --------------------------------------------------------------------------------

def file_case(case_id: int, *, officer_ids: list[int] | None = None, opinion: str = "", actor: access.Actor) -> Case:
    """立案: the head approves; competence, limitation and two certified officers are checked."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "file", actor)
        v += _item_and_competence(case.body, case.item, today)
        v += _limitation(case, today)
        if officer_ids:
            _require_body_officers(officer_ids, case.body_id)
        ids = officer_ids or _officer_ids(case)
        v += _officers_ok(ids, today)
        refuse_if_any(v)
        if officer_ids:
            case.officers.set(officer_ids)
        case.filed_on = today
        content = {"case_cause": case.item.full_name, "party": case.party_name, "officers": sorted(ids), "opinion": opinion}
        doc = paperwork.issue(case, "filing_approval", actor=actor, extra={"opinion": opinion})
        return _commit(case, act, actor, {"filed_on": today, "officers": sorted(ids), "document": "filing_approval",
                                          "content_sha256": _digest(content), "content": content, **paperwork.record(doc)})


def decline_case(case_id: int, *, reason: str, actor: access.Actor) -> Case:
    """不予立案, with reasons."""
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "decline", actor)
        v += rules.check_reason(reason, "不予立案", "行政处罚法第五十四条")
        refuse_if_any(v)
        case.not_filed_reason = reason
        doc = paperwork.issue(case, "non_filing_approval", actor=actor, extra={"reason": reason})
        return _commit(case, act, actor, {"reason": reason, **paperwork.record(doc)})


def assign_officers(case_id: int, *, officer_ids: list[int], actor: access.Actor) -> Case:
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "assign", actor)
        _require_body_officers(officer_ids, case.body_id)
        v += _officers_ok(officer_ids, today)
        refuse_if_any(v)
        case.officers.set(officer_ids)
        return _commit(case, act, actor, {"officers": sorted(officer_ids)}, fields=[])


# --- Investigation ---------------------------------------------------------------------------

def record_evidence(case_id: int, *, kind: str, title: str, act: str = "", is_av: bool = False, upload=None,
                    place: str = "", collected_on: dt.date | None = None, actor: access.Actor) -> Evidence:
    """登记证据 (R14, R17): the file is streamed to storage in chunks while its SHA-256 is computed
    (a 2 GB video is never held in memory); a failure removes the stored file."""
    today = clock.today()
    saved_name = None
    try:
        with transaction.atomic():
            case = _lock(case_id, actor)
            action, v = _begin(case, "record_evidence", actor)
            v += _officers_ok(_officer_ids(case), today)
            if collected_on is not None and collected_on > today:
                v.append(Violation("INVALID_DATE", "取证日期不得晚于今天。", ""))
            refuse_if_any(v)
            evidence = Evidence(case=case, kind=kind, title=title, act=act, is_av=is_av or kind in ("video", "audio"),
                                place=place, collected_on=collected_on or today, collected_by=actor.user)
            if upload is not None:
                digest, size = hashlib.sha256(), 0
                for chunk in upload.chunks(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                upload.seek(0)
                evidence.sha256, evidence.size = digest.hexdigest(), size
                evidence.content_type = getattr(upload, "content_type", "") or ""
                saved_name = default_storage.save(f"evidence/{case.pk}/{upload.name}", upload)
                evidence.file.name = saved_name
            evidence.save()
            _commit(case, action, actor, {"evidence_id": evidence.pk, "kind": kind, "title": title, "act": act,
                                          "is_av": evidence.is_av, "sha256": evidence.sha256, "size": evidence.size,
                                          "place": place}, fields=[])
            return evidence
    except BaseException:
        if saved_name:
            default_storage.delete(saved_name)
        raise


def preserve_evidence(case_id: int, *, items: list[str], actor: access.Actor) -> Case:
    """先行登记保存 (APL art.56): head approval; decide within 7 working days."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "preserve", actor)
        v += _officers_ok(_officer_ids(case), today)
        refuse_if_any(v)
        case.preserved_on, case.preservation_decided_on = today, None
        due = workdays.add_working_days(today, policy().preservation_working_days)
        doc = paperwork.issue(case, "preservation_notice", actor=actor, extra={"items": items})
        return _commit(case, act, actor, {"items": items, "decide_by": due.date, "document": "preservation_notice", **paperwork.record(doc)},
                       fields=["preserved_on", "preservation_decided_on"])


def decide_preservation(case_id: int, *, measure: str, actor: access.Actor) -> Case:
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "decide_preservation", actor)
        if case.preserved_on is None:
            v.append(Violation(rules.WRONG_STATE, "本案没有待处理的先行登记保存。", "行政处罚法第五十六条"))
        refuse_if_any(v)
        case.preservation_decided_on = today
        return _commit(case, act, actor, {"measure": measure}, fields=["preservation_decided_on"])


def end_investigation(case_id: int, *, report: str, facts: str = "", proposed_kinds: list[str] | None = None,
                      proposed_amount: Decimal | None = None, illegal_gains: Decimal | None = None,
                      goods_value: Decimal | None = None, actor: access.Actor) -> Case:
    """调查终结: the investigation-end report with the proposed handling."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "end_investigation", actor)
        v += _officers_ok(_officer_ids(case), today)
        v += rules.check_reason(report, "调查终结报告", rules.ART47)
        open_seizures = [s for s in case.seizures.all() if s.released_on is None]
        for s in open_seizures:
            v += rules.check_seizure_running(s.due, today)
        refuse_if_any(v)
        case.investigation_report, case.facts = report, facts or case.facts
        case.proposed_kinds = proposed_kinds or []
        case.proposed_amount = proposed_amount
        case.illegal_gains, case.goods_value = illegal_gains, goods_value
        proposal = paperwork.penalty_text(case.proposed_kinds, proposed_amount)
        doc = paperwork.issue(case, "investigation_report", actor=actor,
                              extra={"proposal": f"{report}拟给予{proposal}的行政处罚。" if proposal else report})
        return _commit(case, act, actor, {"report": report, "facts": case.facts, "proposed_kinds": case.proposed_kinds,
                                          "proposed_amount": proposed_amount, "document": "investigation_report", **paperwork.record(doc)})


def review_case(case_id: int, *, opinion: str, is_major: bool = False, actor: access.Actor) -> Case:
    """案件审核 by the head; marks major or complex cases (collective discussion, legal review)."""
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "review_case", actor)
        refuse_if_any(v)
        case.case_review_opinion, case.is_major = opinion, is_major
        return _commit(case, act, actor, {"opinion": opinion, "is_major": is_major})


def hold_collective_discussion(case_id: int, *, minutes: str, actor: access.Actor) -> Case:
    """集体讨论 (APL art.57)."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "collective_discussion", actor)
        v += rules.check_reason(minutes, "集体讨论笔录", rules.ART57)
        refuse_if_any(v)
        case.collective_discussion_on = today
        doc = paperwork.issue(case, "collective_discussion_record", actor=actor, extra={"content": minutes, "conclusion": minutes})
        return _commit(case, act, actor, {"minutes": minutes, "document": "collective_discussion_minutes", **paperwork.record(doc)},
                       fields=["collective_discussion_on"])


# --- The 90-day clock ------------------------------------------------------------------------

def pause_clock(case_id: int, *, kind: str, start: dt.date | None = None, end: dt.date | None = None, reason: str = "",
                actor: access.Actor) -> Pause:
    """不计入办案期限的期间 (APL art.60): testing, appraisal, hearing, notice; never overlapping."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "pause", actor)
        start = start or today
        existing = [rules.Interval(p.start, p.end) for p in case.pauses.all()]
        v += rules.check_pause(existing, rules.Interval(start, end))
        if case.filed_on and start < case.filed_on:
            v.append(Violation(rules.PAUSE_OVERLAP, "中止期间不得早于立案日期。", rules.ART60))
        refuse_if_any(v)
        pause = Pause.objects.create(case=case, kind=kind, start=start, end=end, reason=reason)
        _commit(case, act, actor, {"pause_id": pause.pk, "kind": kind, "start": start, "end": end, "reason": reason}, fields=[])
        return pause


def resume_clock(case_id: int, *, end: dt.date | None = None, actor: access.Actor) -> Pause:
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "resume", actor)
        running = case.pauses.filter(end__isnull=True).first()
        end = end or today
        if running is None:
            v.append(Violation(rules.WRONG_STATE, "没有正在进行的中止期间。", rules.ART60))
        elif end < running.start:
            v.append(Violation(rules.PAUSE_OVERLAP, "结束日期早于中止开始日期。", rules.ART60))
        refuse_if_any(v)
        running.end = end
        running.save(update_fields=["end"])
        _commit(case, act, actor, {"pause_id": running.pk, "end": end}, fields=[])
        return running


def extend_period(case_id: int, *, reason: str, days: int | None = None, actor: access.Actor) -> Case:
    """延长办案期限 (APL art.60): the head approves with a reason; a second one needs a collective
    discussion held."""
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "extend", actor)
        v += rules.check_extension(reason, True, case.extensions, case.collective_discussion_on is not None)
        refuse_if_any(v)
        days = days or policy().extension_days
        case.extensions += 1
        case.extension_days += days
        return _commit(case, act, actor, {"reason": reason, "days": days, "extensions": case.extensions},
                       fields=["extensions", "extension_days"])


# --- Recusal and escalation ---------------------------------------------------------------------

def recuse(case_id: int, *, officer_id: int, reason: str, replacement_ids: list[int] | None = None, actor: access.Actor) -> Case:
    """回避 (APL art.43): the head decides; the investigation does not stop."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "recuse", actor)
        v += rules.check_reason(reason, "回避决定", rules.ART43)
        ids = _officer_ids(case)
        if officer_id not in ids:
            v.append(Violation(rules.WRONG_STATE, "该人员不是本案承办人员。", rules.ART43))
        if replacement_ids:
            _require_body_officers(replacement_ids, case.body_id)
        remaining = [i for i in ids if i != officer_id] + [i for i in (replacement_ids or []) if i not in ids and i != officer_id]
        problems = registry.check_officers_may_act(remaining, today) if remaining else rules_two_required()
        if any(p.code == "TWO_OFFICERS_REQUIRED" for p in problems):
            v += rules.check_recusal(0)
        refuse_if_any(v)
        case.officers.set(remaining)
        return _commit(case, act, actor, {"officer_id": officer_id, "reason": reason, "officers": sorted(remaining)}, fields=[])


def escalate(case_id: int, *, to_body_id: int, reason: str, actor: access.Actor) -> Case:
    """提级办理 (R23): a body of a higher jurisdiction over this one takes the case; the new body
    assigns its own officers."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "escalate", actor)
        v += rules.check_reason(reason, "提级办理", "行政处罚法第二十四条、第二十五条")
        to_body = Body.objects.select_related("jurisdiction").filter(pk=to_body_id).first()
        if to_body is None:
            raise Http404("未找到该执法主体。")
        here = Body.objects.select_related("jurisdiction").get(pk=case.body_id).jurisdiction
        there = to_body.jurisdiction
        v += rules.check_escalation(here.path.count("/"), there.path.count("/"), here.path.startswith(there.path) and here.path != there.path)
        v += _item_and_competence(to_body, case.item, today)
        refuse_if_any(v)
        case.escalated_from_id, case.body = case.body_id, to_body
        case.officers.clear()
        return _commit(case, act, actor, {"from_body": case.escalated_from_id, "to_body": to_body.pk, "reason": reason})


# --- Coercive measures (ACL) ------------------------------------------------------------------

def seize(case_id: int, *, kind: str, items: list[dict], emergency: bool = False, approved: bool = True,
          actor: access.Actor) -> Seizure:
    """查封、扣押 (ACL arts.18, 19, 23–25): approval beforehand (or reported within 24 hours in an
    emergency), two officers, the item list handed over on the spot, 30 days."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "seize", actor)
        v += _officers_ok(_officer_ids(case), today)
        v += _av_guard(case, kind, cat.ACT_KIND_LABELS.get(kind, "查封扣押"))
        if not items:
            v.append(Violation("SEIZURE_LIST_REQUIRED", "查封、扣押应当当场制作并交付财物清单。", "行政强制法第二十四条"))
        if not approved and not emergency:
            v.append(Violation("APPROVAL_REQUIRED", "实施行政强制措施前须向行政机关负责人报告并经批准。", "行政强制法第十八条"))
        refuse_if_any(v)
        due = workdays.add_calendar_days(today, policy().seizure_days)
        seizure = Seizure.objects.create(case=case, kind=kind, items=items, decided_on=today, emergency=emergency,
                                         approved_on=today if approved else None, due=due.date, seized_at=clock.now())
        decision_doc = paperwork.issue(case, "seizure_decision", actor=actor, extra={
            "measure": seizure.get_kind_display(), "items": items, "period": paperwork.seizure_period(today, seizure.due),
            "seizure_id": seizure.pk})
        list_doc = paperwork.issue(case, "property_list", actor=actor,
                                   extra={"related_number": decision_doc.number, "items": items, "seizure_id": seizure.pk})
        payload = {"seizure_id": seizure.pk, "kind": kind, "items": items, "due": due.date, "emergency": emergency,
                   "document": "coercive_measure_decision", **paperwork.record(decision_doc, list_doc)}
        if emergency and not approved:
            payload["report_by"] = (clock.now() + dt.timedelta(hours=24)).isoformat()  # ACL art.19: within 24 hours
        _commit(case, act, actor, payload, fields=[])
        return seizure


def _seizure(case: Case, seizure_id: int) -> Seizure:
    s = Seizure.objects.select_for_update().filter(pk=seizure_id, case=case).first()
    if s is None:
        raise Http404("未找到该查封扣押。")
    return s


def _seizure_number(case: Case, s: Seizure) -> str:
    """The number of the seizure's decision (or, for one made before documents were issued, its date)."""
    return paperwork.number_of(case, ["seizure_decision"], seizure_id=s.pk) or f"{s.decided_on.isoformat()}作出的查封（扣押）"


def extend_seizure(case_id: int, *, seizure_id: int, reason: str, actor: access.Actor) -> Seizure:
    """ACL art.25: one extension of ≤ 30 days, approved, notified in writing."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "extend_seizure", actor)
        s = _seizure(case, seizure_id)
        if s.released_on:
            v.append(Violation(rules.WRONG_STATE, "该查封扣押已解除。", rules.ACL25))
        v += rules.check_seizure_extension(s.extended_on is not None, s.due, today, reason)
        refuse_if_any(v)
        s.extended_on = today
        s.due = workdays.add_calendar_days(s.decided_on, policy().seizure_days + policy().seizure_extension_days + s.testing_days).date
        s.save(update_fields=["extended_on", "due"])
        doc = paperwork.issue(case, "seizure_extension_decision", actor=actor, extra={
            "original_number": _seizure_number(case, s), "original_date": s.decided_on.isoformat(), "measure": s.get_kind_display(),
            "reason": reason, "extended_until": s.due.isoformat(), "seizure_id": s.pk})
        _commit(case, act, actor, {"seizure_id": s.pk, "reason": reason, "due": s.due, "document": "coercive_measure_extension",
                                   **paperwork.record(doc)}, fields=[])
        return s


def record_testing(case_id: int, *, seizure_id: int, days: int, actor: access.Actor) -> Seizure:
    """ACL art.25 ¶3: testing time is excluded from the seizure period (and told to the party)."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "record_testing", actor)
        s = _seizure(case, seizure_id)
        v += rules.check_seizure_running(s.due, today)
        if days <= 0:
            v.append(Violation("INVALID_INPUT", "检测鉴定期间应为正数天。", rules.ACL25))
        refuse_if_any(v)
        s.testing_days += days
        base = policy().seizure_days + (policy().seizure_extension_days if s.extended_on else 0)
        s.due = workdays.add_calendar_days(s.decided_on, base + s.testing_days).date
        s.save(update_fields=["testing_days", "due"])
        doc = paperwork.issue(case, "testing_period_notice", actor=actor, extra={
            "original_number": _seizure_number(case, s), "testing_period": f"{days}日", "seizure_id": s.pk})
        _commit(case, act, actor, {"seizure_id": s.pk, "days": days, "due": s.due, "document": "testing_period_notice",
                                   **paperwork.record(doc)}, fields=[])
        return s


def release_seizure(case_id: int, *, seizure_id: int, actor: access.Actor) -> Seizure:
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "release_seizure", actor)
        s = _seizure(case, seizure_id)
        if s.released_on:
            v.append(Violation(rules.WRONG_STATE, "该查封扣押已解除。", rules.ACL25))
        refuse_if_any(v)
        s.released_on = today
        s.save(update_fields=["released_on"])
        doc = paperwork.issue(case, "seizure_release_decision", actor=actor, extra={
            "original_number": _seizure_number(case, s), "measure": s.get_kind_display(), "items": s.items, "seizure_id": s.pk,
            "reason": "案件已作出处理决定" if case.state in workflow.AFTER_DECISION else "不再需要采取查封、扣押措施"})
        _commit(case, act, actor, {"seizure_id": s.pk, "released_on": today, "overdue": today > s.due,
                                   "document": "coercive_measure_release", **paperwork.record(doc)}, fields=[])
        return s


# --- Legal review (R18) ---------------------------------------------------------------------------

def _review_needed(case: Case, kinds: list[str], amount: Decimal | None) -> tuple[bool, list[str]]:
    triggers = frozenset({cat.ReviewTrigger.COMPLEX} if case.is_major else set())
    facts = cat.DecisionFacts(
        item_code=case.item.code, party_kind=_party_kind(case),
        penalty_kinds=frozenset(cat.PenaltyKind(k) for k in kinds if k in cat.PenaltyKind._value2member_map_),
        fine=amount or Decimal(0), confiscation_value=case.illegal_gains or Decimal(0) if "confiscate_gains" in kinds else Decimal(0),
        hearing_held=case.hearing_status == "held", triggers=triggers,
    )
    return discretion.needs_legal_review(case.body_id, facts)


def request_review(case_id: int, *, reviewer_id: int, actor: access.Actor) -> LegalReview:
    """Send to a legal reviewer of the body — or of its county department for a township body."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "request_review", actor)
        reviewer = Officer.objects.filter(pk=reviewer_id, status=Officer.Status.ACTIVE).first()
        allowed_bodies = {case.body_id, case.body.parent_department_id}
        if reviewer is None or reviewer.body_id not in allowed_bodies:
            raise Refused([Violation(rules.REVIEWER_NOT_QUALIFIED, "法制审核人员应当是本主体或者其上级主管部门（提级审核）的法制审核人员。", rules.ART58)])
        if case.review_status == "pending":
            v.append(Violation(rules.WRONG_STATE, "本案已在法制审核中。", rules.ART58))
        first_time = not LegalReview.objects.filter(reviewer=reviewer, completed_on__isnull=False).exists()
        v += rules.check_reviewer(reviewer.pk, _officer_ids(case), reviewer.is_legal_reviewer, reviewer.has_legal_qualification, first_time)
        refuse_if_any(v)
        _, reasons = _review_needed(case, case.proposed_kinds, case.proposed_amount)
        review = LegalReview.objects.create(case=case, reviewer=reviewer, requested_on=today, reasons=reasons)
        case.review_status = "pending"
        _commit(case, act, actor, {"review_id": review.pk, "reviewer_id": reviewer.pk, "reasons": reasons}, fields=["review_status"])
        return review


def complete_review(case_id: int, *, result: str, opinion: str, checklist: dict | None = None, actor: access.Actor) -> LegalReview:
    """法制审核结论: pass or fail with opinions, item by item on the checklist."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "complete_review", actor)
        review = case.reviews.filter(completed_on__isnull=True).order_by("-id").first()
        if review is None:
            raise Refused([Violation(rules.WRONG_STATE, "本案没有待完成的法制审核。", rules.ART58)])
        if review.reviewer_id != getattr(actor.officer, "pk", None):
            raise PermissionDenied("只有被指定的法制审核人员可以作出审核结论。")
        if result not in ("pass", "fail"):
            v.append(Violation("INVALID_INPUT", "审核结论应为通过或者不通过。", rules.ART58))
        if result == "fail":
            v += rules.check_reason(opinion, "审核不通过", rules.ART58)
        refuse_if_any(v)
        checklist = {k: (checklist or {}).get(k, result == "pass") for k in LegalReview.CHECKLIST}
        review.result, review.opinion, review.checklist, review.completed_on = result, opinion, checklist, today
        review.save()
        case.review_status = result
        case.review_basis = {"kinds": list(case.proposed_kinds or []), "amount": case.proposed_amount} if result == "pass" else {}
        case.review_basis = _plain(case.review_basis)
        content = {"result": result, "opinion": opinion, "checklist": checklist, "reasons": review.reasons}
        doc = paperwork.issue(case, "legal_review_opinion", actor=actor, extra=paperwork.legal_review_data(case, review, actor),
                              body=actor.body_id if actor.body_id != case.body_id else None)  # 提级审核: the reviewer's body
        _commit(case, act, actor, {"review_id": review.pk, **content, "document": "legal_review_opinion",
                                   "content_sha256": _digest(content), **paperwork.record(doc)}, fields=["review_status"])
        return review


# --- Notice, defence and hearing ---------------------------------------------------------------------

def notify(case_id: int, *, kinds: list[str], amount: Decimal | None = None, new_facts: bool = False,
           served_on: dt.date | None = None, actor: access.Actor) -> Notice:
    """事先告知 (APL arts.44, 62–64): the proposed penalty, facts, reasons, basis and rights. A
    re-notice restarts the defence and hearing periods; a heavier one needs new facts (art.45)."""
    today = clock.today()
    served_on = served_on or today
    pol = policy()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "notify", actor)
        v += _officers_ok(_officer_ids(case), today)
        v += rules.check_penalty_kinds(kinds, amount)
        v += rules.check_punishable(case.party_age, case.party_mental_illness, case.no_fault, kinds)
        v += rules.check_one_fine(kinds, _other_fines(case))
        old = _noticed(case)
        v += rules.check_renotice(old, kinds, amount, new_facts)
        if served_on > today or served_on < (case.filed_on or served_on):
            v.append(Violation("INVALID_DATE", "送达日期不得晚于今天或者早于立案日期。", rules.ART44_62))
        refuse_if_any(v)
        schedule = workdays.schedule()
        defence_due = schedule.add_working_days(served_on, pol.defence_working_days)
        hearing = rules.hearing_applies(_party_kind(case), kinds, amount, case.illegal_gains if "confiscate_gains" in kinds else None, pol)
        hearing_due = schedule.add_working_days(served_on, pol.hearing_request_working_days) if hearing else None
        previous = case.notices.order_by("-id").first()
        content = {
            "party": case.party_name, "facts": case.facts, "kinds": kinds, "amount": amount,
            "basis": case.item.legal_basis, "defence_due": defence_due.date,
            "hearing_due": hearing_due.date if hearing_due else None, "rights": "陈述、申辩" + ("、要求听证" if hearing else ""),
        }
        notice = Notice.objects.create(case=case, kinds=kinds, amount=amount, served_on=served_on, defence_due=defence_due.date,
                                       hearing_due=hearing_due.date if hearing_due else None, new_facts=new_facts,
                                       supersedes=previous, content=_plain(content))
        case.proposed_kinds, case.proposed_amount = kinds, amount
        case.notice_served_on, case.defence_due, case.defence_done = served_on, defence_due.date, False
        case.hearing_due = hearing_due.date if hearing_due else None
        case.hearing_status = "none"
        case.rights_told_on = case.rights_told_on or served_on  # APL art.44: the notice tells the rights
        if case.review_status == "pass" and not rules.review_covers(case.review_basis, kinds, amount):
            # R18: a passed review no longer covers a changed proposal; a new review is needed.
            ledger.append(case.stream, "review_invalidated", {
                "label": "拟处罚内容变化，原法制审核结论失效", "reviewed": case.review_basis, "kinds": kinds, "amount": amount,
                "basis": rules.ART58}, actor=actor.user, actor_name=_actor_name(actor))
            case.review_status = ""
        doc = paperwork.issue(case, "penalty_notice", actor=actor, extra={
            "proposed_penalty": paperwork.penalty_text(kinds, amount), "defence_days": pol.defence_working_days, "hearing": hearing,
            "defence_due": defence_due.date, "hearing_due": hearing_due.date if hearing_due else None, "notice_id": notice.pk})
        _commit(case, act, actor, {"notice_id": notice.pk, "renotice": previous is not None, "new_facts": new_facts,
                                   "document": "penalty_notice" if not hearing else "penalty_and_hearing_notice",
                                   **{k: v for k, v in paperwork.record(doc).items() if k != "document"},
                                   "content": content, "content_sha256": _digest(content),
                                   "provisional": defence_due.provisional or bool(hearing_due and hearing_due.provisional)})
        return notice


def record_defence(case_id: int, *, statement: str, accepted: bool = False, actor: access.Actor) -> Case:
    """陈述申辩: recorded and reviewed; the body must consider it (APL art.45)."""
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "record_defence", actor)
        v += rules.check_reason(statement, "陈述申辩笔录", rules.ART44_62)
        refuse_if_any(v)
        case.defence_done = True
        doc = paperwork.issue(case, "defence_record", actor=actor, extra={"content": statement})
        return _commit(case, act, actor, {"statement": statement, "accepted": accepted, "document": "defence_record", **paperwork.record(doc)},
                       fields=["defence_done"])


def waive_defence(case_id: int, *, actor: access.Actor) -> Case:
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "waive_defence", actor)
        refuse_if_any(v)
        case.defence_done = True
        return _commit(case, act, actor, {}, fields=["defence_done"])


def request_hearing(case_id: int, *, requested_on: dt.date | None = None, actor: access.Actor) -> Hearing:
    """听证申请 within 5 working days of the notice (APL art.64)."""
    today = clock.today()
    requested_on = requested_on or today
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "request_hearing", actor)
        v += rules.check_hearing_request(_noticed(case), requested_on)
        if case.hearing_status != "none":
            v.append(Violation(rules.WRONG_STATE, "当事人已就本次告知申请或者放弃听证。", rules.ART64))
        refuse_if_any(v)
        hearing = Hearing.objects.create(case=case, requested_on=requested_on)
        case.hearing_status = "requested"
        _commit(case, act, actor, {"hearing_id": hearing.pk, "requested_on": requested_on}, fields=["hearing_status"])
        return hearing


def waive_hearing(case_id: int, *, actor: access.Actor) -> Case:
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "waive_hearing", actor)
        if case.hearing_due is None:
            v.append(Violation(rules.HEARING_NOT_APPLICABLE, "拟作出的处罚不属于听证范围。", rules.ART63))
        refuse_if_any(v)
        case.hearing_status = "waived"
        return _commit(case, act, actor, {}, fields=["hearing_status"])


def schedule_hearing(case_id: int, *, chair_id: int, hearing_on: dt.date, actor: access.Actor) -> Hearing:
    """听证通知: a chair who is not an investigator; notice at least 7 working days before (art.64)."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "schedule_hearing", actor)
        hearing = case.hearings.filter(held=False).order_by("-id").first()
        if hearing is None or case.hearing_status not in ("requested", "scheduled"):
            raise Refused([Violation(rules.WRONG_STATE, "当事人未申请听证。", rules.ART64)])
        if not Officer.objects.filter(pk=chair_id, body_id__in={case.body_id, case.body.parent_department_id}).exists():
            raise Refused([Violation("INVALID_INPUT", "听证主持人应当是本机关指定的非本案调查人员。", rules.ART64)])
        earliest = workdays.add_working_days(today, policy().hearing_notice_working_days).date
        v += rules.check_hearing_schedule(chair_id, _officer_ids(case), today, earliest, hearing_on)
        refuse_if_any(v)
        hearing.chair_id, hearing.notified_on, hearing.hearing_on = chair_id, today, hearing_on
        hearing.save(update_fields=["chair", "notified_on", "hearing_on"])
        case.hearing_status = "scheduled"
        doc = paperwork.issue(case, "hearing_notice", actor=actor, extra={
            "hearing_at": hearing_on.isoformat(), "chair": hearing.chair.name, "recorder": "听证主持人指定的非本案调查人员"})
        _commit(case, act, actor, {"hearing_id": hearing.pk, "chair_id": chair_id, "hearing_on": hearing_on,
                                   "document": "hearing_notice", **paperwork.record(doc)}, fields=["hearing_status"])
        return hearing


def hold_hearing(case_id: int, *, minutes: str, party_absent: bool = False, actor: access.Actor) -> Hearing:
    """举行听证; a party absent without good reason has waived it (APL art.64 (8))."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "hold_hearing", actor)
        hearing = case.hearings.filter(held=False).order_by("-id").first()
        if hearing is None or case.hearing_status != "scheduled":
            raise Refused([Violation(rules.WRONG_STATE, "听证尚未通知。", rules.ART64)])
        if hearing.hearing_on and today < hearing.hearing_on:
            v.append(Violation(rules.WRONG_STATE, f"听证定于{hearing.hearing_on.isoformat()}举行。", rules.ART64))
        if not party_absent:
            v += _av_guard(case, "hearing", "举行听证")
        refuse_if_any(v)
        hearing.held, hearing.minutes = not party_absent, minutes
        hearing.save(update_fields=["held", "minutes"])
        case.hearing_status = "waived" if party_absent else "held"
        doc = paperwork.issue(case, "hearing_record", actor=actor, extra={
            "chair": hearing.chair.name if hearing.chair_id else "", "recorder": "听证主持人指定的非本案调查人员",
            "content": ("当事人无正当理由未到场，视为放弃听证。" if party_absent else "") + (minutes or "")})
        _commit(case, act, actor, {"hearing_id": hearing.pk, "party_absent": party_absent, "minutes": minutes,
                                   "document": "hearing_record", **paperwork.record(doc)}, fields=["hearing_status"])
        return hearing


# --- Decision ---------------------------------------------------------------------------------------

def _benchmark_range(case: Case, grades: list[int], factors: list[str]) -> tuple[Decimal | None, Decimal | None, list[Violation]]:
    benchmark = discretion.applicable_benchmark(case.item, case.act_date)
    if benchmark is None:
        return None, None, []
    facts = cat.Facts(
        item_code=case.item.code, act_date=case.act_date, party_kind=_party_kind(case), age=case.party_age,
        illegal_gains=case.illegal_gains, goods_value=case.goods_value, grades=tuple(grades), factors=tuple(factors),
    )
    spec = discretion.benchmark_spec(benchmark)
    errors = cat.validate_facts(facts, spec)
    if errors:
        return None, None, [Violation("BENCHMARK_FACTS_INVALID", f"{m}", cat.ART34) for _, m in errors]
    assessment = cat.assess(facts, spec)
    if assessment.amount is None:
        return None, None, []
    return assessment.amount.min_yuan, assessment.amount.max_yuan, []


def decide(case_id: int, *, outcome: str, reasoning: str, kinds: list[str] | None = None, amount: Decimal | None = None,
           outside_benchmark_reason: str = "", grades: list[int] | None = None, factors: list[str] | None = None,
           education: str = "", actor: access.Actor) -> Decision:
    """作出决定 (APL art.57): penalty, no penalty or transfer as a suspected crime, after notice,
    defence, hearing, collective discussion and legal review where required, within the notice and
    the benchmark (or with a reason)."""
    today = clock.today()
    kinds = list(kinds or []) if outcome == "penalty" else []
    amount = amount if outcome == "penalty" else None
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "decide", actor)
        v += _officers_ok(_officer_ids(case), today)
        v += rules.check_reason(reasoning, "决定书说理", "行政处罚法第五十九条")
        # R15: credentials shown (APL art.55) for every outcome
        v += [x for x in rules.check_formalities(case.credentials_shown_on is not None, case.rights_told_on is not None, on_spot=False)
              if x.code != rules.RIGHTS_NOT_TOLD]  # the rights are told by the notice (NOTICE_REQUIRED)
        v += rules.check_education(outcome, case.educated_on is not None or bool((education or "").strip()))  # APL art.33 ¶3
        low = high = None
        if outcome not in ("penalty", "no_penalty", "transfer"):
            v.append(Violation("INVALID_INPUT", "处理结果应为给予处罚、不予处罚或者移送司法机关。", rules.ART57))
        if outcome == "penalty":
            v += rules.check_penalty_kinds(kinds, amount)
            v += rules.check_punishable(case.party_age, case.party_mental_illness, case.no_fault, kinds)
            v += rules.check_one_fine(kinds, _other_fines(case))
            needed, reasons = _review_needed(case, kinds, amount)
            review = None if case.review_status in ("", "pending") else case.review_status
            if review == "pass" and not rules.review_covers(case.review_basis, case.proposed_kinds, case.proposed_amount):
                review = None  # R18: the proposal changed after the review passed
                reasons = [*reasons, "法制审核通过后拟处罚内容发生变化，应当重新审核"]
            v += rules.check_before_decision(
                kinds=kinds, amount=amount, notice=_noticed(case), today=today, review_needed=needed,
                review_result=review, review_reasons=reasons, collective_needed=case.is_major,
                collective_held=case.collective_discussion_on is not None,
            )
            if "fine" in kinds:
                low, high, errors = _benchmark_range(case, grades or [], factors or [])
                v += errors
                v += rules.check_benchmark(amount, low, high, outside_benchmark_reason)
        refuse_if_any(v)
        content = {
            "party": {"name": case.party_name, "id_code": case.party_id_code, "address": case.party_address},
            "facts": case.facts, "evidence": list(case.evidence.values_list("title", "sha256")),
            "outcome": outcome, "kinds": kinds, "amount": amount, "basis": case.item.legal_basis, "reasoning": reasoning,
            "outside_benchmark_reason": outside_benchmark_reason,
            "payment": "自收到本决定书之日起十五日内缴纳罚款" if "fine" in kinds else "",
            "remedies": "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。",
            "body": case.body.name, "decided_on": today,
        }
        decision = Decision.objects.create(case=case, outcome=outcome, kinds=kinds, amount=amount, decided_on=today, reasoning=reasoning,
                                           benchmark_low=low, benchmark_high=high, outside_benchmark_reason=outside_benchmark_reason,
                                           content=_plain(content))
        case.outcome, case.decision_kinds, case.decision_amount, case.decided_on = outcome, kinds, amount, today
        if outcome == "no_penalty" and (education or "").strip():
            case.educated_on = today
        if outcome == "penalty" and kinds:  # 3S / SAMR45 art.9: publish within the sector's working days
            case.publication_due = workdays.add_working_days(today, policy().publication_rule(case.body.sector)[0]).date
        document = {"penalty": "penalty_decision", "no_penalty": "no_penalty_decision", "transfer": "crime_transfer_letter"}[outcome]
        doc = paperwork.issue(case, document, actor=actor, extra={
            "penalty_decision": {"kinds": kinds, "amount": amount, "reasoning": reasoning, "outside_benchmark_reason": outside_benchmark_reason},
            "no_penalty_decision": {"reason": reasoning},
            "crime_transfer_letter": {},
        }[document] | {"decision_id": decision.pk})
        _commit(case, act, actor, {"decision_id": decision.pk, "outcome": outcome, "kinds": kinds, "amount": amount,
                                   "document": document, "content": content, "content_sha256": _digest(content), **paperwork.record(doc)})
        return decision


def decide_on_spot(case_id: int, *, kinds: list[str], amount: Decimal | None = None, reasoning: str,
                   statement: str = "", actor: access.Actor) -> Decision:
    """当场处罚 (APL arts.51–52): show credentials, tell the facts, reasons, basis and rights, hear
    the party, hand the decision over on the spot; warning or a small fine only."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "decide_on_spot", actor)
        v += _officers_ok(_officer_ids(case), today)
        v += _item_and_competence(case.body, case.item, today)
        v += _limitation(case, today)
        v += rules.check_penalty_kinds(kinds, amount)
        v += rules.check_simple_procedure(_party_kind(case), kinds, amount)
        v += rules.check_punishable(case.party_age, case.party_mental_illness, case.no_fault, kinds)
        v += rules.check_one_fine(kinds, _other_fines(case))
        v += rules.check_reason(reasoning, "当场处罚决定书", "行政处罚法第五十二条")
        v += _av_guard(case, "spot_penalty", "当场处罚")
        v += rules.check_formalities(case.credentials_shown_on is not None, case.rights_told_on is not None, on_spot=True)  # R15
        refuse_if_any(v)
        content = {"party": case.party_name, "facts": case.act_description, "kinds": kinds, "amount": amount,
                   "basis": case.item.legal_basis, "reasoning": reasoning, "statement": statement,
                   "credentials_shown": True, "rights_told": True, "decided_on": today, "body": case.body.name}
        decision = Decision.objects.create(case=case, outcome="penalty", kinds=kinds, amount=amount, decided_on=today,
                                           reasoning=reasoning, content=_plain(content))
        ServiceRecord.objects.create(case=case, document="on_spot_decision", method="direct", served_on=today, content={"on_spot": True})
        case.outcome, case.decision_kinds, case.decision_amount = "penalty", kinds, amount
        case.decided_on = case.served_on = today
        if policy().publish_simple_procedure:
            case.publication_due = workdays.add_working_days(today, policy().publication_rule(case.body.sector)[0]).date
        has_fine = "fine" in kinds and amount
        if has_fine:
            case.payment_due = workdays.add_calendar_days(today, policy().payment_days).date
        doc = paperwork.issue(case, "on_the_spot_decision", actor=actor, extra={"kinds": kinds, "amount": amount, "decision_id": decision.pk})
        _commit(case, act, actor, {"decision_id": decision.pk, "kinds": kinds, "amount": amount, "document": "on_spot_decision",
                                   **{k: v for k, v in paperwork.record(doc).items() if k != "document"},
                                   "content": content, "content_sha256": _digest(content), "credentials_shown": True,
                                   "rights_told": True}, target="served" if has_fine else "executed")
        return decision


# --- Service and execution --------------------------------------------------------------------------

def serve(case_id: int, *, method: str = "direct", served_on: dt.date | None = None, consent: bool = False,
          actor: access.Actor) -> ServiceRecord:
    """送达 (APL art.61): within 7 working days; fax or e-mail only with consent. The 15-day
    payment period runs from service (APL art.67)."""
    today = clock.today()
    served_on = served_on or today
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "serve", actor)
        v += rules.check_service(method, consent)
        if served_on > today or (case.decided_on and served_on < case.decided_on):
            v.append(Violation("INVALID_DATE", "送达日期不得晚于今天或者早于决定日期。", rules.ART61))
        if method in ("leaving", "notice"):
            v += _av_guard(case, "service_leaving" if method == "leaving" else "service_notice", "送达")
        refuse_if_any(v)
        document = {"penalty": "penalty_decision", "no_penalty": "no_penalty_decision", "transfer": "crime_transfer_letter"}.get(case.outcome, "")
        content = {"document": document, "method": method, "served_on": served_on, "party": case.party_name, "consent": consent}
        record = ServiceRecord.objects.create(case=case, document=document, method=method, served_on=served_on, consent=consent, content=_plain(content))
        case.served_on = served_on
        has_fine = "fine" in (case.decision_kinds or []) and case.decision_amount
        if has_fine:
            case.payment_due = workdays.add_calendar_days(served_on, policy().payment_days).date
        served = paperwork.current(case, paperwork.DECISION_KINDS)
        doc = paperwork.issue(case, "service_receipt", actor=actor, extra={
            "served_documents": [{"title": served.title, "number": served.number} if served else {"title": document, "number": ""}],
            "method": ServiceRecord.Method(method).label, "served_at": served_on, "service_id": record.pk})
        _commit(case, act, actor, {"service_id": record.pk, "method": method, "served_on": served_on, "payment_due": case.payment_due,
                                   "document": "service_receipt", "content": content, "content_sha256": _digest(content),
                                   **paperwork.record(doc)},
                target="served" if has_fine else "executed")
        return record


def defer_payment(case_id: int, *, new_due: dt.date, reason: str, instalments: int = 1, actor: access.Actor) -> Case:
    """暂缓或者分期缴纳 (APL art.66): on the party's application, approved."""
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "defer_payment", actor)
        v += rules.check_reason(reason, "延期或者分期缴纳罚款", "行政处罚法第六十六条")
        if case.payment_due and new_due <= case.payment_due:
            v.append(Violation("INVALID_DATE", "延期后的缴款期限应当晚于原期限。", "行政处罚法第六十六条"))
        refuse_if_any(v)
        old, case.payment_due = case.payment_due, new_due
        case.payment_deferred_on, case.deferral_requested_on = clock.today(), None
        doc = paperwork.issue(case, "payment_deferral_approval", actor=actor, extra={
            "request": reason, "plan": f"缴款期限延至{new_due.isoformat()}" + (f"，分{instalments}期缴纳" if instalments > 1 else "")})
        return _commit(case, act, actor, {"from": old, "new_due": new_due, "instalments": instalments, "reason": reason,
                                          "document": "payment_deferral_approval", **paperwork.record(doc)}, fields=["payment_due"])


def pay(case_id: int, *, amount: Decimal, paid_on: dt.date | None = None, receipt: str = "", actor: access.Actor) -> Payment:
    """缴款; late fee 3% a day capped at the fine (APL art.72, ACL art.45). Paid in full → executed."""
    today = clock.today()
    paid_on = paid_on or today
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "pay", actor)
        if amount is None or amount <= 0:
            v.append(Violation("INVALID_INPUT", "缴款金额应当大于零。", "行政处罚法第六十七条"))
        if paid_on > today:
            v.append(Violation("INVALID_DATE", "缴款日期不得晚于今天。", "行政处罚法第六十七条"))
        refuse_if_any(v)
        fine = case.decision_amount or Decimal(0)
        fee = rules.late_fee_excluding(fine, case.payment_due, paid_on, _remedies(case)) if case.payment_due else Decimal(0)
        payment = Payment.objects.create(case=case, paid_on=paid_on, amount=amount, late_fee=fee, receipt=receipt)
        case.paid_amount = (case.paid_amount or Decimal(0)) + amount
        done = case.paid_amount >= fine + fee
        if done:
            case.paid_on = paid_on
        _commit(case, act, actor, {"payment_id": payment.pk, "amount": amount, "late_fee": fee, "paid_total": case.paid_amount,
                                   "settled": done}, target="executed" if done else None, fields=["paid_amount", "paid_on"])
        return payment


def remind(case_id: int, *, actor: access.Actor) -> Case:
    """催告 (ACL art.35): written, before any enforcement."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "remind", actor)
        if case.payment_due and today <= case.payment_due:
            v.append(Violation(rules.WRONG_STATE, f"缴款期限至{case.payment_due.isoformat()}，尚未届满。", rules.ACL35))
        refuse_if_any(v)
        case.reminded_on = today
        fee = (rules.late_fee_excluding(case.decision_amount or Decimal(0), case.payment_due, today, _remedies(case))
               if case.payment_due else Decimal(0))
        owed = (case.decision_amount or Decimal(0)) + fee - (case.paid_amount or Decimal(0))
        doc = paperwork.issue(case, "reminder", actor=actor, extra={  # ACL art.35; court after 10 working days (art.54)
            "amount": f"{paperwork.money(owed)}（含加处罚款{paperwork.money(fee)}）" if fee else paperwork.money(owed),
            "deadline": workdays.add_working_days(today, policy().reminder_working_days).date})
        return _commit(case, act, actor, {"reminded_on": today, "late_fee": fee, "document": "reminder", **paperwork.record(doc)},
                       fields=["reminded_on"])


def apply_court(case_id: int, *, actor: access.Actor) -> Case:
    """申请人民法院强制执行 (ACL arts.53–54): only after a reminder and ten working days."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "apply_court", actor)
        earliest = workdays.add_working_days(case.reminded_on, policy().reminder_working_days).date if case.reminded_on else None
        v += rules.check_court_application(case.reminded_on, earliest, today)
        v += rules.check_no_running_remedy(case.remedy_since)  # ACL art.53, APL art.73
        refuse_if_any(v)
        case.court_applied_on = today
        doc = paperwork.issue(case, "enforcement_application", actor=actor, extra={
            "request": f"强制执行{paperwork.penalty_text(case.decision_kinds, case.decision_amount)}（扣除已缴部分）及依法加处的罚款"})
        return _commit(case, act, actor, {"applied_on": today, "document": "court_enforcement_application", **paperwork.record(doc)},
                       fields=["court_applied_on"])


def _correction_documents(case: Case, kind: str, reason: str, kinds: list[str] | None, amount: Decimal | None,
                          actor: access.Actor) -> dict:
    """R24 on paper: a revoked decision's document is voided (it keeps its number, marked 作废);
    an amendment is a new decision document that names the one it amends."""
    from zhifa.documents import services as documents

    old = paperwork.current(case, paperwork.DECISION_KINDS)
    if kind in ("revoke", "void"):  # void: declared void (确认无效, APL art.38) — voided like a revocation
        if old is None:
            return {}
        voided = documents.void_document(old.pk, reason=f"本机关撤销该决定：{reason}", actor=actor)
        return {"voided_document": paperwork.entry(voided)}
    doc = paperwork.issue(case, "penalty_decision", actor=actor, extra={
        "kinds": list(kinds or []), "amount": amount, "reasoning": reason, "amends": old.number if old else ""})
    return paperwork.record(doc) | ({"amends_document": paperwork.entry(old)} if old else {})


def correct(case_id: int, *, kind: str, reason: str, kinds: list[str] | None = None, amount: Decimal | None = None,
            actor: access.Actor) -> Decision:
    """自我纠正 (R24): revoke or amend a decision with reasons; a published decision must be
    withdrawn within 3 working days (APL art.48). An amendment is never heavier (APL art.45)."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "correct", actor)
        v += rules.check_reason(reason, "撤销或者变更决定", "行政处罚法第四十八条；行政复议法")
        if kind not in ("revoke", "amend", "void"):
            v.append(Violation("INVALID_INPUT", "纠正方式应为撤销或者变更。", rules.ART47))
        if kind == "amend":
            kinds = list(kinds or [])
            v += rules.check_penalty_kinds(kinds, amount)
            if (amount or 0) > (case.decision_amount or 0) or any(k not in (case.decision_kinds or []) for k in kinds):
                v.append(Violation(rules.PENALTY_ABOVE_NOTICE, "变更决定不得加重原处罚；需加重的应当重新调查、告知。", rules.ART45))
        refuse_if_any(v)
        withdraw_by = workdays.add_working_days(today, 3)  # APL art.48: withdraw publication within 3 working days
        decision = Decision.objects.create(case=case, kind=kind, outcome="penalty" if kind == "amend" else "revoked",
                                           kinds=kinds or [], amount=amount if kind == "amend" else None, decided_on=today,
                                           reasoning=reason, content=_plain({"reason": reason, "withdraw_publication_by": withdraw_by.date}))
        docs = _correction_documents(case, kind, reason, kinds, amount, actor)
        if case.published_on:  # APL art.48 ¶2: withdraw the published decision within 3 working days
            case.withdrawal_due = workdays.add_working_days(today, policy().withdrawal_working_days).date
        if kind == "amend" and case.outcome == "penalty" and (case.procedure == "normal" or policy().publish_simple_procedure):
            case.publication_due = workdays.add_working_days(today, policy().publication_rule(case.body.sector)[0]).date
        if kind in ("revoke", "void"):  # void: 确认无效 (APL art.38)
            case.decision_kinds, case.decision_amount, case.payment_due = [], None, None
            target = "closed" if case.state != "closed" else None
            if target:
                case.closed_on = today
        else:
            case.decision_kinds, case.decision_amount = kinds, amount
            target = "executed" if case.state == "served" and case.paid_amount >= (amount or 0) else None
        _commit(case, act, actor, {"decision_id": decision.pk, "kind": kind, "reason": reason, "kinds": kinds, "amount": amount,
                                   "withdraw_publication_by": withdraw_by.date, **docs}, target=target)
        return decision


def close_case(case_id: int, *, summary: str = "", actor: access.Actor) -> Case:
    """结案: after no penalty, transfer, or execution; open seizures must be released first."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "close", actor)
        if case.state == "decided" and case.outcome == "penalty":
            v.append(Violation(rules.WRONG_STATE, "处罚决定尚未送达执行，不能结案。", rules.ART47))
        if case.seizures.filter(released_on__isnull=True).exists():
            v.append(Violation(rules.SEIZURE_PERIOD_EXCEEDED, "尚有未解除的查封、扣押，不能结案。", rules.ACL25))
        if case.collected_on_spot_on and not case.collection_handed_over_on:
            v.append(Violation(rules.COLLECTION_NOT_HANDED_OVER, "当场收缴的罚款尚未交至行政机关，不能结案。", rules.ART71))
        refuse_if_any(v)
        case.closed_on = today
        doc = paperwork.issue(case, "closing_approval", actor=actor, extra={"summary": summary})
        return _commit(case, act, actor, {"summary": summary, "document": "closing_approval", **paperwork.record(doc)}, fields=["closed_on"])


def archive_case(case_id: int, *, actor: access.Actor) -> Case:
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "archive", actor)
        refuse_if_any(v)
        case.archived_on = today
        return _commit(case, act, actor, {"archived_on": today}, fields=["archived_on"])


# --- Documents of a case (R16): correction by re-issue ----------------------------------------------

def case_documents(case_id: int, actor: access.Actor):
    """The documents a case's actions produced (every version), oldest first; 404 outside scope."""
    from zhifa.documents.models import Document

    case = get_case(case_id, actor)
    return Document.objects.filter(subject=case.stream).select_related("body").order_by("issued_at", "pk")


def _merge(data: dict, corrections: dict) -> dict:
    merged = dict(data)
    for key, value in corrections.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def reissue_case_document(case_id: int, document_id: int, *, corrections: dict, reason: str, actor: access.Actor):
    """更正重发: correct a clerical error in one of the case's documents — a new version with the
    same number, the old one kept as superseded — and record it. A decision can be corrected this
    way only before it is served; afterwards a change is a self-correction (``correct``, R24)."""
    from zhifa.documents import services as documents
    from zhifa.documents.models import Document

    with transaction.atomic():
        case = _lock(case_id, actor)
        if "officer" not in roles_on(actor, case, case.body.parent_department_id):
            raise PermissionDenied("只有本主体持证执法人员可以更正本案文书。")
        old = Document.objects.filter(subject=case.stream, pk=document_id).first()
        if old is None:
            raise Http404("本案没有该文书。")
        v = rules.check_reason(reason, "更正文书", "行政处罚法第四十八条")
        if old.status != Document.Status.ISSUED:
            v.append(Violation(rules.WRONG_STATE, f"该文书状态为“{old.get_status_display()}”，只有有效的文书可以更正。", ""))
        if old.kind in paperwork.DECISION_KINDS and case.state != "decided":
            v.append(Violation(rules.WRONG_STATE, "决定书已送达或者已执行，不能更正重发；请通过自我纠正撤销或者变更决定。", "行政处罚法第四十八条"))
        bad = sorted(k for k in corrections if k in ("body", "issued_on"))
        if bad:
            v.append(Violation("INVALID_INPUT", f"不能更正{'、'.join(bad)}（由系统填写）。", ""))
        refuse_if_any(v)
        new = documents.reissue_document(old.pk, data=_merge(old.data, corrections), actor=actor)
        ledger.append(case.stream, "reissue_document", {"label": "更正文书", "reason": reason, "corrections": corrections,
                                                        "superseded": paperwork.entry(old), "version": case.version,
                                                        **paperwork.record(new)},
                      actor=actor.user, actor_name=_actor_name(actor))
        return new


# --- On the scene: credentials and rights (R15) ------------------------------------------------

def _present(case: Case, officer_ids: list[int] | None, today: dt.date) -> tuple[list[int], list[Violation]]:
    """The officers present at an on-scene act: named ones of the body, else the case's officers;
    at least two holders of valid certificates, auxiliary staff not counted (APL art.42)."""
    if officer_ids:
        _require_body_officers(officer_ids, case.body_id)
    ids = sorted(officer_ids or _officer_ids(case))
    return ids, _officers_ok(ids, today)


def show_credentials(case_id: int, *, officer_ids: list[int] | None = None, place: str = "", actor: access.Actor) -> Case:
    """亮证 (R15): the officers present show their enforcement credentials to the party (APL art.55;
    on the spot art.52) — a recorded act; no decision without it."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "show_credentials", actor)
        ids, problems = _present(case, officer_ids, today)
        v += problems
        refuse_if_any(v)
        case.credentials_shown_on = today
        numbers = dict(registry.with_current_certificate(Officer.objects.filter(pk__in=ids)).values_list("pk", "cert_number"))
        return _commit(case, act, actor, {"officers": ids, "certificates": [numbers.get(i) or "" for i in ids], "place": place,
                                          "basis": rules.ART52 if case.procedure == "simple" else rules.ART55}, fields=[])


RIGHTS_TEXT = ("告知当事人：执法人员身份、检查（调查）事由；当事人依法享有陈述、申辩的权利，符合条件的有要求听证的权利，"
               "有申请执法人员回避的权利；对行政处罚决定不服的，可以依法申请行政复议或者提起行政诉讼。")


def inform_rights(case_id: int, *, officer_ids: list[int] | None = None, rights: str = "", actor: access.Actor) -> Case:
    """告知权利和救济途径 (R15): the party is told its rights of statement, defence, hearing and
    recusal and its remedies (APL arts.44, 52) — a recorded act."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "inform_rights", actor)
        ids, problems = _present(case, officer_ids, today)
        v += problems
        refuse_if_any(v)
        case.rights_told_on = today
        text = (rights or "").strip() or RIGHTS_TEXT
        return _commit(case, act, actor, {"officers": ids, "rights": text, "basis": f"{rules.ART44}、{rules.ART52}"}, fields=[])


def record_education(case_id: int, *, content: str, actor: access.Actor) -> Case:
    """教育 (APL art.33 ¶3): a party not punished is educated; the education is recorded."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "record_education", actor)
        v += rules.check_reason(content, "对当事人的教育情况", rules.ART33_3)
        refuse_if_any(v)
        case.educated_on = today
        return _commit(case, act, actor, {"content": content, "basis": rules.ART33_3}, fields=[])


# --- Emergency measures approved afterwards (ACL art.19) ------------------------------------------

def approve_seizure(case_id: int, *, seizure_id: int, approve: bool = True, reason: str = "", actor: access.Actor) -> Seizure:
    """补办批准 (ACL art.19): an emergency seizure is reported and approved within 24 hours; later
    approval is refused (the measure must be released); refusing approval releases it at once."""
    now, today = clock.now(), clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "approve_seizure", actor)
        s = _seizure(case, seizure_id)
        if s.released_on or not s.emergency or s.approved_on:
            v.append(Violation(rules.WRONG_STATE, "该查封、扣押不是待补办批准的紧急措施。", rules.ACL19))
        v += rules.check_emergency_approval(s.seized_at, now, approve, policy().emergency_report_hours)
        if not approve:
            v += rules.check_reason(reason, "不予批准", rules.ACL19)
        refuse_if_any(v)
        late = bool(s.seized_at and rules.emergency_approval_late(s.seized_at, now, policy().emergency_report_hours))
        if approve:
            s.approved_on = today
        else:
            s.released_on = today  # ACL art.19: the head finds it should not be taken — release at once
        s.save(update_fields=["approved_on", "released_on"])
        _commit(case, act, actor, {"seizure_id": s.pk, "approved": approve, "reason": reason, "late": late,
                                   "seized_at": s.seized_at, "basis": rules.ACL19}, fields=[])
        return s


# --- Payment: deferral request, on-the-spot collection, remedies ----------------------------------------

def _remedies(case: Case) -> list[rules.Interval]:
    return [rules.Interval(a, b) for a, b in RemedyPeriod.objects.filter(case_id=case.pk).values_list("start", "end")]


def request_deferral(case_id: int, *, reason: str, instalments: int = 1, actor: access.Actor) -> Case:
    """The party applies for deferred or instalment payment (APL art.66 ¶2); the head decides
    (``defer_payment``), the request waits in the head's approvals queue."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "request_deferral", actor)
        v += rules.check_reason(reason, "延期（分期）缴纳申请", "行政处罚法第六十六条")
        refuse_if_any(v)
        case.deferral_requested_on = today
        return _commit(case, act, actor, {"reason": reason, "instalments": instalments}, fields=[])


def collect_on_spot(case_id: int, *, ground: str, receipt: str, amount: Decimal | None = None, actor: access.Actor) -> Payment:
    """当场收缴 (APL arts.68–70): ≤ 100 yuan or impractical later (simple procedure), remote places
    on the party's request; always with the special receipt; handed over within 2 days (art.71)."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "collect_on_spot", actor)
        fine = case.decision_amount or Decimal(0)
        amount = amount if amount is not None else fine - (case.paid_amount or Decimal(0))
        v += rules.check_on_spot_collection(case.procedure, ground, case.decision_amount, receipt)
        if case.collected_on_spot_on:
            v.append(Violation(rules.WRONG_STATE, "本案罚款已当场收缴。", rules.ART68_71))
        if amount is None or amount <= 0:
            v.append(Violation("INVALID_INPUT", "收缴金额应当大于零。", rules.ART68_71))
        refuse_if_any(v)
        fee = rules.late_fee_excluding(fine, case.payment_due, today, _remedies(case)) if case.payment_due else Decimal(0)
        payment = Payment.objects.create(case=case, paid_on=today, amount=amount, late_fee=fee, receipt=receipt)
        case.paid_amount = (case.paid_amount or Decimal(0)) + amount
        case.collected_on_spot_on = today
        done = case.paid_amount >= fine + fee
        if done:
            case.paid_on = today
        handover = workdays.add_working_days(today, policy().handover_working_days)
        _commit(case, act, actor, {"payment_id": payment.pk, "amount": amount, "ground": ground, "receipt": receipt,
                                   "ground_label": rules.COLLECTION_GROUNDS[ground], "hand_over_by": handover.date, "settled": done},
                target="executed" if done else None, fields=["paid_amount", "paid_on"])
        return payment


def hand_over_collection(case_id: int, *, handed_over_on: dt.date | None = None, actor: access.Actor) -> Case:
    """交款 (APL art.71): money collected on the spot reaches the body within 2 (working) days; a late
    hand-over is recorded as late."""
    today = clock.today()
    handed_over_on = handed_over_on or today
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "hand_over_collection", actor)
        if not case.collected_on_spot_on or case.collection_handed_over_on:
            v.append(Violation(rules.WRONG_STATE, "本案没有待交至机关的当场收缴罚款。", rules.ART71))
        elif handed_over_on > today or handed_over_on < case.collected_on_spot_on:
            v.append(Violation("INVALID_DATE", "交款日期不得晚于今天或者早于收缴日期。", rules.ART71))
        refuse_if_any(v)
        due = workdays.add_working_days(case.collected_on_spot_on, policy().handover_working_days).date
        case.collection_handed_over_on = handed_over_on
        return _commit(case, act, actor, {"handed_over_on": handed_over_on, "due": due,
                                          "late": rules.handover_late(case.collected_on_spot_on, due, handed_over_on)}, fields=[])


def record_remedy(case_id: int, *, kind: str, start: dt.date | None = None, actor: access.Actor) -> RemedyPeriod:
    """The party applied for reconsideration or sued (行政复议、行政诉讼): the late fee is not counted
    meanwhile (APL art.73 ¶3) and no court enforcement is applied for (ACL art.53)."""
    today = clock.today()
    start = start or today
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "record_remedy", actor)
        if case.remedy_since is not None:
            v.append(Violation(rules.WRONG_STATE, "已有正在进行的复议或者诉讼。", rules.ART73))
        if kind not in RemedyPeriod.Kind.values:
            v.append(Violation("INVALID_INPUT", "类别应为行政复议或者行政诉讼。", rules.ART73))
        if start > today or (case.decided_on and start < case.decided_on):
            v.append(Violation("INVALID_DATE", "申请日期不得晚于今天或者早于决定日期。", rules.ART73))
        refuse_if_any(v)
        remedy = RemedyPeriod.objects.create(case=case, kind=kind, start=start)
        case.remedy_since = start
        _commit(case, act, actor, {"remedy_id": remedy.pk, "kind": kind, "start": start, "basis": rules.ART73}, fields=[])
        return remedy


def end_remedy(case_id: int, *, end: dt.date | None = None, result: str = "", actor: access.Actor) -> RemedyPeriod:
    today = clock.today()
    end = end or today
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "end_remedy", actor)
        remedy = RemedyPeriod.objects.filter(case=case, end__isnull=True).order_by("-start").first()
        if remedy is None:
            raise Refused([Violation(rules.WRONG_STATE, "没有正在进行的复议或者诉讼。", rules.ART73)])
        if end > today or end < remedy.start:
            v.append(Violation("INVALID_DATE", "终结日期不得晚于今天或者早于申请日期。", rules.ART73))
        refuse_if_any(v)
        remedy.end, remedy.result = end, result
        remedy.save(update_fields=["end", "result"])
        case.remedy_since = None
        _commit(case, act, actor, {"remedy_id": remedy.pk, "end": end, "result": result,
                                   "paused_days": rules.days_within([rules.Interval(remedy.start, end)], remedy.start - dt.timedelta(days=1), end)},
                fields=[])
        return remedy


# --- Publication (3S, SAMR45) and withdrawal (APL art.48) ------------------------------------------

def publish(case_id: int, *, published_on: dt.date | None = None, where: str = "", actor: access.Actor) -> Case:
    """公示 a penalty decision: within 7 working days (3S), market regulation 20 (SAMR45 art.9)."""
    today = clock.today()
    published_on = published_on or today
    pol = policy()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "publish", actor)
        if not _publishable(case, pol) or case.published_on:
            v.append(Violation(rules.NOT_PUBLISHABLE, "本案没有待公示的行政处罚决定（未作出处罚、已撤销或者已公示）。", rules.ART48))
        if published_on > today or (case.decided_on and published_on < case.decided_on):
            v.append(Violation("INVALID_DATE", "公示日期不得晚于今天或者早于决定日期。", rules.ART48))
        refuse_if_any(v)
        case.published_on = published_on
        days, basis = pol.publication_rule(case.body.sector)
        return _commit(case, act, actor, {"published_on": published_on, "where": where, "due": case.publication_due,
                                          "late": bool(case.publication_due and published_on > case.publication_due),
                                          "basis": basis, "working_days": days}, fields=[])


def withdraw_publication(case_id: int, *, reason: str, actor: access.Actor) -> Case:
    """撤回公示 (APL art.48 ¶2, SAMR45 art.11): within 3 working days of a change, revocation or
    declaration of voidness, with the reason made public."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "withdraw_publication", actor)
        if not case.published_on or case.withdrawal_due is None:
            v.append(Violation(rules.WRONG_STATE, "本案没有需要撤回的公示信息。", rules.ART48))
        v += rules.check_reason(reason, "撤回公示", rules.ART48)
        refuse_if_any(v)
        due = case.withdrawal_due
        case.published_on, case.withdrawal_due, case.publication_withdrawn_on = None, None, today
        return _commit(case, act, actor, {"reason": reason, "due": due, "late": today > due, "basis": rules.ART48}, fields=[])


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
    officer = actor.officer
    if not (officer and officer.is_head and not officer.is_auxiliary and officer.status == Officer.Status.ACTIVE):
        raise PermissionDenied("审批事项仅向主体负责人开放。")
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


def _reviewer(actor: access.Actor) -> Officer:
    officer = actor.officer
    if not (officer and officer.is_legal_reviewer and not officer.is_auxiliary):
        raise PermissionDenied("法制审核事项仅向法制审核人员开放。")
    return officer


def pending_reviews(actor: access.Actor) -> QuerySet[LegalReview]:
    """法制审核: the reviews waiting for this legal reviewer — of the own body's cases and, for a
    county department's reviewer, of its townships' cases (提级审核) — most urgent case first."""
    officer = _reviewer(actor)
    return (LegalReview.objects.filter(reviewer=officer, completed_on__isnull=True, case__in=visible_cases(actor))
            .select_related("case", "case__item", "case__body")
            .order_by(dj.F("case__next_due").asc(nulls_last=True), "requested_on", "pk"))


def completed_reviews(actor: access.Actor, limit: int = 20) -> QuerySet[LegalReview]:
    officer = _reviewer(actor)
    return (LegalReview.objects.filter(reviewer=officer, completed_on__isnull=False)
            .select_related("case", "case__item").order_by("-completed_on", "-pk")[:limit])


# --- Stored deadlines: recompute (new holiday year, daily sweep) -----------------------------------------

def recompute_deadlines(case_ids=None, *, years=None, today: dt.date | None = None, batch: int = 500) -> int:
    """Recompute the stored deadlines of open cases from the working-day calendar as it is now:
    the defence and hearing-request periods, the payment period (unless deferred), the publication
    period, open seizures' ends, and ``next_due``. ``years``: only cases with a stored date in those
    years (the hook after ``zhifa load_holidays``: provisional dates become final). A changed legal
    date is recorded on the case's record (``recompute_deadlines``); returns the cases changed."""
    today = today or clock.today()
    pol, schedule = policy(), workdays.schedule()
    qs = Case.objects.exclude(state__in=workflow.TERMINAL)
    if case_ids is not None:
        qs = qs.filter(pk__in=list(case_ids))
    if years:
        ys = sorted(set(years))
        open_seizure = Seizure.objects.filter(case=dj.OuterRef("pk"), released_on__isnull=True, due__year__in=ys)
        qs = qs.filter(Q(next_due__year__in=ys) | Q(defence_due__year__in=ys) | Q(hearing_due__year__in=ys)
                       | Q(payment_due__year__in=ys) | Q(publication_due__year__in=ys) | Q(withdrawal_due__year__in=ys)
                       | dj.Exists(open_seizure))
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    changed = 0
    fields = ["defence_due", "hearing_due", "payment_due", "publication_due", "next_due", "next_due_kind", "next_due_provisional"]
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        with transaction.atomic():
            cases = list(Case.objects.select_for_update(of=("self",)).select_related("body").filter(pk__in=chunk).order_by("pk"))
            pauses: dict[int, list] = {}
            for cid, a, b in Pause.objects.filter(case_id__in=chunk).order_by("start").values_list("case_id", "start", "end"):
                pauses.setdefault(cid, []).append(rules.Interval(a, b))
            seizures: dict[int, list] = {}
            for s in Seizure.objects.select_for_update().filter(case_id__in=chunk, released_on__isnull=True):
                seizures.setdefault(s.case_id, []).append(s)
            cases_out, seizures_out = [], []
            for case in cases:
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
                for s in seizures.get(case.pk, []):
                    days = pol.seizure_days + (pol.seizure_extension_days if s.extended_on else 0) + s.testing_days
                    before = s.due
                    put("due", schedule.add_calendar_days(s.decided_on, days).date, obj=s, key=f"seizure:{s.pk}")
                    if s.due != before:
                        seizures_out.append(s)
                before = (case.next_due, case.next_due_kind, case.next_due_provisional)
                _set_next_due(case, deadlines.case_deadlines(case, schedule, today, pauses.get(case.pk, []),
                                                             seizures.get(case.pk, []), pol))
                if moved or before != (case.next_due, case.next_due_kind, case.next_due_provisional):
                    cases_out.append(case)
                    changed += 1
                if moved:
                    ledger.append(case.stream, "recompute_deadlines", {"label": "按节假日安排重新计算期限", "changes": moved},
                                  actor_name="系统")
            Case.objects.bulk_update(cases_out, fields)
            Seizure.objects.bulk_update(seizures_out, ["due"])
    return changed


def recompute_after_holidays(years: list[int]) -> int:
    """``ZHIFA["CALENDAR_RECOMPUTE_HOOKS"]`` hook: ``zhifa load_holidays`` loaded ``years``."""
    return recompute_deadlines(years=years)


def overdue_counts(today: dt.date | None = None) -> dict[str, int]:
    """Open cases whose stored next deadline has passed, by kind (``zhifa sweep``)."""
    today = today or clock.today()
    rows = (Case.objects.exclude(state__in=workflow.TERMINAL).filter(next_due__lt=today)
            .values_list("next_due_kind").annotate(n=dj.Count("pk")).order_by())
    return {kind: n for kind, n in rows}


# --- Dispatch (the API's POST /cases/{id}/actions/{action}) ------------------------------------------

PERFORM: dict[str, Callable[..., Any]] = {
    "file": file_case, "decline": decline_case, "assign": assign_officers, "record_evidence": record_evidence,
    "preserve": preserve_evidence, "decide_preservation": decide_preservation, "seize": seize,
    "extend_seizure": extend_seizure, "record_testing": record_testing, "release_seizure": release_seizure,
    "pause": pause_clock, "resume": resume_clock, "extend": extend_period, "recuse": recuse, "escalate": escalate,
    "end_investigation": end_investigation, "review_case": review_case, "collective_discussion": hold_collective_discussion,
    "request_review": request_review, "complete_review": complete_review, "notify": notify,
    "record_defence": record_defence, "waive_defence": waive_defence, "request_hearing": request_hearing,
    "waive_hearing": waive_hearing, "schedule_hearing": schedule_hearing, "hold_hearing": hold_hearing,
    "decide": decide, "decide_on_spot": decide_on_spot, "serve": serve, "defer_payment": defer_payment, "pay": pay,
    "remind": remind, "apply_court": apply_court, "correct": correct, "close": close_case, "archive": archive_case,
    "show_credentials": show_credentials, "inform_rights": inform_rights, "record_education": record_education,
    "approve_seizure": approve_seizure, "request_deferral": request_deferral, "collect_on_spot": collect_on_spot,
    "hand_over_collection": hand_over_collection, "record_remedy": record_remedy, "end_remedy": end_remedy,
    "publish": publish, "withdraw_publication": withdraw_publication,
}
assert set(PERFORM) == set(workflow.BY_CODE), set(PERFORM) ^ set(workflow.BY_CODE)


def perform(case_id: int, code: str, data: dict, *, actor: access.Actor):
    """Run the action ``code`` with its keyword arguments ``data``."""
    if code not in PERFORM:
        raise Http404("没有这个办案操作。")
    return PERFORM[code](case_id, **data, actor=actor)
