"""Joint inspections (跨部门联合抽查, R29): a body's share of joint tasks against the floor, how
many it must have, and the required ones allocated across quarters or departments (largest
remainder, 最大余数法)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .codes import BASIS_JOINT

JOINT_FLOOR = Decimal("0.10")  # seed G §十; 国发〔2019〕5号: joint tasks ≥ 10% of a body's tasks


@dataclass(frozen=True)
class JointShare:
    total: int
    joint: int
    share: Decimal
    meets_floor: bool


def joint_share(total: int, joint: int, floor: Decimal = JOINT_FLOOR) -> JointShare:
    """A body's share of joint (跨部门联合) tasks among its tasks of a year, against the floor."""
    share = (Decimal(joint) / Decimal(total)).quantize(Decimal("0.0001")) if total else Decimal(0)
    return JointShare(total, joint, share, total > 0 and Decimal(joint) >= floor * total)


# --- How many joint tasks a body must plan, and when (R29) ---------------------------------------

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def quarter_of(month: int) -> int:
    """0–3: the quarter (季度) of a month 1–12."""
    return (month - 1) // 3


def required_joint(total: int, floor_percent: Decimal | int = 10) -> int:
    """The fewest joint tasks among ``total`` that reach the floor: ⌈floor% × total⌉ (国发〔2019〕5号:
    联合抽查任务不低于全年抽查任务的 10%)."""
    if total <= 0:
        return 0
    return math.ceil(Fraction(Decimal(floor_percent)) * total / 100)


def largest_remainder(total: int, weights: Sequence[int | Decimal | Fraction]) -> list[int]:
    """Allocate ``total`` whole units across parts in proportion to ``weights`` by the largest
    remainder method (最大余数法, Hamilton): each part first gets the whole part of its exact quota
    ``total × w / Σw``, then the units left go one each to the largest remainders (ties: the
    earlier part). Weights all zero share equally.

    Properties (tested with hypothesis): the shares sum to ``total``; each differs from its exact
    quota by less than 1; a larger weight never gets fewer units. (It is not monotone in
    ``total`` — the Alabama paradox — which does not matter here: the total is fixed for a year.)"""
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("total and weights must not be negative")
    if not weights:
        if total:
            raise ValueError("nothing to allocate to")
        return []
    exact = [Fraction(w) for w in weights]
    if sum(exact) == 0:
        exact = [Fraction(1)] * len(weights)
    whole = sum(exact)
    quotas = [total * w / whole for w in exact]
    shares = [math.floor(q) for q in quotas]
    left = total - sum(shares)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class QuarterQuota:
    """One quarter of a body's year: its tasks, its joint tasks, the joint tasks it is allotted."""

    quarter: int
    label: str
    tasks: int
    joint: int
    required: int

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.joint)


@dataclass(frozen=True)
class JointQuota:
    """A body's joint-inspection quota for a year (R29): of ``total`` tasks at least ``required``
    joint (``floor_percent``), ``joint`` planned, the required ones allotted to the quarters in
    proportion to their tasks (``largest_remainder``)."""

    floor_percent: Decimal
    total: int
    joint: int
    required: int
    quarters: tuple[QuarterQuota, ...]
    basis: str = BASIS_JOINT

    @property
    def meets(self) -> bool:
        return self.total > 0 and self.joint >= self.required

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.joint)


def joint_quota(tasks_by_quarter: Sequence[int], joint_by_quarter: Sequence[int],
                floor_percent: Decimal | int = 10) -> JointQuota:
    """The quota of a body's year from its tasks and joint tasks per quarter (four numbers each):
    the required joint tasks (``required_joint``) allotted to the quarters by their tasks."""
    total, joint = sum(tasks_by_quarter), sum(joint_by_quarter)
    required = required_joint(total, floor_percent)
    allotted = largest_remainder(required, list(tasks_by_quarter))
    quarters = tuple(QuarterQuota(q, QUARTERS[q], tasks_by_quarter[q], joint_by_quarter[q], allotted[q])
                     for q in range(len(tasks_by_quarter)))
    return JointQuota(Decimal(floor_percent), total, joint, required, quarters)
