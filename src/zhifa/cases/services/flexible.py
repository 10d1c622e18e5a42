"""Flexible enforcement (柔性执法, R21): guidance, persuasion, demonstration, warning and interview
as enforcement acts (APL art.6, ACL art.5), their follow-up and later violations; the education
of a no-penalty case (APL art.33 ¶3). Each act records on ``flexible:<id>`` (and on the case's
record when it belongs to a case)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.catalog.models import Item
from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import TWO_OFFICERS_REQUIRED, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Officer

from .. import flexible_rules as fr
from .. import flexible_selectors as fs
from ..models import Case, FlexibleAct
from ..selectors import visible_cases
from ._core import _actor_name, _require_body_officers


def _require_officer(actor: access.Actor, body_id: int | None) -> None:
    officer = actor.officer
    ok = actor.is_admin or bool(officer and officer.status == Officer.Status.ACTIVE and not officer.is_auxiliary
                                and officer.body_id == body_id)
    if not ok or body_id is None:
        raise PermissionDenied("柔性执法由本主体持证执法人员实施和登记。")


def _officer_guards(kind: str, ids: list[int], on: dt.date) -> list[Violation]:
    """An interview: two holders of valid certificates (APL art.42); any other form: at least one,
    and every officer named holds a valid certificate on the day."""
    problems = registry.check_officers_may_act(ids, on) if ids else []
    if kind == "interview":
        return problems if ids else [Violation(TWO_OFFICERS_REQUIRED, "指导约谈应当由两名以上持有有效执法证的执法人员进行。", fr.BASIS)]
    others = [p for p in problems if p.code != TWO_OFFICERS_REQUIRED]
    return others if ids else [Violation(TWO_OFFICERS_REQUIRED, "请填写实施柔性执法的执法人员。", fr.BASIS)]


def _issue(act: FlexibleAct, actor: access.Actor) -> dict:
    """行政指导书 or 约谈笔录 (documents/kinds.toml), numbered; {} for the forms without one."""
    code = fr.DOCUMENTS.get(act.kind)
    if code is None:
        return {}
    from zhifa.documents import services as documents

    officers = "、".join(act.officers.order_by("name").values_list("name", flat=True))
    data = {"party": {"name": act.party_name, "id_code": act.party_id_code}, "form": act.get_kind_display(),
            "item": act.item.name, "content": act.minutes or act.content, "outcome": act.outcome, "officers": officers,
            "held_at": f"{act.acted_on:%Y年%m月%d日}", "place": act.place or act.body.name,
            "follow_up_on": f"{act.follow_up_on:%Y年%m月%d日}" if act.follow_up_on else ""}
    doc = documents.issue_document(kind=code, body=act.body, data=data, actor=actor, subject=act.party_name,
                                   issued_on=act.acted_on if act.acted_on <= clock.today() else None, record=False)
    act.document_number = doc.number
    return {"document": code, "document_id": doc.pk, "document_number": doc.number, "data_sha256": documents.data_sha256(doc),
            "pdf_sha256": doc.pdf_sha256, "docx_sha256": doc.docx_sha256}


@use_case
def record_flexible_act(*, kind: str, item_code: str, content: str, officer_ids: list[int], party_kind: str = "organisation",
                        party_name: str = "", party_id_code: str = "", acted_on: dt.date | None = None, place: str = "",
                        outcome: str = "", minutes: str = "", follow_up_on: dt.date | None = None, first_offence: bool = False,
                        override_reason: str = "", case_id: int | None = None, body_id: int | None = None,
                        actor: access.Actor) -> FlexibleAct:
    """登记柔性执法: the act with its officers (an interview: two certified and minutes), item,
    content, outcome, follow-up; a first offence not punished again within the look-back is
    refused unless a reason is given (``REPEAT_FIRST_OFFENCE``), and flagged."""
    today = clock.today()
    acted_on = acted_on or today
    with transaction.atomic():
        case = None
        if case_id is not None:
            case = visible_cases(actor).select_for_update(of=("self",)).filter(pk=case_id).first()
            if case is None:
                raise Http404("未找到该案件，或您无权查看。")
            body_id = case.body_id
            party_kind, party_name = case.party_kind, party_name or case.party_name
            party_id_code = party_id_code or case.party_id_code
            item_code = item_code or case.item.code
        body_id = body_id or actor.body_id
        _require_officer(actor, body_id)
        item = Item.objects.filter(code=item_code).order_by("-version").first()
        if item is None:
            raise Http404("未找到该执法事项。")
        _require_body_officers(officer_ids, body_id)
        v = fr.check_act(kind, content, minutes, acted_on, follow_up_on, today)
        if not party_name.strip():
            v.append(Violation("INVALID_INPUT", "请填写柔性执法的对象。", ""))
        v += _officer_guards(kind, officer_ids, acted_on)
        previous = None
        if first_offence:
            previous = fr.repeat_first_offence(fs.earlier_first_offences(party_id_code, party_name, item.code), acted_on,
                                               fs.lookback_days())
            v += fr.check_first_offence(previous, fs.lookback_days(), override_reason)
        refuse_if_any(v)
        act = FlexibleAct.objects.create(
            body_id=body_id, kind=kind, party_kind=party_kind, party_name=party_name.strip(), party_id_code=party_id_code,
            item=item, acted_on=acted_on, place=place, content=content, outcome=outcome, minutes=minutes,
            follow_up_on=follow_up_on, first_offence=first_offence, repeat_flagged=previous is not None,
            override_reason=override_reason if previous is not None else "", case=case)
        act.officers.set(officer_ids)
        document = _issue(act, actor)
        if document:
            act.save(update_fields=["document_number"])
        payload = {"label": f"柔性执法：{act.get_kind_display()}", "kind": kind, "party": act.party_name,
                   "party_id_code": party_id_code, "item": item.code, "officers": sorted(officer_ids), "acted_on": acted_on,
                   "content": content, "outcome": outcome, "minutes": minutes, "follow_up_on": follow_up_on,
                   "first_offence": first_offence, "repeat_flagged": act.repeat_flagged,
                   "override_reason": act.override_reason, "case": case_id, "basis": fr.BASIS, **document}
        ledger.append(act.stream, "record", payload, actor=actor.user, actor_name=_actor_name(actor))
        if case is not None:
            ledger.append(case.stream, "flexible_act", {**payload, "flexible_act": act.pk},
                          actor=actor.user, actor_name=_actor_name(actor))
        return act


def _education_for_case(case: Case, content: str, actor: access.Actor, today: dt.date) -> FlexibleAct:
    """The education of a party not punished (APL art.33 ¶3) as a flexible act (说服教育) of the
    case's officers; the calling case act records it in its entry."""
    act = FlexibleAct.objects.create(body_id=case.body_id, kind=FlexibleAct.Kind.PERSUASION, party_kind=case.party_kind,
                                     party_name=case.party_name, party_id_code=case.party_id_code, item_id=case.item_id,
                                     acted_on=today, content=content, case=case)
    act.officers.set(list(case.officers.values_list("pk", flat=True)))
    ledger.append(act.stream, "record", {"label": "柔性执法：说服教育（不予处罚案件的教育）", "kind": "persuasion",
                                         "case": case.pk, "content": content, "acted_on": today, "basis": fr.BASIS},
                  actor=actor.user, actor_name=_actor_name(actor))
    return act


def _lock_act(act_id: int, actor: access.Actor) -> FlexibleAct:
    act = fs.visible_acts(actor).select_for_update(of=("self",)).filter(pk=act_id).first()
    if act is None:
        raise Http404("未找到该柔性执法记录，或您无权查看。")
    _require_officer(actor, act.body_id)
    return act


@use_case
def record_follow_up(act_id: int, *, result: str, actor: access.Actor) -> FlexibleAct:
    """回访: what the party did after the act (the to-do item is done)."""
    today = clock.today()
    with transaction.atomic():
        act = _lock_act(act_id, actor)
        v = [] if (result or "").strip() else [Violation("REASON_REQUIRED", "请写明回访情况。", fr.BASIS)]
        if act.followed_up_on is not None:
            v.append(Violation("WRONG_STATE", "该柔性执法已回访。", fr.BASIS))
        refuse_if_any(v)
        act.followed_up_on, act.follow_up_result = today, result
        act.save(update_fields=["followed_up_on", "follow_up_result"])
        ledger.append(act.stream, "follow_up", {"label": "回访", "on": today, "result": result},
                      actor=actor.user, actor_name=_actor_name(actor))
        return act


@use_case
def link_later_violation(act_id: int, *, case_id: int, actor: access.Actor) -> FlexibleAct:
    """关联其后的违法行为: a later case of the same party (the act did not prevent it)."""
    with transaction.atomic():
        act = _lock_act(act_id, actor)
        case = visible_cases(actor).filter(pk=case_id).first()
        if case is None:
            raise Http404("未找到该案件，或您无权查看。")
        refuse_if_any([] if case.act_date > act.acted_on else [
            Violation("INVALID_INPUT", "只能关联柔性执法之后发生的违法行为。", "")])
        act.later_cases.add(case)
        ledger.append(act.stream, "link_later_violation", {"label": "关联其后的违法行为", "case": case.pk, "case_number": case.number,
                                                           "act_date": case.act_date}, actor=actor.user, actor_name=_actor_name(actor))
        return act
