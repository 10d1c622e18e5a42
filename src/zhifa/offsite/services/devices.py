"""Devices (电子技术监控设备) and their legality file (APL art.41 ¶1)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import Http404

from zhifa.catalog.models import Item, Law
from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry.models import Body

from .. import rules, selectors
from ..models import Device
from ..permissions import require_manage_devices

FILE_FIELDS = ("legal_review_on", "legal_review_by", "technical_review_on", "technical_review_by", "calibration_certificate",
               "calibration_valid_from", "calibration_expires_on", "signage_on", "published_on", "published_where", "state")


def _actor_name(actor: access.Actor) -> str:
    if actor.officer is not None:
        return actor.officer.name
    return actor.user.get_username() if getattr(actor.user, "is_authenticated", False) else ""


def _dates_plausible(values: dict, today: dt.date) -> list[Violation]:
    """Reviews, signage and publication are facts: not later than today; a certificate's expiry
    after its date."""
    v = []
    late = [name for name in ("legal_review_on", "technical_review_on", "signage_on", "published_on", "calibration_valid_from")
            if values.get(name) and values[name] > today]
    if late:
        v.append(Violation(INVALID_INPUT, "审核、检定、设置标志和公布的日期不得晚于今天。", ""))
    start, end = values.get("calibration_valid_from"), values.get("calibration_expires_on")
    if start and end and end < start:
        v.append(Violation(INVALID_INPUT, "检定有效期不得早于检定日期。", ""))
    return v


def _file_payload(device: Device) -> dict:
    return {name: getattr(device, name) for name in (
        "code", "name", "kind", "measuring", "basis_article", "location", *FILE_FIELDS, "wait_days")} | {
        "item": device.item.code, "basis_law": device.basis_law_id, "basis_law_title": device.basis_law.title}


@use_case
def register_device(*, code: str, name: str, kind: str, item_code: str, location: str, basis_law_id: int | None = None,
                    basis_article: str = "", measuring: bool = False, legal_review_on: dt.date | None = None,
                    legal_review_by: str = "", technical_review_on: dt.date | None = None, technical_review_by: str = "",
                    standards: str = "", calibration_certificate: str = "", calibration_valid_from: dt.date | None = None,
                    calibration_expires_on: dt.date | None = None, signage_on: dt.date | None = None,
                    longitude: Decimal | float | None = None, latitude: Decimal | float | None = None, published_on: dt.date | None = None,
                    published_where: str = "", body_id: int | None = None, actor: access.Actor) -> Device:
    """登记设备: refused without a law or administrative regulation in force providing for it
    (``DEVICE_NOT_LAWFUL``, APL art.41 ¶1). The rest of the file (reviews, calibration, signage,
    publication) may follow (``update_device_file``); until it is complete on a capture's date,
    the device's records are refused."""
    body_id = body_id or actor.body_id
    require_manage_devices(actor, body_id)
    today = clock.today()
    with transaction.atomic():
        body = Body.objects.filter(pk=body_id).first()
        if body is None:
            raise Http404("未找到该执法主体。")
        item = Item.objects.filter(code=item_code).order_by("-version").first()
        if item is None:
            raise Http404("未找到该执法事项。")
        law = Law.objects.filter(pk=basis_law_id).first() if basis_law_id else None
        values = dict(legal_review_on=legal_review_on, technical_review_on=technical_review_on, signage_on=signage_on,
                      published_on=published_on, calibration_valid_from=calibration_valid_from,
                      calibration_expires_on=calibration_expires_on)
        v = rules.check_basis(law.level if law else None, bool(law and law.in_force_on(today)), basis_article)
        v += _dates_plausible(values, today)
        refuse_if_any(v)
        device = Device(body=body, code=code, name=name, kind=kind, measuring=measuring, item=item, basis_law=law,
                        basis_article=basis_article, legal_review_by=legal_review_by, technical_review_by=technical_review_by,
                        standards=standards, calibration_certificate=calibration_certificate, location=location,
                        longitude=None if longitude is None else Decimal(str(longitude)).quantize(Decimal("0.000001")),
                        latitude=None if latitude is None else Decimal(str(latitude)).quantize(Decimal("0.000001")),
                        published_where=published_where, wait_days=selectors.wait_days(), registered_on=today, **values)
        try:
            with transaction.atomic():
                device.save()
        except IntegrityError:
            raise Refused([Violation(INVALID_INPUT, f"本主体已有编号为{code}的设备。", "")]) from None
        ledger.append(device.stream, "register_device", {"label": "登记电子技术监控设备", "basis": rules.ART41_1,
                                                         "file": _file_payload(device)},
                      actor=actor.user, actor_name=_actor_name(actor))
        return device


@use_case
def update_device_file(device_id: int, *, actor: access.Actor, **changes) -> Device:
    """补充设备档案: reviews, calibration (a new certificate replaces the old), signage, publication,
    or retirement. Only the fields given change; the record keeps before and after."""
    unknown = set(changes) - set(FILE_FIELDS)
    if unknown:
        raise Refused([Violation(INVALID_INPUT, f"不能修改的字段：{'、'.join(sorted(unknown))}", "")])
    today = clock.today()
    with transaction.atomic():
        device = selectors.visible_devices(actor).select_for_update(of=("self",)).filter(pk=device_id).first()
        if device is None:
            raise Http404("未找到该设备，或您无权查看。")
        require_manage_devices(actor, device.body_id)
        given = {k: v for k, v in changes.items() if v not in (None, "")}
        merged = {name: given.get(name, getattr(device, name)) for name in FILE_FIELDS}
        refuse_if_any(_dates_plausible(merged, today))
        before = {k: getattr(device, k) for k in given}
        for name, value in given.items():
            setattr(device, name, value)
        device.version += 1
        device.save(update_fields=[*given, "version"])
        ledger.append(device.stream, "update_device_file", {"label": "补充设备档案", "before": before, "after": given,
                                                            "version": device.version},
                      actor=actor.user, actor_name=_actor_name(actor))
        return device
