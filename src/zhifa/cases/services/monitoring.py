"""Cases from off-site enforcement (非现场执法, R22): a reviewed record of a monitoring device
becomes a case, or joins one, with the record as evidence (APL art.41).

The off-site app (above cases) calls these with plain values; the file is already in storage,
hashed and reviewed there — cases never sees an unreviewed record (the caller refuses one with
``CAPTURE_NOT_REVIEWED`` before calling).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from zhifa.core import citations, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import Violation, refuse_if_any
from zhifa.registry import access

from .. import rules, workflow
from ..models import Case, Evidence
from ..permissions import require_register
from ..selectors import visible_cases
from ._core import _actor_name
from .filing import register_source


@dataclass(frozen=True)
class MonitoringRecord:
    """One reviewed record of a device, as evidence: its stored file and what it shows."""

    file_name: str
    sha256: str
    size: int
    content_type: str
    title: str
    place: str
    taken_on: dt.date
    reference: str  # the record's own reference (``capture:<id>``), kept in the case's record


def _add(case: Case, records: list[MonitoringRecord], actor: access.Actor) -> list[Evidence]:
    rows = [Evidence(case=case, kind=Evidence.Kind.VIDEO if r.content_type.startswith("video/") else Evidence.Kind.PHOTO,
                     title=r.title[:120], act="monitoring", is_av=True, file=r.file_name, sha256=r.sha256, size=r.size,
                     content_type=r.content_type, collected_on=r.taken_on, place=r.place[:200], collected_by=None)
            for r in records]
    Evidence.objects.bulk_create(rows)
    ledger.append(case.stream, "monitoring_evidence", {
        "label": "登记电子技术监控记录（经审核）", "basis": citations.APL_ART41_2,
        "evidence": [{"reference": r.reference, "sha256": r.sha256, "size": r.size, "taken_on": r.taken_on, "place": r.place}
                     for r in records],
    }, actor=actor.user, actor_name=_actor_name(actor))
    return rows


@use_case
def open_case_from_monitoring(*, body_id: int, item_code: str, party_kind: str, party_name: str, party_id_code: str = "",
                              act_date: dt.date, act_description: str, records: list[MonitoringRecord],
                              actor: access.Actor) -> Case:
    """案源登记 from reviewed monitoring records (source 非现场执法): the case and its evidence in one
    transaction, recorded on ``case:<id>``."""
    require_register(actor, body_id)
    with transaction.atomic():
        case = register_source(item_code=item_code, party_kind=party_kind, party_name=party_name, party_id_code=party_id_code,
                               act_date=act_date, source=Case.Source.MONITORING, act_description=act_description,
                               clue=act_description, body_id=body_id, actor=actor,
                               act_place=records[0].place[:200] if records else "")  # the device's place (APL art.59 facts)
        _add(case, records, actor)
        return case


@use_case
def join_monitoring_records(case_id: int, *, records: list[MonitoringRecord], actor: access.Actor) -> Case:
    """并案: reviewed monitoring records join an open case of the body (before its decision) as
    evidence."""
    with transaction.atomic():
        case = visible_cases(actor).select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None:
            raise Http404("未找到该案件，或您无权查看。")
        require_register(actor, case.body_id)
        open_states = ("source", *workflow.INVESTIGATION_STATES)
        refuse_if_any([] if case.state in open_states else [Violation(
            rules.WRONG_STATE, f"案件处于“{workflow.state_label(case.state)}”状态，不能再补充证据。", rules.ART47)])
        _add(case, records, actor)
        return case


