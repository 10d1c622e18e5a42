"""Pure rules of the document set: content checks before issue and the document number (文号).

No Django, no database, no clock: inputs are a ``KindSpec`` and a plain dict of data.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from zhifa.core import citations
from zhifa.core.violations import Violation

from .kinds import KindSpec

DOCUMENT_INCOMPLETE = "DOCUMENT_INCOMPLETE"
DOCUMENT_RENDER_FAILED = "DOCUMENT_RENDER_FAILED"
UNKNOWN_DOCUMENT_KIND = "UNKNOWN_DOCUMENT_KIND"

# Remedies the party must be told of (救济途径和期限), APL art.59(五): periods and bases in citations.
RECONSIDERATION_DAYS = citations.RECONSIDERATION_DAYS
LITIGATION_MONTHS = citations.LITIGATION_MONTHS
RECONSIDERATION_BASIS = citations.ARL_ART20
LITIGATION_BASIS = citations.ALL_ART46
SEAL_BASIS = citations.APL_ART59_2

DEFAULT_NUMBER_PATTERN = "{body}{kind}〔{year}〕{seq}号"

_MISSING = object()


def lookup(data: Mapping[str, Any], key: str) -> Any:
    """The value at a dotted ``key`` (``party.name``) of nested dicts, or ``None``."""
    value: Any = data
    for part in key.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def is_blank(value: Any) -> bool:
    """Missing, empty text, or an empty list or dict; ``0`` and ``False`` are values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0 or all(is_blank(v) for v in (value.values() if isinstance(value, dict) else value))
    return False


def with_statutory_defaults(spec: KindSpec, data: Mapping[str, Any]) -> dict:
    """The data with the statutory remedy periods filled in where the document states remedies
    and the caller gave none (ARL art.20: 60 days; ALL art.46: 6 months)."""
    result = dict(data)
    if spec.mentions_remedies:
        remedies = dict(result.get("remedies") or {})
        remedies.setdefault("reconsideration_days", RECONSIDERATION_DAYS)
        remedies.setdefault("litigation_months", LITIGATION_MONTHS)
        result["remedies"] = remedies
    return result


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# The remedy periods a decision must tell (救济途径和期限): where the period stands in the data, the
# least the law gives, what is missing when it is shorter or absent, and the law.
_REMEDY_PERIODS = (
    ("remedies.reconsideration_days", RECONSIDERATION_DAYS,
     f"缺少申请行政复议的期限：应告知自收到决定书之日起{RECONSIDERATION_DAYS}日内申请行政复议", RECONSIDERATION_BASIS),
    ("remedies.litigation_months", LITIGATION_MONTHS,
     f"缺少提起行政诉讼的期限：应告知{LITIGATION_MONTHS}个月内提起行政诉讼", LITIGATION_BASIS),
)


def check_document(spec: KindSpec, data: Mapping[str, Any], *, has_seal_area: bool = True) -> list[Violation]:
    """Every reason why ``data`` cannot be issued as a ``spec`` document, all at once.

    - each required field that is missing (``缺少…``), citing the law that requires it — for the
      decision (行政处罚决定书) every content item of APL art.59;
    - a remedy period shorter than the law gives (ARL art.20: 60 days; ALL art.46: 6 months);
    - a document that must bear the seal (印章) but whose template has no seal area (APL art.59 ¶2).
    """
    violations = []
    for f in spec.fields:
        if f.required and is_blank(lookup(data, f.key)):
            violations.append(Violation(DOCUMENT_INCOMPLETE, f"缺少{f.label}", f.basis or spec.basis))
    if spec.mentions_remedies:
        for key, least, message, basis in _REMEDY_PERIODS:
            given = _as_int(lookup(data, key))
            if given is None or given < least:
                violations.append(Violation(DOCUMENT_INCOMPLETE, message, basis))
    if spec.seal and not has_seal_area:
        violations.append(Violation(
            DOCUMENT_INCOMPLETE, "缺少印章区：文书模板中没有加盖行政机关印章的位置", SEAL_BASIS if spec.layout == "decision" else spec.basis
        ))
    return violations


# --- Document numbers (文号) ----------------------------------------------------------------

_PLACEHOLDERS = re.compile(r"\{(\w+)\}")


def check_number_pattern(pattern: str) -> list[Violation]:
    """A pattern must contain ``{year}`` and ``{seq}`` (numbers run per body, kind and year) and
    nothing but the known placeholders."""
    names = set(_PLACEHOLDERS.findall(pattern))
    problems = []
    if not {"year", "seq"} <= names:
        problems.append(Violation(DOCUMENT_INCOMPLETE, "文号格式必须包含年份{year}和序号{seq}", ""))
    unknown = names - {"body", "kind", "year", "seq"}
    if unknown:
        problems.append(Violation(DOCUMENT_INCOMPLETE, f"文号格式含有未知占位符：{'、'.join(sorted(unknown))}", ""))
    return problems


def check_numbering(body_short_name: str, spec: KindSpec, pattern: str = DEFAULT_NUMBER_PATTERN) -> list[Violation]:
    """Can a number be formed? The body needs its short name (简称, 机关代字)."""
    problems = check_number_pattern(pattern)
    if "{body}" in pattern and not (body_short_name or "").strip():
        problems.append(Violation(DOCUMENT_INCOMPLETE, "执法主体未设置简称（机关代字），无法编制文号，请在主体信息中填写", ""))
    return problems


def format_number(body_short_name: str, abbreviation: str, year: int, seq: int, pattern: str = DEFAULT_NUMBER_PATTERN) -> str:
    """The document number, e.g. ``示市监处罚〔2026〕15号``: body short name, kind abbreviation,
    year in 六角括号 〔〕 and the sequence without leading zeros (GB/T 9704-2012 §7.2.4)."""
    if seq < 1 or year < 1:
        raise ValueError("序号和年份必须为正整数")
    return pattern.format(body=body_short_name.strip(), kind=abbreviation, year=year, seq=seq)


def number_regex(pattern: str = DEFAULT_NUMBER_PATTERN) -> re.Pattern:
    """A regex that reads a number of ``pattern`` back into its parts (for tests and imports)."""
    parts, pos = [], 0
    for m in _PLACEHOLDERS.finditer(pattern):
        parts.append(re.escape(pattern[pos:m.start()]))
        name = m.group(1)
        parts.append(rf"(?P<{name}>\d+)" if name in ("year", "seq") else rf"(?P<{name}>.+?)")
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    return re.compile("^" + "".join(parts) + "$")


# --- Rendering by the worker (文书后台生成) ---------------------------------------------------

RENDER_MAX_ATTEMPTS = 6
RENDER_FIRST_RETRY_SECONDS = 10


def render_retry_delay(attempt: int, *, first: int = RENDER_FIRST_RETRY_SECONDS, max_attempts: int = RENDER_MAX_ATTEMPTS) -> int | None:
    """Seconds to wait before trying again after render attempt ``attempt`` (1-based) failed, or
    None when it was the last: exponential backoff ×4 (10 s, 40 s, 160 s, ~11 min, ~43 min), so a
    passing fault (a full disk, a font being reinstalled) heals by itself and a lasting one stops
    after about an hour, listed as failed for the administrator; ``zhifa sweep`` tries again daily."""
    if attempt < 1:
        raise ValueError("attempt 从 1 开始")
    if attempt >= max_attempts:
        return None
    return first * 4 ** (attempt - 1)
