"""Rendering mode of the document set (文书生成方式), ``ZHIFA["DOCUMENT_RENDERING"]``:

- ``worker`` (production default): the issuing transaction fixes number, data and data hash and
  queues a render task in the same transaction (django-tasks, database backend); a worker process
  (``zhifa task_worker --queue-name documents``) renders and stores the files after the commit.
- ``immediate`` (the test suites' default): renders and stores the PDF and DOCX in the issuing
  transaction.
- ``deferred``: like ``worker`` but queues nothing: the files are rendered on first download or in
  a batch (``zhifa render-documents``, ``zhifa sweep``).

``render_mode(mode)`` switches it for a block of code (the demo data uses ``deferred``)."""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

from django.conf import settings

IMMEDIATE, DEFERRED, WORKER = "immediate", "deferred", "worker"
MODES = (IMMEDIATE, DEFERRED, WORKER)
_MODE: contextvars.ContextVar[str | None] = contextvars.ContextVar("zhifa_document_rendering", default=None)


def rendering_mode() -> str:
    """``worker``, ``immediate`` or ``deferred`` (an unknown setting counts as ``worker``)."""
    forced = _MODE.get()
    if forced:
        return forced
    mode = (getattr(settings, "ZHIFA", {}) or {}).get("DOCUMENT_RENDERING", WORKER)
    return mode if mode in MODES else WORKER


def renders_in_transaction() -> bool:
    """Are the files rendered inside the issuing transaction (``immediate``)?"""
    return rendering_mode() == IMMEDIATE


@contextlib.contextmanager
def render_mode(mode: str) -> Iterator[None]:
    """Issue documents in ``mode`` within the block (the demo data uses ``deferred``)."""
    if mode not in MODES:
        raise ValueError(mode)
    token = _MODE.set(mode)
    try:
        yield
    finally:
        _MODE.reset(token)
