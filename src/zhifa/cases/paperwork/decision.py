"""The data of the decisions (行政处罚决定书, 当场处罚决定书) and of the notices before them: the
penalty block, the account of the notice and of the defence or hearing, the benchmark quoted, payment
and publication (APL arts.44, 45, 59, 63, 64; SAMR45 art.8); and the outcome as the closing names it."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from zhifa.core import citations
from zhifa.core.citations import PAYMENT_DEADLINE, PAYMENT_MANNER, SPOT_PAYMENT_MANNER
from zhifa.documents import checks, rendering
from zhifa.documents.models import Document

from ..models import Case
from .pieces import (
    act_place, case_source, clause, contact, evidence_by_kind, facts, facts_paragraph, kinds_text, money,
    officers, penalty_text, provisions, remedies,
)



def decision_penalty_text(kinds: Iterable[str], amount: Decimal | None) -> str:
    """The penalty as the decision states it: the fine in figures and in Chinese capitals."""
    return penalty_text(kinds, amount, in_capitals=True)


def _penalty_block(case: Case, kinds: list[str], amount: Decimal | None, basis: str) -> dict:
    has_fine = bool("fine" in kinds and amount)
    return {"kind": kinds_text(kinds), "content": decision_penalty_text(kinds, amount), "basis": basis,
            "amount": str(Decimal(amount).quantize(Decimal("0.01"))) if has_fine else ""}


def _procedure(case: Case, defence_opinion: str) -> dict:
    """The account of the notice and of the party's statement and defence or hearing, and how the
    body weighed them (APL arts.44, 45, 63, 64)."""
    # The notice served and the statement recorded, in one query (the latest of each kind).
    latest: dict[str, Document] = {}
    for doc in (Document.objects.filter(subject=f"case:{case.pk}", status=Document.Status.ISSUED,
                                        kind__in=["penalty_notice", "hearing_rights_notice", "defence_record"])
                .only("kind", "number", "data").order_by("issued_at", "pk")):
        latest["defence_record" if doc.kind == "defence_record" else "notice"] = doc
    notice_no = latest["notice"].number if "notice" in latest else ""
    hearing_right = bool(case.hearing_due)
    notice = (f"本机关于{rendering.date_text(case.notice_served_on)}向当事人送达了《行政处罚告知书》"
              f"{'（' + notice_no + '）' if notice_no else ''}，告知当事人拟作出行政处罚的事实、理由、依据和处罚内容，"
              f"以及依法享有的陈述、申辩{'和要求听证' if hearing_right else ''}的权利。") if case.notice_served_on else ""
    opinion = (defence_opinion or "").strip().rstrip("。")
    parts = []
    statement = latest.get("defence_record")
    hearing = case.hearings.filter(held=True).order_by("-hearing_on").first() if case.hearing_status == "held" else None
    if hearing is not None:
        parts.append(f"应当事人申请，本机关于{rendering.date_text(hearing.hearing_on)}依法举行了听证，当事人在听证中进行了陈述、申辩。")
    if statement is not None:
        said = str((statement.data or {}).get("content") or "").strip().rstrip("。")
        parts.append(f"当事人在规定期限内提出了陈述、申辩{'，称：' + said if said else ''}。")
    if parts:
        parts.append(("" if opinion.startswith("经") else "经复核，") + f"{opinion}。" if opinion else "")
    elif case.hearing_status == "waived" or not hearing_right:
        parts.append(f"当事人在规定期限内未提出陈述、申辩{'，未要求举行听证' if hearing_right else ''}，视为放弃上述权利。"
                     + (f"{opinion}。" if opinion else ""))
    else:
        parts.append(f"当事人在规定期限内未提出陈述、申辩。{opinion + '。' if opinion else ''}")
    return {"notice": notice, "response": "".join(parts)}


def _benchmark_reasoning(case: Case, grades: list[int], factor_codes: list[str]) -> tuple[str, dict]:
    """The benchmark quoted in the reasoning: the grade(s) applied and the factors found."""
    from zhifa.catalog import discretion as catalog_discretion

    if not grades and not factor_codes:
        return "", {}
    benchmark = catalog_discretion.applicable_benchmark(case.item, case.act_date)
    if benchmark is None:
        return "", {}
    grade_names = [g.name for g in benchmark.grades.all() if g.order in grades]
    factor_names = [f.description for f in benchmark.factors.all() if f.code in factor_codes]
    title = benchmark.title or f"《{case.item.name}》裁量基准（{benchmark.version}）"
    text = f"依据{title if title.startswith('《') else '《' + title + '》'}"
    if grade_names:
        text += f"，当事人的违法行为属于“{'”“'.join(grade_names)}”裁量档次"
    if factor_names:
        text += f"，具有“{'”“'.join(factor_names)}”的情节"
    return text + "。", {"grade": "”“".join(grade_names), "factors": factor_names}


def _payment(kinds: list[str], amount: Decimal | None, case: Case) -> dict:
    has_fine = bool("fine" in kinds and amount)
    if not has_fine:
        return {"manner": "本决定自送达之日起生效，当事人应当自觉履行", "deadline": "自收到本决定书之日起", "account": "", "other": True}
    account = case.body.payment_account
    return {"manner": f"{PAYMENT_MANNER}（缴款渠道：{account}）" if account else PAYMENT_MANNER, "deadline": PAYMENT_DEADLINE,
            "account": account or "指定银行或者非税收入电子缴款平台", "other": False}


def _publication(case: Case, kinds: list[str]) -> dict:
    """SAMR45 art.8 (and the enforcement publicity rules of other sectors): the party is told in
    writing, with the decision, that the penalty will be published."""
    if not kinds:
        return {"applies": False, "text": ""}
    from ..selectors import policy

    _days, basis = policy().publication_rule(case.body.sector)
    if basis == citations.SAMR45_ART9:  # market regulation: the notice itself is art.8, the system art.9
        return {"applies": True, "text": f"根据{citations.SAMR45_ART8}的规定，本行政处罚决定信息将通过国家企业信用信息公示系统向社会公示。"}
    return {"applies": True, "text": f"根据{basis}的规定，本行政处罚决定信息将依法向社会公示。"}


def _decision(case: Case, p: dict, x: dict) -> dict:
    kinds, amount = x.pop("kinds"), x.pop("amount", None)
    reasoning = (x.pop("reasoning", "") or "").strip()
    outside = x.pop("outside_benchmark_reason", "")
    amends = x.pop("amends", "")
    quoted, benchmark = _benchmark_reasoning(case, x.pop("grades", []) or [], x.pop("factors", []) or [])
    if reasoning and not reasoning.endswith(("。", "！", "？")):
        reasoning += "。"
    discretion = "".join(part for part in (
        f"本决定变更本机关{amends}行政处罚决定书。" if amends else "", quoted, reasoning,
        f"超出裁量基准的理由：{clause(outside)}。" if outside else "") if part)
    violated, basis = provisions(case)
    return {
        "party": p, "case_source": case_source(case), "facts": facts_paragraph(case), "act_place": act_place(case),
        "evidence": evidence_by_kind(case), "violated_provision": violated,
        "procedure": _procedure(case, x.pop("defence_opinion", "")), "discretion": discretion, "benchmark": benchmark,
        "penalty": _penalty_block(case, kinds, amount, basis), "performance": _payment(kinds, amount, case),
        "publication": _publication(case, kinds), "remedies": remedies(case),
    }


def _notice(case: Case, p: dict, x: dict, actor) -> dict:
    """行政处罚告知书 / 听证告知书: the facts with date and place, the provision violated and the
    penalty provision, cited separately."""
    violated, basis = provisions(case)
    legal_basis = f"违反了{violated}的规定，依据{basis}的规定" if violated else f"依据{basis}的规定"
    return {"party": p, "facts": facts_paragraph(case).replace("当事人", "你（单位）", 1), "act_place": act_place(case),
            "violated_provision": violated,
            "penalty_basis": basis, "legal_basis": legal_basis, "contact": contact(case, actor),
            "penalty": {"amount": str(case.proposed_amount) if case.proposed_amount and "fine" in (case.proposed_kinds or []) else ""}}


def _on_the_spot(case: Case, p: dict, x: dict) -> dict:
    kinds, amount = x.pop("kinds"), x.pop("amount", None)
    place = x.pop("place", "") or act_place(case) or "执法现场"
    violated, basis = provisions(case)
    text = (case.act_description or facts(case)).strip().rstrip("。")
    when = rendering.date_text(case.act_date)
    fact = text if checks.DATE_RE.search(text) and place in text else f"{when}，当事人在{place}{text.removeprefix('当事人')}"
    has_fine = bool("fine" in kinds and amount)
    return {
        "party": p, "facts": f"{fact}。", "act_time": case.act_date.isoformat(), "act_place": place,
        "violated_provision": violated, "penalty": _penalty_block(case, kinds, amount, basis),
        "performance": {"manner": SPOT_PAYMENT_MANNER if has_fine else "本决定当场交付即生效"},
        "remedies": remedies(case), "officers": officers(case),
    }


def _outcome_text(case: Case) -> str:
    if case.outcome == "penalty":
        return f"给予{penalty_text(case.decision_kinds, case.decision_amount)}的行政处罚" if case.decision_kinds else "处罚决定已撤销"
    return {"no_penalty": "不予行政处罚", "transfer": "移送司法机关"}.get(case.outcome, case.get_outcome_display() or "—")


def _execution_text(case: Case) -> str:
    if case.outcome != "penalty" or not case.decision_amount:
        return "无需执行" if case.outcome != "penalty" else "决定已执行"
    if case.paid_on:
        return f"当事人已于{case.paid_on.isoformat()}缴清罚没款{money(case.paid_amount)}"
    if case.court_applied_on:
        return f"已于{case.court_applied_on.isoformat()}申请人民法院强制执行"
    return f"已缴{money(case.paid_amount)}"
