"""Field work without network (离线现场执法, B9): what every offline capture has in common, whatever
it records — an inspection's result, photo and on-site record (``inspections/services/offline.py``)
or a case's evidence and on-site record (``cases/services/field.py``).

- the phone's id (客户端编号, a UUID) and the **once only** receipt: ``receive_once`` runs the
  receiving in one transaction; a second sending (or two at once: the unique ``client_id`` of the
  receipt decides) returns the first receipt and writes nothing, and files stored by a failed
  receiving are removed;
- the **two times**: the capture time (采集时间, the phone's clock) judged against the receipt time
  (接收时间, the server's clock): a phone cannot capture in the future (``time_violations``);
- the position (only where the officer allowed it), the photo or signature sent as a data URL,
  the on-site record's text and the party's drawn signature (``onsite_problems``);
- the API's shared input schemas and its 422 for a client id that is not a UUID;
- the service worker (``service_worker``), served under each offline app's path so that its
  scope is that app's pages (``/inspections/``, ``/cases/``).

The page side is one script, ``static/zhifa/offline/offline.js``, for every offline page.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.errors import ValidationError

from . import clock
from .pagination import CleanText
from .violations import INVALID_INPUT, Refused, Violation

CAPTURED_IN_FUTURE = "CAPTURED_IN_FUTURE"
SIGNATURE_INVALID = "SIGNATURE_INVALID"
ONSITE_TEXT_REQUIRED = "ONSITE_TEXT_REQUIRED"
# what is wrong with the content sent (the API answers 422), not with the law or the state (409)
OFFLINE_INPUT_CODES = frozenset({SIGNATURE_INVALID, ONSITE_TEXT_REQUIRED, INVALID_INPUT})
# A phone's clock may run a little ahead of the server's; more than this is not a clock's drift.
CLOCK_SKEW = dt.timedelta(minutes=10)
SIGNATURE_MAX_BYTES = 512 * 1024
ONSITE_MAX_CHARS = 10_000

R = TypeVar("R")


@dataclass
class Position:
    """Where the phone was when it saved the capture (only when the officer allowed it)."""

    latitude: Decimal
    longitude: Decimal
    accuracy_m: int | None = None

    def record(self) -> list:
        """The position as the record entry names it: ``[latitude, longitude, accuracy]``."""
        return [str(self.latitude), str(self.longitude), self.accuracy_m]


class OfflineReceiptFields(models.Model):
    """The fields of every offline receipt (离线提交回执): the phone's id (unique: the sending is
    idempotent), the capture time (采集时间, the phone's clock), the receipt time (接收时间, the
    server's clock) and the position where the officer allowed it. Each app adds its kind and what
    the capture became."""

    client_id = models.UUIDField("客户端编号", unique=True)
    captured_at = models.DateTimeField("采集时间")
    received_at = models.DateTimeField("接收时间")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField("定位精度（米）", null=True, blank=True)

    class Meta:
        abstract = True

    def place(self, position: Position | None) -> None:
        """Set the position fields from the phone's ``position`` (none: not allowed)."""
        if position is not None:
            self.latitude, self.longitude, self.accuracy_m = position.latitude, position.longitude, position.accuracy_m


def decode_data_url(text: str) -> bytes:
    """The bytes of a ``data:…;base64,…`` URL (or of plain base64) as the phone's canvas makes
    them; ``ValueError`` when it is not base64."""
    payload = text.split(",", 1)[1] if text.startswith("data:") else text
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("不是有效的 Base64 数据") from exc


def time_violations(captured_at: dt.datetime, now: dt.datetime, not_before: dt.date | None = None,
                    not_before_label: str = "") -> list[Violation]:
    """The capture time against the receipt time: not in the future (beyond a clock's drift), and
    not before the day the work began (``not_before``: the draw, the case's filing …)."""
    found = []
    if captured_at > now + CLOCK_SKEW:
        found.append(Violation(CAPTURED_IN_FUTURE, f"采集时间 {captured_at.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M} 晚于服务器时间，"
                                                   "请校正手机时间后重新保存"))
    captured_on = captured_at.astimezone(clock.SHANGHAI).date()
    if not_before is not None and captured_on < not_before:
        found.append(Violation("PERIOD_INVALID", f"采集日期 {captured_on} 早于{not_before_label} {not_before}，请核对手机时间"))
    return found


def onsite_problems(text: str, signature: bytes) -> list[Violation]:
    """An on-site record (现场笔录) needs its text; the party's signature, when drawn, is a PNG."""
    found = []
    if not text.strip():
        found.append(Violation(ONSITE_TEXT_REQUIRED, "请填写现场笔录内容"))
    elif len(text) > ONSITE_MAX_CHARS:
        found.append(Violation(INVALID_INPUT, f"现场笔录不超过 {ONSITE_MAX_CHARS} 字"))
    if signature and (signature[:8] != b"\x89PNG\r\n\x1a\n" or len(signature) > SIGNATURE_MAX_BYTES):
        found.append(Violation(SIGNATURE_INVALID, "当事人签名应为不超过 512 KB 的 PNG 图片"))
    return found


def receive_once(existing: Callable[[], R | None], receive: Callable[[list[str]], R]) -> tuple[R, bool]:
    """``(receipt, duplicate)``: the receipt already made for this capture (``existing()``), else
    ``receive(saved)`` in one transaction — ``saved`` collects the names of the files it stored,
    removed again if the receiving fails. Two sendings at once: the unique client id makes the
    second fail, which then returns the first one's receipt."""
    done = existing()
    if done is not None:
        return done, True
    saved: list[str] = []
    try:
        with transaction.atomic():
            return receive(saved), False
    except IntegrityError:  # the same capture sent twice at once: the other sending won
        _remove(saved)
        done = existing()
        if done is None:
            raise
        return done, True
    except BaseException:
        _remove(saved)
        raise


def own_receipt(found, actor):
    """``found`` (a receipt with ``officer_id``, or ``None``) if it is the acting officer's (or the
    actor is an administrator); another user's capture under the same id is refused as input, not
    disclosed."""
    if found is not None and not actor.is_admin and (actor.officer is None or found.officer_id != actor.officer.pk):
        raise Refused([Violation(INVALID_INPUT, "客户端编号已被使用，请重新保存后发送")])
    return found


def _remove(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- The API's shared input -------------------------------------------------------------------

class PositionIn(Schema):
    latitude: Decimal = Field(..., ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal = Field(..., ge=-180, le=180, max_digits=9, decimal_places=6)
    accuracy_m: int | None = Field(None, ge=0, le=100_000)

    def position(self) -> Position:
        return Position(**self.dict())


class OfflinePhotoIn(Schema):
    data: str = Field(..., max_length=20_000_000, description="照片（手机上缩放后的 JPEG），data URL 或 Base64")
    caption: CleanText = Field("", max_length=100)


class OnsiteIn(Schema):
    text: CleanText = Field(..., max_length=10_000, description="现场笔录内容")
    party_name: CleanText = Field("", max_length=80, description="当事人（签名人）")
    signature: str = Field("", max_length=800_000, description="当事人在屏幕上的签名，PNG 的 data URL 或 Base64")


def client_uuid(client_id: str, captured_at: dt.datetime) -> uuid.UUID:
    """The phone's id as a UUID and a capture time with its zone, else the API's 422."""
    if captured_at.tzinfo is None:
        raise ValidationError([{"loc": ("body", "payload", "captured_at"), "msg": "采集时间应带时区", "type": "timezone"}])
    try:
        return uuid.UUID(client_id)
    except ValueError:
        raise ValidationError([{"loc": ("body", "payload", "client_id"), "msg": "客户端编号应为 UUID", "type": "uuid"}]) from None


def decoded(text: str, part: str) -> bytes:
    """``decode_data_url`` with the API's 422 naming the part of the body."""
    try:
        return decode_data_url(text)
    except ValueError as exc:
        raise ValidationError([{"loc": ("body", "payload", part), "msg": str(exc), "type": "base64"}]) from None


def input_refusal(violations: list[Violation], part: str, codes: frozenset[str] = OFFLINE_INPUT_CODES) -> ValidationError | None:
    """A refusal that is all about the content sent: the API's 422 (else ``None``: a 409)."""
    if all(v.code in codes for v in violations):
        return ValidationError([{"loc": ("body", "payload", part), "type": v.code.lower(), "msg": v.message} for v in violations])
    return None


# --- The service worker -------------------------------------------------------------------------

def service_worker(scope: str) -> Callable[[HttpRequest], HttpResponse]:
    """The view serving the service worker at ``<scope>sw.js``: served from the app's path, not
    from ``/static/``, so that its scope is the app's pages. The file itself is a static file
    (``zhifa/offline/sw.js``); never cached by the browser, so that a new version is picked up on
    the next visit."""

    def view(request: HttpRequest) -> HttpResponse:
        from django.contrib.staticfiles import finders
        from django.contrib.staticfiles.storage import staticfiles_storage

        name = "zhifa/offline/sw.js"
        found = finders.find(name)
        if found:
            with open(found, "rb") as f:
                body = f.read()
        else:  # production: the collected copy
            with staticfiles_storage.open(name) as f:
                body = f.read()
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        response["Service-Worker-Allowed"] = scope
        return response

    view.__doc__ = f"The offline pages' service worker, scope {scope}."
    return view
