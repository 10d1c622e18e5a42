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
import math
import operator
from collections import deque
from itertools import compress, cycle, islice
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Callable, Iterable, NamedTuple, Sequence

from zhifa.catalog import citations
from zhifa.core.violations import WRONG_STATE, Violation  # noqa: F401 — WRONG_STATE: rules.WRONG_STATE stays

ALGORITHM = "zhifa-draw-v2"

try:  # CPython's own SHA-256: the same function as hashlib's, without OpenSSL's set-up per call
    from _sha2 import sha256 as _sha256  # Python ≥ 3.12
except ImportError:  # pragma: no cover — depends on the Python version
    try:
        from _sha256 import sha256 as _sha256
    except ImportError:
        _sha256 = hashlib.sha256

# Violation codes of this app.
CREDIT_CODE_INVALID = "CREDIT_CODE_INVALID"
SAMPLE_IMPOSSIBLE = "SAMPLE_IMPOSSIBLE"
NO_CANDIDATES = "NO_CANDIDATES"
INSPECTORS_INSUFFICIENT = "INSPECTORS_INSUFFICIENT"
TWO_INSPECTORS_REQUIRED = "TWO_INSPECTORS_REQUIRED"
DRAW_EXISTS = "DRAW_EXISTS"
DRAW_ALREADY_REVEALED = "DRAW_ALREADY_REVEALED"
DRAW_TOO_EARLY = "DRAW_TOO_EARLY"
FROZEN_LIST_ALTERED = "FROZEN_LIST_ALTERED"
WITNESS_REQUIRED = "WITNESS_REQUIRED"
NOT_DRAWN = "NOT_DRAWN"
NOT_ASSIGNED_INSPECTOR = "NOT_ASSIGNED_INSPECTOR"
PERIOD_INVALID = "PERIOD_INVALID"
ENTITY_MISSING = "ENTITY_MISSING"  # a frozen list's entity deleted from the register before the result is written
# plans and tasks (services.plans)
TITLE_REQUIRED = "TITLE_REQUIRED"
ITEMS_REQUIRED = "ITEMS_REQUIRED"  # no inspection without its item (无检查依据不得检查)
ITEM_OUTSIDE_BODIES = "ITEM_OUTSIDE_BODIES"
# conflicts of interest (services.inspectors)
NOT_INSPECTOR = "NOT_INSPECTOR"
RELATION_REQUIRED = "RELATION_REQUIRED"
CONFLICT_EXISTS = "CONFLICT_EXISTS"
CONFLICT_ENDED = "CONFLICT_ENDED"
# results and cases from findings (services.results)
FINDINGS_REQUIRED = "FINDINGS_REQUIRED"
CASE_REQUIRED = "CASE_REQUIRED"
NO_FINDING = "NO_FINDING"
CASE_EXISTS = "CASE_EXISTS"
# site photos (services.photos): what is wrong with the files sent
PHOTO_REQUIRED = "PHOTO_REQUIRED"
PHOTO_NOT_IMAGE = "PHOTO_NOT_IMAGE"
PHOTO_TOO_LARGE = "PHOTO_TOO_LARGE"
PHOTO_EMPTY = "PHOTO_EMPTY"
PHOTO_UNREADABLE = "PHOTO_UNREADABLE"
PHOTO_DUPLICATE = "PHOTO_DUPLICATE"
PHOTO_TOO_MANY = "PHOTO_TOO_MANY"

BASIS_DOUBLE_RANDOM = citations.GUOBAN_2015_58
BASIS_JOINT = citations.GUOFA_2019_5

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


def sample_violations(candidates: int, wanted: int) -> list[Violation]:
    if candidates == 0:
        return [Violation(NO_CANDIDATES, "按任务范围筛选并排除检查过频的对象后，没有可抽取的检查对象", BASIS_DOUBLE_RANDOM)]
    if wanted < 1:
        return [Violation(SAMPLE_IMPOSSIBLE, "抽取数量至少为 1", BASIS_DOUBLE_RANDOM)]
    if wanted > candidates:
        return [Violation(SAMPLE_IMPOSSIBLE, f"计划抽取 {wanted} 户，但符合条件的检查对象只有 {candidates} 户", BASIS_DOUBLE_RANDOM)]
    return []


# --- The draw (抽取, R28) ---


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


def candidate_block(candidates: Iterable[Candidate]) -> bytes:
    """The candidates section of the frozen list: ``<credit code>,<weight>\n`` lines sorted by
    credit code (code point order, i.e. byte order: the database sorts with the ``"C"`` collation)."""
    return "".join(f"{c.credit_code},{c.weight}\n" for c in sorted(candidates, key=lambda c: c.credit_code)).encode()


def frozen_document_bytes(*, task: str, sample: int, per_entity: int, candidate_count: int, candidates: bytes,
                          inspectors: Iterable[str], recusals: Iterable[tuple[str, str]],
                          excluded: Iterable[tuple[str, str]]) -> bytes:
    """The canonical frozen list (UTF-8) from its parts; ``candidates`` is ``candidate_block``'s
    text with ``candidate_count`` lines (the service reads it from the database ready-made)."""
    inspectors = sorted(inspectors)
    recusals = sorted(set(recusals))
    excluded = sorted(set(excluded))
    head = [ALGORITHM, f"task:{task}", f"sample:{sample}", f"per_entity:{per_entity}", f"candidates:{candidate_count}"]
    tail = [f"inspectors:{len(inspectors)}", *inspectors, f"recusals:{len(recusals)}",
            *(f"{code},{inspector}" for code, inspector in recusals), f"excluded:{len(excluded)}",
            *(f"{code},{reason}" for code, reason in excluded)]
    return ("\n".join(head) + "\n").encode() + candidates + ("\n".join(tail) + "\n").encode()


def candidates_offset(document: bytes) -> int:
    """Where the candidates section of a frozen list starts: after its five header lines."""
    at = -1
    for _ in range(5):
        at = document.index(b"\n", at + 1)
    return at + 1


def frozen_document(frozen: FrozenList) -> str:
    """The canonical text of a frozen list: the exact bytes (UTF-8) whose SHA-256 is the
    published digest. Sections in fixed order, lines sorted, ``\\n`` line ends."""
    return frozen_document_bytes(
        task=frozen.task, sample=frozen.sample, per_entity=frozen.per_entity, candidate_count=len(frozen.candidates),
        candidates=candidate_block(frozen.candidates), inspectors=frozen.inspectors, recusals=frozen.recusals,
        excluded=frozen.excluded,
    ).decode()


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


class DrawInput(NamedTuple):
    """What the draw reads from a frozen list (``split_document``): the candidates stay one block
    of bytes, never a Python object per candidate."""

    task: str
    sample: int
    per_entity: int
    candidate_count: int
    candidates: bytes
    inspectors: list[str]
    recusals: list[tuple[str, str]]


def split_document(document: bytes) -> DrawInput:
    """Read a frozen list (the published bytes) for the draw, checking its structure."""
    head = document.split(b"\n", 5)
    if len(head) != 6 or head[0] != ALGORITHM.encode():
        raise MalformedDocument(f"第 1 行应为 {ALGORITHM}")
    values = []
    for line, prefix in zip(head[1:5], (b"task:", b"sample:", b"per_entity:", b"candidates:")):
        if not line.startswith(prefix):
            raise MalformedDocument(f"应以 {prefix.decode()} 开头：{line[:40].decode(errors='replace')}")
        values.append(line[len(prefix):].decode())
    try:
        task, sample, per_entity, count = values[0], int(values[1]), int(values[2]), int(values[3])
    except ValueError:
        raise MalformedDocument("sample、per_entity、candidates 应为整数") from None
    rest = head[5]
    end = 0 if rest.startswith(b"inspectors:") else rest.find(b"\ninspectors:") + 1
    if end < 0 or (end == 0 and count) or rest.count(b"\n", 0, end) != count:
        raise MalformedDocument("candidates 段行数不符")
    tail = rest[end:].decode().split("\n")
    if tail[-1] != "":
        raise MalformedDocument("文件应以换行结尾")
    pos = 0

    def section(prefix: str) -> list[str]:
        nonlocal pos
        line = tail[pos] if pos < len(tail) else ""
        if not line.startswith(prefix + ":") or not line[len(prefix) + 1:].isdigit():
            raise MalformedDocument(f"应有 {prefix}: 段")
        n = int(line[len(prefix) + 1:])
        block = tail[pos + 1:pos + 1 + n]
        if len(block) != n:
            raise MalformedDocument(f"{prefix} 段行数不足")
        pos += 1 + n
        return block

    inspectors = section("inspectors")
    recusals = [tuple(line.split(",", 1)) for line in section("recusals")]
    section("excluded")
    if tail[pos:] != [""]:
        raise MalformedDocument("excluded 段之后不应有内容")
    return DrawInput(task, sample, per_entity, count, rest[:end], inspectors, recusals)


_ENDS_WITH_ONE = operator.methodcaller("endswith", b",1")
_LINE = 21  # "<18-character credit code>,<weight 1–9>\n": the shape of every GB 32100 list
_HEAVY = bytes(0 if byte == ord("1") else 1 for byte in range(256))  # weight digit → "holds extra tickets"


def random_below(seed: str, counter: int, bound: int) -> int:
    """Number ``counter`` (0, 1, 2, …) of the draw's random stream, below ``bound``:
    ``int(SHA-256(seed + ":" + counter), big-endian) mod bound`` — SHA-256 in counter mode, as in
    RFC 3797 (publicly verifiable random selection). The modulo bias is below bound / 2^256:
    no test or audit could ever detect it."""
    return int.from_bytes(_sha256(f"{seed}:{counter}".encode()).digest(), "big") % bound


def _fixed_width_weights(block: bytes, count: int) -> bytes | None:
    """The weight digits of a candidates section whose every line is ``<18 characters>,<digit>\n``
    (credit codes are 18 characters; weights below 10), read by slicing — or ``None`` for any
    other shape. Only a shortcut: such a section reads the same as by ``_split_lines``."""
    if not count or len(block) != _LINE * count:
        return None
    if block.count(b",") != count or block.count(b"\n") != count:
        return None
    if block[18::_LINE] != b"," * count or block[20::_LINE] != b"\n" * count:
        return None
    return block[19::_LINE]


def _split_lines(block: bytes, count: int) -> tuple[list[bytes], list[int], list[bytes]]:
    """Any candidates section: its lines, the positions of its candidates of weight above 1 and
    their weight texts. Checks the section's shape with C-level operations only."""
    lines = block.split(b"\n")
    if lines.pop() != b"" or len(lines) != count or block.count(b",") != count or block.startswith(b",") or b"\n," in block:
        raise MalformedDocument("candidates 段格式错误：每行应为「信用代码,权重」")
    heavy = list(compress(range(count), map(operator.not_, map(_ENDS_WITH_ONE, lines))))
    return lines, heavy, [line.rpartition(b",")[2] for line in (lines[p] for p in heavy)]


def candidate_tickets(block: bytes, count: int) -> tuple[Callable[[Iterable[int]], list[bytes]], list[int]]:
    """The credit codes at given positions of a candidates section, and its extra tickets (抽签号).
    A candidate of weight ``w`` holds one ticket at its own position plus ``w - 1`` extra tickets;
    the extra tickets follow the first ``count`` in rounds: round ``j = 1, 2, …`` gives, in list
    order, one ticket to each candidate of weight above ``j`` (``extra[t]`` is the position of
    ticket ``count + t``). Checks the section's shape; no Python step per candidate (the usual
    fixed-width section is read by slicing, any other by C-level maps over its lines)."""
    digits = _fixed_width_weights(block, count)
    if digits is not None:
        if digits.translate(None, b"123456789"):
            raise MalformedDocument("candidates 段的权重应为 1–999 的整数")
        heavy = list(compress(range(count), digits.translate(_HEAVY)))
        weights = [digits[p] - 48 for p in heavy]

        def codes_at(positions: Iterable[int]) -> list[bytes]:
            return [block[_LINE * p:_LINE * p + 18] for p in positions]
    else:
        lines, heavy, texts = _split_lines(block, count)
        values = {}
        for text in set(texts):  # a handful of distinct weights
            if not text.isdigit() or text.startswith(b"0") or len(text) > 3:
                raise MalformedDocument("candidates 段的权重应为 1–999 的整数")
            values[text] = int(text)
        weights = list(map(values.__getitem__, texts))

        def codes_at(positions: Iterable[int]) -> list[bytes]:
            return [lines[p].partition(b",")[0] for p in positions]
    extra: list[int] = []
    for round_ in range(1, max(weights, default=1)):
        extra += compress(heavy, map(round_.__lt__, weights))
    return codes_at, extra


def draw_positions(seed: str, count: int, extra: Sequence[int], k: int) -> list[int]:
    """Positions (0-based, in list order) of the ``k`` candidates drawn, in draw order.

    A partial Fisher–Yates shuffle of the tickets ``0 … W-1`` (``W = count + len(extra)``) driven
    by ``random_below``: step ``i`` swaps ticket ``i`` with ticket ``i + random_below(seed, i, W - i)``
    and the ticket now at ``i`` draws its candidate, unless that candidate was already drawn (its
    ticket is then spent). Each step thus picks a remaining ticket uniformly: the draw is weighted
    sampling without replacement, draw by draw in proportion to weight (逐次按权重不放回抽样).
    It takes about ``k`` hashes (plus the spent tickets), not one per candidate. The shuffle is
    kept sparse (a dict of moved tickets), so nothing is allocated per candidate."""
    tickets = count + len(extra)
    k = max(0, min(k, count))
    moved: dict[int, int] = {}
    moved_get = moved.get
    drawn: list[int] = []
    seen: set[int] = set()
    fresh = _sha256(f"{seed}:".encode()).copy  # random_below, with the seed's hash state computed once
    from_bytes = int.from_bytes
    step = 0
    while k:
        hasher = fresh()
        hasher.update(b"%d" % step)
        other = step + from_bytes(hasher.digest(), "big") % (tickets - step)
        ticket = moved_get(other, other)
        moved[other] = moved_get(step, step)
        position = ticket if ticket < count else extra[ticket - count]
        if position not in seen:
            seen.add(position)
            drawn.append(position)
            k -= 1
        step += 1
    return drawn


def draw_from_block(seed: str, block: bytes, count: int, k: int) -> tuple[list[int], list[str]]:
    """The positions (in list order) and credit codes drawn from a candidates section, in draw
    order (``draw_positions``)."""
    if k <= 0:
        return [], []
    codes_at, extra = candidate_tickets(block, count)
    positions = draw_positions(seed, count, extra, k)
    return positions, [code.decode() for code in codes_at(positions)]


def draw_candidates(seed: str, block: bytes, count: int, k: int) -> list[str]:
    """The credit codes drawn from a candidates section, in draw order."""
    return draw_from_block(seed, block, count, k)[1]


def draw_document(document: bytes, seed: str) -> DrawResult:
    """The whole draw from the published frozen list (its bytes) and the seed: entities, then
    inspectors. Reveal and verification (``zhifa verify-draw``) both run exactly this."""
    data = split_document(document)
    result = DrawResult(seed=seed)
    result.violations = sample_violations(data.candidate_count, data.sample)
    if result.violations:
        return result
    result.positions, chosen = draw_from_block(seed, data.candidates, data.candidate_count, data.sample)
    wanted = set(chosen)
    recusals = [pair for pair in data.recusals if pair[0] in wanted]
    result.assignments, result.violations = assign_inspectors(seed, chosen, data.inspectors, data.per_entity, recusals)
    if result.violations:
        result.assignments, result.positions = [], []
    return result


def sha256_hex(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def commitment_of(secret_hex: str) -> str:
    """The commitment published before the draw: SHA-256 of the secret's hex text."""
    return sha256_hex(secret_hex)


def final_seed(document_digest: str, secret_hex: str, witness: str) -> str:
    """The seed (种子): SHA-256 of ``<algorithm>\\n<digest>\\n<secret>\\n<witness>``. The
    witness value (见证值) is entered at the draw, so nobody knows the seed in advance."""
    return sha256_hex(f"{ALGORITHM}\n{document_digest}\n{secret_hex}\n{witness.strip()}")


def select_entities(seed: str, candidates: Sequence[Candidate], k: int) -> list[Candidate]:
    """The ``k`` candidates drawn (``draw_candidates`` of their candidates section), in draw order."""
    by_code = {c.credit_code: c for c in candidates}
    return [by_code[code] for code in draw_candidates(seed, candidate_block(candidates), len(by_code), k)]


def inspector_order(seed: str, inspectors: Iterable[str]) -> list[str]:
    """The inspectors shuffled by SHA-256(``seed:inspector:<id>``), ascending."""
    return sorted(inspectors, key=lambda i: (sha256_hex(f"{seed}:inspector:{i}"), i))


@dataclass
class DrawResult:
    """The outcome: ``assignments`` in rank order, each ``(credit_code, [inspector, …])``, and
    the drawn entities' ``positions`` in the frozen list; or the violations that refuse the draw."""

    seed: str
    assignments: list[tuple[str, list[str]]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # of the drawn in the frozen list, in rank order (not published)

    def document(self) -> str:
        """The canonical result text: ``rank,credit_code,inspector|inspector`` lines."""
        codes, inspectors = zip(*self.assignments) if self.assignments else ((), ())
        return "".join(map("{},{},{}\n".format, range(1, len(codes) + 1), codes, map("|".join, inspectors)))

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
    take = queue.popleft
    done = 0
    for at in [i for i, code in enumerate(entities) if code in blocked] + [len(entities)]:
        _deal_round_robin(queue, entities[done:at], per_entity, result)
        if at == len(entities):
            break
        code, avoid = entities[at], blocked[entities[at]]
        chosen, skipped = [], []
        while queue and len(chosen) < per_entity:
            inspector = take()
            (skipped if inspector in avoid else chosen).append(inspector)
        queue.extendleft(reversed(skipped))
        queue.extend(chosen)
        if len(chosen) < per_entity:
            violations.append(Violation(
                INSPECTORS_INSUFFICIENT,
                f"检查对象 {code} 回避后可选派的执法检查人员只有 {len(chosen)} 名，少于 {per_entity} 名", BASIS_DOUBLE_RANDOM,
            ))
        result.append((code, chosen))
        done = at + 1
    return result, violations


def _deal_round_robin(queue: deque, codes: Sequence[str], per_entity: int, result: list) -> None:
    """Deal ``per_entity`` inspectors to each of the entities ``codes``, none of which recuses anyone: each
    takes the next ones from the front and puts them at the back, so together they take the
    queue's next ``n * per_entity`` in cyclic order and leave it rotated by as many. The same as
    entity by entity, at C speed (a draw has tens of thousands of such entities)."""
    n = len(codes)
    if not n:
        return
    dealt = iter(islice(cycle(queue), n * per_entity))
    result.extend(zip(codes, map(list, zip(*[dealt] * per_entity))))
    queue.rotate(-(n * per_entity % len(queue)))


def run_draw(frozen: FrozenList, seed: str) -> DrawResult:
    """The whole draw from the frozen list and the seed (``draw_document`` of its text)."""
    return draw_document(frozen_document(frozen).encode(), seed)


# --- Joint inspections (R29) ---

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
