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
from typing import Any, Mapping

from zhifa.core import act_codes, clock
from zhifa.core.citations import NO_PENALTY_BASIS
from zhifa.documents import services as documents
from zhifa.documents.models import Document
from zhifa.registry import access
from zhifa.registry.models import Body

from ..models import Case, LegalReview

# The pieces of data and the decisions' data live in their own modules; every public name (and
# ``_seat``, which transfers uses) stays importable from ``zhifa.cases.paperwork``.
from .pieces import *  # noqa: F401,F403
from .pieces import _items, _seat  # noqa: F401
from .decision import *  # noqa: F401,F403
from .decision import _decision, _execution_text, _notice, _on_the_spot, _outcome_text



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


# --- Issue -------------------------------------------------------------------------------------

def issue(case: Case, kind: str, *, actor: access.Actor, extra: Mapping[str, Any] | None = None,
          body: Body | int | None = None) -> Document:
    """Issue the ``kind`` document of ``case`` now (in the caller's transaction)."""
    data = document_data(case, kind, {**(extra or {}), "actor": actor})
    # The case action records the document in the case record (``record(...)``), not on its own stream.
    return documents.issue_document(kind=kind, body=body or case.body, data=data, actor=actor, subject=f"case:{case.pk}",
                                    record=False, savepoint=False)


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
