"""Item versions (事项版本, R09): when a revision of an enforcement item may be made. Pure.

A revision is a new row in force from ``valid_from``; the current version ends the day before and
is archived under ``<code>@v<n>`` (``catalog/services/items.py``)."""
from __future__ import annotations

import datetime as dt

from zhifa.core.violations import Violation

ITEM_NOT_CURRENT = "ITEM_NOT_CURRENT"
ITEM_VERSION_DATE = "ITEM_VERSION_DATE"
ITEM_CODE_TAKEN = "ITEM_CODE_TAKEN"


def revision_violations(*, is_current: bool, current_from: dt.date, current_to: dt.date | None, valid_from: dt.date,
                        code: str, archive: str, max_code_length: int, archive_taken: bool) -> list[Violation]:
    """Why the revision may not be made (empty: it may): only the current version is revised,
    from a day after its start and no later than the day after its end, under a free archive code."""
    violations = []
    if not is_current:
        violations.append(Violation(ITEM_NOT_CURRENT, "只能修订现行版本的执法事项。", ""))
    if valid_from <= current_from:
        violations.append(Violation(ITEM_VERSION_DATE, f"新版本的生效日期应晚于现行版本的生效日期（{current_from.isoformat()}）。", ""))
    if current_to is not None and valid_from > current_to + dt.timedelta(days=1):
        violations.append(Violation(ITEM_VERSION_DATE, f"现行版本已于{current_to.isoformat()}失效，新版本应自次日起生效。", ""))
    if len(archive) > max_code_length:
        violations.append(Violation(ITEM_CODE_TAKEN, f"事项编码“{code}”过长，无法保存旧版本编码“{archive}”。", ""))
    elif archive_taken:
        violations.append(Violation(ITEM_CODE_TAKEN, f"旧版本编码“{archive}”已被占用。", ""))
    return violations
