"""Case files (卷宗, R31): binding a closed case's file, re-binding it, making its PDF.

Binding reads the case's issued documents and its evidence, orders them (``rules.casefile``),
stores a new ``CaseFile`` version and appends ``bind_file`` to the case's chain (``case:<id>``)
with the binding hash — and, in immediate rendering, the PDF's SHA-256. In deferred rendering
(the demo, the tests) the PDF is made on first download by ``ensure_case_file_pdf``, which appends
``case_file_rendered`` with its SHA-256. Archiving binds through ``cases.hooks`` (registered in
``apps.py``): the archive act calls ``bind_for_archive`` on the locked case.
"""
from __future__ import annotations

from django.db import transaction
from django.http import Http404

from zhifa.cases import workflow
from zhifa.cases.models import Case, Evidence
from zhifa.cases.selectors import visible_cases
from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import Refused, Violation
from zhifa.documents import services as documents
from zhifa.documents.files import TransactionFiles
from zhifa.documents.models import Document
from zhifa.documents.modes import IMMEDIATE, WORKER, rendering_mode
from zhifa.documents.rendering import RenderFailed
from zhifa.registry import access

from .. import casefile_pdf, permissions
from ..models import CaseFile
from ..rules import casefile as rules
from ..rules.codes import BASIS_CASE_FILE, REASON_REQUIRED, WRONG_STATE
from ..permissions import actor_name

BINDABLE_STATES = ("closed", "archived")


def _documents(case: Case) -> tuple[list[Document], int]:
    docs = list(Document.objects.filter(subject=f"case:{case.pk}").order_by("issued_at", "id"))
    issued = [d for d in docs if d.status == Document.Status.ISSUED]
    return issued, len(docs) - len(issued)


def _evidence(case: Case) -> list[rules.FileEvidence]:
    return [rules.FileEvidence(e.pk, e.title, e.kind, e.sha256, e.size, e.collected_on)
            for e in case.evidence.order_by("collected_on", "id")]


def _file_documents(docs: list[Document]) -> list[rules.FileDocument]:
    return [rules.FileDocument(d.pk, d.kind, d.title, d.number, d.version, d.issued_at, documents.data_sha256(d), d.pdf_sha256)
            for d in docs]


def _bind(case: Case, actor: access.Actor, reason: str) -> CaseFile:
    """A new binding version of the locked ``case`` and its record entry."""
    docs, not_bound = _documents(case)
    evidence = _evidence(case)
    contents = rules.contents(_file_documents(docs), evidence)
    listed = rules.evidence_entries(evidence)
    digest = rules.manifest_hash(case.number or str(case.pk), contents, listed)
    last = CaseFile.objects.filter(case=case).order_by("-version").values_list("version", flat=True).first() or 0
    user = ledger.user_of(actor)
    cf = CaseFile.objects.create(
        case=case, version=last + 1, bound_on=clock.today(), bound_at=clock.now(), bound_by=user,
        bound_by_name=actor_name(actor), reason=reason, contents=contents, evidence=listed,
        notes={"documents": len(docs), "evidence": len(listed), "not_bound": not_bound}, binding_sha256=digest,
    )
    mode = rendering_mode()
    if mode == IMMEDIATE:
        _render(cf)
    elif mode == WORKER:  # the worker makes the PDF after the commit (its task row commits with the file)
        from ..tasks import render_case_file

        render_case_file.enqueue(cf.pk)
    ledger.append(case.stream, "bind_file", {
        "label": "案卷装订" if last == 0 else "案卷重新装订", "case_file_id": cf.pk, "version": cf.version,
        "binding_sha256": digest, "documents": len(docs), "evidence": len(listed), "reason": reason,
        "pdf_sha256": cf.pdf_sha256, "page_count": cf.page_count,
    }, actor=actor, actor_name=actor_name(actor))
    return cf


def _lock_case(case_id: int, actor: access.Actor) -> Case:
    case = visible_cases(actor).select_for_update(of=("self",)).select_related("body", "item").filter(pk=case_id).first()
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case


@use_case
def bind_case_file(case_id: int, *, reason: str = "", actor: access.Actor) -> CaseFile:
    """装订 (or 重新装订) a closed case's file. A re-binding is a correction: it says why, and the
    earlier versions stay readable."""
    with transaction.atomic():
        case = _lock_case(case_id, actor)
        permissions.require_bind(actor, case.body_id)
        found = []
        if case.state not in BINDABLE_STATES:
            found.append(Violation(WRONG_STATE, f"案件{workflow.state_label(case.state)}，结案后才能装订案卷。", BASIS_CASE_FILE))
        if CaseFile.objects.filter(case=case).exists() and not reason.strip():
            found.append(Violation(REASON_REQUIRED, "案卷已装订，重新装订须说明原因（如更正文书）。", BASIS_CASE_FILE))
        if found:
            raise Refused(found)
        return _bind(case, actor, reason.strip())


@use_case
def bind_for_archive(case: Case, actor: access.Actor) -> dict:
    """The archive binder (``cases.hooks``): inside the archive act, on the locked case. Binds a
    first or a new version when the contents changed since the latest binding; returns what the
    archive entry names."""
    docs, _ = _documents(case)
    evidence = _evidence(case)
    digest = rules.manifest_hash(case.number or str(case.pk), rules.contents(_file_documents(docs), evidence),
                                 rules.evidence_entries(evidence))
    latest = CaseFile.objects.filter(case=case).order_by("-version").first()
    if latest is None or latest.binding_sha256 != digest:
        latest = _bind(case, actor, "" if latest is None else "归档时案卷内容有变化，重新装订")
    return {"case_file_version": latest.version, "binding_sha256": latest.binding_sha256}


def _document_pdf(doc: Document) -> bytes:
    doc = documents.ensure_rendered(doc)
    with doc.pdf.open("rb") as handle:
        return handle.read()


def _render(cf: CaseFile) -> None:
    """Make the whole file's PDF of ``cf`` (locked or new), store it with its hash and pages."""
    case = cf.case
    by_id = {d.pk: d for d in Document.objects.filter(pk__in=[e["document_id"] for e in cf.contents if e["document_id"]])}
    kind_labels = dict(Evidence.Kind.choices)
    readers = {e["document_id"]: casefile_pdf.reader(_document_pdf(by_id[e["document_id"]])) for e in cf.contents if e["document_id"]}
    documents_pages = {pk: list(pdf.pages) for pk, pdf in readers.items()}  # the readers stay open until the file is built
    evidence = [{**e, "kind_label": kind_labels.get(e["kind"], e["kind"])} for e in cf.evidence]
    officers = "、".join(case.officers.values_list("name", flat=True))
    laid_out = {}

    def context(evidence_pages: int) -> dict:
        counts = [len(documents_pages[e["document_id"]]) if e["document_id"] else evidence_pages for e in cf.contents]
        laid_out["contents"], laid_out["total"] = casefile_pdf.contents_with_pages(cf.contents, counts), sum(counts)
        return {
            "body_name": case.body.name, "cause": case.item.name, "case_number": case.number, "party": case.party_name,
            "outcome": case.get_outcome_display() or "—", "filed_on": case.filed_on, "closed_on": case.closed_on,
            "officers": officers, "page_count": laid_out["total"], "version": cf.version, "bound_on": cf.bound_on,
            "contents": laid_out["contents"], "notes": cf.notes, "reason": cf.reason, "bound_by": cf.bound_by_name,
            "binding_sha256": cf.binding_sha256,
        }

    _matter, (evidence_pages, front, notes) = casefile_pdf.render_matter(context, evidence)
    parts = [documents_pages[e["document_id"]] if e["document_id"] else evidence_pages for e in cf.contents]
    pdf, total = casefile_pdf.build(front=front, parts=parts, notes=notes)
    files = TransactionFiles()
    name, sha = files.save(f"case_files/{case.pk}/case-{case.pk}-v{cf.version}.pdf", pdf)
    cf.pdf, cf.pdf_sha256, cf.page_count, cf.contents = name, sha, total, laid_out["contents"]
    cf.notes = {**cf.notes, "front_pages": len(front)}  # where the numbered pages begin (not part of the binding hash)
    cf.save(update_fields=["pdf", "pdf_sha256", "page_count", "contents", "notes"])


@use_case(derived=True)
def ensure_case_file_pdf(case_file_id: int) -> CaseFile:
    """The file's PDF, made once on first download (deferred rendering), its SHA-256 appended to
    the case's chain (``case_file_rendered``). Refuses ``DOCUMENT_RENDER_FAILED`` on a font or
    template failure."""
    with transaction.atomic():
        cf = CaseFile.objects.select_for_update(of=("self",)).select_related("case__body", "case__item").get(pk=case_file_id)
        if cf.pdf:
            return cf
        try:
            _render(cf)
        except RenderFailed as exc:
            raise Refused([Violation("DOCUMENT_RENDER_FAILED", str(exc))]) from None
        ledger.append(cf.case.stream, "case_file_rendered", {"label": "生成卷宗 PDF", "case_file_id": cf.pk, "version": cf.version,
                                                             "pdf_sha256": cf.pdf_sha256, "page_count": cf.page_count})
        return cf
