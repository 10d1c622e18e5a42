"""What the public may see of the registry (公开信息): published bodies (主体公示, R01) with their
powers and supervision contacts, and the public certificate check (亮证查询, R40): a certificate
number answers with its state — valid / expired / suspended / revoked — the officer's name and
body, and nothing more of the person (no ID number, no phone, no staff data).

Every function returns plain dicts, already limited to public fields, with a constant number of
queries; the portal and the unauthenticated API read the registry through here only, so that
one module is reviewed for leaks. ``published_bodies`` is the one definition of "public bodies".
"""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from zhifa.core import clock
from zhifa.core.pagination import Paging, page_of

from . import selectors
from .models import Body, Certificate, Officer
from .rules import CertificateFacts, CertificateState, certificate_state


def published_bodies() -> QuerySet[Body]:
    """Bodies the public sees (R01: published), with their count of active officers (not auxiliaries)."""
    active = Q(officers__status=Officer.Status.ACTIVE, officers__is_auxiliary=False)
    return Body.objects.select_related("jurisdiction").filter(is_published=True).annotate(
        officer_count=Count("officers", filter=active))


def _body(body: Body) -> dict:
    return {
        "id": body.pk, "code": body.code, "name": body.name, "short_name": body.short_name,
        "kind": body.kind, "kind_label": body.get_kind_display(),
        "sector": body.sector, "sector_label": body.get_sector_display(),
        "jurisdiction_id": body.jurisdiction_id, "jurisdiction_name": body.jurisdiction.name,
        "legal_representative": body.legal_representative, "address": body.address,
        "supervision_phone": body.supervision_phone, "supervision_email": body.supervision_email,
        "powers": body.powers, "legal_basis": body.legal_basis,
        "responsibility_boundary": body.responsibility_boundary, "is_active": body.is_active,
        "officer_count": body.officer_count,
    }


def bodies(paging: Paging = Paging(), *, q: str = "", sector: str = "", jurisdiction_path: str = "") -> dict:
    """Published bodies (R01) with their powers and supervision contacts (监督电话、邮箱), a page of
    dicts; ``q`` searches name, short name and code. Two queries."""
    qs = selectors.search_bodies(published_bodies(), q=q, sector=sector, jurisdiction_path=jurisdiction_path or None)
    return page_of(qs.order_by("jurisdiction__path", "name", "id"), paging, _body)


def body(body_id: int) -> dict | None:
    """One published body, or ``None`` (unpublished and unknown bodies look the same)."""
    found = published_bodies().filter(pk=body_id).first()
    return _body(found) if found is not None else None


def certificate_check(number: str) -> dict | None:
    """The public certificate check (亮证查询) by number: the certificate's state today (valid /
    expired / suspended / revoked), its validity, the officer's name and body — what the
    certificate itself shows. ``None`` for an unknown number or an officer of an unpublished
    body. One query."""
    number = (number or "").strip()
    if not number or len(number) > 32 or "\x00" in number:
        return None
    cert = (Certificate.objects.select_related("officer__body").filter(number=number, officer__body__is_published=True)
            .first())
    if cert is None:
        return None
    state = certificate_state(CertificateFacts(cert.number, cert.status, cert.issued_on, cert.expires_on), clock.today())
    return {
        "number": cert.number, "state": state.value, "state_label": state.label,
        "issued_on": cert.issued_on, "expires_on": cert.expires_on, "issuer": cert.issuer,
        "status_changed_on": cert.status_changed_on if state in (CertificateState.SUSPENDED, CertificateState.REVOKED) else None,
        "officer_name": cert.officer.name, "body_id": cert.officer.body_id, "body_name": cert.officer.body.name,
    }


def officers(body_id: int, paging: Paging = Paging()) -> dict | None:
    """The certified officers of a published body as the public sees them (R40, 事前公开): name,
    certificate number and enforcement domain (the body's sector) — nothing else of the person
    (no ID number, phone, staff number). Active officers only, not auxiliaries (they hold no
    certificate). ``None`` for an unpublished or unknown body. Three queries."""
    found = published_bodies().filter(pk=body_id).first()
    if found is None:
        return None
    qs = (Officer.objects.filter(body_id=body_id, status=Officer.Status.ACTIVE, is_auxiliary=False)
          .order_by("name", "id"))

    def row(officer: Officer) -> dict:
        return {"name": officer.name, "certificate_number": getattr(officer, "public_certificate", ""),
                "domain": found.get_sector_display()}

    envelope = page_of(qs, paging, lambda officer: officer)
    newest: dict[int, str] = {}
    for cert in (Certificate.objects.filter(officer_id__in=[o.pk for o in envelope["items"]])
                 .order_by("officer_id", "-issued_on", "-id").values("officer_id", "number")):
        newest.setdefault(cert["officer_id"], cert["number"])
    for officer in envelope["items"]:
        officer.public_certificate = newest.get(officer.pk, "")
    envelope["items"] = [row(officer) for officer in envelope["items"]]
    return envelope


__all__ = ["body", "bodies", "certificate_check", "officers", "published_bodies"]
