"""Who may see and act on complaints (投诉举报) on the staff side.

The body's head (主体负责人) and its legal reviewers (法制审核人员) handle the complaints about
their body; the supervision office reads those of its jurisdiction (complaints feed supervision);
the system administrator everything. Plain officers — possibly the reported party — do not see
them. Nobody at the body sees the complainant's identity (SAMR20 art.33): only the supervision
office does, to verify a named complaint if it must."""
from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from zhifa.registry.access import Actor

REFUSED = "只有本主体负责人、法制审核人员或者执法监督机构可以查看和处理投诉举报。"


def may_handle(actor: Actor, body_id: int) -> bool:
    officer = actor.officer
    return actor.is_admin or (officer is not None and officer.body_id == body_id
                              and (officer.is_head or officer.is_legal_reviewer))


def may_see_identity(actor: Actor) -> bool:
    return actor.is_admin or actor.is_supervisor


def visible(actor: Actor, queryset: QuerySet) -> QuerySet:
    """The complaints ``actor`` may read on the staff side."""
    if actor.is_admin:
        return queryset
    officer = actor.officer
    if actor.is_supervisor and actor.jurisdiction_path:
        return queryset.filter(body__jurisdiction__path__startswith=actor.jurisdiction_path)
    if officer is not None and (officer.is_head or officer.is_legal_reviewer):
        return queryset.filter(body_id=officer.body_id)
    return queryset.none()


def client_address(request) -> str:
    """The filer's network address for the per-address rate limit: ``REMOTE_ADDR``, or behind a
    reverse proxy the header it sets (``settings.ZHIFA["CLIENT_ADDRESS_HEADER"]``; its last
    comma-separated value, the one the proxy itself appended)."""
    header = settings.ZHIFA.get("CLIENT_ADDRESS_HEADER", "")
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[-1].strip() if value else ""
    return (value or request.META.get("REMOTE_ADDR", "") or "unknown")[:64]


def supervises(actor: Actor, jurisdiction_path: str) -> bool:
    """The administrator, or a supervisor whose subtree holds ``jurisdiction_path``."""
    return actor.is_admin or bool(actor.is_supervisor and actor.jurisdiction_path
                                  and (jurisdiction_path or "").startswith(actor.jurisdiction_path))


def leads(actor: Actor, body_id: int) -> bool:
    """The body's head or one of its legal reviewers (who review what the body publishes)."""
    officer = actor.officer
    return officer is not None and officer.body_id == body_id and (officer.is_head or officer.is_legal_reviewer)


def by_scope(actor: Actor, queryset: QuerySet, body_path: str = "body__jurisdiction__path", body_field: str = "body_id") -> QuerySet:
    """What the staff side lists of the portal's publications: the administrator all, a
    supervisor its subtree, an officer its own body's."""
    if actor.is_admin:
        return queryset
    if actor.is_supervisor and actor.jurisdiction_path:
        return queryset.filter(**{f"{body_path}__startswith": actor.jurisdiction_path})
    if actor.officer is not None:
        return queryset.filter(**{body_field: actor.officer.body_id})
    return queryset.none()
