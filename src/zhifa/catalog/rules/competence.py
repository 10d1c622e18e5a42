"""Competence (执法权限, R03): which items a body may enforce — its own items plus those delegated
(赋权) or entrusted (委托) to it, each within its validity period. Pure."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from zhifa.core.citations import APL_ART20_24
from zhifa.core.violations import INVALID_INPUT, OUTSIDE_COMPETENCE, Violation

DELEGATION_KINDS = frozenset({"delegation", "entrustment"})  # 赋权, 委托 (models.Delegation.Kind)


@dataclass(frozen=True)
class DelegationFacts:
    to_body_id: int
    item_id: int
    valid_from: dt.date
    valid_to: dt.date | None
    revoked_on: dt.date | None = None


def delegation_in_force(d: DelegationFacts, on: dt.date) -> bool:
    """R03: a delegated body acts only within its list and its validity period."""
    if d.revoked_on is not None and d.revoked_on <= on:
        return False
    return d.valid_from <= on and (d.valid_to is None or on <= d.valid_to)


@dataclass(frozen=True)
class Competence:
    """Which items a body may enforce: its own, plus those delegated or entrusted to it."""

    own_item_ids: frozenset[int] = field(default_factory=frozenset)
    delegations: tuple[DelegationFacts, ...] = ()

    def covers(self, item_id: int, on: dt.date) -> bool:
        return item_id in self.own_item_ids or any(
            d.item_id == item_id and delegation_in_force(d, on) for d in self.delegations
        )


def delegation_violations(*, kind: str, item_name: str, item_body_id: int, from_body_id: int, from_body_name: str,
                          to_body_id: int, valid_from: dt.date, valid_to: dt.date | None) -> list[Violation]:
    """Why a delegation or entrustment of one item may not be recorded (empty: it may).

    Only the body that holds an item may delegate or entrust it (APL arts.20, 24)."""
    violations = []
    if item_body_id != from_body_id:
        violations.append(Violation(OUTSIDE_COMPETENCE, f"事项“{item_name}”不属于{from_body_name}，不能由其赋权或委托。", APL_ART20_24))
    if from_body_id == to_body_id:
        violations.append(Violation(INVALID_INPUT, "原实施主体与承接主体不能相同。", ""))
    if valid_to is not None and valid_to < valid_from:
        violations.append(Violation(INVALID_INPUT, "截止日期不得早于生效日期。", ""))
    if kind not in DELEGATION_KINDS:
        violations.append(Violation(INVALID_INPUT, "请选择方式：赋权或委托。", ""))
    return violations
