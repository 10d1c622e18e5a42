"""The one way catalog use cases append their full-process record entry (全过程记录)."""
from __future__ import annotations

from zhifa.core import ledger


def record(stream: str, action: str, payload: dict, actor=None) -> None:
    """Append ``action`` to ``stream`` inside the caller's transaction. ``actor`` is a
    ``registry.access.Actor`` (its user is recorded) or None for a command run by the system."""
    user = getattr(actor, "user", actor)
    officer = getattr(actor, "officer", None)
    name = getattr(officer, "name", "") if officer is not None else ""
    ledger.append(stream, action, payload, actor=user, actor_name=name)
