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
from decimal import Decimal
from typing import Any, Iterable, Mapping

from zhifa.core.citations import NO_PENALTY_BASIS, PAYMENT_DEADLINE, PAYMENT_MANNER, SPOT_PAYMENT_MANNER
from zhifa.catalog.rules import PENALTY_KIND_LABELS
from zhifa.core import clock
from zhifa.documents import services as documents
from zhifa.documents.models import Document
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Body, Jurisdiction

from .models import Case, Evidence, LegalReview

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
    return {"name": case.party_name, "id_code": case.party_id_code, "address": case.party_address, "phone": case.party_phone}


def case_cause(case: Case) -> str:
    """案由: the enforcement item the case rests on."""
    return case.item.full_name


def facts(case: Case) -> str:
    """The facts as far as known: found by the investigation, else the act or the clue as registered,
    else what the item describes (涉嫌…)."""
    return case.facts or case.act_description or case.clue or f"当事人涉嫌{case.item.name}".replace("涉嫌对", "涉嫌")


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
    ARL art.24) and sue (the people's court there, ALL art.18); the periods are added by the
    document set (ARL art.20: 60 days; ALL art.46: 6 months)."""
    seat = _seat(case.body)
    return {"reconsideration_body": f"{seat}人民政府", "court": f"{seat}人民法院"}


def officers(case: Case) -> str:
    """承办人员 with their certificate numbers (执法证号), APL art.42."""
    rows = registry.with_current_certificate(case.officers.all().order_by("pk"))
    return "、".join(f"{o.name}（执法证号{o.cert_number}）" if o.cert_number else o.name for o in rows)


def officer_names(case: Case) -> list[str]:
    return list(case.officers.order_by("pk").values_list("name", flat=True))


def evidence(case: Case) -> list[str]:
    """The registered evidence, each with its SHA-256 prefix; without any, the investigation
    report (which sums up the evidence)."""
    rows = [f"{title}（{Evidence.Kind(kind).label}{'，SHA-256 ' + sha[:16] if sha else ''}）"
            for title, kind, sha in case.evidence.order_by("collected_on", "pk").values_list("title", "kind", "sha256")]
    if not rows and case.investigation_report:
        rows = [f"案件调查终结报告：{case.investigation_report}"]
    return rows


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
    return data



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
            "party": p, "reason": x.pop("reason", "") or "调查案件需要", "location": x.pop("location", "") or case.party_address or "当事人经营场所",
            "items": _items(x.pop("items", [])),
        },
        "seizure_decision": lambda: {
            "party": p, "measure": x.pop("measure"), "reason": facts(case) or "当事人涉嫌违法", "legal_basis": case.item.legal_basis,
            "location": x.pop("location", "") or case.party_address or "本机关指定的保管场所",
            "period": x.pop("period"), "items": _items(x.pop("items", [])), "remedies": remedies(case),
        },
        "property_list": lambda: {"party": p, "related_number": x.pop("related_number"), "items": _items(x.pop("items", []))},
        "seizure_extension_decision": lambda: {"party": p, "remedies": remedies(case)},
        "testing_period_notice": lambda: {"party": p, "testing": x.pop("testing", "") or "涉案财物"},
        "seizure_release_decision": lambda: {"party": p, "items": _items(x.pop("items", []))},
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
        "penalty_notice": lambda: {
            "party": p, "facts": facts(case), "legal_basis": case.item.legal_basis, "contact": contact(case, actor),
        },
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
            "party": p, "facts": facts(case), "evidence": evidence(case), "remedies": remedies(case),
            "legal_basis": NO_PENALTY_BASIS["minor" if (case.party_age is not None and case.party_age < 14) else
                                            "mental" if case.party_mental_illness else "no_fault" if case.no_fault else "minor_violation"],
        },
        "crime_transfer_letter": lambda: {
            "police": f"{_seat(case.body)}公安局", "party": p, "case_cause": case_cause(case), "facts": facts(case),
            "attachments": ["涉嫌犯罪案件情况的调查报告", "涉案物品清单", "有关检验报告或者鉴定意见", "其他有关涉嫌犯罪的材料"],
        },
        "on_the_spot_decision": lambda: {
            "party": p, "facts": case.act_description or facts(case), "act_time": case.act_date.isoformat(),
            "act_place": x.pop("place", "") or case.party_address or "执法现场", "remedies": remedies(case), "officers": officers(case),
            **_spot_penalty(case, x.pop("kinds"), x.pop("amount", None)),
        },
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

def _decision(case: Case, p: dict, x: dict) -> dict:
    kinds, amount = x.pop("kinds"), x.pop("amount", None)
    reasoning = x.pop("reasoning", "")
    outside = x.pop("outside_benchmark_reason", "")
    amends = x.pop("amends", "")
    discretion = "".join(part for part in (
        f"本决定变更本机关{amends}行政处罚决定书。" if amends else "", reasoning,
        f"（超出裁量基准的理由：{outside}）" if outside else "") if part)
    has_fine = "fine" in kinds and amount
    return {
        "party": p, "facts": facts(case), "evidence": evidence(case), "discretion": discretion,
        "penalty": {"kind": kinds_text(kinds), "content": penalty_text(kinds, amount), "basis": case.item.legal_basis},
        "performance": {"manner": PAYMENT_MANNER if has_fine else "本决定自送达之日起生效并执行",
                        "deadline": PAYMENT_DEADLINE if has_fine else "自收到本决定书之日起"},
        "remedies": remedies(case),
    }


def _spot_penalty(case: Case, kinds: list[str], amount: Decimal | None) -> dict:
    has_fine = "fine" in kinds and amount
    return {"penalty": {"kind": kinds_text(kinds), "content": penalty_text(kinds, amount), "basis": case.item.legal_basis},
            "performance": {"manner": SPOT_PAYMENT_MANNER if has_fine else "本决定当场交付即生效"}}


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
