"""Investigation (调查取证): evidence, the investigation-end report, case review by the head,
collective discussion (集体讨论), recusal (回避) and escalation (提级办理).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.files.storage import default_storage
from django.http import Http404

from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, TWO_OFFICERS_REQUIRED, Violation
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Body

from .. import deadlines, paperwork, rules
from ..models import Case, Evidence
from ._core import (
    _act, _assign, action, _item_and_competence, _officer_ids, _officers_ok, _require_body_officers, _set_and_record,
    _two_required,
)


CHUNK = 1024 * 1024


@action("record_evidence")
@use_case
def record_evidence(case_id: int, *, kind: str, title: str, act: str = "", is_av: bool = False, upload=None,
                    place: str = "", collected_on: dt.date | None = None, actor: access.Actor) -> Evidence:
    """登记证据 (R14, R17): the file is streamed to storage in chunks while its SHA-256 is computed
    (a 2 GB video is never held in memory); a failure removes the stored file."""
    today = clock.today()
    saved_name = None
    try:
        with _act(case_id, "record_evidence", actor) as (case, step):
            step.v += _officers_ok(_officer_ids(case), today, case)
            if collected_on is not None and collected_on > today:
                step.v.append(Violation(INVALID_INPUT, "取证日期不得晚于今天。", ""))
            step.refuse()
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
            step.commit({"evidence_id": evidence.pk, "kind": kind, "title": title, "act": act,
                                          "is_av": evidence.is_av, "sha256": evidence.sha256, "size": evidence.size,
                                          "place": place}, fields=[])
            return evidence
    except BaseException:
        if saved_name:
            default_storage.delete(saved_name)
        raise


@action("end_investigation")
@use_case
def end_investigation(case_id: int, *, report: str, facts: str = "", proposed_kinds: list[str] | None = None,
                      proposed_amount: Decimal | None = None, illegal_gains: Decimal | None = None,
                      goods_value: Decimal | None = None, act_place: str = "", violated_provision: str = "",
                      actor: access.Actor) -> Case:
    """调查终结: the investigation-end report with the proposed handling; the place of the act
    and the provision it violated (违反…第…条) as found, printed by the notice and the decision."""
    today = clock.today()
    with _act(case_id, "end_investigation", actor) as (case, act):
        act.v += _officers_ok(_officer_ids(case), today, case)
        act.v += rules.check_reason(report, "调查终结报告", rules.ART47)
        open_seizures = [s for s in case.seizures.all() if s.released_on is None] if case.has_open_seizures else []
        for s in open_seizures:
            act.v += deadlines.check_seizure_running(s.due, today)
        act.refuse()
        case.investigation_report, case.facts = report, facts or case.facts
        case.proposed_kinds = proposed_kinds or []
        case.proposed_amount = proposed_amount
        case.illegal_gains, case.goods_value = illegal_gains, goods_value
        case.act_place = act_place or case.act_place
        case.violated_provision = violated_provision or case.violated_provision
        proposal = paperwork.penalty_text(case.proposed_kinds, proposed_amount)
        doc = paperwork.issue(case, "investigation_report", actor=actor,
                              extra={"proposal": f"{report}拟给予{proposal}的行政处罚。" if proposal else report})
        return act.commit({"report": report, "facts": case.facts, "proposed_kinds": case.proposed_kinds,
                           "proposed_amount": proposed_amount, "act_place": case.act_place, "violated_provision": case.violated_provision,
                           "document": "investigation_report", **paperwork.record(doc)})


@action("review_case")
@use_case
def review_case(case_id: int, *, opinion: str, is_major: bool = False, actor: access.Actor) -> Case:
    """案件审核 by the head; marks major or complex cases (collective discussion, legal review)."""
    return _set_and_record(case_id, "review_case", actor, {"case_review_opinion": opinion, "is_major": is_major},
                           {"opinion": opinion, "is_major": is_major})


@action("collective_discussion")
@use_case
def hold_collective_discussion(case_id: int, *, minutes: str, actor: access.Actor) -> Case:
    """集体讨论 (APL art.57)."""
    today = clock.today()
    with _act(case_id, "collective_discussion", actor, rules.check_reason(minutes, "集体讨论笔录", rules.ART57)) as (case, act):
        case.collective_discussion_on = today
        doc = paperwork.issue(case, "collective_discussion_record", actor=actor, extra={"content": minutes, "conclusion": minutes})
        return act.commit({"minutes": minutes, "document": "collective_discussion_minutes", **paperwork.record(doc)},
                          fields=["collective_discussion_on"])


@action("recuse")
@use_case
def recuse(case_id: int, *, officer_id: int, reason: str, replacement_ids: list[int] | None = None, actor: access.Actor) -> Case:
    """回避 (APL art.43): the head decides; the investigation does not stop."""
    today = clock.today()
    with _act(case_id, "recuse", actor) as (case, act):
        act.v += rules.check_reason(reason, "回避决定", rules.ART43)
        ids = _officer_ids(case)
        if officer_id not in ids:
            act.v.append(Violation(rules.WRONG_STATE, "该人员不是本案承办人员。", rules.ART43))
        if replacement_ids:
            _require_body_officers(replacement_ids, case.body_id)
        remaining = [i for i in ids if i != officer_id] + [i for i in (replacement_ids or []) if i not in ids and i != officer_id]
        problems = registry.check_officers_may_act(remaining, today) if remaining else _two_required()
        if any(p.code == TWO_OFFICERS_REQUIRED for p in problems):
            act.v += rules.check_recusal(0)
        act.refuse()
        _assign(case, remaining)
        return act.commit({"officer_id": officer_id, "reason": reason, "officers": sorted(remaining)}, fields=[])


@action("escalate")
@use_case
def escalate(case_id: int, *, to_body_id: int, reason: str, actor: access.Actor) -> Case:
    """提级办理 (R23): a body of a higher jurisdiction over this one takes the case; the new body
    assigns its own officers."""
    today = clock.today()
    with _act(case_id, "escalate", actor) as (case, act):
        act.v += rules.check_reason(reason, "提级办理", rules.citations.APL_ART24_25)
        to_body = Body.objects.select_related("jurisdiction").filter(pk=to_body_id).first()
        if to_body is None:
            raise Http404("未找到该执法主体。")
        here = Body.objects.select_related("jurisdiction").get(pk=case.body_id).jurisdiction
        there = to_body.jurisdiction
        act.v += rules.check_escalation(here.path.count("/"), there.path.count("/"), here.path.startswith(there.path) and here.path != there.path)
        act.v += _item_and_competence(to_body, case.item, today)
        act.refuse()
        case.escalated_from_id, case.body = case.body_id, to_body
        _assign(case, [])
        return act.commit({"from_body": case.escalated_from_id, "to_body": to_body.pk, "reason": reason})
