"""Case field work without network (案件现场取证离线, B9): a site photo (现场照片) or an on-site
record (现场笔录 / 勘验笔录) with the party's signature drawn on the phone, captured on the case's
field page (``/cases/<id>/field/``) in a basement or a market without coverage, and received later
through ``sync_field_capture``.

The same three promises as the inspections' offline captures (``core.offline``):

- **once only**, by the id the phone made (``FieldCapture.client_id``, unique): a capture sent
  again returns the first receipt and writes nothing;
- **honest about time**: the acting officer's certificate is judged on the capture date (R04,
  APL art.42) as well as by the evidence act itself on the day of receipt; a capture in the
  future or before the case's clue was registered is refused; the record entry ``field_capture``
  on ``case:<id>`` names the capture time (采集时间) and the receipt time (接收时间, the entry's own
  ``at``);
- **conflicts refused, never lost**: the case reassigned (not the officer's any more), the
  investigation over (WRONG_STATE), the certificate expired — 409 with every reason in Chinese,
  and the phone keeps the capture.

Each capture is received through the online act ``record_evidence`` (same guards, same
``record_evidence`` entry, the evidence dated on the capture date), then its receipt and the
``field_capture`` entry are added in the same transaction.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile

from zhifa.core import clock, ledger
from zhifa.core.offline import Position, onsite_problems, own_receipt, receive_once, time_violations
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation, refuse_if_any
from zhifa.registry import access

from ..models import FieldCapture
from ..permissions import check_actor, require_role
from ._core import _actor_name, _lock
from .investigation import record_evidence

PHOTO_MAX_BYTES = 20 * 1024 * 1024
PHOTO_MAGIC = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png")}


@dataclass
class FieldCaptureIn:
    """One capture as the phone sends it: ``photo`` (bytes, ``caption``) or an on-site record
    (``kind`` scene/inquest, ``text``, ``party_name``, ``signature`` PNG bytes); ``place`` where."""

    client_id: uuid.UUID
    kind: str
    case_id: int
    captured_at: dt.datetime
    position: Position | None = None
    place: str = ""
    photo: bytes = b""
    caption: str = ""
    text: str = ""
    party_name: str = ""
    signature: bytes = b""


def _existing(client_id: uuid.UUID, actor: access.Actor) -> FieldCapture | None:
    """The receipt of a capture already received; another user's id is refused, not disclosed."""
    return own_receipt(FieldCapture.objects.filter(client_id=client_id).first(), actor)


def _photo_type(data: bytes) -> tuple[str, str] | None:
    return next((t for magic, t in PHOTO_MAGIC.items() if data.startswith(magic)), None)


def _input_violations(capture: FieldCaptureIn) -> list[Violation]:
    """What is wrong with the content sent (the API's 422)."""
    if capture.kind not in FieldCapture.Kind.values:
        return [Violation(INVALID_INPUT, f"未知的采集类型「{capture.kind}」")]
    if capture.kind == FieldCapture.Kind.PHOTO:
        if not capture.photo or _photo_type(capture.photo) is None or len(capture.photo) > PHOTO_MAX_BYTES:
            return [Violation(INVALID_INPUT, "现场照片应为不超过 20 MB 的 JPEG 或 PNG 图片")]
        return []
    return onsite_problems(capture.text, capture.signature)


@use_case
def sync_field_capture(*, capture: FieldCaptureIn, actor: access.Actor) -> tuple[FieldCapture, bool]:
    """Receive one capture of the case's field page made offline (现场取证离线提交):
    ``(receipt, duplicate)``. Idempotent by ``capture.client_id``; else, in one transaction under
    the case's lock: the content, the time and the officer on the capture date, then
    ``record_evidence``, the receipt and its ``field_capture`` record entry. A refusal changes
    nothing and the phone keeps the capture."""
    return receive_once(lambda: _existing(capture.client_id, actor), lambda saved: _receive(capture, actor, saved))


def _receive(capture: FieldCaptureIn, actor: access.Actor, saved: list[str]) -> FieldCapture:
    refuse_if_any(_input_violations(capture))
    case = _lock(capture.case_id, actor)  # 404 outside the actor's scope
    now = clock.now()
    captured_on = capture.captured_at.astimezone(clock.SHANGHAI).date()
    require_role(actor, case, "officer", "现场取证")  # 403: not an investigating officer's role on this case
    found = time_violations(capture.captured_at, now, case.clue_received_on, "案源登记日期")
    found += check_actor(actor, case, "officer", "现场取证", captured_on)  # R04 on the day of the act; assignment now
    refuse_if_any(found)
    kind = FieldCapture.Kind(capture.kind)
    signature_sha = ""
    if kind == FieldCapture.Kind.PHOTO:
        content_type, ext = _photo_type(capture.photo)
        upload = ContentFile(capture.photo, name=f"field-{capture.client_id}.{ext}")
        title = capture.caption.strip() or "现场照片"
        evidence_kind = "photo"
    else:
        signature_sha = hashlib.sha256(capture.signature).hexdigest() if capture.signature else ""
        content_type = "image/png"
        upload = ContentFile(capture.signature, name=f"signature-{capture.client_id}.png") if capture.signature else None
        who = capture.party_name.strip()
        title = f"{kind.label}（{'当事人 ' + who + ' 签名' if capture.signature and who else '当事人签名' if capture.signature else '未签名'}）"
        evidence_kind = "record"
    if upload is not None:
        upload.content_type = content_type
    evidence = record_evidence(case.pk, kind=evidence_kind, title=title[:120], place=capture.place.strip()[:200], upload=upload,
                               collected_on=captured_on, actor=actor)
    if evidence.file:
        saved.append(evidence.file.name)
    receipt = FieldCapture(client_id=capture.client_id, kind=kind, case=case, officer=actor.officer, evidence=evidence,
                           captured_at=capture.captured_at, received_at=now, text=capture.text.strip(),
                           party_name=capture.party_name.strip()[:80], signature_sha256=signature_sha)
    receipt.place(capture.position)
    receipt.save()
    ledger.append(case.stream, "field_capture", {
        "label": f"现场取证离线提交（{kind.label}）", "client_id": str(capture.client_id), "kind": kind.value,
        "evidence_id": evidence.pk, "captured_at": capture.captured_at, "received_at": now,
        "position": capture.position.record() if capture.position else None,
        "text_sha256": hashlib.sha256(receipt.text.encode()).hexdigest() if receipt.text else "",
        "party_name": receipt.party_name, "signature_sha256": signature_sha, "sha256": evidence.sha256,
    }, actor=actor.user, actor_name=_actor_name(actor))
    return receipt
