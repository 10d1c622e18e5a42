"""What the registry's pages share: officers decorated for display (certificate state, this
year's training hours), flags resolved and summed, and the write action panel (``ActionPanel``)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from django.conf import settings


from .. import access, rules, services
from ..models import Body, Officer


# Flags that stop enforcement outright are shown in red, the others in amber.
SEVERE_FLAGS = {
    rules.FlagKind.NO_LEGAL_REVIEWER,
    rules.FlagKind.CERTIFICATE_EXPIRED,
    rules.FlagKind.NO_CERTIFICATE,
}


def _required_hours() -> int:
    return settings.ZHIFA["TRAINING_HOURS_PER_YEAR"]  # R07: 60 hours a year (seed D §三)


def _percent(hours: Decimal, required: int) -> int:
    return min(100, int(hours * 100 / required)) if required else 100


def _decorate_officers(officers: Sequence[Officer], today: dt.date, *, with_hours: bool = True) -> list[Officer]:
    """Attach ``cert_state`` (from the annotations) and ``hours`` (this year's training, one query)."""
    officers = list(officers)
    hours = services.training_hours([o.pk for o in officers], today.year) if with_hours else {}
    warning_days = settings.ZHIFA["CERTIFICATE_EXPIRY_WARNING_DAYS"]  # R04: warn 90 days ahead
    for o in officers:
        facts = services.certificate_facts_of(o)
        o.cert_state = rules.certificate_state(facts, today)
        o.cert_expires = facts.expires_on if facts else None
        o.cert_expiring = (
            o.cert_state is rules.CertificateState.VALID and (facts.expires_on - today).days <= warning_days
        )
        o.hours = hours.get(o.pk, Decimal(0))
        o.hours_short = with_hours and not o.is_auxiliary and o.hours < _required_hours()
    return officers


def _flag_rows(flags: Sequence[rules.Flag], actor: access.Actor) -> list[dict]:
    """Flags with their body and officer resolved (two queries for any number of flags)."""
    body_ids = {f.body_id for f in flags}
    officer_ids = {f.officer_id for f in flags if f.officer_id}
    bodies = access.scope_bodies(actor, Body.objects.filter(pk__in=body_ids)).in_bulk() if body_ids else {}
    officers = access.staff_officers(actor).filter(pk__in=officer_ids).only("pk", "name").in_bulk() if officer_ids else {}
    rows = []
    for f in flags:
        officer = officers.get(f.officer_id) if f.officer_id else None
        text = f.detail
        if officer is not None and text.startswith(f"{officer.name}："):
            text = text[len(officer.name) + 1:]  # the name has its own column
        rows.append({
            "flag": f,
            "kind": f.kind,
            "severe": f.kind in SEVERE_FLAGS,
            "body": bodies.get(f.body_id),
            "officer": officer,
            "text": text,
        })
    return rows


def _flag_order(kind: rules.FlagKind) -> tuple[int, int]:
    """Severe kinds (no reviewer, expired or no certificate) first, then the rules' order."""
    return (kind not in SEVERE_FLAGS, list(rules.FlagKind).index(kind))


def _flag_summary(flags: Sequence[rules.Flag]) -> list[dict]:
    counts = Counter(f.kind for f in flags)
    return [
        {"kind": kind, "count": counts[kind], "basis": rules.FLAG_BASIS[kind], "severe": kind in SEVERE_FLAGS}
        for kind in sorted(rules.FlagKind, key=_flag_order)
        if counts[kind]
    ]


@dataclass
class ActionPanel:
    """One write action offered on a page: its form (bound after a failed attempt), where it
    posts, and the refusal to show (every violation, or the permission message)."""

    code: str
    form: object
    url: str
    violations: list = None
    error: str = ""
    open: bool = False

    @property
    def label(self) -> str:
        return self.form.title
