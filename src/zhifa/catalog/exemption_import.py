"""Import a published no-penalty list (不予处罚清单 / 免罚轻罚清单, R11) written in Markdown.

The layout is the one of 江门市生态环境局's list (江环〔2021〕231号, ``lists_data/``): front matter,
a ``::: danger 备注`` block (first-offence rule, ecologically sensitive areas, validity), ``## 类别``
headings, then per entry::

    ### N、违法行为
    ::: details 违反条款
    - 《法律》第X条第Y款&emsp;条文……:mag:*[查看原文](…)*
    :::
    ::: tip 不予处罚的情节
    同时满足下列情形的，不予行政处罚：
    （1）属于首次违法；
    （2）在责令改正期限内改正违法行为，危害后果轻微。
    :::

Two layers, as everywhere in zhifa: ``parse_exemption_list(text)`` is pure (no Django) and returns
the entries with the structured checks the engine applies (首次违法, 改正, 危害后果轻微) and every
format error; ``load_exemption_list(body, …)`` writes them as ``ExemptionEntry`` rows, all or
nothing, idempotently (re-loading replaces the entries of the same source), matching each entry to
one of the body's items by name (``match_items``).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import rules as r

LISTS_DIR = Path(__file__).resolve().parent / "lists_data"
JIANGMEN_FILE = "jmssthjyfbyxzcfdqwhjwfxwqd.md"
JIANGMEN_TITLE = "《江门市生态环境依法不予行政处罚的轻微环境违法行为清单》（江环〔2021〕231号）"

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class ParsedEntry:
    """One entry of the list, with the checks zhifa can apply and the published words."""

    seq: int
    act: str
    category: str
    violated: tuple[str, ...]
    conditions: str
    kind: r.ExemptionKind
    requires_first_offence: bool
    first_offence_window: str  # "两年内" / "近一年内" / "" (as published; checked by the officer)
    requires_correction: bool
    max_harm: r.Harm
    discretionary: bool  # “依法可以不予行政处罚”: the body may, rather than must, refrain
    line: int


@dataclass(frozen=True)
class ParsedList:
    title: str
    author: str
    notes: tuple[str, ...]
    valid_from: dt.date | None
    valid_to: dt.date | None
    excluded_in_sensitive_area: bool
    entries: tuple[ParsedEntry, ...]
    errors: tuple[tuple[int, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.entries)


# --- Pure parsing -----------------------------------------------------------------------------

_LINK = re.compile(r":mag:\*?\[[^\]]*\]\([^)]*\)\*?")
_ENTRY = re.compile(r"^###\s*(\d+)\s*[、.．]\s*(.+?)\s*$")
_CATEGORY = re.compile(r"^##\s+(?:[一二三四五六七八九十]+、)?(.+?)\s*$")
_VALIDITY = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起施行(?:，有效期([一二两三四五六七八九十\d]+)年)?")


# The source's ``<Badge text="已废止" … />`` marks a repealed law: kept as words, never as markup.
_BADGE = re.compile(r"<Badge\b[^>]*?\btext\s*=\s*[\"']([^\"']*)[\"'][^>]*>(?:\s*</Badge\s*>)?", re.IGNORECASE)


def _clean(line: str) -> str:
    line = _BADGE.sub(r"（\1）", _LINK.sub("", line)).replace("&emsp;", " ").replace("&nbsp;", " ")
    line = re.sub(r"<br\s*/?>", "", line)
    return re.sub(r"\s+", " ", line).strip().lstrip("-").strip()


def _years(text: str) -> int:
    return int(text) if text.isdigit() else _CN_DIGITS.get(text, 0)


def validity(notes: Iterable[str]) -> tuple[dt.date | None, dt.date | None]:
    """“本清单自2022年2月1日起施行，有效期三年” → (2022-02-01, 2025-01-31): the last day included."""
    for note in notes:
        m = _VALIDITY.search(note)
        if m:
            start = dt.date(int(m[1]), int(m[2]), int(m[3]))
            if not m[4]:
                return start, None
            years = _years(m[4])
            try:
                end = start.replace(year=start.year + years)
            except ValueError:  # 29 February
                end = start.replace(year=start.year + years, day=28)
            return start, end - dt.timedelta(days=1)
    return None, None


def structured_checks(conditions: str) -> dict:
    """What the engine checks, read from the published circumstances. Conservative: harm at most
    slight (APL art.33 ¶1 requires it for both 首违不罚 and 轻微不罚)."""
    first = "首次违法" in conditions or "初次违法" in conditions
    window = ""
    for w in ("两年内", "近一年内", "一年内"):
        if w in conditions:
            window = w
            break
    return {
        "requires_first_offence": first,
        "first_offence_window": window,
        # 改正, or its forms in the list: 停止建设、拆除涉案设备或者恢复原状 (entries 2 and 4)
        "requires_correction": any(w in conditions for w in ("改正", "停止建设", "恢复原状")),
        "max_harm": r.Harm.SLIGHT,
        "discretionary": "可以不予" in conditions,
        "kind": r.ExemptionKind.FIRST_OFFENCE if first else r.ExemptionKind.MINOR,
    }


def parse_exemption_list(text: str) -> ParsedList:
    """Parse the Markdown list. Every malformed entry is an error (line, Chinese message); the
    caller imports nothing when there is one."""
    lines = text.splitlines()
    meta, start = _front_matter(lines)
    parser = _ListParser()
    for number, raw in enumerate(lines[start:], start + 1):
        parser.feed(number, raw.strip())
    parser.finish()
    errors = parser.errors
    if parser.block is not None:
        errors.append((len(lines), "文件末尾有未闭合的“:::”块"))
    if not parser.entries and not errors:
        errors.append((1, "未找到任何“### 序号、违法行为”条目"))
    valid_from, valid_to = validity(parser.notes)
    if not valid_from and meta.get("date"):
        try:
            valid_from = dt.date.fromisoformat(meta["date"])
        except ValueError:
            errors.append((1, f"日期“{meta['date']}”格式不正确"))
    sensitive = any("敏感区" in note and "不适用" in note for note in parser.notes)
    return ParsedList(
        title=meta.get("title", ""), author=meta.get("author", ""), notes=tuple(parser.notes), valid_from=valid_from,
        valid_to=valid_to, excluded_in_sensitive_area=sensitive,
        entries=tuple(sorted(parser.entries, key=lambda e: e.seq)), errors=tuple(sorted(errors)),
    )


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """The ``---`` front matter (title, author, date) and the index of the first line after it."""
    meta: dict[str, str] = {}
    if not lines or lines[0].strip() != "---":
        return meta, 0
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return meta, i + 1
        if ":" in lines[i] and not lines[i].startswith(" "):
            key, _, value = lines[i].partition(":")
            meta[key.strip()] = value.strip()
    return meta, 0


def _block_of(label: str) -> str | None:
    """The kind of a ``:::`` block by its label; ``None`` for the closing ``:::``."""
    if not label:
        return None
    if "备注" in label:
        return "notes"
    if "违反条款" in label:
        return "violated"
    if label.startswith("tip"):
        return "tip"
    return "other"


@dataclass
class _ListParser:
    """Reads the list line by line: ``## 类别`` headings, ``### 序号、违法行为`` entries and the
    ``:::`` blocks (备注 notes, 违反条款, tip = the no-penalty circumstances) inside them."""

    notes: list[str] = field(default_factory=list)
    entries: list[ParsedEntry] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    category: str = ""
    block: str | None = None  # "notes" / "violated" / "tip" / "other"
    current: dict | None = None
    category_of_entry: dict[int, str] = field(default_factory=dict)

    def feed(self, number: int, line: str) -> None:
        if line.startswith(":::"):
            self.block = _block_of(line[3:].strip())
            if self.block in ("violated", "tip") and self.current is None:
                self.errors.append((number, "“违反条款”或“不予处罚的情节”不属于任何违法行为（缺少“### 序号、违法行为”标题）"))
        elif self.block is not None:
            if line:
                self._block_line(line)
        elif m := _ENTRY.match(line):
            self.finish()
            n = int(m[1])
            if any(e.seq == n for e in self.entries) or n in self.category_of_entry:
                self.errors.append((number, f"序号{n}重复"))
            self.category_of_entry[n] = self.category
            self.current = {"seq": n, "act": m[2].strip()[:300], "violated": [], "tip": [], "line": number}
        elif line.startswith("## "):
            self.finish()
            c = _CATEGORY.match(line)
            self.category = c[1] if c else line[3:].strip()

    def _block_line(self, line: str) -> None:
        current = self.current
        if self.block == "notes":
            self.notes.append(_clean(line))
        elif self.block == "violated" and current is not None:
            if line.startswith("-") or not current["violated"]:
                current["violated"].append(_clean(line))
            else:  # a further paragraph of the same article
                current["violated"][-1] += "\n" + _clean(line)
        elif self.block == "tip" and current is not None:
            current["tip"].append(_clean(line))

    def finish(self) -> None:
        """Close the current entry: it needs its 违反条款 and its circumstances."""
        current = self.current
        if current is None:
            return
        n, line = current["seq"], current["line"]
        if not current["violated"]:
            self.errors.append((line, f"第{n}项缺少“违反条款”"))
        if not current["tip"]:
            self.errors.append((line, f"第{n}项缺少“不予处罚的情节”"))
        if current["violated"] and current["tip"]:
            conditions = "\n".join(current["tip"])
            self.entries.append(ParsedEntry(
                seq=n, act=current["act"], category=self.category_of_entry[n], violated=tuple(current["violated"]),
                conditions=conditions, line=line, **structured_checks(conditions),
            ))
        self.current = None


# --- Matching entries to items (pure) ---------------------------------------------------------

_NOISE = re.compile(r"[\s，。、；：,.;:（）()《》“”\"'的]")


def normalise_act(name: str) -> str:
    """A violation's wording without the frame of a power list (对……的行政处罚) and punctuation."""
    name = name.strip()
    name = re.sub(r"^对", "", name)
    name = re.sub(r"(行政)?处罚$", "", name)
    return _NOISE.sub("", name)


@dataclass(frozen=True)
class Candidate:
    key: object  # the item's primary key
    name: str
    legal_basis: str = ""
    has_benchmark: bool = False


@dataclass(frozen=True)
class Match:
    key: object
    score: float  # with the bonuses and malus
    similarity: float = 0.0  # of the names alone


def _law_titles(violated: Sequence[str]) -> list[str]:
    titles = []
    for v in violated:
        m = re.match(r"《(?:中华人民共和国)?([^》]+)》", v)
        if m:
            titles.append(m[1])
    return titles


def match_items(act: str, violated: Sequence[str], candidates: Sequence[Candidate], *, threshold: float = 0.55) -> Match | None:
    """The best item for an entry: similarity of the normalised names (difflib ratio), a bonus when
    the item's legal basis names the first law the entry cites and a malus when it names none of
    them, a smaller bonus when it has a benchmark (so that assess applies the list). None under
    ``threshold``."""
    wanted = normalise_act(act)
    laws = _law_titles(violated)
    best: Match | None = None
    for c in candidates:
        name = normalise_act(c.name)
        if not name:
            continue
        if wanted and (wanted in name or name in wanted):
            score = max(0.85, 2 * min(len(wanted), len(name)) / (len(wanted) + len(name)))
        else:
            matcher = difflib.SequenceMatcher(None, wanted, name, autojunk=False)
            # The cheap upper bounds first: bonuses add at most 0.06.
            if matcher.real_quick_ratio() < threshold - 0.06 or matcher.quick_ratio() < threshold - 0.06:
                continue
            score = matcher.ratio()
        similarity = score
        if laws and c.legal_basis:
            if laws[0] in c.legal_basis:
                score += 0.05
            elif not any(law in c.legal_basis for law in laws):
                score -= 0.1  # the item rests on another law: a different violation
        if score < threshold:
            continue
        if c.has_benchmark:
            score += 0.01
        if best is None or score > best.score:
            best = Match(c.key, score, similarity)
    return best


EXACT = 0.95  # identical wording, or one name contained in the other with little else
CLOSE = 0.8


def assign_items(entries: Sequence[ParsedEntry], candidates: Sequence[Candidate]) -> list[Match | None]:
    """``match_items`` for every entry, then: an item that one entry names exactly (name similarity
    ≥ EXACT) keeps only the entries whose names are close to it (≥ CLOSE). Several entries may share an item (the
    list splits a violation the power list names once, e.g. 30 and 31: manner and time of
    disclosure), but a loose resemblance never steals an item another entry names exactly."""
    matches = [match_items(e.act, e.violated, candidates) for e in entries]
    claimed = {m.key for m in matches if m and m.similarity >= EXACT}
    return [None if m and m.key in claimed and m.similarity < CLOSE else m for m in matches]


# --- Loader (Django) --------------------------------------------------------------------------

@dataclass
class LoadResult:
    created: int = 0
    deleted: int = 0
    matched: int = 0
    unmatched: list[str] = field(default_factory=list)
    errors: tuple[tuple[int, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def load_exemption_list(body, path: Path | None = None, *, citation: str = JIANGMEN_TITLE, keep_in_force: bool = False,
                        publish: bool = True) -> LoadResult:
    """Write the list as ``ExemptionEntry`` rows of ``body``: all or nothing; re-loading the same
    file replaces its entries (matched by ``source``). ``keep_in_force`` drops the published end of
    validity (demo data only; the note says so in ``source``). Three queries plus the inserts."""
    from django.db import transaction
    from django.db.models import Exists, OuterRef

    from .models import Benchmark, ExemptionEntry, Item

    path = path or LISTS_DIR / JIANGMEN_FILE
    parsed = parse_exemption_list(path.read_text(encoding="utf-8"))
    if parsed.errors:
        return LoadResult(errors=parsed.errors)
    candidates = [
        Candidate(pk, name, basis, has)
        for pk, name, basis, has in Item.objects.filter(body=body, kind=Item.Kind.PENALTY)
        .annotate(has=Exists(Benchmark.objects.filter(item=OuterRef("pk"), status=Benchmark.Status.PUBLISHED)))
        .values_list("pk", "name", "legal_basis", "has")
    ]
    source = f"{path.name}"
    valid_to = None if keep_in_force else parsed.valid_to
    note = ""
    if keep_in_force and parsed.valid_to:
        end = parsed.valid_to
        note = f"（原定有效期至{end.year}年{end.month}月{end.day}日，示范数据继续沿用，实际使用前应核对现行有效版本）"
    result = LoadResult()
    rows = []
    for e, match in zip(parsed.entries, assign_items(parsed.entries, candidates)):
        if match:
            result.matched += 1
        else:
            result.unmatched.append(f"{e.seq}、{e.act}")
        conditions = e.conditions
        if e.first_offence_window:
            conditions += f"\n（“首次违法”指{e.first_offence_window}首次，由执法人员核实。）"
        if e.discretionary:
            conditions += "\n（清单表述为“依法可以不予行政处罚”。）"
        rows.append(ExemptionEntry(
            body=body, item_id=match.key if match else None, act=e.act, kind=e.kind.value, conditions=conditions,
            violated="\n".join(e.violated), citation=f"{citation}第{e.seq}项"[:300],
            requires_first_offence=e.requires_first_offence, requires_correction=e.requires_correction,
            max_harm=e.max_harm.value, excluded_in_sensitive_area=parsed.excluded_in_sensitive_area,
            valid_from=parsed.valid_from, valid_to=valid_to, is_published=publish,
            source=f"{source} 第{e.line}行{note}"[:300],
        ))
    with transaction.atomic():
        result.deleted, _ = ExemptionEntry.objects.filter(body=body, source__startswith=f"{source} ").delete()
        ExemptionEntry.objects.bulk_create(rows)
    result.created = len(rows)
    return result
