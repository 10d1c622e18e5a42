"""The party's online statement and defence on its capture (APL art.41 ¶3, arts.44–45).

``submit_statement(code, statement, source=…)`` is the party's act on the portal, without an
account: the lookup code is the party's credential. It finds the accepted capture with that code
and its case, refuses past the per-address rate limit (``RateLimited``, nothing written), then in
one transaction records the statement on the case (``cases.record_online_defence``: on
``case:<id>``, the defence made, so the decision's guard sees it) and on ``capture:<id>``, and
keeps it (``PartyStatement``) for the party's page. Outside the defence period, before the notice,
or a second time: 409 with the reason. An unknown code is ``Http404`` (no hint whether it exists).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.http import Http404

from zhifa.cases import services as cases
from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case

from .. import rules
from ..models import Capture, PartyStatement

PARTY_NAME = "当事人（在线）"
CHANNEL = "政务公开门户（电子监控记录查询）"


class RateLimited(Exception):
    """Too many submissions from one address within the hour (nothing written)."""

    message = f"同一网络地址一小时内至多提交 {rules.STATEMENTS_PER_ADDRESS_PER_HOUR} 次陈述申辩，请稍后再试。"


def _source_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


@use_case
def submit_statement(code: str, statement: str, *, source: str) -> PartyStatement:
    """Record the statement and defence of the party holding ``code`` (see the module)."""
    code = (code or "").strip().upper()
    if not rules.lookup_code_ok(code):
        raise Http404("查询码无效。")
    now = clock.now()
    digest = _source_hash(source)
    with transaction.atomic():
        capture = (Capture.objects.select_for_update(of=("self",))
                   .filter(lookup_code=code, state=Capture.State.ACCEPTED, case__isnull=False).first())
        if capture is None:
            raise Http404("查询码无效。")
        recent = PartyStatement.objects.filter(source_hash=digest, submitted_at__gte=now - dt.timedelta(hours=1)).count()
        if recent >= rules.STATEMENTS_PER_ADDRESS_PER_HOUR:
            raise RateLimited(RateLimited.message)
        text = (statement or "").strip()
        case = cases.record_online_defence(capture.case_id, statement=text, channel=CHANNEL, reference=capture.stream)
        kept = PartyStatement.objects.create(capture=capture, case_id=case.pk, statement=text, submitted_at=now,
                                             source_hash=digest)
        ledger.append(capture.stream, "party_statement", {
            "label": "当事人在线陈述申辩", "case": case.pk, "case_number": case.number, "submitted_at": now,
            "statement_sha256": hashlib.sha256(text.encode()).hexdigest(), "basis": rules.ART41_3,
        }, actor=None, actor_name=PARTY_NAME)
        return kept
