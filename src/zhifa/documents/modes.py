"""Rendering mode of the document set (文书生成方式): ``immediate`` renders and stores the PDF
and DOCX in the issuing transaction; ``deferred`` renders them on first download or in a batch
(``ZHIFA["DOCUMENT_RENDERING"]``; ``render_mode(mode)`` switches it for a block of code)."""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

from django.conf import settings

IMMEDIATE, DEFERRED = "immediate", "deferred"
_MODE: contextvars.ContextVar[str | None] = contextvars.ContextVar("zhifa_document_rendering", default=None)


def rendering_mode() -> str:
    """``immediate`` (render and store the files when issuing) or ``deferred`` (on first download)."""
    forced = _MODE.get()
    if forced:
        return forced
    mode = (getattr(settings, "ZHIFA", {}) or {}).get("DOCUMENT_RENDERING", IMMEDIATE)
    return DEFERRED if mode == DEFERRED else IMMEDIATE


@contextlib.contextmanager
def render_mode(mode: str) -> Iterator[None]:
    """Issue documents in ``mode`` within the block (the demo data uses ``deferred``)."""
    if mode not in (IMMEDIATE, DEFERRED):
        raise ValueError(mode)
    token = _MODE.set(mode)
    try:
        yield
    finally:
        _MODE.reset(token)
