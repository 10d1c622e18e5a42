"""Off-site use cases (非现场执法): the only code that changes a device or a capture.

``devices``: register a device with its legality file (``DEVICE_NOT_LAWFUL`` without a law or
administrative regulation providing for it), complete or change the file. ``captures``: import a
batch (idempotent by device, time, subject and file hash; files streamed to storage and hashed),
review one capture (accepted / rejected with a reason), and turn an accepted capture into a case
or join it to one (``CAPTURE_NOT_REVIEWED`` otherwise). Every write is recorded: a device's on
``device:<id>``, a capture's review and case on ``capture:<id>``.
"""
from __future__ import annotations

from .captures import capture_to_case, import_captures, review_capture
from .devices import register_device, update_device_file
from .party import RateLimited, submit_statement

__all__ = ["RateLimited", "capture_to_case", "import_captures", "register_device", "review_capture", "submit_statement", "update_device_file"]
