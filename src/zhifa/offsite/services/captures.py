"""Captures (电子监控记录): import in bulk, review by a person, and a case from an accepted one.

Import (``import_captures``): a manifest's rows with their files — a CSV/JSON batch, or one row
pushed by a device. Each file is read once, in chunks, while its SHA-256 is computed, and stored
under its hash (``captures/<device>/<hh>/<sha256>.<ext>``: the same file twice is stored once), so
a batch of any size holds one chunk in memory at a time. A capture is the same capture when its
device, time, subject and file hash are (``offsite_capture_unique``): importing a batch again
adds nothing. A row from a day on which the device's legality file is incomplete or its
calibration expired is refused (APL art.41 ¶1, Metrology Law art.9) and listed with its reason;
the rest are imported. The whole batch is one transaction and one record entry on
``device:<id>``; a failure removes the files it stored.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import re
import secrets
import time
from collections.abc import Mapping

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import Http404

from zhifa.cases import services as cases
from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, WRONG_STATE, Refused, Violation, refuse_if_any
from zhifa.registry import access

from .. import rules, selectors
from ..inputs import CaptureRow
from ..models import Capture, CaptureBatch, Device
from ..permissions import require_import, require_review, reviewer_violations
from .devices import _actor_name

CHUNK = 1024 * 1024
BULK = 2000


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.SHANGHAI)


def _extension(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return f".{suffix}" if re.fullmatch(r"[a-z0-9]{1,8}", suffix) else ""


class _Stored:
    __slots__ = ("content_type", "name", "sha256", "size")

    def __init__(self, name: str, sha256: str, size: int, content_type: str):
        self.name, self.sha256, self.size, self.content_type = name, sha256, size, content_type


def _store(device_id: int, upload, saved: list[str]) -> _Stored:
    """Hash ``upload`` in chunks, then store it under its hash unless already there."""
    digest, size = hashlib.sha256(), 0
    for chunk in upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    sha = digest.hexdigest()
    original = getattr(upload, "name", "") or ""
    content_type = getattr(upload, "content_type", "") or mimetypes.guess_type(original)[0] or "application/octet-stream"
    name = f"captures/{device_id}/{sha[:2]}/{sha}{_extension(original)}"
    if not default_storage.exists(name):
        upload.seek(0)
        stored = default_storage.save(name, upload)
        saved.append(stored)
        name = stored
    return _Stored(name, sha, size, content_type)


@use_case
def import_captures(device_id: int, *, rows: list[CaptureRow], files: Mapping, source: str = "upload",
                    manifest_name: str = "", manifest_sha256: str = "", actor: access.Actor) -> CaptureBatch:
    """导入电子监控记录: see the module's docstring. Returns the batch with its counts and the
    refused rows (``refusals``: row, code, message, basis). When every row is refused, nothing is
    stored and the refusal is raised (409 with every reason)."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            device = (selectors.visible_devices(actor).select_for_update(of=("self",)).filter(pk=device_id).first())
            if device is None:
                raise Http404("未找到该设备，或您无权查看。")
            require_import(actor, device.body_id)
            if device.state != Device.State.IN_SERVICE:
                raise Refused([Violation(WRONG_STATE, "该设备已停用，不能导入记录。", rules.ART41_1)])
            return _import(device, rows, files, source, manifest_name, manifest_sha256, actor, saved)
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def _import(device: Device, rows: list[CaptureRow], files: Mapping, source: str, manifest_name: str, manifest_sha256: str,
            actor: access.Actor, saved: list[str]) -> CaptureBatch:
    """The rows checked against the device's file first (no file read for a refused row), the
    stored keys of their time span looked up once, then one streaming pass: each file read, hashed
    and stored, its row built for the insert; then one ``COPY``, the batch's counts, one record entry."""
    started = time.perf_counter()
    problems_on: dict[dt.date, list[Violation]] = {}
    refusals: list[dict] = []
    usable: list[tuple[int, CaptureRow, dt.datetime]] = []
    today = clock.today()
    for number, row in enumerate(rows, start=1):
        taken_at = _aware(row.taken_at)
        day = taken_at.astimezone(clock.SHANGHAI).date()
        if day > today:
            refusals.append({"row": number, "code": INVALID_INPUT, "message": "采集时间晚于今天。", "basis": ""})
            continue
        if day not in problems_on:
            problems_on[day] = selectors.device_problems(device, day)
        if problems_on[day]:
            refusals += [{"row": number, **v.as_dict()} for v in problems_on[day]]
            continue
        usable.append((number, row, taken_at))
    checked = time.perf_counter()
    # Idempotence: the keys already stored for this device in the batch's time span (one range scan
    # of the unique key's (device, taken_at) prefix), and repeats in the batch.
    existing = set()
    if usable:
        moments = [taken_at for *_, taken_at in usable]
        existing = {rules.capture_key(device.pk, taken_at, subject, sha) for taken_at, subject, sha in (
            Capture.objects.filter(device=device, taken_at__range=(min(moments), max(moments)))
            .values_list("taken_at", "subject", "sha256").iterator(chunk_size=5000))}
    batch = CaptureBatch.objects.create(device=device, source=source, manifest_name=manifest_name[:200],
                                        manifest_sha256=manifest_sha256, rows=len(rows), uploaded_by=_user(actor),
                                        uploaded_at=clock.now())
    looked_up = time.perf_counter()
    new, keys, duplicates = _stream(device, batch, usable, files, existing, refusals, saved)
    streamed = time.perf_counter()
    refusals.sort(key=lambda r: r["row"])
    if not new and not duplicates:
        refuse_if_any(Violation(r["code"], f"第{r['row']}行：{r['message']}", r["basis"]) for r in refusals)
    _insert(new)
    inserted = time.perf_counter()
    batch.created, batch.duplicates, batch.refused, batch.refusals = len(new), duplicates, len(refusals), refusals[:1000]
    batch.save(update_fields=["created", "duplicates", "refused", "refusals"])
    digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()
    ledger.append(device.stream, "import_captures", {
        "label": "导入电子监控记录", "batch": batch.pk, "source": source, "manifest": manifest_name, "manifest_sha256": manifest_sha256,
        "rows": len(rows), "created": len(new), "duplicates": duplicates, "refused": len(refusals), "captures_sha256": digest,
        "refusal_codes": sorted({r["code"] for r in refusals}),
    }, actor=actor.user, actor_name=_actor_name(actor), savepoint=False)
    # Where the time went (not stored; the benchmark reads it): ``files`` the rows checked and the
    # streaming pass (files read, hashed, stored; rows built), ``rows`` the database's part (the
    # look-up of stored keys, the batch, the ``COPY``, the counts and the record entry).
    done = time.perf_counter()
    batch.timings = {"files": (checked - started) + (streamed - looked_up), "rows": (looked_up - checked) + (done - streamed),
                     "lookup": looked_up - checked, "build": streamed - looked_up, "insert": inserted - streamed, "record": done - inserted}
    return batch


COLUMNS = ("device_id", "batch_id", "taken_at", "subject", "description", "measured_value", "party_name", "party_id_code",
           "file", "sha256", "size", "content_type", "state", "reviewer_name", "reject_code", "reject_reason", "regions")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _esc(text: str) -> str:
    """``text`` for ``COPY``'s text format; ``translate`` only when needed (it costs ~2 µs on
    Chinese text, a third of a row's Python time)."""
    return text.translate(_ESCAPES) if _SPECIAL.search(text) else text


def _stream(device: Device, batch: CaptureBatch, usable: list, files: Mapping, existing: set, refusals: list[dict],
            saved: list[str]) -> tuple[list, list[str], int]:
    """One pass over the usable rows: each file read once in chunks, hashed and stored (the same
    file named twice is read once); a row whose file is missing refused; each new capture (not in
    ``existing``, nor repeated) built at once — a line of ``COPY``'s text format on PostgreSQL (the
    ids, time, hash, size and fixed codes need no escaping), a ``Capture`` elsewhere. Returns the
    new captures, the keys the record's digest covers and the number of duplicates."""
    pg, pending = connection.vendor == "postgresql", Capture.State.PENDING.value
    head = f"{device.pk}\t{batch.pk}\t"
    stored: dict[str, _Stored] = {}
    new: list = []
    keys: list[str] = []
    duplicates = 0
    close_after_read = getattr(files, "close_after_read", False)
    for number, row, taken_at in usable:
        s = stored.get(row.file)
        if s is None:
            upload = files.get(row.file)
            if upload is None:
                refusals.append({"row": number, "code": INVALID_INPUT, "message": f"未上传清单所列文件“{row.file}”。", "basis": ""})
                continue
            try:
                s = stored[row.file] = _store(device.pk, upload, saved)
            finally:
                close = getattr(upload, "close", None)
                if close is not None and close_after_read:
                    close()
        key = rules.capture_key(device.pk, taken_at, row.subject, s.sha256)
        if key in existing:
            duplicates += 1
            continue
        existing.add(key)
        iso = taken_at.isoformat()
        keys.append(f"{iso}|{key[2]}|{s.sha256}")
        if pg:
            new.append(f"{head}{iso}\t{_esc(key[2])}\t{_esc(row.description)}\t{_esc(row.measured_value)}\t"
                       f"{_esc(row.party_name)}\t{_esc(row.party_id_code)}\t{_esc(s.name)}\t{s.sha256}\t"
                       f"{s.size}\t{_esc(s.content_type)}\t{pending}\t\t\t\t[]\n")
        else:
            new.append(Capture(device_id=device.pk, batch_id=batch.pk, taken_at=taken_at, subject=key[2], description=row.description,
                               measured_value=row.measured_value, party_name=row.party_name, party_id_code=row.party_id_code,
                               file=s.name, sha256=s.sha256, size=s.size, content_type=s.content_type))
    return new, keys, duplicates


def _insert(rows: list) -> None:
    """The new captures: ``COPY`` of the lines on PostgreSQL (the device row is locked, the
    duplicates are already out: no conflict can arise), ``bulk_create`` elsewhere. Same shape as
    ``inspections.bulk.copy_rows`` (a sibling app, not importable from here)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        cols = ", ".join(f'"{c}"' for c in COLUMNS)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{Capture._meta.db_table}" ({cols}) FROM STDIN') as copy:
                for start in range(0, len(rows), 5000):
                    copy.write("".join(rows[start:start + 5000]))
        return
    for start in range(0, len(rows), BULK):
        Capture.objects.bulk_create(rows[start:start + BULK])


def _user(actor: access.Actor):
    return ledger.user_of(actor)


def _lock_capture(capture_id: int, actor: access.Actor) -> Capture:
    capture = (selectors.visible_captures(actor).select_for_update(of=("self",)).filter(pk=capture_id).first())
    if capture is None:
        raise Http404("未找到该记录，或您无权查看。")
    return capture


@use_case
def review_capture(capture_id: int, *, accepted: bool, reason_code: str = "", reason: str = "", regions: list[dict] | None = None,
                   actor: access.Actor) -> Capture:
    """人工审核 (APL art.41 ¶2): a certified officer of the body accepts the capture, or rejects it
    with a reason. Accepting checks the device's file on the capture's date again (a certificate
    corrected since the import counts). ``regions``: the third parties' faces and plates the
    reviewer marks (``rules.check_regions``), blurred wherever the party or the public sees the
    image (``public.capture_file``); the stored original is unchanged."""
    today = clock.today()
    with transaction.atomic():
        capture = _lock_capture(capture_id, actor)
        require_review(actor, capture.device.body_id)
        v = reviewer_violations(actor, today)
        if capture.state != Capture.State.PENDING:
            v.append(Violation(WRONG_STATE, f"该记录已{capture.get_state_display()}，不能再审核。", rules.ART41_2))
        v += rules.check_review(accepted, reason_code or "", reason)
        marked, region_v = rules.check_regions(list(regions or []))
        v += region_v
        day = capture.taken_at.astimezone(clock.SHANGHAI).date()
        if accepted:
            v += selectors.device_problems(capture.device, day)
        refuse_if_any(v)
        capture.state = Capture.State.ACCEPTED if accepted else Capture.State.REJECTED
        capture.reviewed_by, capture.reviewer_name, capture.reviewed_at = _user(actor), _actor_name(actor), clock.now()
        capture.reject_code = "" if accepted else reason_code
        capture.reject_reason = "" if accepted else reason
        capture.regions = marked
        capture.save(update_fields=["state", "reviewed_by", "reviewer_name", "reviewed_at", "reject_code", "reject_reason", "regions"])
        ledger.append(capture.stream, "review", {
            "label": "人工审核", "accepted": accepted, "reason_code": capture.reject_code, "reason": capture.reject_reason,
            "sha256": capture.sha256, "device": capture.device_id, "basis": rules.ART41_2, "third_party_regions": marked,
        }, actor=actor.user, actor_name=_actor_name(actor))
        return capture


def _new_lookup_code() -> str:
    while True:
        code = "".join(secrets.choice(rules.LOOKUP_ALPHABET) for _ in range(10))
        if not Capture.objects.filter(lookup_code=code).exists():
            return code


@use_case
def capture_to_case(capture_id: int, *, case_id: int | None = None, party_kind: str = "person", party_name: str = "",
                    party_id_code: str = "", actor: access.Actor) -> Capture:
    """立案或者并案: an accepted capture becomes a case of the device's body (source 非现场执法) or
    joins the open case ``case_id``, with the capture's file as evidence; the party gets a lookup
    code to see the facts and images and to state and defend online (APL art.41 ¶3). An unreviewed
    or rejected capture never does (``CAPTURE_NOT_REVIEWED``)."""
    today = clock.today()
    with transaction.atomic():
        capture = _lock_capture(capture_id, actor)
        device = Device.objects.select_related("item", "body").get(pk=capture.device_id)
        require_review(actor, device.body_id)
        v = reviewer_violations(actor, today)
        v += rules.check_usable_as_evidence(capture.state)
        if capture.case_id is not None:
            v.append(Violation(WRONG_STATE, "该记录已立案或者并案。", rules.ART41_2))
        name = (party_name or capture.party_name).strip()
        if case_id is None and not name:
            v.append(Violation(INVALID_INPUT, "请填写当事人（记录中没有当事人信息）。", ""))
        refuse_if_any(v)
        day = capture.taken_at.astimezone(clock.SHANGHAI).date()
        what = capture.description or f"{device.item.name}（{device.name}记录）"
        record = cases.MonitoringRecord(
            file_name=capture.file.name, sha256=capture.sha256, size=capture.size, content_type=capture.content_type,
            title=f"电子技术监控记录：{device.code} {capture.taken_at.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M} {capture.subject}",
            place=device.location, taken_on=day, reference=capture.stream)
        if case_id is None:
            case = cases.open_case_from_monitoring(
                body_id=device.body_id, item_code=device.item.code, party_kind=party_kind, party_name=name,
                party_id_code=party_id_code or capture.party_id_code, act_date=day,
                act_description=f"{capture.subject}于{capture.taken_at.astimezone(clock.SHANGHAI):%Y年%m月%d日%H时%M分}在{device.location}{what}",
                records=[record], actor=actor)
        else:
            case = cases.join_monitoring_records(case_id, records=[record], actor=actor)
        capture.case, capture.lookup_code, capture.notified_at = case, _new_lookup_code(), clock.now()
        capture.save(update_fields=["case", "lookup_code", "notified_at"])
        ledger.append(capture.stream, "to_case", {
            "label": "立案" if case_id is None else "并案", "case": case.pk, "case_number": case.number,
            "lookup_code_sha256": hashlib.sha256(capture.lookup_code.encode()).hexdigest(), "basis": rules.ART41_3,
        }, actor=actor.user, actor_name=_actor_name(actor))
        return capture
