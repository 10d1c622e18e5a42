"""The one way catalog use cases append their full-process record entry (全过程记录)."""
from __future__ import annotations

from zhifa.core import ledger


def record(stream: str, action: str, payload: dict, actor=None) -> None:
    """Append ``action`` to ``stream`` inside the caller's transaction. ``actor`` is a
    ``registry.access.Actor`` (its user is recorded) or None for a command run by the system."""
    officer = getattr(actor, "officer", None)
    ledger.append(stream, action, payload, actor=actor, actor_name=getattr(officer, "name", ""))
