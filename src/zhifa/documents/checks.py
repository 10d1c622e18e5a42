"""What a decision must say, checked before it is issued (legal-rules.md §F+).

A pure checker: no Django, no database, no clock. ``check(kind, data, text)`` runs every rule
that applies to the document kind on its data (the dict that fills ``kinds.toml``) and on its
printed text (every paragraph, filled) and returns a ``Violation`` per failing rule, the rule's
own code first in the message (``[规则名称]``) so that the refusal names it. The document
service runs it in ``_prepare`` for the kinds of ``CHECKED_KINDS``: a decision that fails is
refused (409 through the case action that issues it) and nothing is stored.

The rules, each with its code (contract: codes are stable):

=============================  =================================================================
DECISION_PARTY_INCOMPLETE      party block: name, address; organisation: 统一社会信用代码 (18
                               characters) and 法定代表人（负责人）; natural person: ID type and number
DECISION_CASE_SOURCE_MISSING   how the case came and when it was filed (penalty decision)
DECISION_FACTS_INCOMPLETE      facts with date, place and conduct — a paragraph, not a label
DECISION_EVIDENCE_INVALID      evidence listed, each item once, each by its kind (APL art.46)
DECISION_PROVISION_INVALID     违反 (violated provision) and 依据 (penalty provision) each cited
                               as 《law》第…条 (…款…项), separately
DECISION_AMENDMENT_HISTORY     no law's adoption / amendment history pasted into the text
DECISION_PROCEDURE_MISSING     the notice given and the statement and defence or hearing, and how
                               they were weighed (APL arts.44, 45, 63)
DECISION_REASONING_MISSING     discretion reasoning (说理) quoting the benchmark grade and factors
DECISION_PENALTY_INCONSISTENT  the fine in figures and in Chinese capitals agree, everywhere
DECISION_PAYMENT_INCOMPLETE    where and how to pay, within 15 days (APL art.67)
DECISION_LATE_FEE_MISSING      3 % a day late fee (APL art.72) and application to the court
DECISION_REMEDIES_INCOMPLETE   reconsideration (60 days, named body) and litigation (6 months,
                               named court)
DECISION_PUBLICATION_MISSING   the publication notice where the sector publishes (SAMR45 art.8)
DECISION_PUNCTUATION           full-width punctuation in Chinese text, no doubled 。, balanced
                               《》 and （）, no informal words
=============================  =================================================================
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from zhifa.core import citations
from zhifa.core.violations import Violation

from .rules import lookup as _get

DECISION_PARTY_INCOMPLETE = "DECISION_PARTY_INCOMPLETE"
DECISION_CASE_SOURCE_MISSING = "DECISION_CASE_SOURCE_MISSING"
DECISION_FACTS_INCOMPLETE = "DECISION_FACTS_INCOMPLETE"
DECISION_EVIDENCE_INVALID = "DECISION_EVIDENCE_INVALID"
DECISION_PROVISION_INVALID = "DECISION_PROVISION_INVALID"
DECISION_AMENDMENT_HISTORY = "DECISION_AMENDMENT_HISTORY"
DECISION_PROCEDURE_MISSING = "DECISION_PROCEDURE_MISSING"
DECISION_REASONING_MISSING = "DECISION_REASONING_MISSING"
DECISION_PENALTY_INCONSISTENT = "DECISION_PENALTY_INCONSISTENT"
DECISION_PAYMENT_INCOMPLETE = "DECISION_PAYMENT_INCOMPLETE"
DECISION_LATE_FEE_MISSING = "DECISION_LATE_FEE_MISSING"
DECISION_REMEDIES_INCOMPLETE = "DECISION_REMEDIES_INCOMPLETE"
DECISION_PUBLICATION_MISSING = "DECISION_PUBLICATION_MISSING"
DECISION_PUNCTUATION = "DECISION_PUNCTUATION"

PENALTY_DECISION = "penalty_decision"
NO_PENALTY_DECISION = "no_penalty_decision"
ON_THE_SPOT_DECISION = "on_the_spot_decision"
PENALTY_NOTICE = "penalty_notice"
HEARING_RIGHTS_NOTICE = "hearing_rights_notice"
DECISIONS = (PENALTY_DECISION, NO_PENALTY_DECISION, ON_THE_SPOT_DECISION)
NOTICES = (PENALTY_NOTICE, HEARING_RIGHTS_NOTICE)
CHECKED_KINDS = DECISIONS + NOTICES

# The kinds of evidence (APL art.46), plus the two names of records officers use and 其他证据.
EVIDENCE_KINDS = ("书证", "物证", "视听资料", "电子数据", "证人证言", "当事人的陈述", "鉴定意见", "勘验笔录", "现场笔录",
                  "询问笔录", "笔录", "检验检测报告", "其他证据")

_NUM = "[零〇一二三四五六七八九十百千两]+"
# 《…》第…条[之…][第…款][第（…）项], e.g. 《中华人民共和国食品安全法》第一百二十四条第一款第（二）项
CITATION_RE = re.compile(rf"《[^《》]{{2,80}}》(?:（[^（）]*）)?第{_NUM}条(?:之{_NUM})?(?:第{_NUM}款)?(?:第（?{_NUM}）?项)?")
DATE_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# A law's header history: "2009年2月28日第十一届全国人民代表大会常务委员会第七次会议通过", "根据…第二次修正"
AMENDMENT_RE = re.compile(
    r"(常务委员会第{0}次会议|全国人民代表大会第{0}次会议|国务院令第\d+号公布|第{0}次修正|（\d{{4}}年\d{{1,2}}月\d{{1,2}}日[^（）]{{0,60}}(通过|修正|修订|公布)"
    r"|根据[^。；]{{0,80}}《[^》]*关于修改[^》]*》)".format(_NUM)
)
# Half-width punctuation right after or before a CJK character (in Chinese text it must be full-width).
_CJK = "\u4e00-\u9fff"
HALF_WIDTH_RE = re.compile(rf"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])")
DOUBLED_RE = re.compile(r"([。，；：、！？])\1|。[，；]|[，；]。")
INFORMAL_WORDS = ("搞", "咋", "啥", "弄死", "老板说", "大概齐", "差不多", "OK", "ok")

MIN_FACTS_CHARS = 20
MIN_REASONING_CHARS = 15


@dataclass(frozen=True)
class Rule:
    """One check of the list: its code, its Chinese name (printed in the refusal), the kinds it
    applies to, the law it rests on and the function that returns what is wrong (Chinese)."""

    code: str
    name: str
    kinds: tuple[str, ...]
    basis: str
    run: Callable[[str, Mapping[str, Any], str], list[str]]


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _has_fine(data: Mapping[str, Any]) -> bool:
    amount = _s(_get(data, "penalty.amount"))
    try:
        return bool(amount) and Decimal(amount) > 0
    except InvalidOperation:
        return False


# --- Chinese capitals (大写金额) --------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def capital_amount(amount: Decimal | int | str) -> str:
    """``Decimal("50000")`` → ``伍万元整``; ``1234.56`` → ``壹仟贰佰叁拾肆元伍角陆分`` (财会大写)."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    if value < 0:
        raise ValueError("金额不能为负数")
    yuan = int(value)
    fen = int((value - yuan) * 100)
    jiao, fen = divmod(fen, 10)
    parts: list[str] = []
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        text = ""
        zero_pending = False
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g == 0:
                zero_pending = bool(text)
                continue
            if text and (zero_pending or g < 1000):
                text += "零"
            zero_pending = False
            sect = ""
            inner_zero = False
            for pos in range(3, -1, -1):
                d = (g // 10 ** pos) % 10
                if d == 0:
                    inner_zero = bool(sect)
                    continue
                if inner_zero:
                    sect += "零"
                    inner_zero = False
                sect += _DIGITS[d] + _UNITS[pos]
            text += sect + _SECTIONS[i]
        parts.append(text + "元")
    if jiao:
        parts.append(_DIGITS[jiao] + "角")
    elif fen and yuan:
        parts.append("零")
    if fen:
        parts.append(_DIGITS[fen] + "分")
    if not jiao and not fen:
        parts.append("整" if yuan else "零元整")
    return "".join(parts)


# --- The rules -----------------------------------------------------------------------------------

def _party(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    p = _get(data, "party") or {}
    problems = []
    if not _s(p.get("name")):
        problems.append("缺少当事人的姓名或者名称")
    if kind != ON_THE_SPOT_DECISION and not _s(p.get("address")):
        problems.append("缺少当事人的住所（住址）")
    if _s(p.get("kind")) == "organisation":
        code = _s(p.get("id_code")).upper()
        if not code:
            problems.append("单位当事人缺少统一社会信用代码")
        elif not CREDIT_CODE_RE.match(code):
            problems.append(f"统一社会信用代码“{code}”不是18位的有效格式")
        if not _s(p.get("legal_representative")):
            problems.append("单位当事人缺少法定代表人（负责人）")
    elif _s(p.get("kind")) == "person":
        if not _s(p.get("id_code")):
            problems.append("自然人当事人缺少身份证件号码")
        if not _s(p.get("id_type")):
            problems.append("自然人当事人缺少身份证件种类")
    else:
        problems.append("未说明当事人是自然人还是单位")
    return problems


def _case_source(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    source = _s(_get(data, "case_source"))
    if not source:
        return ["缺少案件来源及立案情况"]
    if not DATE_RE.search(source) or "立案" not in source:
        return ["案件来源应当写明何时、因何发现以及立案日期"]
    return []


def _facts(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    facts = _s(_get(data, "facts"))
    if not facts:
        return ["缺少违法事实"]
    problems = []
    if not DATE_RE.search(facts):
        problems.append("违法事实未写明违法行为的日期（××××年×月×日）")
    place = _s(_get(data, "act_place"))
    if not place:
        problems.append("违法事实未写明违法行为的地点")
    elif place not in facts:
        problems.append(f"违法事实未写明违法行为的地点“{place}”")
    if len(facts) < MIN_FACTS_CHARS:
        problems.append(f"违法事实过于简单（{len(facts)}字），应当写明时间、地点和具体违法行为")
    return problems


def _evidence(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    entries = [_s(e) for e in (_get(data, "evidence") or []) if _s(e)]
    if not entries:
        return ["缺少证据"]
    problems = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries, 1):
        head = re.split(r"[：:]", entry, maxsplit=1)[0]
        if head not in EVIDENCE_KINDS:
            problems.append(f"第{i}项证据未写明证据种类（应以“书证：”“视听资料：”等开头）")
        names = re.split(r"[：:]", entry, maxsplit=1)[-1]
        for name in re.split(r"[、；;]", names):
            key = re.sub(r"[（(].*?[）)]|[\s。，,]", "", name)
            if key:
                seen[key] = seen.get(key, 0) + 1
    twice = [k for k, n in seen.items() if n > 1]
    if twice:
        problems.append(f"证据重复列明：{'、'.join(twice)}")
    return problems


def _provisions(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    problems = []
    basis_key = "legal_basis" if kind in (NO_PENALTY_DECISION,) else "penalty.basis"
    if kind in NOTICES:
        basis_key = "penalty_basis"
    wanted = [(basis_key, "处罚依据（依据…第…条）")]
    if kind != NO_PENALTY_DECISION:
        wanted.insert(0, ("violated_provision", "违反的法律规定（违反…第…条）"))
    cited = {}
    for key, label in wanted:
        value = _s(_get(data, key))
        cited[key] = value
        if not value:
            problems.append(f"缺少{label}")
        elif not CITATION_RE.search(value):
            problems.append(f"{label}应当以《法律名称》第…条（第…款第…项）引用，现为“{value[:40]}”")
    if kind != NO_PENALTY_DECISION and cited.get("violated_provision") and cited["violated_provision"] == cited.get(basis_key):
        problems.append("违反的条款与处罚依据应当分别引用，不能相同")
    return problems


def _amendments(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    m = AMENDMENT_RE.search(text)
    return [f"文中粘贴了法律的制定、修改沿革：“{m.group(0)[:30]}…”，只应引用法律名称和条款"] if m else []


def _procedure(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    problems = []
    notice = _s(_get(data, "procedure.notice"))
    response = _s(_get(data, "procedure.response"))
    if "告知" not in notice:
        problems.append("未写明事先告知的情况（告知拟处罚的事实、理由、依据和陈述、申辩、听证权利）")
    if not response or not any(w in response for w in ("陈述", "申辩", "听证")):
        problems.append("未写明当事人陈述、申辩或者听证的情况")
    elif not any(w in response for w in ("采纳", "未提出", "放弃", "未申请", "未要求", "逾期")):
        problems.append("未写明对当事人陈述、申辩或者听证意见的采纳情况及理由")
    return problems


def _reasoning(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    reasoning = _s(_get(data, "discretion"))
    if len(reasoning) < MIN_REASONING_CHARS:
        return ["缺少裁量说理（为何给予该种类和幅度的处罚）"]
    problems = []
    grade = _s(_get(data, "benchmark.grade"))
    if grade and grade not in reasoning:
        problems.append(f"裁量说理未引用所适用的裁量档次“{grade}”")
    for factor in _get(data, "benchmark.factors") or []:
        if _s(factor) and _s(factor) not in reasoning:
            problems.append(f"裁量说理未写明裁量情节“{_s(factor)}”")
    return problems


_FIGURE_RE = re.compile(r"罚款人民币([\d,]+(?:\.\d+)?)元(?:（大写：([^）]+)）)?")


def _penalty(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    if not _has_fine(data):
        return []
    amount = Decimal(_s(_get(data, "penalty.amount")))
    problems = []
    found = _FIGURE_RE.findall(text)
    if not found:
        return [f"正文未写明罚款数额（罚款人民币{amount:.2f}元）"]
    for figure, capital in found:
        try:
            value = Decimal(figure.replace(",", ""))
        except InvalidOperation:
            problems.append(f"罚款数额“{figure}”无法识别")
            continue
        if value != amount:
            problems.append(f"正文中的罚款数额{figure}元与决定的罚款数额{amount:.2f}元不一致")
        if capital and capital != capital_amount(value):
            problems.append(f"罚款数额{figure}元的大写应为“{capital_amount(value)}”，现为“{capital}”")
    return problems


def _payment(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    if not _has_fine(data):
        return []
    problems = []
    on_spot_collected = kind == ON_THE_SPOT_DECISION and "当场收缴" in text  # APL art.68
    if "十五日" not in text and "15日" not in text and not on_spot_collected:
        problems.append("未写明缴纳罚款的期限（自收到本决定书之日起十五日内）")
    account = _s(_get(data, "performance.account"))
    named = bool(account) and (account in text or "银行" in text or "缴款平台" in text)
    if kind != ON_THE_SPOT_DECISION and not named:
        problems.append("未写明缴纳罚款的银行或者账户（缴款渠道）")
    return problems


def _late_fee(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    if not _has_fine(data):
        return []
    problems = []
    if "百分之三" not in text or "第七十二条" not in text:
        problems.append("未写明逾期不缴纳罚款每日按罚款数额的百分之三加处罚款（行政处罚法第七十二条）")
    if "申请人民法院强制执行" not in text:
        problems.append("未写明逾期不履行又不申请复议、不起诉的，本机关将依法申请人民法院强制执行")
    return problems


def _remedies(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    problems = []
    body, court = _s(_get(data, "remedies.reconsideration_body")), _s(_get(data, "remedies.court"))
    if not body or body not in text:
        problems.append("未写明申请行政复议的机关名称")
    if not court or court not in text:
        problems.append("未写明提起行政诉讼的人民法院名称")
    if f"{citations.RECONSIDERATION_DAYS}日" not in text and "六十日" not in text:
        problems.append("未写明申请行政复议的期限（六十日）")
    if f"{citations.LITIGATION_MONTHS}个月" not in text and "六个月" not in text:
        problems.append("未写明提起行政诉讼的期限（六个月）")
    return problems


def _publication(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    if not _get(data, "publication.applies"):
        return []
    if "公示" not in text:
        return ["未书面告知当事人行政处罚信息将向社会公示"]
    return []


def _punctuation(kind: str, data: Mapping[str, Any], text: str) -> list[str]:
    problems = []
    m = HALF_WIDTH_RE.search(text)
    if m:
        problems.append(f"中文正文中使用了半角标点“{m.group(0)}”：“{text[max(0, m.start() - 8):m.end() + 8]}”")
    m = DOUBLED_RE.search(text)
    if m:
        problems.append(f"标点重复：“{text[max(0, m.start() - 8):m.end() + 4]}”")
    for opening, closing in (("《", "》"), ("（", "）"), ("“", "”")):
        if text.count(opening) != text.count(closing):
            problems.append(f"{opening}{closing}不配对（{text.count(opening)}个“{opening}”，{text.count(closing)}个“{closing}”）")
    informal = [w for w in INFORMAL_WORDS if w in text]
    if informal:
        problems.append(f"使用了不规范的口语用词：{'、'.join(informal)}")
    return problems


RULES: tuple[Rule, ...] = (
    Rule(DECISION_PARTY_INCOMPLETE, "当事人基本情况", DECISIONS, citations.APL_ART59, _party),
    Rule(DECISION_CASE_SOURCE_MISSING, "案件来源及立案", (PENALTY_DECISION,), citations.APL_ART54, _case_source),
    Rule(DECISION_FACTS_INCOMPLETE, "违法事实", (PENALTY_DECISION, ON_THE_SPOT_DECISION) + NOTICES, citations.APL_ART59, _facts),
    Rule(DECISION_EVIDENCE_INVALID, "证据", (PENALTY_DECISION, NO_PENALTY_DECISION), citations.APL_ART59, _evidence),
    Rule(DECISION_PROVISION_INVALID, "违反的条款和处罚依据", CHECKED_KINDS, citations.APL_ART59, _provisions),
    Rule(DECISION_AMENDMENT_HISTORY, "法律引用", CHECKED_KINDS, citations.APL_ART59, _amendments),
    Rule(DECISION_PROCEDURE_MISSING, "告知、陈述申辩和听证", (PENALTY_DECISION,), f"{citations.APL}第四十四条、第四十五条、第六十三条", _procedure),
    Rule(DECISION_REASONING_MISSING, "裁量说理", (PENALTY_DECISION,), citations.APL_ART34, _reasoning),
    Rule(DECISION_PENALTY_INCONSISTENT, "处罚种类和数额", DECISIONS + NOTICES, citations.APL_ART59, _penalty),
    Rule(DECISION_PAYMENT_INCOMPLETE, "履行方式和期限", DECISIONS, citations.APL_ART67, _payment),
    Rule(DECISION_LATE_FEE_MISSING, "加处罚款和强制执行", (PENALTY_DECISION,), citations.APL_ART72, _late_fee),
    Rule(DECISION_REMEDIES_INCOMPLETE, "救济途径和期限", DECISIONS, f"{citations.APL_ART59}；{citations.ARL_ART20}；{citations.ALL_ART46}",
         _remedies),
    Rule(DECISION_PUBLICATION_MISSING, "处罚信息公示告知", (PENALTY_DECISION,), citations.SAMR45_ART8, _publication),
    Rule(DECISION_PUNCTUATION, "标点和用语", CHECKED_KINDS, "GB/T 15834-2011；GB/T 9704-2012", _punctuation),
)


def rules_for(kind: str) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if kind in r.kinds)


def check(kind: str, data: Mapping[str, Any], text: str) -> list[Violation]:
    """Every rule of the check list that ``kind`` fails, one ``Violation`` per rule with all its
    problems (``[规则] 问题；问题``); empty when the document may be issued."""
    violations = []
    for rule in rules_for(kind):
        problems = rule.run(kind, data, text or "")
        if problems:
            violations.append(Violation(rule.code, f"［{rule.name}］{'；'.join(problems)}", rule.basis))
    return violations
