"""What the use cases of this package share (no use case here)."""
from __future__ import annotations

from zhifa.core.violations import INVALID_INPUT, Violation


def _too_long(model, limits: dict[str, int] | None = None, **values: str) -> list[Violation]:
    """A violation for each text longer than its column (checked before the database refuses it),
    or than a stricter limit of ``limits``."""
    found = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = (limits or {}).get(name, field.max_length)
        if limit and len(value) > limit:
            found.append(Violation(INVALID_INPUT, f"{field.verbose_name}不超过 {limit} 个字（现有 {len(value)} 个字）"))
    return found
