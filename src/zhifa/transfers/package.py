"""The case package (移送案卷包) for the police and the procuratorate: the transfer's documents and
the full-process records of the transfer and of its case, as one JSON file anyone can verify
without zhifa (``tools/verify_transfer_package.py``, standard library only), and a PDF index that
prints the package's digest.

What can be checked from the JSON alone:

- each record stream's chain: every entry's hash is ``H(previous_hash ‖ canonical(content))`` with
  the entry's own algorithm (SM3 or SHA-256), numbered from 1 and linked to the previous one
  (``core/ledger.py``); the transfer's record names every document with its data hash;
- each document's data hash: SHA-256 of ``canonical({"number", "version", "kind", "data"})``
  (``documents.services.data_sha256``) — equal to the hash the record carries;
- the package's digest: SHA-256 of the canonical package without its ``digest`` and ``signature``
  members;
- the body's signature (``signature``): Ed25519 over the digest's hex, with the body's active key
  (``signing.py``; the key's fingerprint and public key in the package, to compare with the key
  the body gave the recipient).

``canonical`` is JSON with sorted keys, no whitespace, UTF-8, non-ASCII kept.
"""
from __future__ import annotations

import hashlib
import json

from django.template.loader import render_to_string

from zhifa.core import clock
from zhifa.core.ledger import RecordEntry
from zhifa.documents import services as documents
from zhifa.documents.models import Document

from zhifa.core.violations import WRONG_STATE, Refused, Violation

from . import rules, signing
from .models import SigningKey, Transfer

FORMAT = "zhifa-transfer-package/1"


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _entries(stream: str) -> list[dict]:
    out = []
    for e in RecordEntry.objects.filter(stream=stream).order_by("seq"):
        out.append({"content": e.content(), "algorithm": e.algorithm, "previous_hash": e.previous_hash, "hash": e.hash})
    return out


def _documents(t: Transfer) -> list[dict]:
    subjects = [t.stream] + ([f"case:{t.case_id}"] if t.case_id else [])
    rows = []
    for d in Document.objects.filter(subject__in=subjects).order_by("issued_at", "pk"):
        rows.append({"id": d.pk, "subject": d.subject, "kind": d.kind, "title": d.title, "number": d.number, "version": d.version,
                     "status": d.status, "issued_on": d.issued_on.isoformat(), "data": d.data,
                     "data_sha256": documents.data_sha256(d), "pdf_sha256": d.pdf_sha256, "docx_sha256": d.docx_sha256})
    return rows


def build(t: Transfer) -> dict:
    """The package as a JSON-ready dict, with its digest."""
    streams = [t.stream] + ([f"case:{t.case_id}"] if t.case_id else [])
    package = {
        "format": FORMAT,
        "generated_at": clock.now().isoformat(timespec="seconds"),
        "transfer": {
            "id": t.pk, "direction": t.direction, "state": t.state, "state_label": rules.state_label(t.state),
            "body": t.body.name, "case_id": t.case_id, "case_number": t.case.number if t.case else "",
            "party": t.case.party_name if t.case else t.party_name, "suspected_offence": t.suspected_offence,
            "police": t.police, "team": [o.name for o in t.team.order_by("pk")],
        },
        "documents": _documents(t),
        "records": {s: _entries(s) for s in streams},
    }
    digest = hashlib.sha256(canonical(package)).hexdigest()
    package["digest"] = {"algorithm": "sha256", "value": digest}
    key = SigningKey.objects.filter(body_id=t.body_id, retired_at__isnull=True).first()
    if key is None:
        raise Refused([Violation(WRONG_STATE, "本机关尚无案卷包签名密钥：首次移送时自动生成，或者由负责人生成。", "")])
    package["signature"] = {"algorithm": key.algorithm, "key_id": key.key_id, "public_key": key.public_key, "body": t.body.name,
                            "signed": "digest", "value": signing.sign(key.private_key, digest.encode())}
    return package


def as_json(package: dict) -> bytes:
    return json.dumps(package, ensure_ascii=False, indent=1, sort_keys=True).encode()


def as_pdf(package: dict) -> bytes:
    """The package's index as a PDF: the documents with their numbers and hashes, the record
    entries with theirs, and the package's digest."""
    from zhifa.documents import rendering

    rendering.check_fonts()
    body_font, heading_font = rendering.fonts()
    html = render_to_string("transfers/package.html", {"p": package, "body_font": body_font, "heading_font": heading_font})
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
