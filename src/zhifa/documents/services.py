"""Document use cases (R16): issue (签发), void (作废) and re-issue after a correction (更正重发).

The caller (the case workflow, later) hands a document kind, the issuing body and the data; this
module checks the content, numbers the document (文号), renders PDF and DOCX from the same data,
stores both files with their SHA-256 and returns the ``Document`` row. It knows nothing of cases:
``subject`` is an opaque reference chosen by the caller ("case:123").

Each write takes ``actor``, runs in one transaction and locks what it changes. The number counter
row of (body, kind, year) is locked with ``select_for_update`` while the document is rendered, so
numbers are gapless and unique; a refusal or a rendering failure rolls the number back and removes
any file already written. The files stay only if the transaction commits: when the caller's
transaction (a case action) rolls back after the document was issued, they are deleted at once
(``files.TransactionFiles``); files left by a crash are pruned by ``prune_orphan_files``.

Rendering mode (``ZHIFA["DOCUMENT_RENDERING"]``, ``modes.py``): ``"worker"`` (the production
default) checks the content, numbers the document and stores its data in the issuing transaction
and queues a render task in that same transaction (``tasks.render_document``): a worker renders the
files after the commit, so no request waits for a PDF. ``"immediate"`` (the test suites' default)
renders and stores the PDF and DOCX with their SHA-256 in the issuing transaction. ``"deferred"``
(the demo data) is ``worker`` without the task. In ``worker`` and ``deferred`` mode a download
before the files exist renders them once (``ensure_rendered``); ``zhifa render-documents`` and
``zhifa sweep`` render whatever is left; fonts and templates are still checked before issue.
``render_mode(mode)`` switches the mode for a block of code.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Mapping

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet

from zhifa.core import clock, ledger, orphan_files
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import NOT_FOUND, REASON_REQUIRED, WRONG_STATE, Refused, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry.models import Body

from . import files as file_store
from . import checks, kinds, rendering, rules
from .models import Document, DocumentCounter
from .modes import DEFERRED, IMMEDIATE, WORKER, render_mode, renders_in_transaction, rendering_mode  # noqa: F401 — re-exported

__all__ = [
    "issue_document", "void_document", "reissue_document", "preview_pdf", "visible_documents", "may_issue",
    "ensure_rendered", "render_pending", "render_mode", "rendering_mode", "data_sha256", "prune_orphan_files",
    "is_rendered", "pending_documents",
]

@query
def data_sha256(document: Document) -> str:
    """SHA-256 of the data a document was rendered from (canonical JSON): known at issue in both
    rendering modes, so the case record can carry it even before the files exist."""
    raw = json.dumps({"number": document.number, "version": document.version, "kind": document.kind, "data": document.data},
                     ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


# --- Reads ----------------------------------------------------------------------------------

@query
def visible_documents(actor: access.Actor) -> QuerySet[Document]:
    """Documents the actor may read as staff: those of the bodies in the actor's scope
    (own body, a supervisor's subtree, everything for the administrator)."""
    return access.scope(actor, Document.objects.select_related("body"), "body")


@query
def may_issue(actor: access.Actor, body_id: int) -> bool:
    """Officers (not auxiliary staff) of the issuing body, and the administrator."""
    return actor.is_admin or (actor.body_id == body_id and actor.has(access.Role.OFFICER))


def _require_may_issue(actor: access.Actor, body_id: int) -> None:
    if not may_issue(actor, body_id):
        raise PermissionDenied("只有本主体的执法人员可以制发、作废或更正本主体的文书。")


# --- Helpers --------------------------------------------------------------------------------

def _spec(kind: str) -> kinds.KindSpec:
    spec = kinds.get(kind)
    if spec is None:
        raise Refused([Violation(rules.UNKNOWN_DOCUMENT_KIND, f"文书种类“{kind}”不存在", "")])
    return spec


def _body(body: Body | int) -> Body:
    if isinstance(body, Body):
        return body
    try:
        return Body.objects.get(pk=body)
    except Body.DoesNotExist:
        raise Refused([Violation(NOT_FOUND, "制发文书的执法主体不存在", "")]) from None


def _body_info(body: Body) -> dict:
    return {"name": body.name, "short_name": body.short_name, "address": body.address, "phone": body.supervision_phone}


def _render_failed(exc: Exception) -> Refused:
    return Refused([Violation(rules.DOCUMENT_RENDER_FAILED, f"文书生成失败：{exc}", "")])


def _prepare(spec: kinds.KindSpec, body: Body, data: Mapping[str, Any], issued_on: dt.date) -> dict:
    """Normalize the data and check it: every missing item at once, then the template."""
    prepared = rendering.json_ready(rules.with_statutory_defaults(spec, data))
    prepared["body"] = _body_info(body)
    prepared["issued_on"] = issued_on.isoformat()
    try:
        has_seal = rendering.template_has_seal_area(spec, body.code) if spec.seal else True
    except rendering.RenderFailed as exc:
        raise _render_failed(exc) from None
    violations = rules.check_document(spec, prepared, has_seal_area=has_seal)
    if spec.code in checks.CHECKED_KINDS:  # legal-rules.md §F+: what a decision must say
        violations += checks.check(spec.code, prepared, rendering.printed_text(spec, prepared))
    violations += rules.check_numbering(body.short_name, spec, rendering.number_pattern())
    refuse_if_any(violations)
    try:
        rendering.check_fonts()
        rendering.docx_template_path(spec, body.code)
    except rendering.RenderFailed as exc:
        raise _render_failed(exc) from None
    return prepared


def _next_seq(body: Body, kind: str, year: int) -> int:
    """Take the next number of (body, kind, year), holding the counter row locked until commit.

    One statement (an upsert: PostgreSQL and SQLite >= 3.35): the insert of a first counter or the
    increment of an existing one, which locks the row until the issuing transaction ends, so numbers
    stay gapless and unique under concurrency (a rollback gives the number back)."""
    table = connection.ops.quote_name(DocumentCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (body_id, kind, year, last_seq) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (body_id, kind, year) DO UPDATE SET last_seq = {table}.last_seq + 1 RETURNING last_seq",
            [body.pk, kind, year],
        )
        return cursor.fetchone()[0]


_Files = file_store.TransactionFiles  # the files of one use case: deleted again unless its transaction commits


def _file_stem(body: Body, kind: str, year: int, seq: int, version: int) -> str:
    return f"documents/{body.code}/{year}/{kind}-{seq:05d}-v{version}"


def _render_both(spec: kinds.KindSpec, body: Body, data: dict, **compose_args) -> tuple[bytes, bytes]:
    content = rendering.compose(spec, data, body=data["body"], **compose_args)
    try:
        return rendering.render_pdf(spec, content, body.code), rendering.render_docx(spec, content, body.code)
    except rendering.RenderFailed as exc:
        raise _render_failed(exc) from None


def _store_files(files: _Files, spec: kinds.KindSpec, body: Body, data: dict, stem: str, **compose_args) -> tuple[str, str, str, str]:
    """Render and store PDF and DOCX: ``(pdf name, pdf hash, docx name, docx hash)``; nothing
    (four empty strings) unless the mode renders in the transaction (``immediate``)."""
    if not renders_in_transaction():
        return "", "", "", ""
    pdf, docx = _render_both(spec, body, data, **compose_args)
    pdf_name, pdf_hash = files.save(stem + ".pdf", pdf)
    docx_name, docx_hash = files.save(stem + ".docx", docx)
    return pdf_name, pdf_hash, docx_name, docx_hash


def _queue_rendering(doc: Document) -> None:
    """In ``worker`` mode, queue the render task of ``doc`` in the issuing transaction: the task row
    (django-tasks' database backend) commits or rolls back with the document, so a committed
    document always has its task and a refused action leaves none."""
    if rendering_mode() == WORKER and _needs_rendering(doc):
        from . import tasks

        tasks.queue(doc.pk)


def _run(files: _Files, work, *, savepoint: bool = True):
    """Run ``work`` in one transaction; on any failure remove the files it wrote. ``savepoint=False``
    inside a caller's transaction that fails whole with it (an act issuing its documents): two
    statements fewer, and a refusal still leaves nothing (the caller's transaction rolls back)."""
    try:
        with transaction.atomic(savepoint=savepoint):
            return work()
    except BaseException:
        files.discard()
        raise


# --- Use cases ------------------------------------------------------------------------------

@use_case
def issue_document(
    *,
    kind: str,
    body: Body | int,
    data: Mapping[str, Any],
    actor: access.Actor,
    subject: str = "",
    issued_on: dt.date | None = None,
    record: bool = True,
    savepoint: bool = True,
) -> Document:
    """Issue (签发) a document: check its content, number it, render PDF and DOCX, store them.

    Records ``issue`` on ``document:<id>``; ``record=False`` when the caller's act records the
    document in its own entry (a case action names number, version and hashes in the case record).
    ``savepoint=False`` for a caller whose transaction fails whole with the document (a case action):
    two statements fewer.

    Refuses with every missing item (``DOCUMENT_INCOMPLETE``; for the decision every content
    item of APL art.59) or ``DOCUMENT_RENDER_FAILED`` (missing font or broken template); then
    nothing is stored and no number is used.
    """
    spec = _spec(kind)
    body = _body(body)
    _require_may_issue(actor, body.pk)
    issued_on = issued_on or clock.today()
    prepared = _prepare(spec, body, data, issued_on)
    files = _Files()

    def work() -> Document:
        year = issued_on.year
        seq = _next_seq(body, spec.code, year)
        number = rules.format_number(body.short_name, spec.abbreviation, year, seq, rendering.number_pattern())
        stem = _file_stem(body, spec.code, year, seq, 1)
        pdf_name, pdf_hash, docx_name, docx_hash = _store_files(files, spec, body, prepared, stem, number=number, issued_on=issued_on)
        doc = Document.objects.create(
            body=body, kind=spec.code, title=spec.title, year=year, seq=seq, number=number, version=1,
            subject=subject, data=prepared, issued_on=issued_on, issued_at=clock.now(),
            issued_by=ledger.user_of(actor), pdf=pdf_name, pdf_sha256=pdf_hash, docx=docx_name, docx_sha256=docx_hash,
        )
        if record:
            _record(doc, "issue", actor)
        _queue_rendering(doc)
        return doc

    return _run(files, work, savepoint=savepoint)


@use_case
def reissue_document(document_id: int, *, data: Mapping[str, Any], actor: access.Actor, issued_on: dt.date | None = None,
                     record: bool = True) -> Document:
    """Re-issue (更正重发) a document after a correction: a new version with the same number and
    the corrected data; the old version is kept, marked as superseded. Records ``reissue`` on
    the new version's ``document:<id>`` (``record=False``: the caller's act records it)."""
    files = _Files()
    issued_on = issued_on or clock.today()

    def work() -> Document:
        old = _lock(document_id, actor)
        if old.status != Document.Status.ISSUED:
            raise Refused([Violation(WRONG_STATE, f"该文书状态为“{old.get_status_display()}”，只有有效的文书可以更正重发", "")])
        spec = _spec(old.kind)
        prepared = _prepare(spec, old.body, data, issued_on)
        version = old.version + 1
        stem = _file_stem(old.body, spec.code, old.year, old.seq, version)
        pdf_name, pdf_hash, docx_name, docx_hash = _store_files(
            files, spec, old.body, prepared, stem, number=old.number, issued_on=issued_on, version=version)
        old.status = Document.Status.SUPERSEDED
        old.save(update_fields=["status"])
        doc = Document.objects.create(
            body=old.body, kind=old.kind, title=spec.title, year=old.year, seq=old.seq, number=old.number, version=version,
            previous=old, subject=old.subject, data=prepared, issued_on=issued_on, issued_at=clock.now(),
            issued_by=ledger.user_of(actor), pdf=pdf_name, pdf_sha256=pdf_hash, docx=docx_name, docx_sha256=docx_hash,
        )
        if record:
            _record(doc, "reissue", actor, previous_id=old.pk)
        _queue_rendering(doc)
        return doc

    return _run(files, work)


@use_case
def void_document(document_id: int, *, reason: str, actor: access.Actor, record: bool = True) -> Document:
    """Void (作废) a document: it keeps its number, its original files and hashes; a copy of the
    PDF and DOCX marked 作废 is stored beside them and served from then on. Records ``void`` on
    ``document:<id>`` (``record=False``: the caller's act records it)."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused([Violation(REASON_REQUIRED, "请填写作废原因", "")])
    files = _Files()

    def work() -> Document:
        doc = _lock(document_id, actor)
        if doc.status != Document.Status.ISSUED:
            raise Refused([Violation(WRONG_STATE, f"该文书状态为“{doc.get_status_display()}”，不能作废", "")])
        spec = _spec(doc.kind)
        stem = _file_stem(doc.body, doc.kind, doc.year, doc.seq, doc.version) + "-void"
        doc.void_pdf, doc.void_pdf_sha256, doc.void_docx, doc.void_docx_sha256 = _store_files(
            files, spec, doc.body, doc.data, stem, number=doc.number, issued_on=doc.issued_on, version=doc.version,
            void=True, void_reason=reason,
        )
        doc.status = Document.Status.VOID
        doc.void_reason = reason
        doc.voided_at = clock.now()
        doc.voided_by = ledger.user_of(actor)
        doc.save()
        if record:
            _record(doc, "void", actor, reason=reason)
        _queue_rendering(doc)
        return doc

    return _run(files, work)


@query
def preview_pdf(*, kind: str, body: Body | int, data: Mapping[str, Any], actor: access.Actor) -> bytes:
    """A draft PDF marked 预览, without a number and without storing anything (for the browser
    preview before issue). Refuses like ``issue_document``."""
    spec = _spec(kind)
    body = _body(body)
    _require_may_issue(actor, body.pk)
    today = clock.today()
    prepared = _prepare(spec, body, data, today)
    pattern_number = f"{body.short_name}{spec.abbreviation}〔{today.year}〕　号"
    content = rendering.compose(spec, prepared, body=prepared["body"], number=pattern_number, issued_on=today, preview=True)
    try:
        return rendering.render_pdf(spec, content, body.code)
    except rendering.RenderFailed as exc:
        raise _render_failed(exc) from None


def _needs_rendering(doc: Document) -> bool:
    return not doc.pdf or not doc.docx or (doc.is_void and not (doc.void_pdf and doc.void_docx))


@query
def is_rendered(doc: Document) -> bool:
    """Do the files a download serves exist (else the page and the API show 生成中)?"""
    return not _needs_rendering(doc)


def _pending_filter():
    from django.db.models import Q

    return Q(pdf="") | Q(docx="") | Q(status=Document.Status.VOID, void_pdf="") | Q(status=Document.Status.VOID, void_docx="")


@query
def pending_documents() -> QuerySet[Document]:
    """Documents whose files are still to be rendered (生成中), oldest first."""
    return Document.objects.filter(_pending_filter()).order_by("pk")


def _missing_parts(doc: Document) -> list[str]:
    """Which file pairs a download of ``doc`` still lacks: ``""`` (the document) and/or ``"-void"``."""
    parts = []
    if not doc.pdf or not doc.docx:
        parts.append("")
    if doc.is_void and not (doc.void_pdf and doc.void_docx):
        parts.append("-void")
    return parts


def _render_part(doc: Document, part: str) -> tuple[bytes, bytes]:
    """The PDF and DOCX of one part of ``doc``, from its stored data (byte-for-byte the same on
    every call: the files are a function of number, version, data and void reason)."""
    spec = _spec(doc.kind)
    compose_args = {"number": doc.number, "issued_on": doc.issued_on, "version": doc.version}
    if part == "-void":
        compose_args.update(void=True, void_reason=doc.void_reason)
    return _render_both(spec, doc.body, doc.data, **compose_args)


@use_case(derived=True)
def ensure_rendered(document: Document) -> Document:
    """The document with its files: renders and stores whatever a deferred or worker issue (or
    void) left unrendered, with the SHA-256. Idempotent and safe under concurrency (the worker
    and a download at once): the files are rendered outside any lock, then the row is locked and
    re-read, and only the first to get there stores them; a later one finds them and keeps its
    own bytes nowhere. A render never writes under a name another render uses (the storage never
    overwrites), so a crash mid-render leaves only unreferenced files (``prune_orphan_files``).
    Raises ``Refused([DOCUMENT_RENDER_FAILED])`` when the font or a template fails."""
    if not _needs_rendering(document):
        return document
    fresh = Document.objects.select_related("body").get(pk=document.pk)
    rendered = {part: _render_part(fresh, part) for part in _missing_parts(fresh)}
    files = _Files()

    def work() -> Document:
        doc = Document.objects.select_for_update(of=("self",)).select_related("body").get(pk=document.pk)
        if not _needs_rendering(doc):
            return doc  # another render stored them meanwhile
        stem = _file_stem(doc.body, doc.kind, doc.year, doc.seq, doc.version)
        for part in _missing_parts(doc):
            pdf, docx = rendered.get(part) or _render_part(doc, part)  # voided meanwhile: render now
            pdf_name, pdf_hash = files.save(stem + part + ".pdf", pdf)
            docx_name, docx_hash = files.save(stem + part + ".docx", docx)
            if part:
                doc.void_pdf, doc.void_pdf_sha256, doc.void_docx, doc.void_docx_sha256 = pdf_name, pdf_hash, docx_name, docx_hash
            else:
                doc.pdf, doc.pdf_sha256, doc.docx, doc.docx_sha256 = pdf_name, pdf_hash, docx_name, docx_hash
        doc.save(update_fields=["pdf", "pdf_sha256", "docx", "docx_sha256", "void_pdf", "void_pdf_sha256", "void_docx", "void_docx_sha256"])
        return doc

    return _run(files, work)


@use_case(derived=True)
def render_pending(*, subject_prefix: str = "", limit: int | None = None) -> int:
    """Render every document whose files are missing (issued in deferred or worker mode and not yet
    rendered, or left behind by a worker that died): ``zhifa render-documents``, ``zhifa sweep``.
    Returns how many."""
    qs = pending_documents().select_related("body")
    if subject_prefix:
        qs = qs.filter(subject__startswith=subject_prefix)
    done = 0
    for doc in qs[:limit] if limit else qs:
        ensure_rendered(doc)
        done += 1
    return done


@use_case(derived=True)
def prune_orphan_files(*, min_age: dt.timedelta = orphan_files.DEFAULT_MIN_AGE, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Delete document files that no document refers to and that are older than ``min_age``
    (default one hour): left by a process that died inside an issuing transaction. Returns
    their names (``zhifa sweep``, ``zhifa render-documents --prune``)."""
    return file_store.prune_orphans(min_age=min_age, now=now, dry_run=dry_run)


def _lock(document_id: int, actor: access.Actor) -> Document:
    doc = Document.objects.select_for_update(of=("self",)).select_related("body").filter(pk=document_id).first()
    if doc is None or not visible_documents(actor).filter(pk=document_id).exists():
        from django.http import Http404

        raise Http404("文书不存在")
    _require_may_issue(actor, doc.body_id)
    return doc




def _record(doc: Document, action: str, actor: access.Actor, **extra) -> None:
    """The document's own record entry (``document:<id>``), in the write's transaction; the act
    the document belongs to (``subject``, e.g. a case action) records itself on its stream."""
    ledger.append(f"document:{doc.pk}", action, {
        "number": doc.number, "kind": doc.kind, "version": doc.version, "body_id": doc.body_id,
        "subject": doc.subject, "data_sha256": data_sha256(doc), **extra,
    }, actor=actor)
