"""The draw (抽取, R28) as a published specification: the frozen list's bytes, the final seed from
the commitment and the witness value, the weighted selection of entities and the dealing of
inspectors with recusal. Pure: anyone can re-run it with Python's standard library (or any
language with SHA-256); docs/inspections.md repeats it."""
from __future__ import annotations

import hashlib
import math
import operator
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, cycle, islice
from typing import NamedTuple

from zhifa.core.violations import Violation

from .codes import (
    BASIS_DOUBLE_RANDOM,
    INSPECTORS_INSUFFICIENT,
    NO_CANDIDATES,
    SAMPLE_IMPOSSIBLE,
    TWO_INSPECTORS_REQUIRED,
)

ALGORITHM = "zhifa-draw-v2"

try:  # CPython's own SHA-256: the same function as hashlib's, without OpenSSL's set-up per call
    from _sha2 import sha256 as _sha256  # Python ≥ 3.12
except ImportError:  # pragma: no cover — depends on the Python version
    try:
        from _sha256 import sha256 as _sha256
    except ImportError:
        _sha256 = hashlib.sha256


def sample_violations(candidates: int, wanted: int) -> list[Violation]:
    if candidates == 0:
        return [Violation(NO_CANDIDATES, "按任务范围筛选并排除检查过频的对象后，没有可抽取的检查对象", BASIS_DOUBLE_RANDOM)]
    if wanted < 1:
        return [Violation(SAMPLE_IMPOSSIBLE, "抽取数量至少为 1", BASIS_DOUBLE_RANDOM)]
    if wanted > candidates:
        return [Violation(SAMPLE_IMPOSSIBLE, f"计划抽取 {wanted} 户，但符合条件的检查对象只有 {candidates} 户", BASIS_DOUBLE_RANDOM)]
    return []


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
    """A published draw document that cannot be read back (verification refuses it)."""


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


def binomial_tolerance(n: int, p: float, sigmas: float = 5.0) -> float:
    """Half-width of a ``sigmas``-sigma band for a count of n Bernoulli(p) trials (statistical
    tests of the draw)."""
    return sigmas * math.sqrt(n * p * (1 - p))
