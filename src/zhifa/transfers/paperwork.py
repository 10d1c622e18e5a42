"""The transfer's documents (移送文书): each a document of the document set with its number,
issued by the transfer's body with the subject ``transfer:<id>`` and linked as a material
(``TransferMaterial``); external materials (a testing report, a police notice) are named with
their number. Runs inside the act's transaction: an incomplete document refuses the act."""
from __future__ import annotations

from typing import Any

from zhifa.cases import paperwork as case_paperwork
from zhifa.core import clock
from zhifa.documents import services as documents
from zhifa.documents.models import Document
from zhifa.registry import access

from . import rules
from .models import Transfer, TransferMaterial
from .selectors import thresholds_met


def team_text(t: Transfer) -> str:
    """The team with their certificate numbers (执法证号)."""
    from zhifa.registry.selectors import with_current_certificate

    rows = with_current_certificate(t.team.all().order_by("pk"))
    return "、".join(f"{o.name}（执法证号{o.cert_number}）" if o.cert_number else o.name for o in rows)


def _issue(t: Transfer, kind: str, data: dict, actor: access.Actor) -> Document:
    return documents.issue_document(kind=kind, body=t.body, data=data, actor=actor, subject=t.stream, record=False)


def _material(t: Transfer, kind: str, title: str, document: Document | None = None, note: str = "") -> TransferMaterial:
    return TransferMaterial.objects.create(transfer=t, kind=kind, title=title, document=document, note=note[:200],
                                           added_at=clock.now())


def _party(t: Transfer) -> dict[str, Any]:
    """The party block: the case's, or for a transfer from an inspection's finding the inspected
    entity as the transfer keeps it."""
    if t.case_id:
        return case_paperwork.party(t.case)
    return {"kind": "organisation", "name": t.party_name, "id_code": t.party_id_code,
            "id_type": "统一社会信用代码" if t.party_id_code else "", "legal_representative": "", "address": t.party_address,
            "service_address": t.party_address, "phone": ""}


def _facts(t: Transfer) -> str:
    return case_paperwork.facts(t.case) if t.case_id else t.findings


def _base(t: Transfer) -> dict[str, Any]:
    cause = case_paperwork.case_cause(t.case) if t.case_id else t.cause
    return {"party": _party(t), "case_cause": cause, "police": t.police, "suspected_offence": t.suspected_offence}


def transfer_number(t: Transfer) -> str:
    m = t.materials.filter(kind="letter", document__isnull=False).select_related("document").first()
    return m.document.number if m else ""


def issue_dispatch(t: Transfer, *, investigation: str, exhibits: list[str], test_reports: list[str], others: list[str],
                   actor: access.Actor) -> list[Document]:
    """Art.6: the investigation report, the exhibit list and the transfer letter listing every
    material; the testing reports and other materials are named."""
    case = t.case
    base = _base(t)
    met = thresholds_met(case) if case is not None else []
    threshold = "；".join(f"{m.offence}：{rules.MEASURES[m.measure]}{m.amount:.2f}元（{m.source}）" for m in met)
    report = _issue(t, "crime_case_report", {
        **base, "facts": _facts(t), "investigation": investigation, "threshold": threshold,
        "team": team_text(t), "opinions": {"head": "同意移送。"}}, actor)
    exhibit_list = _issue(t, "crime_exhibit_list", {**base, "exhibits": exhibits, "team": team_text(t)}, actor)
    attachments = [f"{rules.MATERIALS['report']}（{report.number}）", f"{rules.MATERIALS['exhibits']}（{exhibit_list.number}）"]
    attachments += [f"{rules.MATERIALS['tests']}：{x}" for x in test_reports if x.strip()]
    attachments += [f"{rules.MATERIALS['other']}：{x}" for x in others if x.strip()]
    extra = {"police": t.police, "attachments": attachments, "facts": f"{case_paperwork.clause(_facts(t))}，涉嫌{t.suspected_offence}"}
    letter_data = (case_paperwork.document_data(case, "crime_transfer_letter", extra) if case is not None
                   else {"party": base["party"], "case_cause": base["case_cause"], **extra})
    letter = _issue(t, "crime_transfer_letter", letter_data, actor)
    _material(t, "letter", rules.MATERIALS["letter"], letter)
    _material(t, "report", rules.MATERIALS["report"], report)
    _material(t, "exhibits", rules.MATERIALS["exhibits"], exhibit_list)
    for x in test_reports:
        if x.strip():
            _material(t, "tests", rules.MATERIALS["tests"], note=x)
    for x in others:
        if x.strip():
            _material(t, "other", rules.MATERIALS["other"], note=x)
    return [letter, report, exhibit_list]


def issue_letter(t: Transfer, kind: str, extra: dict, actor: access.Actor) -> Document:
    """A later document of the transfer (reconsideration request, supervision suggestion, hand-over list)."""
    data = {**_base(t), "transfer_number": transfer_number(t) or "（未编号）", "team": team_text(t), **extra}
    doc = _issue(t, kind, data, actor)
    from zhifa.documents import kinds

    _material(t, kind, kinds.get(kind).title, doc)
    return doc


def issue_reply(t: Transfer, extra: dict, actor: access.Actor) -> Document:
    data = {"sender": t.sender, "sender_number": t.sender_number, "party_name": t.party_name or "该", **extra}
    doc = _issue(t, "transfer_reply", data, actor)
    _material(t, "reply", "处理情况回复函", doc)
    return doc


def add_external(t: Transfer, kind: str, title: str, note: str = "") -> TransferMaterial:
    return _material(t, kind, title, note=note)


def material_entries(t: Transfer) -> list[dict]:
    return [{"kind": m.kind, "title": m.title, "number": m.document.number if m.document_id else "", "note": m.note}
            for m in t.materials.select_related("document").order_by("added_at", "pk")]
