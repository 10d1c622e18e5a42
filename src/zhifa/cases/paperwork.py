"""Case paperwork (案件文书): the data of every document a case action produces, built from the
case in one place, and its issue through the document set (``zhifa.documents.services``).

    document_data(case, kind, extra=None) -> dict     the data of a ``kinds.toml`` document
    issue(case, kind, *, actor, extra=None, body=None) -> Document
    record(*documents) -> dict                        what the record entry carries

``issue`` runs inside the action's transaction (``services`` calls it after the guards passed):
an incomplete document (``DOCUMENT_INCOMPLETE``) or a rendering failure (``DOCUMENT_RENDER_FAILED``)
raises ``Refused``, so the action is refused with the document's violations and leaves nothing
behind — no state change, no record entry, no number used, no file kept. The documents are
issued by the case's body (the legal review opinion by the reviewer's body, 提级审核) with the
subject ``case:<id>``.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Iterable, Mapping

from zhifa.core.citations import NO_PENALTY_BASIS, PAYMENT_DEADLINE, PAYMENT_MANNER, SPOT_PAYMENT_MANNER
from zhifa.catalog import laws
from zhifa.catalog.models import ItemProvision
from zhifa.catalog.rules import PENALTY_KIND_LABELS
from zhifa.core import act_codes, citations, clock
from zhifa.documents import checks, rendering
from zhifa.documents import services as documents
from zhifa.documents.models import Document
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Body, Jurisdiction

from .models import Case, Evidence, LegalReview, Party

KIND_LABELS = {k.value: v for k, v in PENALTY_KIND_LABELS.items()}
DECISION_KINDS = ("penalty_decision", "no_penalty_decision", "on_the_spot_decision", "crime_transfer_letter")


# --- Pieces of data ------------------------------------------------------------------------------

def money(value: Decimal | int | str | None) -> str:
    return "" if value is None else f"人民币{Decimal(value):.2f}元"


def kinds_text(kinds: Iterable[str]) -> str:
    return "、".join(KIND_LABELS.get(k, k) for k in kinds or [])


def penalty_text(kinds: Iterable[str], amount: Decimal | None) -> str:
    """``罚款人民币5000.00元、警告`` — the penalty as printed in notices and decisions."""
    parts = []
    for k in kinds or []:
        label = KIND_LABELS.get(k, k)
        parts.append(f"{label}{money(amount)}" if k == "fine" and amount else label)
    return "、".join(parts)


def party(case: Case) -> dict:
    """The party block of the documents (APL art.59 (一)): from the case's ``Party`` (its own
    object), the case's copy for a case registered before parties existed."""
    p = case.party if case.party_id else None
    id_type = (p.id_type if p else "") or ("credit_code" if case.party_kind == "organisation" and case.party_id_code else
                                          "id_card" if case.party_id_code else "")
    return {
        "kind": case.party_kind, "name": case.party_name, "id_code": case.party_id_code,
        "id_type": Party.IdType(id_type).label if id_type else "",
        "legal_representative": p.legal_representative if p else "", "address": case.party_address,
        "service_address": (p.service_address if p else "") or case.party_address, "phone": case.party_phone,
    }


# --- The law cited: the provision violated (违反) and the penalty provision (依据) -------------------

_ITEM_NO = re.compile(r"第([零〇一二三四五六七八九十百]+)项")


def cite(text: str) -> str:
    """A citation as documents print it: items in full-width brackets (第（二）项), no spaces."""
    return _ITEM_NO.sub(r"第（\1）项", re.sub(r"\s+", "", text or ""))


_CN = "[零〇一二三四五六七八九十百千两]"
# "违反本法第三十四条第一款第十项规定" in a penalty article: the article it punishes the breach of.
_NAMES_VIOLATED = re.compile(
    rf"违反本(?:法|条例|办法|规定|细则)((?:第{_CN}+条(?:之{_CN}+)?(?:第{_CN}+款)?(?:第{_CN}+项)?(?:[、和及或]|至)?)+)")


def _item_provisions(case: Case) -> dict[str, list[str]]:
    """The item's resolved articles by role (one query), each cited as documents print it. An
    item without a resolved 违法条款 takes the article its penalty article names (“违反本法第…条
    规定”): the law itself says what was violated."""
    rows = (ItemProvision.objects.filter(item_id=case.item_id, role__in=[ItemProvision.Role.VIOLATED, ItemProvision.Role.PENALTY])
            .select_related("provision__law").order_by("provision__law_id", "provision__number", "provision__sub_number", "paragraph"))
    cited: dict[str, list[str]] = {ItemProvision.Role.VIOLATED: [], ItemProvision.Role.PENALTY: []}
    named: list[str] = []
    for row in rows:
        article = row.cited_as or row.provision.label + (f"第{laws.int_to_cn(row.paragraph)}款" if row.paragraph else "")
        text = cite(f"《{row.provision.law.title}》{article}")
        if text not in cited[row.role]:
            cited[row.role].append(text)
        if row.role == ItemProvision.Role.PENALTY:
            m = _NAMES_VIOLATED.search(row.provision.text or "")
            if m:
                named.append(cite(f"《{row.provision.law.title}》{m.group(1).rstrip('、和及或至')}"))
    if not cited[ItemProvision.Role.VIOLATED]:
        cited[ItemProvision.Role.VIOLATED] = list(dict.fromkeys(named))
    return cited


def _joined(citations_: list[str]) -> str:
    """``《A》第一条、第二条`` — one title per law, its articles after it."""
    out: list[str] = []
    last_title = ""
    for c in citations_:
        title, _, article = c.partition("》")
        if title == last_title:
            out[-1] += f"、{article}"
        else:
            out.append(c)
            last_title = title
    return "、".join(out)


def provisions(case: Case) -> tuple[str, str]:
    """(violated provision, penalty provision), each cited by the law's title and the article,
    paragraph and item — never the law's adoption and amendment history. The violated provision
    is what the investigation found (``Case.violated_provision``), else the item's 违法条款; the
    penalty provision the item's 处罚条款, else the articles its legal basis cites."""
    resolved = _item_provisions(case)
    violated = cite(case.violated_provision) or _joined(resolved[ItemProvision.Role.VIOLATED])
    penalty = _joined(resolved[ItemProvision.Role.PENALTY])
    if not penalty:
        refs = laws.parse_legal_basis(case.item.legal_basis)
        parts = [cite(f"《{r.title}》" + "、".join(a.cited_as for a in r.articles)) for r in refs if r.articles]
        penalty = "、".join(parts) or cite(case.item.legal_basis)
    return violated, penalty


def case_cause(case: Case) -> str:
    """案由: the enforcement item the case rests on."""
    return case.item.full_name


# What closes a sentence or a clause, stripped from typed text a document sets inside its own sentence
# ("鉴于{reason}，依据…", "因{reason}，…", "发现{facts}，涉嫌…"): "…及时改正。" would print "改正。，依据".
_CLAUSE_END = "。．.，,；;：:、！!？? \t\r\n\u3000"


def clause(text: str | None) -> str:
    """``text`` as a clause within a document's sentence: trimmed, without closing punctuation."""
    return (text or "").strip().rstrip(_CLAUSE_END)


def facts(case: Case) -> str:
    """The facts as far as known: found by the investigation, else the act or the clue as registered,
    else what the item describes (涉嫌…)."""
    return case.facts or case.act_description or case.clue or f"当事人涉嫌{case.item.name}".replace("涉嫌对", "涉嫌")


def act_place(case: Case) -> str:
    return case.act_place or case.party_address


def facts_paragraph(case: Case) -> str:
    """The facts as a decision states them: when (the act's date, and its end when it went on),
    where, and what the party did — the text found by the investigation, completed with the date
    and the place it does not already state."""
    text = facts(case).strip().rstrip("。；;.")
    when = rendering.date_text(case.act_date)
    if case.act_end_date and case.act_end_date != case.act_date:
        when = f"{when}至{rendering.date_text(case.act_end_date)}"
    place = act_place(case)
    has_date = bool(checks.DATE_RE.search(text))
    has_place = bool(place) and place in text
    if has_date and has_place:
        return f"{text}。"
    lead = "" if has_date else f"{when}，"
    where = f"当事人在{place}" if place and not has_place else "当事人"
    return f"{lead}{where}{text.removeprefix('当事人')}。"


_SOURCE_PHRASES = {
    "inspection": "在监督检查中发现当事人涉嫌违法", "complaint": "接到投诉举报，反映当事人涉嫌违法",
    "referral": "收到其他机关移送的案件线索", "assigned": "收到上级机关交办的案件线索",
    "monitoring": "通过非现场执法（电子技术监控设备）发现当事人涉嫌违法", "other": "发现当事人涉嫌违法的线索",
}


def case_source(case: Case) -> str:
    """How the case came and when it was filed (案件来源及立案)."""
    came = f"本机关于{rendering.date_text(case.clue_received_on)}{_SOURCE_PHRASES.get(case.source, _SOURCE_PHRASES['other'])}"
    filed = f"，经本机关负责人批准，于{rendering.date_text(case.filed_on)}立案调查" if case.filed_on else ""
    return f"{came}{filed}。"


def _jurisdiction(body: Body) -> Jurisdiction:
    cached = getattr(body, "_paperwork_jurisdiction", None)
    if cached is None:
        cached = Jurisdiction.objects.select_related("parent").get(pk=body.jurisdiction_id)
        body._paperwork_jurisdiction = cached
    return cached


def _seat(body: Body) -> str:
    """The county-level (or higher) seat of the body: a township's is its county."""
    j = _jurisdiction(body)
    if j.level == Jurisdiction.Level.TOWNSHIP and j.parent is not None:
        j = j.parent
    return j.name


def remedies(case: Case) -> dict:
    """Where the party may apply for reconsideration (the people's government at the body's seat,
    ARL art.24) and sue (the people's court there, ALL art.18) — or the names the body sets
    (``Body.reconsideration_body``, ``Body.litigation_court``: data per body); the periods are added
    by the document set (ARL art.20: 60 days; ALL art.46: 6 months)."""
    body = case.body
    if body.reconsideration_body and body.litigation_court:
        return {"reconsideration_body": body.reconsideration_body, "court": body.litigation_court}
    seat = _seat(body)
    return {"reconsideration_body": body.reconsideration_body or f"{seat}人民政府", "court": body.litigation_court or f"{seat}人民法院"}


def officers(case: Case) -> str:
    """承办人员 with their certificate numbers (执法证号), APL art.42 — from what the act's checks
    read (``permissions.load_people``: the same rows and latest certificates), else read here."""
    held = case.__dict__.get("_zhifa_officer_facts")
    if held is not None:
        return "、".join(f"{f.name}（执法证号{f.certificate.number}）" if f.certificate and f.certificate.number else f.name
                        for _, f in sorted(held.items()))
    rows = registry.with_current_certificate(case.officers.all().order_by("pk"))
    return "、".join(f"{o.name}（执法证号{o.cert_number}）" if o.cert_number else o.name for o in rows)


def officer_names(case: Case) -> list[str]:
    """承办人员's names by id — from what the act's checks read when there (as ``officers``)."""
    held = case.__dict__.get("_zhifa_officer_facts")
    if held is not None:
        return [f.name for _, f in sorted(held.items())]
    return list(case.officers.order_by("pk").values_list("name", flat=True))


def evidence(case: Case) -> list[str]:
    """The registered evidence, each with its SHA-256 prefix; without any, the investigation
    report (which sums up the evidence)."""
    rows = [f"{title}（{Evidence.Kind(kind).label}{'，SHA-256 ' + sha[:16] if sha else ''}）"
            for title, kind, sha in case.evidence.order_by("collected_on", "pk").values_list("title", "kind", "sha256")]
    if not rows and case.investigation_report:
        rows = [f"案件调查终结报告：{case.investigation_report}"]
    return rows


# The registered kinds as the kinds of evidence of APL art.46.
_STATUTORY_KIND = {"photo": "视听资料", "audio": "视听资料", "video": "视听资料", "scan": "书证", "other": "其他证据"}


def _statutory_kind(kind: str, title: str) -> str:
    if kind == "record":
        return "询问笔录" if "询问" in title else "现场笔录" if ("现场" in title or "检查" in title) else "笔录"
    return _STATUTORY_KIND.get(kind, "其他证据")


def evidence_by_kind(case: Case) -> list[str]:
    """The evidence as a decision lists it (APL arts.46, 59): grouped by kind, each item once,
    in the order collected — ``书证：营业执照复印件、进货单据``."""
    groups: dict[str, list[str]] = {}
    for title, kind in case.evidence.order_by("collected_on", "pk").values_list("title", "kind"):
        names = groups.setdefault(_statutory_kind(kind, title), [])
        if title.strip() and title.strip() not in names:
            names.append(title.strip())
    order = [k for k in checks.EVIDENCE_KINDS if k in groups]
    return [f"{k}：{'、'.join(groups[k])}" for k in order]


def contact(case: Case, actor: access.Actor | None = None) -> str:
    name = actor.officer.name if actor is not None and actor.officer is not None else ""
    return "　".join(x for x in (name, case.body.supervision_phone) if x)


def actor_name(actor: access.Actor | None) -> str:
    return actor.officer.name if actor is not None and actor.officer is not None else ""


def current(case: Case, kinds: Iterable[str], **data_filter) -> Document | None:
    """The case's latest valid document of one of ``kinds`` (e.g. the decision served)."""
    qs = Document.objects.filter(subject=f"case:{case.pk}", kind__in=list(kinds), status=Document.Status.ISSUED)
    for key, value in data_filter.items():
        qs = qs.filter(**{f"data__{key}": value})
    return qs.order_by("-issued_at", "-pk").first()


def number_of(case: Case, kinds: Iterable[str], **data_filter) -> str:
    doc = current(case, kinds, **data_filter)
    return doc.number if doc else ""


def _items(items: Iterable[Any]) -> list[dict]:
    rows = []
    for item in items or []:
        if isinstance(item, Mapping):
            rows.append({k: str(item.get(k, "") or "") for k in ("name", "spec", "quantity", "unit", "note")})
        elif str(item).strip():
            rows.append({"name": str(item), "spec": "", "quantity": "", "unit": "", "note": ""})
    return rows


# --- The data of each document -------------------------------------------------------------------

def document_data(case: Case, kind: str, extra: Mapping[str, Any] | None = None) -> dict:
    """The data of the ``kind`` document of ``case`` (see ``documents/kinds.toml`` for the keys).

    ``extra`` carries what only the action knows (the reason, the items, the reviewer …); keys
    given in ``extra`` that the builder does not use are kept as they are."""
    x = dict(extra or {})
    actor = x.pop("actor", None)
    today = x.pop("today", None) or clock.today()
    p = party(case)
    build = {**_investigation_documents(case, p, x, today, actor), **_decision_documents(case, p, x),
             **_execution_documents(case, p, x)}
    if kind not in build:
        raise KeyError(f"no case document data for {kind}")
    data = build[kind]()
    data.update(x)
    if kind in ACT_CODE_KINDS and case.pk:
        data.setdefault("act_code", act_codes.act_code("case", case.pk))
    return data


# The decisions served to the party carry the act's code (行政行为码, issue #19): it leads to the
# act on the public portal and lets the party rate it once.
ACT_CODE_KINDS = ("penalty_decision", "no_penalty_decision", "on_the_spot_decision")



# Each builder maps the kinds of one stage of the procedure to a function making their data; ``x``
# (the action's extra data) is consumed by what the builder uses, the rest is kept.

def _investigation_documents(case: Case, p: dict, x: dict, today: dt.date, actor) -> dict:
    """Filing, preservation and seizure, investigation, review, notice, hearing and defence."""
    return {
        "filing_approval": lambda: {
            "case_cause": case_cause(case), "party": p, "source": case.get_source_display(), "facts": facts(case),
            "officers": officers(case),
            "opinions": {"handler": "涉嫌违法，建议立案调查。", "head": x.pop("opinion", "") or "同意立案。"},
        },
        "non_filing_approval": lambda: {
            "case_cause": case_cause(case), "party": p, "source": case.get_source_display(),
            "facts": facts(case) or "经核查", "reason": x.get("reason", ""),
            "opinions": {"handler": "建议不予立案。", "head": "同意不予立案。"},
        },
        "preservation_notice": lambda: {
            "party": p, "reason": clause(x.pop("reason", "")) or "调查案件需要", "location": x.pop("location", "") or case.party_address or "当事人经营场所",
            "items": _items(x.pop("items", [])),
        },
        "seizure_decision": lambda: {
            "party": p, "measure": x.pop("measure"), "reason": clause(facts(case)) or "当事人涉嫌违法", "legal_basis": case.item.legal_basis,
            "location": x.pop("location", "") or case.party_address or "本机关指定的保管场所",
            "period": x.pop("period"), "items": _items(x.pop("items", [])), "remedies": remedies(case),
        },
        "property_list": lambda: {"party": p, "related_number": x.pop("related_number"), "items": _items(x.pop("items", []))},
        "seizure_extension_decision": lambda: {"party": p, "remedies": remedies(case), "reason": clause(x.pop("reason", ""))},
        "testing_period_notice": lambda: {"party": p, "testing": x.pop("testing", "") or "涉案财物"},
        "seizure_release_decision": lambda: {"party": p, "items": _items(x.pop("items", [])), "reason": clause(x.pop("reason", ""))},
        "investigation_report": lambda: {
            "case_cause": case_cause(case), "party": p, "facts": facts(case), "evidence": evidence(case),
            "legal_basis": case.item.legal_basis, "proposal": x.pop("proposal", "") or case.investigation_report,
            "officers": officers(case),
        },
        "legal_review_opinion": lambda: {"case_cause": case_cause(case), "party": p},
        "collective_discussion_record": lambda: {
            "held_at": today.isoformat(),
            "place": "本机关会议室", "chair": actor_name(actor), "attendees": "、".join([actor_name(actor), *officer_names(case)]),
            "recorder": (officer_names(case) or [""])[0], "case_cause": case_cause(case),
        },
        "penalty_notice": lambda: _notice(case, p, x, actor),
        "hearing_rights_notice": lambda: _notice(case, p, x, actor),
        "hearing_notice": lambda: {"party": p, "case_cause": case_cause(case), "place": "本机关听证室"},
        "hearing_record": lambda: {
            "held_at": today.isoformat(), "place": "本机关听证室", "case_cause": case_cause(case), "party": p,
            "investigators": "、".join(officer_names(case)),
        },
        "defence_record": lambda: {
            "held_at": today.isoformat(), "place": "本机关", "party": p, "officers": "、".join(officer_names(case)),
            "recorder": (officer_names(case) or [""])[-1],
        },
    }


def _decision_documents(case: Case, p: dict, x: dict) -> dict:
    """The decisions: penalty, no penalty, transfer to the police, on the spot."""
    return {
        "penalty_decision": lambda: _decision(case, p, x),
        "no_penalty_decision": lambda: {
            "party": p, "facts": facts_paragraph(case), "act_place": act_place(case), "evidence": evidence_by_kind(case),
            "remedies": remedies(case), "reason": clause(x.pop("reason", "")),
            "legal_basis": NO_PENALTY_BASIS["minor" if (case.party_age is not None and case.party_age < 14) else
                                            "mental" if case.party_mental_illness else "no_fault" if case.no_fault else "minor_violation"],
        },
        "crime_transfer_letter": lambda: {
            "police": f"{_seat(case.body)}公安局", "party": p, "case_cause": case_cause(case), "facts": clause(facts(case)),
            "attachments": ["涉嫌犯罪案件情况的调查报告", "涉案物品清单", "有关检验报告或者鉴定意见", "其他有关涉嫌犯罪的材料"],
        },
        "on_the_spot_decision": lambda: _on_the_spot(case, p, x),
    }


def _execution_documents(case: Case, p: dict, x: dict) -> dict:
    """Service, deferral, reminder, court enforcement and closing."""
    return {
        "service_receipt": lambda: {"party": p, "address": case.party_address or "当事人住所", "servers": "、".join(officer_names(case))},
        "payment_deferral_approval": lambda: {
            "party": p, "decision_number": number_of(case, DECISION_KINDS), "fine_amount": money(case.decision_amount),
            "opinions": {"handler": "当事人确有经济困难，建议同意。", "head": "同意。"},
        },
        "reminder": lambda: {
            "party": p, "decision_number": number_of(case, DECISION_KINDS),
            "obligation": f"给予{penalty_text(case.decision_kinds, case.decision_amount)}的行政处罚",
            "method": "到指定银行或者通过非税收入电子缴款平台缴纳",
        },
        "enforcement_application": lambda: {
            "court": remedies(case)["court"], "party": p, "decision_number": number_of(case, DECISION_KINDS),
            "decision_date": case.decided_on.isoformat() if case.decided_on else "",
            "decision_summary": penalty_text(case.decision_kinds, case.decision_amount),
            "reminder_number": number_of(case, ["reminder"]), "performance_status": "被执行人在催告期满后仍未履行",
            "attachments": ["行政处罚决定书及送达回证", "催告书及送达回证", "当事人的意见及本机关的复核意见"],
        },
        "closing_approval": lambda: {
            "case_cause": case_cause(case), "party": p, "decision_number": number_of(case, DECISION_KINDS),
            "outcome": _outcome_text(case), "execution": _execution_text(case),
            "opinions": {"handler": x.pop("summary", "") or "案件已处理完毕，建议结案。", "head": "同意结案。"},
        },
    }

def decision_penalty_text(kinds: Iterable[str], amount: Decimal | None) -> str:
    """The penalty as the decision states it: the fine in figures and in Chinese capitals."""
    parts = []
    for k in kinds or []:
        label = KIND_LABELS.get(k, k)
        parts.append(f"{label}{money(amount)}（大写：{checks.capital_amount(amount)}）" if k == "fine" and amount else label)
    return "；".join(parts)


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
    from .selectors import policy

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


# --- Issue -------------------------------------------------------------------------------------

def issue(case: Case, kind: str, *, actor: access.Actor, extra: Mapping[str, Any] | None = None,
          body: Body | int | None = None) -> Document:
    """Issue the ``kind`` document of ``case`` now (in the caller's transaction)."""
    data = document_data(case, kind, {**(extra or {}), "actor": actor})
    # The case action records the document in the case record (``record(...)``), not on its own stream.
    return documents.issue_document(kind=kind, body=body or case.body, data=data, actor=actor, subject=f"case:{case.pk}",
                                    record=False)


def entry(doc: Document) -> dict:
    """One document as the record entry names it: number, version and hashes."""
    return {
        "id": doc.pk, "kind": doc.kind, "title": doc.title, "number": doc.number, "version": doc.version,
        "data_sha256": documents.data_sha256(doc), "pdf_sha256": doc.pdf_sha256, "docx_sha256": doc.docx_sha256,
    }


def record(*docs: Document) -> dict:
    """The record payload of the documents an action produced: ``document`` (the first kind, as
    the pages name it), ``document_number``, ``pdf_sha256``, ``docx_sha256`` and ``documents``
    (all of them, with their data hash; the file hashes are empty in deferred rendering)."""
    docs = tuple(d for d in docs if d is not None)
    if not docs:
        return {}
    first = docs[0]
    return {"document": first.kind, "document_id": first.pk, "document_number": first.number,
            "pdf_sha256": first.pdf_sha256, "docx_sha256": first.docx_sha256, "documents": [entry(d) for d in docs]}


def legal_review_data(case: Case, review: LegalReview, actor: access.Actor) -> dict:
    labels = LegalReview.CHECKLIST_LABELS
    return {
        "submitted_on": review.requested_on.isoformat(), "reviewer": actor_name(actor),
        "review_items": [f"{labels[k]}：{'是' if ok else '否'}" if k != "crime" else f"{labels[k]}：{'否' if ok else '需研究'}"
                         for k, ok in review.checklist.items()],
        "opinion": review.opinion or ("经审核，同意。" if review.result == "pass" else ""),
        "result": review.result,
    }


def seizure_period(decided_on: dt.date, due: dt.date) -> str:
    return f"{(due - decided_on).days}日（{decided_on.isoformat()}至{due.isoformat()}）"
