"""Field work without network (离线现场执法, B9): what an inspector captured on the phone while
out of coverage — a result (检查结果), a site photo (现场照片), an on-site record (现场笔录) with
the party's signature — reaches the server later through ``sync_capture``.

Three promises:

- **Idempotent by the phone's id** (客户端编号): each capture carries a UUID made on the phone.
  A capture sent twice (the answer lost on a bad connection, the phone retrying) is received
  once: the second sending returns the first receipt and writes nothing.
- **Honest about time**: the act is judged on the day it was done (the officer's certificate
  valid on the capture date, R04 / APL art.42), and the record entry names both the capture time
  (采集时间, the phone's clock) and the receipt time (接收时间, the server's clock; the entry's
  own ``at``). A capture dated after its receipt is refused: a phone cannot record the future.
- **Conflicts refused, never lost**: the inspection reassigned meanwhile (改派), the
  certificate not valid on the capture date, the result recorded or published meanwhile by
  someone else — the API answers 409 with every reason in Chinese; the phone keeps the capture
  for the inspector to resolve (send again, or discard it on purpose).

Each accepted capture goes through the use case that the online page uses (``record_result``,
``add_photos``) — same guards, same record entry — and then appends one ``offline_receipt``
entry to the draw's record (``draw:<id>``) with the client id and both times.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.offline import (  # noqa: F401 — the shared parts, re-exported where callers found them
    CAPTURED_IN_FUTURE, CLOCK_SKEW, OFFLINE_INPUT_CODES, ONSITE_MAX_CHARS, ONSITE_TEXT_REQUIRED, SIGNATURE_INVALID,
    SIGNATURE_MAX_BYTES, Position, decode_data_url, onsite_problems, own_receipt, receive_once, time_violations,
)
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, WRONG_STATE, Refused, Violation
from zhifa.registry import access

from .. import rules
from ..inputs import ResultInput
from ..models import Inspection, OfflineReceipt, OnsiteRecord
from ..permissions import certificate_violations, is_assigned
from .draw import _stream
from .photos import add_photos
from .results import record_result

# Violation code of an offline result (the others are core.offline's and the online use cases' own).
RECORDED_MEANWHILE = "RECORDED_MEANWHILE"  # the result was recorded by someone else after the phone saw it


@dataclass
class Capture:
    """One capture as the phone sends it. ``expected_outcome``: the result the phone saw when
    it cached the page (empty: not recorded); ``overwrite``: the inspector has seen the conflict
    and sends their result anyway (still under every other guard)."""

    client_id: uuid.UUID
    kind: str
    inspection_id: int
    captured_at: dt.datetime
    position: Position | None = None
    result: ResultInput | None = None
    expected_outcome: str = ""
    overwrite: bool = False
    photo: bytes = b""
    caption: str = ""
    onsite_text: str = ""
    party_name: str = ""
    signature: bytes = b""


@dataclass
class Receipt:
    receipt: OfflineReceipt
    duplicate: bool


def _existing(client_id: uuid.UUID, actor: access.Actor) -> OfflineReceipt | None:
    """The receipt of a capture already received. Another user's capture under the same id is
    not theirs to read: refused as input, not disclosed."""
    return own_receipt(OfflineReceipt.objects.select_related("inspection").filter(client_id=client_id).first(), actor)


@query
def capture_violations(inspection: Inspection, capture: Capture, actor: access.Actor, now: dt.datetime) -> list[Violation]:
    """The conflicts of an offline capture with what happened on the server meanwhile (all at
    once): not (or no longer) assigned, certificate not valid on the capture date, captured
    after its receipt, published, recorded meanwhile."""
    found = []
    if not is_assigned(actor, inspection.inspector_ids):
        found.append(Violation(rules.NOT_ASSIGNED_INSPECTOR, "该检查已改派或未选派您检查，本机保存的记录不能提交；请与任务负责人核实",
                               rules.BASIS_DOUBLE_RANDOM))
    captured_on = capture.captured_at.astimezone(clock.SHANGHAI).date()
    found += certificate_violations(actor, captured_on)  # R04: on the day of the act, not of the sending
    found += time_violations(capture.captured_at, now, inspection.planned_on, "抽取日期")
    if inspection.published_on:
        found.append(Violation(WRONG_STATE, f"检查结果已于 {inspection.published_on:%Y-%m-%d} 公示，本机保存的记录不能再提交"))
    elif (capture.kind == OfflineReceipt.Kind.RESULT and not capture.overwrite and inspection.outcome != capture.expected_outcome
          and not (actor.officer is not None and inspection.recorded_by_id == actor.officer.pk)):  # their own earlier result: the later capture corrects it
        who = inspection.recorded_by.name if inspection.recorded_by else "他人"
        found.append(Violation(RECORDED_MEANWHILE, f"该检查的结果已由{who}于 {inspection.inspected_on or '—'} 录入（{inspection.get_outcome_display()}），"
                                                   "本机保存的结果尚未提交：请核对后选择“仍以本机结果提交”或放弃本机记录"))
    return found


def _record_onsite(inspection: Inspection, capture: Capture, actor: access.Actor, now: dt.datetime, saved: list[str]) -> OnsiteRecord:
    """现场笔录 and the party's signature: stored, and their digests appended to the draw's record."""
    signature_name, signature_sha = "", ""
    if capture.signature:
        signature_sha = hashlib.sha256(capture.signature).hexdigest()
        signature_name = default_storage.save(f"inspections/{inspection.pk}/signature-{signature_sha[:24]}.png", ContentFile(capture.signature))
        saved.append(signature_name)
    record = OnsiteRecord.objects.create(
        inspection=inspection, text=capture.onsite_text.strip(), party_name=capture.party_name.strip()[:80],
        signature=signature_name, signature_sha256=signature_sha, recorded_by=actor.officer,
        captured_at=capture.captured_at, received_at=now,
    )
    ledger.append(_stream(inspection.draw), "onsite_record", {
        "inspection": inspection.pk, "onsite_record": record.pk, "party_name": record.party_name,
        "text_sha256": hashlib.sha256(record.text.encode()).hexdigest(), "signature_sha256": signature_sha,
        "captured_at": capture.captured_at,
    }, actor=actor)
    return record


@use_case
def sync_capture(*, capture: Capture, actor: access.Actor) -> Receipt:
    """Receive one capture made offline (离线采集提交). Idempotent by ``capture.client_id``: a
    capture already received returns its receipt (``duplicate=True``) and writes nothing. Else,
    in one transaction under the inspection's lock: the conflicts (``capture_violations``), then
    the online use case of its kind, then the receipt and its ``offline_receipt`` record entry.
    A refusal changes nothing and the phone keeps the capture."""
    if capture.kind not in OfflineReceipt.Kind.values:
        raise Refused([Violation(INVALID_INPUT, f"未知的采集类型「{capture.kind}」")])
    receipt, duplicate = receive_once(lambda: _existing(capture.client_id, actor), lambda saved: _receive(capture, actor, saved))
    return Receipt(receipt, duplicate)


def _receive(capture: Capture, actor: access.Actor, saved: list[str]) -> OfflineReceipt:
    inspection = (Inspection.objects.select_for_update().select_related("task", "draw")  # recorded_by: nullable, read only on a conflict
                  .filter(pk=capture.inspection_id).first())
    if inspection is None:
        raise Http404
    now = clock.now()
    found = capture_violations(inspection, capture, actor, now)
    if capture.kind == OfflineReceipt.Kind.ONSITE:
        found += onsite_problems(capture.onsite_text, capture.signature)
    if found:
        raise Refused(found)
    photo = onsite = None
    captured_on = capture.captured_at.astimezone(clock.SHANGHAI).date()
    if capture.kind == OfflineReceipt.Kind.RESULT:
        if capture.result is None:
            raise Refused([Violation(INVALID_INPUT, "缺少检查结果")])
        record_result(inspection_id=inspection.pk, data=capture.result, actor=actor)
    elif capture.kind == OfflineReceipt.Kind.PHOTO:
        upload = ContentFile(capture.photo, name=f"offline-{capture.client_id}.jpg")
        photos = add_photos(inspection_id=inspection.pk, uploads=[upload], caption=capture.caption, actor=actor, taken_on=captured_on)
        photo = photos[0]
        saved.extend(n for n in (photo.file.name, photo.thumbnail.name) if n)
    else:
        onsite = _record_onsite(inspection, capture, actor, now, saved)
    position = capture.position
    receipt = OfflineReceipt.objects.create(
        client_id=capture.client_id, kind=capture.kind, inspection=inspection, officer=actor.officer,
        captured_at=capture.captured_at, received_at=now, photo=photo, onsite_record=onsite,
        latitude=position.latitude if position else None, longitude=position.longitude if position else None,
        accuracy_m=position.accuracy_m if position else None,
    )
    ledger.append(_stream(inspection.draw), "offline_receipt", {
        "client_id": str(capture.client_id), "kind": capture.kind, "inspection": inspection.pk,
        "captured_at": capture.captured_at, "received_at": now,
        "position": position.record() if position else None,
        "photo": photo.pk if photo else None, "onsite_record": onsite.pk if onsite else None,
    }, actor=actor)
    return receipt
