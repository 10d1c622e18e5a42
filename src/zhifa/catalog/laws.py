"""Laws as text (R09), pure: no Django, no database, no clock.

- Chinese numerals of article numbers (第一百零三条 → 103) both ways;
- the Markdown laws shipped in ``laws_data/`` (LawRefBook format: ``# 标题``, revision history,
  ``<!-- INFO END -->``, ``## 第X章`` / ``### 第X节`` headings, paragraphs beginning ``第N条``)
  parsed into articles (条) with their chapter (章) and section (节);
- the free-text legal basis (实施依据) of an item in a published power list (权责清单) parsed into
  references (law title, article numbers);
- the rule of APL art.37 choosing the version of a law that a case applies (``choose_version``).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from zhifa.core import citations

# --- Chinese numerals -------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_DIGIT_CHARS = "零一二三四五六七八九"
NUMERAL_CHARS = "零〇一二三四五六七八九两十百千"
_NUM = f"[{NUMERAL_CHARS}]+"


def cn_to_int(text: str) -> int:
    """Convert a Chinese numeral (中文数字) below 10,000 to an int: 一百零三 → 103, 十二 → 12.

    Raises ``ValueError`` on anything that is not a well-formed numeral.
    """
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"不是中文数字：{text!r}")
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                raise ValueError(f"不是中文数字：{text!r}")
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"不是中文数字：{text!r}")
            if digit is None:
                if total != 0 or unit != 10:  # only a leading 十 may omit its 一
                    raise ValueError(f"不是中文数字：{text!r}")
                digit = 1
            total += digit * unit
            digit = None
            last_unit = unit
    if digit is not None:
        total += digit
    return total


def int_to_cn(number: int) -> str:
    """Convert 1 ≤ n < 10,000 to the numeral used in article numbers: 103 → 一百零三, 12 → 十二,
    110 → 一百一十."""
    if not 0 < number < 10_000:
        raise ValueError(f"超出范围：{number}")
    parts: list[str] = []
    pending_zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = number // unit % 10
        if d == 0:
            if parts:
                pending_zero = True
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGIT_CHARS[d] + name)
    text = "".join(parts)
    return text[1:] if 10 <= number < 20 else text  # 十二, not 一十二


def article_label(number: int, sub_number: int = 0) -> str:
    """第二十八条 / 第二十八条之一."""
    label = f"第{int_to_cn(number)}条"
    return f"{label}之{int_to_cn(sub_number)}" if sub_number else label


# --- Law texts --------------------------------------------------------------------------------

LEVEL_LAW = "law"  # 法律
LEVEL_ADMIN_REGULATION = "admin_regulation"  # 行政法规
LEVEL_LOCAL_REGULATION = "local_regulation"  # 地方性法规
LEVEL_RULE = "rule"  # 规章 (部门规章, 地方政府规章)

_FOLDER_LEVELS = {
    "行政法规": LEVEL_ADMIN_REGULATION,
    "地方性法规": LEVEL_LOCAL_REGULATION,
    "部门规章": LEVEL_RULE,
    "地方政府规章": LEVEL_RULE,
    "规章": LEVEL_RULE,
}
PRC_PREFIX = "中华人民共和国"
LIABILITY_CHAPTERS = ("法律责任", "罚则")

_ARTICLE_RE = re.compile(rf"^第({_NUM})条(?:之({_NUM}))?[ \u3000]+(.*)$")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_FILENAME_RE = re.compile(r"^(?P<title>.+?)\((?P<date>\d{4}-\d{2}-\d{2})\)\.md$")
_CN_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_IN_FORCE_RE = re.compile(rf"本(?:法|条例|办法|规定|细则|决定)自{_CN_DATE}起施行")
_INFO_IN_FORCE_RE = re.compile(rf"^{_CN_DATE}\s*施行")
_ORDER_RE = re.compile(r"(?:中华人民共和国)?([^\s，。、《》（）]+?)令第")


@dataclass(frozen=True)
class Article:
    """One article (条) of a law text."""

    number: int
    sub_number: int
    text: str
    chapter: str = ""
    section: str = ""

    @property
    def label(self) -> str:
        return article_label(self.number, self.sub_number)


@dataclass(frozen=True)
class ParsedLaw:
    """One version of a law parsed from its Markdown file."""

    title: str
    short_title: str
    level: str
    version_date: dt.date
    effective_from: dt.date
    issuing_organ: str
    history: str
    articles: tuple[Article, ...]
    source: str = ""

    def article(self, number: int, sub_number: int = 0) -> Article:
        for art in self.articles:
            if art.number == number and art.sub_number == sub_number:
                return art
        raise KeyError(article_label(number, sub_number))


def short_title(title: str) -> str:
    """The title without the 中华人民共和国 prefix (how power lists usually cite a law)."""
    title = normalize_title(title)
    return title[len(PRC_PREFIX):] if title.startswith(PRC_PREFIX) and len(title) > len(PRC_PREFIX) else title


def normalize_title(title: str) -> str:
    """Remove spaces and the brackets some lists put around embedded titles."""
    return re.sub(r"[\s\u3000〈〉<>《》]", "", title)


def level_from_path(relative_path: str) -> str:
    """The level (效力层级) from the folder a law file sits in (``行政法规/…`` → 行政法规)."""
    for part in relative_path.replace("\\", "/").split("/")[:-1]:
        if part in _FOLDER_LEVELS:
            return _FOLDER_LEVELS[part]
    return LEVEL_LAW


def _date(y: str, m: str, d: str) -> dt.date:
    return dt.date(int(y), int(m), int(d))


def _issuing_organ(info: Sequence[str], relative_path: str, level: str) -> str:
    for line in reversed(info):
        m = _ORDER_RE.search(line)
        if m:
            organ = m.group(1)
            return "国务院" if organ.endswith("国务院") else organ
        if "全国人民代表大会常务委员会" in line:
            return "全国人民代表大会常务委员会"
        if "全国人民代表大会" in line:
            return "全国人民代表大会"
    parts = relative_path.replace("\\", "/").split("/")
    if level == LEVEL_RULE and len(parts) >= 3:
        return parts[-2]  # 部门规章/市场监督管理总局/…
    if level == LEVEL_ADMIN_REGULATION:
        return "国务院"
    return ""


def parse_law(text: str, relative_path: str) -> ParsedLaw:
    """Parse one law file. ``relative_path`` (e.g. ``行政法/行政处罚法(2021-01-22).md``) gives the
    version date (the date in the file name: the last adoption, revision or amendment) and the
    level (the folder).

    The effective date is the latest of the version date, a ``…施行`` line of the history and the
    final article's ``本法自…起施行``: a revision (修订) restates the date it takes effect, an
    amendment (修正) keeps the old one and takes effect when adopted.
    """
    name = relative_path.replace("\\", "/").rsplit("/", 1)[-1]
    m = _FILENAME_RE.match(name)
    if not m:
        raise ValueError(f"文件名应为“名称(YYYY-MM-DD).md”：{name}")
    version_date = dt.date.fromisoformat(m.group("date"))
    level = level_from_path(relative_path)

    lines = text.splitlines()
    title, info, body_start = _header_of(lines)
    title = title or m.group("title")
    articles = _articles(lines[body_start:])

    in_force = [version_date]
    for line in info:
        im = _INFO_IN_FORCE_RE.match(line)
        if im:
            in_force.append(_date(*im.groups()))
    if articles:
        fm = _IN_FORCE_RE.search(articles[-1].text)
        if fm:
            in_force.append(_date(*fm.groups()))

    return ParsedLaw(
        title=title,
        short_title=short_title(title),
        level=level,
        version_date=version_date,
        effective_from=max(in_force),
        issuing_organ=_issuing_organ(info, relative_path, level),
        history="\n".join(info),
        articles=tuple(articles),
        source=relative_path,
    )


def _header_of(lines: list[str]) -> tuple[str, list[str], int]:
    """The ``# title``, the information lines (history: adopted, revised, 施行) before
    ``<!-- INFO END -->`` and the index of the first line of the text; nothing without that mark."""
    title = ""
    info: list[str] = []
    if not any(line.strip() == "<!-- INFO END -->" for line in lines):
        return title, info, 0
    for i, raw in enumerate(lines):
        line = raw.strip()
        if line == "<!-- INFO END -->":
            return title, info, i + 1
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        elif line:
            info.append(line)
    return title, info, 0


def _articles(lines: list[str]) -> list[Article]:
    """The articles (条) of the text, each with its chapter and section headings; the lines
    after an article's first belong to it (its paragraphs, 款)."""
    articles: list[Article] = []
    chapter = section = ""
    current: dict | None = None

    def flush() -> None:
        if current is not None:
            articles.append(
                Article(current["n"], current["s"], "\n".join(current["paras"]), current["ch"], current["sec"])
            )

    for raw in lines:
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        h = _HEADING_RE.match(line)
        if h:
            depth, heading = len(h.group(1)), re.sub(r"\s+", " ", h.group(2).strip())
            if depth <= 2:
                chapter, section = heading, ""
            else:
                section = heading
            continue
        a = _ARTICLE_RE.match(line)
        if a:
            flush()
            current = {
                "n": cn_to_int(a.group(1)),
                "s": cn_to_int(a.group(2)) if a.group(2) else 0,
                "paras": [a.group(3).strip()],
                "ch": chapter,
                "sec": section,
            }
        elif current is not None:
            current["paras"].append(line)
    flush()
    return articles


def paragraphs(article_text: str) -> list[str]:
    """The paragraphs (款) of an article: the enumerated items (项, lines beginning ``（一）``)
    belong to the paragraph before them."""
    result: list[str] = []
    for line in article_text.split("\n"):
        if result and re.match(rf"^[（(]{_NUM}[）)]", line):
            result[-1] += "\n" + line
        else:
            result.append(line)
    return result


_PENALTY_WORDS = re.compile(
    r"(?:处|并处|可以处)[^。；]{0,60}?罚款|给予警告|予以警告|通报批评|没收违法所得|没收[^。；]{0,20}(?:食品|药品|产品|商品|物品|工具|设备|财物)"
    r"|吊销[^。；]{0,12}(?:许可证|执照|证书)|责令停产停业|责令停业整顿|责令关闭|拘留"
    r"|(?:依照|按照)[^。]{0,60}(?:规定|条)(?:的规定)?(?:给予|予以|进行)?(?:处罚|处理)"
)
_COMPETENCE_ONLY = re.compile(rf"^本(?:法|条例|办法|规定|细则)(?:第{_NUM}条)?(?:至第{_NUM}条)?规定的(?:行政)?处罚，由")


def is_liability_chapter(chapter: str) -> bool:
    """法律责任 / 罚则: the chapter that sets the penalties."""
    return any(name in chapter.replace(" ", "") for name in LIABILITY_CHAPTERS)


def sets_penalty(article: Article, law_has_liability_chapter: bool = True) -> bool:
    """Heuristic: does this article set a penalty (处罚条款)?

    In a law with a 法律责任 (or 罚则) chapter, only that chapter's articles can; elsewhere (laws
    without such a chapter, like 商标法 or most rules) any article can. In both cases the article
    must name a penalty of APL art.9 (fine, warning, confiscation, revocation, closure …) and not be
    a mere competence article such as 药品管理法第一百三十九条 (“本法…规定的行政处罚，由…决定”).
    """
    if _COMPETENCE_ONLY.match(article.text):
        return False
    if law_has_liability_chapter and not is_liability_chapter(article.chapter):
        return False
    return bool(_PENALTY_WORDS.search(article.text))


def penalty_articles(law: ParsedLaw) -> set[tuple[int, int]]:
    """The (number, sub_number) of the articles of ``law`` that set a penalty (``sets_penalty``)."""
    has_chapter = any(is_liability_chapter(a.chapter) for a in law.articles)
    return {(a.number, a.sub_number) for a in law.articles if sets_penalty(a, has_chapter)}


# --- Legal-basis references in power lists ------------------------------------------------------


@dataclass(frozen=True)
class ArticleRef:
    """A cited article: 第一百二十六条第一款 → number 126, paragraph 1 (0 = the whole article)."""

    number: int
    sub_number: int = 0
    paragraph: int = 0
    cited_as: str = ""


@dataclass(frozen=True)
class BasisRef:
    """One law cited by an item's legal basis, with the articles cited after it."""

    title: str
    level_tag: str  # 法律 / 法规 / 规章 … as written in 【】, or ""
    articles: tuple[ArticleRef, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return short_title(self.title)


_LAW_HEAD_RE = re.compile(r"^(?:【([^】]*)】\s*)*《([^》]{2,80})》\s*(.*)$")
_REF_RE = re.compile(
    rf"第({_NUM})条(?:之({_NUM}))?(?:第({_NUM})(?:[、，]{_NUM})*款)?(?:第{_NUM}(?:[、，]{_NUM})*项)?"
)
# A run of references at the very start of a line: "第六条：", "第二十九条、第三十条。", "第五条 …".
_REF_RUN_RE = re.compile(
    rf"^(?:第{_NUM}条(?:之{_NUM})?(?:第{_NUM}(?:[、，]{_NUM})*款)?(?:第{_NUM}(?:[、，]{_NUM})*项)?(?:[、，,和及与或]|至)?\s*)+"
)
_PAREN_RE = re.compile(r"^[（(][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]\s*")


def _refs_in(run: str) -> list[ArticleRef]:
    refs: list[ArticleRef] = []
    matches = list(_REF_RE.finditer(run))
    for i, m in enumerate(matches):
        ref = ArticleRef(
            number=cn_to_int(m.group(1)),
            sub_number=cn_to_int(m.group(2)) if m.group(2) else 0,
            paragraph=cn_to_int(m.group(3)) if m.group(3) else 0,
            cited_as=m.group(0),
        )
        between = run[matches[i - 1].end(): m.start()] if i else ""
        if i and "至" in between and refs and ref.number > refs[-1].number:
            # 第一百一十五条至第一百三十八条: expand the range (whole articles)
            refs.extend(ArticleRef(n, cited_as=f"第{int_to_cn(n)}条") for n in range(refs[-1].number + 1, ref.number))
        refs.append(ref)
    return refs


def _leading_refs(text: str) -> list[ArticleRef]:
    m = _REF_RUN_RE.match(text)
    if not m:
        return []
    run, rest = m.group(0), text[m.end():]
    # "第三十条规定的…" is prose, not a citation: the run must end the line, end in a space or
    # separator, or be followed by a colon or full stop.
    if rest and not (run[-1] in " 、，," or rest[0] in "：:。；;.，,"):
        return []
    return _refs_in(run)


def parse_legal_basis(text: str) -> list[BasisRef]:
    """Parse an item's legal basis (实施依据) into the laws it cites and their articles.

    The published lists write one law per block: a line ``【法律】《中华人民共和国食品安全法》（…）``
    followed by lines beginning with the cited articles (``第一百二十四条第一款：…``, ``第二十九条、第三十条``).
    Only a ``《…》`` at the start of a line opens a block: a title quoted inside an article's text
    (``按照《药品管理法》第一百二十三条处理``) is part of that text, and references inside
    article texts are never taken for citations. A title followed directly by articles on the same
    line (``《中华人民共和国广告法》第五十五条第一款``) is understood too.
    """
    blocks: list[tuple[str, str, list[ArticleRef]]] = []
    for raw in (text or "").splitlines():
        line = raw.replace("\u3000", " ").replace("\xa0", " ").strip()
        if not line:
            continue
        head = _LAW_HEAD_RE.match(line)
        if head:
            tag, title, rest = head.group(1) or "", normalize_title(head.group(2)), head.group(3)
            while True:  # skip the parenthesised adoption history, however nested
                pm = _PAREN_RE.match(rest)
                if not pm:
                    break
                rest = rest[pm.end():]
            blocks.append((title, tag, _leading_refs(rest.lstrip())))
            continue
        if blocks:
            blocks[-1][2].extend(_leading_refs(line))
    result: list[BasisRef] = []
    for title, tag, refs in blocks:
        seen: set[tuple[int, int, int]] = set()
        unique = []
        for r in refs:
            k = (r.number, r.sub_number, r.paragraph)
            if k not in seen:
                seen.add(k)
                unique.append(r)
        result.append(BasisRef(title=title, level_tag=tag, articles=tuple(unique)))
    return result


# --- APL art.37: which version applies ---------------------------------------------------------


class VersionLike(Protocol):
    effective_from: dt.date
    repealed_on: dt.date | None


V = TypeVar("V", bound=VersionLike)

APL_ART37 = citations.APL_ART37_FULL


def version_in_force(versions: Iterable[V], day: dt.date) -> V | None:
    """The version in force on ``day`` (effective_from ≤ day < repealed_on); the latest one if
    the data overlap."""
    candidates = [v for v in versions if v.effective_from <= day and (v.repealed_on is None or day < v.repealed_on)]
    return max(candidates, key=lambda v: v.effective_from) if candidates else None


@dataclass(frozen=True)
class VersionChoice:
    """The outcome of APL art.37 for one law: both candidates, the chosen one and why (Chinese,
    ready for a decision's reasoning)."""

    at_act: object | None
    at_decision: object | None
    chosen: object | None
    reason: str
    basis: str = APL_ART37
    needs_comparison: bool = False


def choose_version(
    versions: Iterable[V],
    act_date: dt.date,
    decision_date: dt.date,
    is_lighter: Callable[[V, V], bool] | None = None,
) -> VersionChoice:
    """APL art.37 (从旧兼从轻): apply the version in force when the act was committed, unless at the
    time of decision it has been amended or repealed and the new provision punishes more lightly or
    no longer treats the act as illegal.

    ``is_lighter(new, old)`` answers whether ``new`` punishes the act more lightly than ``old``
    (comparing penalties is the discretion engine's job). Without it, when the two versions differ,
    no version is chosen and ``needs_comparison`` is set: the rule never silently picks the version
    that may be heavier for the party.
    """
    versions = list(versions)
    if decision_date < act_date:
        raise ValueError("决定日期不能早于违法行为发生日期")
    old = version_in_force(versions, act_date)
    new = version_in_force(versions, decision_date)
    if old is None:
        return VersionChoice(
            None, new, None,
            "违法行为发生时该规范尚未施行或未收录施行中的版本，不得依据其后施行的规定处罚（法不溯及既往）。",
        )
    if new is None:
        return VersionChoice(
            old, None, None,
            "作出处罚决定时该规范已失效，且未收录取代它的版本：须查明新的规定是否仍认为该行为违法；不认为违法的，不得依此处罚。",
            needs_comparison=True,
        )
    if new is old:
        return VersionChoice(old, new, old, "违法行为发生时与作出处罚决定时施行的是同一版本，适用该版本。")
    if is_lighter is None:
        return VersionChoice(
            old, new, None,
            "违法行为发生后该规范已修改：须比较新旧规定，新的规定处罚较轻或者不认为是违法的，适用新的规定，否则适用违法行为发生时的规定。",
            needs_comparison=True,
        )
    if is_lighter(new, old):
        return VersionChoice(old, new, new, "违法行为发生后该规范已修改，新的规定处罚较轻，适用新的规定。")
    return VersionChoice(old, new, old, "违法行为发生后该规范已修改，新的规定处罚不轻于原规定，适用违法行为发生时的规定。")
