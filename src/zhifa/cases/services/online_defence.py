"""The party's own statement and defence, made online (当事人在线陈述申辩, APL arts.44, 45, 41 ¶3).

A party notified of an off-site capture (非现场执法) holds a lookup code, not a staff account. The
caller that verified the code (``offsite.services.party``) hands the statement here; it is
recorded on the case's own record ``case:<id>`` as the party's statement and defence and marks it
made (``defence_done``), so the decision's guard (``DEFENCE_PERIOD_OPEN``) sees it as done, as for
a statement the officers record. Only while the case is notified, before the period ends, and
once: a second submission, or one after the period, is refused with its reason.
"""
from __future__ import annotations

from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import refuse_if_any

from .. import rules
from ..models import Case
from ._core import ALWAYS_SAVED, _due_items, _set_next_due

PARTY_NAME = "当事人（在线）"


@use_case
def record_online_defence(case_id: int, *, statement: str, channel: str, reference: str = "") -> Case:
    """Record the party's statement and defence made online on ``case_id``. ``channel`` names the
    portal page it came through; ``reference`` what identifies the submission there (never the
    lookup code itself). Refused (409) outside the notified state, after the defence period, or
    when the party has already stated (or waived)."""
    today = clock.today()
    text = (statement or "").strip()
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("body", "item").filter(pk=case_id).first()
        if case is None:
            raise Http404("未找到该案件。")
        refuse_if_any(rules.check_online_defence(case.state, case.defence_due, case.defence_done, today, text))
        case.defence_done = True
        case.version += 1
        _set_next_due(case, _due_items(case, today))
        case.save(update_fields=sorted({"defence_done", "version", "updated_at", *ALWAYS_SAVED}))
        ledger.append(case.stream, "online_defence", {
            "label": "当事人在线陈述申辩", "from": case.state, "to": case.state, "version": case.version,
            "statement": text, "channel": channel, "reference": reference, "submitted_at": clock.now(),
            "defence_due": case.defence_due, "basis": f"{rules.ART44_62}；{rules.citations.APL_ART41_3}",
        }, actor=None, actor_name=PARTY_NAME)
        return case
