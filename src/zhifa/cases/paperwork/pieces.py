"""The pieces of data the case documents share: the party, the penalty as printed, the law cited,
the facts, the remedies, the officers and the evidence, the numbers of documents already issued."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Iterable, Mapping

from zhifa.catalog import laws
from zhifa.catalog.models import ItemProvision
from zhifa.catalog.rules import PENALTY_KIND_LABELS
from zhifa.documents import checks, rendering
from zhifa.documents.models import Document
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Body, Jurisdiction

from ..models import Case, Evidence, Party

KIND_LABELS = {k.value: v for k, v in PENALTY_KIND_LABELS.items()}
DECISION_KINDS = ("penalty_decision", "no_penalty_decision", "on_the_spot_decision", "crime_transfer_letter")


def money(value: Decimal | int | str | None) -> str:
    return "" if value is None else f"人民币{Decimal(value):.2f}元"


def kinds_text(kinds: Iterable[str]) -> str:
    return "、".join(KIND_LABELS.get(k, k) for k in kinds or [])


def penalty_text(kinds: Iterable[str], amount: Decimal | None, *, in_capitals: bool = False) -> str:
    """``罚款人民币5000.00元、警告`` — the penalty as printed in notices and decisions; ``in_capitals``:
    as the decision states it, the fine also in Chinese capitals (``罚款人民币5000.00元（大写：…）；警告``)."""
    parts = []
    for k in kinds or []:
        label = KIND_LABELS.get(k, k)
        if k == "fine" and amount:
            label += money(amount) + (f"（大写：{checks.capital_amount(amount)}）" if in_capitals else "")
        parts.append(label)
    return ("；" if in_capitals else "、").join(parts)


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
