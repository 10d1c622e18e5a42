"""The skeleton of every act on a transfer (移送操作的共同骨架).

An act is ``name(transfer_id, *, …, actor)``::

    with _act(transfer_id, "dispatch", actor) as (t, act):   # transaction, lock, role, certificate, state
        act.v += rules.missing_materials(...)               # the legal guards of ``rules``
        act.refuse()                                        # every violation at once
        t.dispatched_at = clock.now()                       # the change
        return act.commit({...})                            # state, version, clocks, fine hold, record

``act.commit`` saves the new state and version, the stored most urgent clock (``next_due_at``),
whether the transfer blocks a fine (``rules.blocks_fine``) — telling the case through
``cases.services.hold_for_transfer`` when that changes — and appends one entry on the record
``transfer:<id>``, all in the act's transaction.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any, Callable

from django.db import transaction
from django.http import Http404

from zhifa.cases import paperwork as case_paperwork
from zhifa.cases import services as cases
from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation, refuse_if_any
from zhifa.registry import access

from .. import permissions, rules
from ..models import Transfer
from ..selectors import policy, visible_transfers


class _Actions:
    def __init__(self) -> None:
        self.table: dict[str, Callable[..., Any]] = {}

    def __call__(self, code: str):
        def register(fn):
            self.table[code] = fn
            return fn
        return register


action = _Actions()


@use_case
def perform(transfer_id: int, code: str, data: dict, *, actor: access.Actor) -> Transfer:
    """Run the action ``code`` with its keyword arguments ``data``; return the transfer."""
    if code not in action.table:
        raise Http404("没有这个移送操作。")
    return action.table[code](transfer_id, **data, actor=actor)


def _lock(transfer_id: int, actor: access.Actor) -> Transfer:
    t = (visible_transfers(actor).select_for_update(of=("self",)).select_related("body", "case")
         .filter(pk=transfer_id).first())
    if t is None:
        raise Http404("未找到该移送事项，或您无权查看。")
    return t


def _actor_name(actor: access.Actor) -> str:
    if actor.officer is not None:
        return actor.officer.name
    return actor.user.get_username() if getattr(actor.user, "is_authenticated", False) else ""


def _sync(t: Transfer, actor: access.Actor, now: dt.datetime | None = None) -> None:
    """Recompute the stored clock and the fine hold of ``t`` (in memory), and tell its case when
    whether any transfer of the case blocks a fine changed (O310 art.11)."""
    now = now or clock.now()
    cl = rules.clocks(t.facts(), workdays.schedule(), now, policy())
    t.next_due_at, t.next_due_kind = rules.next_due(cl)
    t.blocks_fine = rules.blocks_fine(t.direction, t.state, t.police_decision)


def _hold_case(t: Transfer, actor: access.Actor) -> None:
    """After ``t`` was saved: the case's hold is whether any of its transfers blocks a fine."""
    if t.case_id is None:
        return
    pending = Transfer.objects.filter(case_id=t.case_id, blocks_fine=True).exists()
    cases.hold_for_transfer(t.case_id, pending=pending, transfer_id=t.pk, state=t.state, actor=actor)


def _commit(t: Transfer, act: rules.Action, actor: access.Actor, payload: dict, *, target: str | None = None) -> Transfer:
    before = t.state
    new_state = target or act.target
    if new_state:
        t.state = new_state
    t.version += 1
    _sync(t, actor)
    t.save()
    ledger.append(t.stream, act.code, {"label": act.label, "from": before, "to": t.state, "version": t.version, **payload},
                  actor=actor.user, actor_name=_actor_name(actor))
    _hold_case(t, actor)
    return t


class _Act:
    __slots__ = ("action", "actor", "t", "v")

    def __init__(self, t: Transfer, act: rules.Action, v: list[Violation], actor: access.Actor) -> None:
        self.t, self.action, self.v, self.actor = t, act, v, actor

    def refuse(self) -> None:
        refuse_if_any(self.v)

    def commit(self, payload: dict, *, target: str | None = None) -> Transfer:
        refuse_if_any(self.v)
        return _commit(self.t, self.action, self.actor, payload, target=target)


@contextmanager
def _act(transfer_id: int, code: str, actor: access.Actor):
    """Transaction, lock in the actor's scope, role (403), the actor's certificate (409, R04),
    direction and state (409 ``WRONG_STATE``)."""
    with transaction.atomic():
        t = _lock(transfer_id, actor)
        act = rules.BY_CODE[code]
        permissions.require_role(actor, t, act.role, act.label)
        v = permissions.check_actor(actor, clock.today())
        v += rules.check_state(act, t.state, t.direction)
        yield t, _Act(t, act, v, actor)


def _not_after_today(day: dt.date | None, label: str) -> tuple[dt.date, list[Violation]]:
    """A date the actor records (a notice received): today by default, never in the future."""
    today = clock.today()
    if day is None:
        return today, []
    if day > today:
        return day, [Violation(INVALID_INPUT, f"{label}不得晚于今天。", "")]
    return day, []


def _not_before(day: dt.date, start: dt.date | None, label: str, start_label: str) -> list[Violation]:
    if start is not None and day < start:
        return [Violation(INVALID_INPUT, f"{label}不得早于{start_label}（{start.isoformat()}）。", "")]
    return []


def _seat(t: Transfer) -> str:
    """The county-level seat of the body (its police and procuratorate are there)."""
    return case_paperwork._seat(t.body)

