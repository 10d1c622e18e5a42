"""The read side of off-site enforcement (非现场执法): devices and captures in the actor's scope,
a device's legality facts for ``rules``, its statistics, and the review queue. The API and the
pages share these."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhifa.registry import access

from . import rules
from .models import Capture, CaptureBatch, Device


def wait_days() -> int:
    """Days a device's location must have been public before its records are used (province
    rule, e.g. 粤府〔2025〕12号: 30); ``ZHIFA["OFFSITE_WAIT_DAYS"]``, 0 by default."""
    return int(settings.ZHIFA.get("OFFSITE_WAIT_DAYS", 0))


def visible_devices(actor: access.Actor) -> QuerySet[Device]:
    return access.scope(actor, Device.objects.select_related("body", "item", "basis_law"), "body")


def _one(qs: QuerySet, pk: int, what: str):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(f"未找到该{what}，或您无权查看。")
    return found


def get_device(device_id: int, actor: access.Actor) -> Device:
    return _one(visible_devices(actor), device_id, "设备")


def visible_captures(actor: access.Actor) -> QuerySet[Capture]:
    return access.scope(actor, Capture.objects.select_related("device", "device__body", "case"), "device__body")


def get_capture(capture_id: int, actor: access.Actor) -> Capture:
    return _one(visible_captures(actor), capture_id, "记录")


def device_file(device: Device, on: dt.date) -> rules.DeviceFile:
    """The device's legality file as ``rules`` reads it, with the law's level and force on ``on``."""
    law = device.basis_law
    return rules.DeviceFile(
        basis_level=law.level if law else None, basis_in_force=bool(law and law.in_force_on(on)),
        basis_article=device.basis_article, legal_review_on=device.legal_review_on,
        technical_review_on=device.technical_review_on, measuring=device.measuring,
        calibration_certificate=device.calibration_certificate, calibration_valid_from=device.calibration_valid_from,
        calibration_expires_on=device.calibration_expires_on, signage_on=device.signage_on, location=device.location,
        published_on=device.published_on, wait_days=device.wait_days,
    )


def device_problems(device: Device, on: dt.date) -> list:
    return rules.check_device_on(device_file(device, on), on)


@dataclass
class Stats:
    """A device's statistics (设备统计): captures, pending, accepted, rejected, rate, by reason."""

    total: int = 0
    pending: int = 0
    accepted: int = 0
    rejected: int = 0
    cases: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return rules.acceptance_rate(self.accepted, self.rejected)

    @property
    def rate_percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    @property
    def reasons(self) -> list[tuple[str, str, int]]:
        """(code, label, count), most frequent first."""
        return sorted(((c, rules.REJECT_REASONS.get(c, c), n) for c, n in self.by_reason.items()), key=lambda r: (-r[2], r[0]))

    def as_dict(self) -> dict:
        return {"total": self.total, "pending": self.pending, "accepted": self.accepted, "rejected": self.rejected,
                "cases": self.cases, "acceptance_rate": None if self.rate is None else round(self.rate, 4),
                "rejections_by_reason": {c: n for c, _, n in self.reasons}}


def device_stats(device_ids) -> dict[int, Stats]:
    """Statistics of many devices in one grouped query (lists cost the same whatever their length)."""
    out = {i: Stats() for i in device_ids}
    if not out:
        return out
    rows = (Capture.objects.filter(device_id__in=list(out)).values("device_id", "state", "reject_code")
            .annotate(n=Count("id"), with_case=Count("case_id")).order_by())
    for row in rows:
        s = out[row["device_id"]]
        s.total += row["n"]
        s.cases += row["with_case"]
        if row["state"] == Capture.State.PENDING:
            s.pending += row["n"]
        elif row["state"] == Capture.State.ACCEPTED:
            s.accepted += row["n"]
        else:
            s.rejected += row["n"]
            s.by_reason[row["reject_code"]] = s.by_reason.get(row["reject_code"], 0) + row["n"]
    return out


def review_queue(actor: access.Actor, *, device_id: int | None = None) -> QuerySet[Capture]:
    """待审核: pending captures in scope, oldest first."""
    qs = visible_captures(actor).filter(state=Capture.State.PENDING)
    if device_id:
        qs = qs.filter(device_id=device_id)
    return qs.order_by("taken_at", "id")


def captures(actor: access.Actor, *, device_id: int | None = None, state: str | None = None, q: str | None = None) -> QuerySet[Capture]:
    qs = visible_captures(actor)
    if device_id:
        qs = qs.filter(device_id=device_id)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(party_name__icontains=q))
    return qs.order_by("-taken_at", "-id")


def batches(device: Device) -> QuerySet[CaptureBatch]:
    return CaptureBatch.objects.filter(device=device).select_related("uploaded_by").order_by("-id")


def lawful_basis_laws():
    """The laws and administrative regulations a device may cite (APL art.41 ¶1)."""
    from zhifa.catalog.models import Law

    return Law.objects.filter(level__in=sorted(rules.LAWFUL_LEVELS)).order_by("short_title", "-version_date")


def pending_count(actor: access.Actor) -> int:
    """The review queue's length (the navigation's badge)."""
    return review_queue(actor).count()
