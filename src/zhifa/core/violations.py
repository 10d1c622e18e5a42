"""Refusals are values (architecture.md, principle 2).

A guard in a ``rules.py`` returns a list of ``Violation``; a service raises ``Refused`` with all of
them at once; the API answers 409 ``{"violations": [...]}`` and a page lists every reason.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable


@dataclass(frozen=True)
class Violation:
    """One reason why the law or the workflow refuses an act.

    ``code`` is a stable upper-case identifier (contract.md), ``message`` is Chinese for the user,
    ``basis`` cites the law (``行政处罚法第四十二条``).
    """

    code: str
    message: str
    basis: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class Refused(Exception):
    """Raised by a service when one or more rules refuse the act; nothing has been written."""

    def __init__(self, violations: Iterable[Violation]):
        self.violations = list(violations)
        super().__init__("; ".join(f"{v.code}: {v.message}" for v in self.violations))

    def as_dict(self) -> dict:
        return {"violations": [v.as_dict() for v in self.violations]}


def refuse_if_any(violations: Iterable[Violation]) -> None:
    """Raise ``Refused`` when the iterable holds at least one violation."""
    found = list(violations)
    if found:
        raise Refused(found)


# --- Violation codes (contract.md): named constants, one place for the codes several apps share.
# A code used by one app only is a constant in that app's ``rules`` module, beside its rule.
# Malformed or impossible input, whatever the field (400/422 from the API, or 409 when only the
# service can tell, e.g. a date later than today): one code.
INVALID_INPUT = "INVALID_INPUT"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
WRONG_STATE = "WRONG_STATE"
REASON_REQUIRED = "REASON_REQUIRED"
# Who may act (R04–R07): certificate, auxiliary staff, two officers, competence, assignment.
CERTIFICATE_INVALID = "CERTIFICATE_INVALID"
AUXILIARY_CANNOT_ACT = "AUXILIARY_CANNOT_ACT"
TWO_OFFICERS_REQUIRED = "TWO_OFFICERS_REQUIRED"
OUTSIDE_COMPETENCE = "OUTSIDE_COMPETENCE"
NOT_ASSIGNED = "NOT_ASSIGNED"
