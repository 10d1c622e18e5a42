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
- ``joint_share``: a body's joint inspection tasks against the 10% floor (R29).
"""
from __future__ import annotations

import hashlib
import heapq
import math
from collections import deque
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Iterable, NamedTuple, Sequence

from zhifa.core.violations import Violation

ALGORITHM = "zhifa-draw-v1"

# Violation codes of this app.
CREDIT_CODE_INVALID = "CREDIT_CODE_INVALID"
SAMPLE_IMPOSSIBLE = "SAMPLE_IMPOSSIBLE"
NO_CANDIDATES = "NO_CANDIDATES"
INSPECTORS_INSUFFICIENT = "INSPECTORS_INSUFFICIENT"
TWO_INSPECTORS_REQUIRED = "TWO_INSPECTORS_REQUIRED"
DRAW_EXISTS = "DRAW_EXISTS"
DRAW_ALREADY_REVEALED = "DRAW_ALREADY_REVEALED"
DRAW_TOO_EARLY = "DRAW_TOO_EARLY"
WITNESS_REQUIRED = "WITNESS_REQUIRED"
NOT_DRAWN = "NOT_DRAWN"
NOT_ASSIGNED_INSPECTOR = "NOT_ASSIGNED_INSPECTOR"
WRONG_STATE = "WRONG_STATE"
PERIOD_INVALID = "PERIOD_INVALID"

BASIS_DOUBLE_RANDOM = "《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）"
BASIS_JOINT = "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）"

# --------------------------------------------------------------------------------------------
# Unified social credit code (统一社会信用代码), GB 32100-2015
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Frequency control and weights (R27)
# --------------------------------------------------------------------------------------------

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
        return EXCLUDED_RECENT, f"{days_since_last} 天前刚被检查，未满 {limits.min_gap_days} 天间隔"
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


def sample_violations(candidates: int, wanted: int) -> list[Violation]:
    if candidates == 0:
        return [Violation(NO_CANDIDATES, "按任务范围筛选并排除检查过频的对象后，没有可抽取的检查对象", BASIS_DOUBLE_RANDOM)]
    if wanted < 1:
        return [Violation(SAMPLE_IMPOSSIBLE, "抽取数量至少为 1", BASIS_DOUBLE_RANDOM)]
    if wanted > candidates:
        return [Violation(SAMPLE_IMPOSSIBLE, f"计划抽取 {wanted} 户，但符合条件的检查对象只有 {candidates} 户", BASIS_DOUBLE_RANDOM)]
    return []


# --------------------------------------------------------------------------------------------
# The draw (抽取, R28)
# --------------------------------------------------------------------------------------------


class Candidate(NamedTuple):
    """One entity of the frozen list: its credit code and its selection weight."""

    credit_code: str
    weight: int = 1


@dataclass(frozen=True)
class FrozenList:
    """Everything the draw depends on besides the seed, published before the draw (冻结名单).

    ``excluded``: ``(credit_code, reason_code)`` left out by frequency control, listed for
    transparency. ``recusals``: ``(credit_code, inspector)`` pairs that may not be drawn together
    (declared conflicts of interest, and the inspectors of the entity's previous draw).
    """

    task: str
    sample: int
    per_entity: int
    candidates: tuple[Candidate, ...]
    inspectors: tuple[str, ...]
    recusals: tuple[tuple[str, str], ...] = ()
    excluded: tuple[tuple[str, str], ...] = ()


def frozen_document(frozen: FrozenList) -> str:
    """The canonical text of a frozen list: the exact bytes (UTF-8) whose SHA-256 is the
    published digest. Sections in fixed order, lines sorted, ``\\n`` line ends."""
    lines = [ALGORITHM, f"task:{frozen.task}", f"sample:{frozen.sample}", f"per_entity:{frozen.per_entity}",
             f"candidates:{len(frozen.candidates)}"]
    lines.extend(f"{c.credit_code},{c.weight}" for c in sorted(frozen.candidates, key=lambda c: c.credit_code))
    lines.append(f"inspectors:{len(frozen.inspectors)}")
    lines.extend(sorted(frozen.inspectors))
    recusals = sorted(set(frozen.recusals))
    lines.append(f"recusals:{len(recusals)}")
    lines.extend(f"{code},{inspector}" for code, inspector in recusals)
    excluded = sorted(set(frozen.excluded))
    lines.append(f"excluded:{len(excluded)}")
    lines.extend(f"{code},{reason}" for code, reason in excluded)
    return "\n".join(lines) + "\n"


class MalformedDocument(ValueError):
    pass


def parse_frozen_document(text: str) -> FrozenList:
    """The inverse of ``frozen_document`` (a verifier reads the published file with it)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    pos = 0

    def take(prefix: str) -> str:
        nonlocal pos
        if pos >= len(lines) or not lines[pos].startswith(prefix + ":"):
            raise MalformedDocument(f"第 {pos + 1} 行应以 {prefix}: 开头")
        value = lines[pos][len(prefix) + 1:]
        pos += 1
        return value

    def section(prefix: str) -> list[str]:
        nonlocal pos
        n = int(take(prefix))
        block = lines[pos:pos + n]
        if len(block) != n:
            raise MalformedDocument(f"{prefix} 段行数不足")
        pos += n
        return block

    if not lines or lines[0] != ALGORITHM:
        raise MalformedDocument(f"第 1 行应为 {ALGORITHM}")
    pos = 1
    task = take("task")
    sample = int(take("sample"))
    per_entity = int(take("per_entity"))
    candidates = [Candidate(code, int(weight)) for code, weight in (line.split(",") for line in section("candidates"))]
    inspectors = section("inspectors")
    recusals = [tuple(line.split(",", 1)) for line in section("recusals")]
    excluded = [tuple(line.split(",", 1)) for line in section("excluded")]
    return FrozenList(task, sample, per_entity, tuple(candidates), tuple(inspectors), tuple(recusals), tuple(excluded))


def sha256_hex(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def commitment_of(secret_hex: str) -> str:
    """The commitment published before the draw: SHA-256 of the secret's hex text."""
    return sha256_hex(secret_hex)


def final_seed(document_digest: str, secret_hex: str, witness: str) -> str:
    """The seed (种子): SHA-256 of ``zhifa-draw-v1\\n<digest>\\n<secret>\\n<witness>``. The
    witness value (见证值) is entered at the draw, so nobody knows the seed in advance."""
    return sha256_hex(f"{ALGORITHM}\n{document_digest}\n{secret_hex}\n{witness.strip()}")


def entity_key(seed: str, credit_code: str, weight: int) -> str:
    """An entity's draw key: the largest of ``weight`` hashes SHA-256(``seed:code:j``), j = 0…w-1,
    as 64 hex digits. The maximum of w uniform values has the law of U^(1/w), so the top-k keys
    are a weighted sample without replacement (Efraimidis–Spirakis) in pure integer arithmetic."""
    base = hashlib.sha256(f"{seed}:{credit_code}:".encode())
    best = ""
    for j in range(weight):
        h = base.copy()
        h.update(str(j).encode())
        digest = h.hexdigest()
        if digest > best:
            best = digest
    return best


def select_entities(seed: str, candidates: Sequence[Candidate], k: int) -> list[Candidate]:
    """The ``k`` candidates with the largest keys, in rank order (largest first; ties — never
    seen with 256-bit keys — broken by credit code)."""
    prefix = hashlib.sha256(f"{seed}:".encode())
    keyed = []
    for c in candidates:
        if c.weight == 1:  # fast path, same result as entity_key
            h = prefix.copy()
            h.update(f"{c.credit_code}:0".encode())
            keyed.append((h.hexdigest(), c.credit_code, c))
        else:
            keyed.append((entity_key(seed, c.credit_code, c.weight), c.credit_code, c))
    return [c for _, _, c in heapq.nlargest(k, keyed, key=lambda t: (t[0], t[1]))]


def inspector_order(seed: str, inspectors: Iterable[str]) -> list[str]:
    """The inspectors shuffled by SHA-256(``seed:inspector:<id>``), ascending."""
    return sorted(inspectors, key=lambda i: (sha256_hex(f"{seed}:inspector:{i}"), i))


@dataclass
class DrawResult:
    """The outcome: ``assignments`` in rank order, each ``(credit_code, [inspector, …])``; or
    the violations that refuse the draw."""

    seed: str
    assignments: list[tuple[str, list[str]]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    def document(self) -> str:
        """The canonical result text: ``rank,credit_code,inspector|inspector`` lines."""
        return "".join(f"{i},{code},{'|'.join(ins)}\n" for i, (code, ins) in enumerate(self.assignments, 1))

    @property
    def digest(self) -> str:
        return sha256_hex(self.document())


def assign_inspectors(seed: str, entities: Sequence[str], inspectors: Sequence[str], per_entity: int,
                      recusals: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, list[str]]], list[Violation]]:
    """Draw ``per_entity`` inspectors for each entity in rank order (随机选派, 回避).

    The inspectors are shuffled once by the seed and dealt round-robin: each entity takes the next
    ones in the queue that are not recused for it; recused ones keep their place at the front for
    the next entity. Workloads therefore differ by at most one plus the recusals.
    """
    if per_entity < 2:  # common practice, configurable ≥ 2 (legal-rules §D)
        return [], [Violation(TWO_INSPECTORS_REQUIRED, "每户检查对象至少选派 2 名执法检查人员", BASIS_DOUBLE_RANDOM)]
    blocked: dict[str, set[str]] = {}
    for code, inspector in recusals:
        blocked.setdefault(code, set()).add(inspector)
    queue = deque(inspector_order(seed, inspectors))
    if len(queue) < per_entity:
        return [], [Violation(INSPECTORS_INSUFFICIENT, f"执法检查人员名录中只有 {len(queue)} 名持有效执法证的人员，少于每户 {per_entity} 名", BASIS_DOUBLE_RANDOM)]
    result: list[tuple[str, list[str]]] = []
    violations: list[Violation] = []
    for code in entities:
        avoid = blocked.get(code, ())
        chosen: list[str] = []
        skipped: list[str] = []
        while queue and len(chosen) < per_entity:
            inspector = queue.popleft()
            (skipped if inspector in avoid else chosen).append(inspector)
        queue.extendleft(reversed(skipped))
        queue.extend(chosen)
        if len(chosen) < per_entity:
            violations.append(Violation(
                INSPECTORS_INSUFFICIENT,
                f"检查对象 {code} 回避后可选派的执法检查人员只有 {len(chosen)} 名，少于 {per_entity} 名", BASIS_DOUBLE_RANDOM,
            ))
        result.append((code, chosen))
    return result, violations


def run_draw(frozen: FrozenList, seed: str) -> DrawResult:
    """The whole draw from the frozen list and the seed: entities, then inspectors."""
    result = DrawResult(seed=seed)
    result.violations = sample_violations(len(frozen.candidates), frozen.sample)
    if result.violations:
        return result
    chosen = select_entities(seed, frozen.candidates, frozen.sample)
    result.assignments, result.violations = assign_inspectors(
        seed, [c.credit_code for c in chosen], frozen.inspectors, frozen.per_entity, frozen.recusals,
    )
    if result.violations:
        result.assignments = []
    return result


# --------------------------------------------------------------------------------------------
# Joint inspections (R29)
# --------------------------------------------------------------------------------------------

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


def binomial_tolerance(n: int, p: float, sigmas: float = 5.0) -> float:
    """Half-width of a ``sigmas``-sigma band for a count of n Bernoulli(p) trials (statistical
    tests of the draw)."""
    return sigmas * math.sqrt(n * p * (1 - p))
