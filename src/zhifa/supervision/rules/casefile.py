"""The case file (卷宗, R31; legal-rules §J): what goes in, in which order, and the binding hash.

A closed case's file is its cover (封面), index (卷内文件目录), the documents and the evidence list
in procedural order — filing → investigation → review → notice → defence/hearing → decision →
service → execution → closing — with page numbers, and the notes sheet (备考表). Cover, index and
notes sheet are not numbered (archival practice); pages are numbered from the first document.
Evidence is listed by its SHA-256, never copied into the file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Sequence

#: The stages of the procedure, in the order the file binds them (code, Chinese name).
STAGES: tuple[tuple[str, str], ...] = (
    ("filing", "案件来源与立案"),
    ("investigation", "调查取证"),
    ("review", "审核与法制审核"),
    ("notice", "处罚告知"),
    ("defence", "陈述申辩与听证"),
    ("decision", "处理决定"),
    ("service", "送达"),
    ("execution", "执行"),
    ("other", "其他文书"),
    ("closing", "结案"),
)
STAGE_LABELS = dict(STAGES)
STAGE_INDEX = {code: i for i, (code, _) in enumerate(STAGES)}

#: Each document kind of the set (documents/kinds.toml) → its stage. A kind not listed (a kind
#: added later) is bound among "other documents", before the closing.
KIND_STAGE: dict[str, str] = {
    "case_source_registration": "filing", "filing_approval": "filing", "non_filing_approval": "filing",
    "inquiry_record": "investigation", "site_record": "investigation", "service_address_confirmation": "investigation",
    "preservation_notice": "investigation", "seizure_decision": "investigation", "property_list": "investigation",
    "seizure_extension_decision": "investigation", "seizure_release_decision": "investigation",
    "testing_period_notice": "investigation", "investigation_report": "investigation",
    "legal_review_opinion": "review", "collective_discussion_record": "review",
    "penalty_notice": "notice", "hearing_rights_notice": "notice",
    "hearing_notice": "defence", "hearing_record": "defence", "defence_record": "defence",
    "penalty_decision": "decision", "no_penalty_decision": "decision", "on_the_spot_decision": "decision",
    "crime_transfer_letter": "decision",
    "service_receipt": "service",
    "payment_deferral_approval": "execution", "reminder": "execution", "enforcement_application": "execution",
    "closing_approval": "closing",
}
EVIDENCE_LIST = "evidence_list"  # the evidence list (证据清单), bound at the end of the investigation


def stage_of(kind: str) -> str:
    return KIND_STAGE.get(kind, "other")


@dataclass(frozen=True)
class FileDocument:
    """One issued document of the case, as the file binds it."""

    id: int
    kind: str
    title: str
    number: str
    version: int
    issued_at: dt.datetime
    data_sha256: str
    pdf_sha256: str = ""


@dataclass(frozen=True)
class FileEvidence:
    """One piece of evidence, listed by its hash (the file itself is not copied)."""

    id: int
    title: str
    kind: str
    sha256: str
    size: int
    collected_on: dt.date


def order_documents(documents: Iterable[FileDocument]) -> list[FileDocument]:
    """The documents in procedural order: by stage, then by the time they were issued, then id."""
    return sorted(documents, key=lambda d: (STAGE_INDEX[stage_of(d.kind)], d.issued_at, d.id))


def contents(documents: Iterable[FileDocument], evidence: Sequence[FileEvidence]) -> list[dict]:
    """The file's ordered contents (卷内文件): one entry per document, and the evidence list after
    the investigation's documents (or where the investigation would be) when there is evidence."""
    ordered = order_documents(documents)
    entries: list[dict] = []
    evidence_placed = not evidence
    after_investigation = STAGE_INDEX["investigation"]
    for doc in ordered:
        if not evidence_placed and STAGE_INDEX[stage_of(doc.kind)] > after_investigation:
            entries.append(_evidence_entry(evidence))
            evidence_placed = True
        stage = stage_of(doc.kind)
        entries.append({"kind": doc.kind, "stage": stage, "stage_label": STAGE_LABELS[stage], "title": doc.title,
                        "number": doc.number, "version": doc.version, "document_id": doc.id,
                        "issued_on": doc.issued_at.date().isoformat(), "data_sha256": doc.data_sha256})
    if not evidence_placed:
        entries.append(_evidence_entry(evidence))
    return entries


def _evidence_entry(evidence: Sequence[FileEvidence]) -> dict:
    return {"kind": EVIDENCE_LIST, "stage": "investigation", "stage_label": STAGE_LABELS["investigation"],
            "title": "证据清单", "number": "", "version": 1, "document_id": None,
            "issued_on": max(e.collected_on for e in evidence).isoformat(), "data_sha256": evidence_hash(evidence)}


def evidence_entries(evidence: Sequence[FileEvidence]) -> list[dict]:
    return [{"id": e.id, "title": e.title, "kind": e.kind, "sha256": e.sha256, "size": e.size,
             "collected_on": e.collected_on.isoformat()} for e in sorted(evidence, key=lambda e: (e.collected_on, e.id))]


def evidence_hash(evidence: Sequence[FileEvidence]) -> str:
    return sha256_of(evidence_entries(evidence))


def sha256_of(value) -> str:
    """SHA-256 of the canonical JSON of ``value`` (sorted keys, no whitespace, UTF-8)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def manifest(case_number: str, entries: list[dict], evidence: list[dict]) -> dict:
    """What the binding hash covers: the case, the ordered contents (each document by its data
    hash) and the evidence by hash."""
    return {"case": case_number, "contents": [{k: e[k] for k in ("kind", "number", "version", "data_sha256")} for e in entries],
            "evidence": [{k: e[k] for k in ("id", "sha256", "size")} for e in evidence]}


def manifest_hash(case_number: str, entries: list[dict], evidence: list[dict]) -> str:
    """The binding hash (装订摘要) of a file: identical contents give the identical hash."""
    return sha256_of(manifest(case_number, entries, evidence))


def page_ranges(page_counts: Sequence[int], first: int = 1) -> list[tuple[int, int]]:
    """The first and last page number of each part of ``page_counts``, numbered from ``first``."""
    ranges, page = [], first
    for count in page_counts:
        if count < 1:
            raise ValueError("每份文书至少一页")
        ranges.append((page, page + count - 1))
        page += count
    return ranges
