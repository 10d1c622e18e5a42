"""Inward matters (反向移送、检察意见): a case the police send back (O310 art.13, APL art.27) or a
procuratorate's opinion (检察意见书), registered with its reply deadline (configurable, 2 months
by default) and ending in a penalty case, a no-penalty decision with reasons or a reasoned reply —
never "no action"."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhifa.cases import paperwork as case_paperwork
from zhifa.cases.selectors import visible_cases
from zhifa.core import citations as c
from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation, refuse_if_any
from zhifa.registry import access

from .. import permissions, rules
from ..models import Transfer
from .. import paperwork as paper
from ._core import _act, _actor_name, _not_after_today, _sync, action


@use_case
def register_inward(*, inward_kind: str, sender: str, sender_number: str = "", received_on: dt.date | None = None,
                    reply_months: int | None = None, party_name: str = "", summary: str = "", case_id: int | None = None,
                    body_id: int | None = None, actor: access.Actor) -> Transfer:
    """登记来文: a reverse transfer from the police or a procuratorate's opinion, with its reply clock."""
    body_id = actor.body_id if body_id is None or not actor.is_admin else body_id
    permissions.require_create(actor, body_id)
    with transaction.atomic():
        v = permissions.check_actor(actor, clock.today())
        day, dv = _not_after_today(received_on, "收文日期")
        v += dv
        if inward_kind not in ("reverse", "opinion"):
            v.append(Violation(INVALID_INPUT, "来文类别应为公安机关反向移送或者人民检察院检察意见。", c.APL_ART27))
        if not (sender or "").strip():
            v.append(Violation(INVALID_INPUT, "应当写明来文机关。", c.APL_ART27))
        if not (summary or "").strip():
            v.append(Violation(INVALID_INPUT, "应当写明来文内容。", c.APL_ART27))
        case = None
        if case_id is not None:
            case = visible_cases(actor).filter(pk=case_id, body_id=body_id).first()
            if case is None:
                v.append(Violation(INVALID_INPUT, "关联的案件不存在或者不属于本机关。", c.APL_ART27))
        refuse_if_any(v)
        t = Transfer(body_id=body_id, case=case, direction="in", state="registered", inward_kind=inward_kind, sender=sender,
                     sender_number=sender_number, inward_received_on=day, reply_months=reply_months,
                     party_name=party_name or (case.party_name if case else ""), inward_summary=summary)
        _sync(t, actor)
        t.save()
        ledger.append(t.stream, "register", {
            "label": "登记反向移送" if inward_kind == "reverse" else "登记检察意见", "to": t.state, "version": t.version,
            "inward_kind": inward_kind, "sender": sender, "sender_number": sender_number, "received_on": day,
            "reply_months": reply_months, "summary": summary, "case_id": case_id, "reply_due": t.next_due_at},
            actor=actor.user, actor_name=_actor_name(actor))
        return t


@action("reply")
@use_case
def reply(transfer_id: int, *, outcome: str, reasons: str = "", case_id: int | None = None, actor: access.Actor) -> Transfer:
    """回复: a penalty case of the body (linked), a no-penalty decision with reasons, or a reasoned
    reply; the reply letter is issued as a document."""
    with _act(transfer_id, "reply", actor) as (t, act):
        case = None
        if case_id is not None:
            case = visible_cases(actor).filter(pk=case_id, body_id=t.body_id).first()
        act.v += rules.check_reply(outcome, reasons, case is not None)
        act.refuse()
        text = rules.REPLY_OUTCOMES[outcome]
        if case is not None:
            text = f"{text}，案件编号{case.number or case.pk}"
        doc = paper.issue_reply(t, {"outcome": text, "reasons": reasons}, actor)
        t.reply_outcome, t.reply_reasons, t.reply_case, t.replied_at = outcome, reasons, case, clock.now()
        return act.commit({"outcome": outcome, "reasons": reasons, "case_id": case.pk if case else None,
                           **case_paperwork.record(doc)})

