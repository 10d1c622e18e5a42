"""Double random, one public (双随机、一公开, R26–R30): the pure rules.

No Django, no database, no clock. Everything here can be re-run by a third party with nothing but
Python's standard library (or any language with SHA-256): the draw algorithm below is the
published specification (docs/inspections.md repeats it).

- ``credit_code_problem``: the unified social credit code (统一社会信用代码, GB 32100-2015) and its
  check character.
- ``frequency_exclusion``: an entity inspected too often is excluded from a draw, with its reason
  (R27: no entity over-inspected).
- ``weight_of``: entities with complaints or on the abnormal-operation list are weighted up.
- ``frozen_document`` / ``final_seed`` / ``select_entities`` / ``assign_inspectors`` /
  ``run_draw``: the verifiable draw (抽取, R28), commit–reveal with a witness value.
- ``joint_share`` / ``joint_quota`` / ``largest_remainder``: a body's joint inspection tasks
  against the 10% floor, and the required joint tasks allocated across quarters (R29; ``plans``).
- ``result_problems``: what a recorded result must answer — every check point, a description of
  every finding (``results``).

The package's modules: ``codes`` (violation codes, bases), ``draw`` (the published draw
specification), ``plans`` (joint quotas), ``results`` (the results form); this module holds the
credit code, frequency control and sample size, and re-exports the others' names.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .codes import *

# --- Unified social credit code (统一社会信用代码), GB 32100-2015 ---

# GB 32100-2015 §4: the 31 code characters (digits and capitals without I, O, Z, S, V), each
# worth its index; weights 3^i mod 31 of positions 1–17; check = 31 - (sum mod 31), 31 → 0.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARS)}
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 §4.1: the first character is the registration authority, the second the kind.
CREDIT_AUTHORITIES = set("123456789ANY")


def credit_check_char(first17: str) -> str:
    """The check character (校验码) of the first 17 characters of a credit code (GB 32100 §4.3)."""
    total = sum(CREDIT_VALUE[c] * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, in Chinese, or ``None``."""
    if len(code) != 18:
        return f"应为 18 位（现为 {len(code)} 位）"
    bad = sorted({c for c in code if c not in CREDIT_VALUE})
    if bad:
        return f"含有不允许的字符「{''.join(bad)}」（不使用 I、O、Z、S、V）"
    if code[0] not in CREDIT_AUTHORITIES:
        return "第 1 位登记管理部门代码无效"
    if not code[2:8].isdigit():
        return "第 3–8 位应为行政区划代码（数字）"
    if credit_check_char(code[:17]) != code[17]:
        return "校验码错误（GB 32100）"
    return None


def normalize_credit_code(text: str) -> str:
    return (text or "").strip().replace(" ", "").upper()


# --- Frequency control and weights (R27) ---

EXCLUDED_YEARLY_LIMIT = "yearly_limit"
EXCLUDED_RECENT = "recent"
EXCLUSION_LABELS = {
    EXCLUDED_YEARLY_LIMIT: "本年度已被抽查检查达到上限",
    EXCLUDED_RECENT: "距上次检查时间过短",
}


@dataclass(frozen=True)
class FrequencyLimits:
    """Configurable frequency bounds: at most ``max_per_year`` inspections a calendar year, and
    none within ``min_gap_days`` of the last one (across every body; *configurable*)."""

    max_per_year: int = 2
    min_gap_days: int = 90


def frequency_exclusion(count_this_year: int, days_since_last: int | None, limits: FrequencyLimits) -> tuple[str, str] | None:
    """``(reason_code, Chinese reason)`` when an entity must be left out of a draw, else ``None``."""
    if count_this_year >= limits.max_per_year:
        return EXCLUDED_YEARLY_LIMIT, f"本年度已被检查 {count_this_year} 次，达到每年 {limits.max_per_year} 次的上限"
    if days_since_last is not None and days_since_last < limits.min_gap_days:
        when = "今天" if days_since_last <= 0 else f"{days_since_last} 天前"
        return EXCLUDED_RECENT, f"{when}刚被抽查，未满 {limits.min_gap_days} 天间隔"
    return None


def weight_of(*, is_abnormal: bool, complaint_count: int, flagged_weight: int) -> int:
    """Selection weight (权重): ``flagged_weight`` for entities on the abnormal-operation list
    (经营异常名录) or with complaints, else 1. Weights are whole numbers 1–10 so that the draw
    stays integer arithmetic."""
    return flagged_weight if (is_abnormal or complaint_count > 0) else 1


def sample_size(candidates: int, *, ratio_percent: Decimal | None, count: int | None) -> int:
    """How many entities a task draws: ``count`` when fixed, else ``ceil(ratio% × candidates)``."""
    if count is not None:
        return count
    if ratio_percent is None:
        return 0
    return int((Decimal(candidates) * Decimal(ratio_percent) / 100).to_integral_value(rounding=ROUND_CEILING))


# The other modules' names, re-exported: ``rules.run_draw``, ``rules.joint_quota`` …
from .draw import *
from .draw import _sha256  # noqa: F401 — the draw's hash (tests compare it with hashlib's)
from .plans import *
from .results import *
