"""What the public may read of off-site enforcement (APL art.41 ¶1, ¶3), for the portal
(``/public/captures/{lookup_code}/`` and the published device locations are the portal's pages;
this module is what they read).

- ``published_devices()`` / ``device(d)``: the devices in service whose locations are published
  (设置地点向社会公布), with their basis and the first day their records may be used;
- ``capture_for_party(code)``: what the party holding a lookup code sees — the facts, the device,
  the case and its defence window. Only a capture a person accepted and turned into a case has a
  code (``CAPTURE_NOT_REVIEWED`` otherwise), so nothing unreviewed ever reaches a party;
- ``capture_file(code)``: the file to stream to that party: the stored original when the reviewer
  marked no third party, else the image with the marked faces and plates blurred
  (``image_privacy``); a video with marked third parties is not shown online (it cannot be
  blurred here: the party reads it at the body).
"""
from __future__ import annotations

import datetime as dt
import io
from typing import IO

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from zhifa.cases import workflow
from zhifa.core import clock

from . import image_privacy, rules
from .models import Capture, Device, PartyStatement


def published_devices() -> QuerySet[Device]:
    return (Device.objects.select_related("body", "basis_law", "item")
            .filter(state=Device.State.IN_SERVICE, published_on__isnull=False, body__is_published=True)
            .order_by("body_id", "code"))


def device(d: Device) -> dict:
    from .selectors import device_file

    return {
        "body": d.body.name, "code": d.code, "name": d.name, "kind": d.get_kind_display(), "location": d.location,
        "longitude": None if d.longitude is None else float(d.longitude),
        "latitude": None if d.latitude is None else float(d.latitude),
        "published_on": d.published_on, "usable_from": rules.usable_from(device_file(d, d.published_on)),
        "basis": f"{d.basis_law.title}{d.basis_article}", "item": d.item.name,
    }


def _by_code(code: str) -> Capture | None:
    code = (code or "").strip().upper()
    if not rules.lookup_code_ok(code):
        return None
    return (Capture.objects.select_related("device", "device__body", "device__basis_law", "case")
            .filter(lookup_code=code, state=Capture.State.ACCEPTED, case__isnull=False).first())


def capture_for_party(code: str, today: dt.date | None = None) -> dict | None:
    """The party's view of its capture (APL art.41 ¶3), or None for an unknown code."""
    c = _by_code(code)
    if c is None:
        return None
    case = c.case
    today = today or clock.today()
    defence_open = case.state == "notified" and not case.defence_done and case.defence_due is not None and today <= case.defence_due
    return {
        "lookup_code": c.lookup_code, "body": c.device.body.name, "device": {
            "code": c.device.code, "name": c.device.name, "kind": c.device.get_kind_display(), "location": c.device.location,
            "basis": f"{c.device.basis_law.title}{c.device.basis_article}"},
        "taken_at": c.taken_at.astimezone(clock.SHANGHAI), "subject": c.subject, "description": c.description,
        "measured_value": c.measured_value, "sha256": c.sha256, "content_type": c.content_type, "reviewed_at": c.reviewed_at,
        "third_parties": len(c.regions or []),
        "file_shown": not c.regions or (c.content_type or "").startswith("image/"),
        "case": {"id": case.pk, "number": case.number, "state": case.state, "state_label": workflow.state_label(case.state),
                 "notice_served_on": case.notice_served_on, "defence_due": case.defence_due, "defence_done": case.defence_done,
                 "proposed_kinds": list(case.proposed_kinds or []),
                 "proposed_amount": None if case.proposed_amount is None else f"{case.proposed_amount:.2f}"},
        "may_state_and_defend": defence_open, "basis": rules.ART41_3,
        "statement": _statement(c),
    }


def _statement(c: Capture) -> dict | None:
    """What the party stated online on this capture, and when (the page shows it after)."""
    s = PartyStatement.objects.filter(capture=c).values("statement", "submitted_at").first()
    return None if s is None else {"text": s["statement"], "submitted_at": s["submitted_at"].astimezone(clock.SHANGHAI)}


def capture_file(code: str) -> tuple[IO[bytes], str] | None:
    """(open file, content type) of the capture's file for the party holding ``code``: the
    original, or the copy with third parties blurred; None for an unknown code and for a file with
    third parties that cannot be blurred. ``FileNotFoundError`` when the stored file is gone."""
    c = _by_code(code)
    if c is None:
        return None
    if not c.regions:
        return default_storage.open(c.file.name, "rb"), c.content_type
    if not (c.content_type or "").startswith("image/"):
        return None
    with default_storage.open(c.file.name, "rb") as handle:
        try:
            data, content_type = image_privacy.blurred(handle, c.regions)
        except (OSError, ValueError):  # not decodable as an image: never shown unblurred
            return None
    return io.BytesIO(data), content_type
