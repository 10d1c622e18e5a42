"""Read-only queries of the catalogue shared by the API, the pages and the services above
(architecture.md, "selectors.py"): item versions, competence (R03) and the item list filter.

Nothing here writes; every function runs a fixed number of queries."""
from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhifa.registry import access

from . import rules
from .models import Delegation, Item

VERSION_SEPARATOR = "@v"


# --- The item list (执法事项清单, R09): visibility, search and filters ----------------------------------

def visible_items(actor: access.Actor) -> QuerySet[Item]:
    """Items the actor may see: those of the bodies ``access.visible_bodies`` lets them see (the
    public: published bodies; staff: also their own; supervisors: their subtree; admin: all)."""
    qs = Item.objects.select_related("body")
    if actor.is_admin:
        return qs
    return qs.filter(body__in=access.visible_bodies(actor).values("pk"))


def in_force_on(day: dt.date) -> Q:
    """Items in force on ``day`` (valid_from ≤ day ≤ valid_to, open-ended when valid_to is empty)."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def search_items(qs: QuerySet[Item], text: str | None) -> QuerySet[Item]:
    """Keyword search over the name, sub-item name, code and legal basis (实施依据)."""
    text = (text or "").strip()
    if not text:
        return qs
    return qs.filter(Q(name__icontains=text) | Q(sub_name__icontains=text) | Q(code__icontains=text)
                     | Q(legal_basis__icontains=text))


def filter_items(qs: QuerySet[Item], *, q: str | None = None, body=None, kind: str | None = None,
                 valid_on: dt.date | None = None, expired_on: dt.date | None = None) -> QuerySet[Item]:
    """The one item filter of the API and the pages: keyword, body (a ``Body`` or its id), kind,
    in force on ``valid_on``, or no longer (or not yet) in force on ``expired_on``."""
    qs = search_items(qs, q)
    if body:
        qs = qs.filter(body=body)
    if kind:
        qs = qs.filter(kind=kind)
    if valid_on is not None:
        qs = qs.filter(in_force_on(valid_on))
    if expired_on is not None:
        qs = qs.exclude(in_force_on(expired_on))
    return qs


# --- Item versions (事项版本, R09) ----------------------------------------------------------------

def archived_code(code: str, version: int) -> str:
    """The code of a superseded version: ``SHJ-CF-0042`` version 1 → ``SHJ-CF-0042@v1``."""
    return f"{code}{VERSION_SEPARATOR}{version}"


def canonical_code(code: str) -> str:
    """``SHJ-CF-0042@v1`` → ``SHJ-CF-0042``."""
    return code.split(VERSION_SEPARATOR, 1)[0]


def _same_item(code: str) -> Q:
    base = canonical_code(code)
    return Q(code=base) | Q(code__startswith=f"{base}{VERSION_SEPARATOR}")


def versions_of(code: str) -> QuerySet[Item]:
    """Every version of the item named ``code`` (canonical or archived), newest first. One query."""
    return Item.objects.filter(_same_item(code)).order_by("-version")


def item_version_on(code: str, day: dt.date, queryset: QuerySet[Item] | None = None) -> Item | None:
    """The version of ``code`` in force on ``day`` (APL art.37: the law at the time of the act),
    else None. ``queryset`` scopes the search (e.g. the items an actor may see). One query."""
    qs = (queryset if queryset is not None else Item.objects.all()).filter(_same_item(code), in_force_on(day))
    return qs.order_by("-version").first()


# --- Competence (执法权限, R03) -------------------------------------------------------------------

def competence_of(body_id: int) -> rules.Competence:
    """Items a body may enforce: its own items plus delegations and entrustments to it (R03).
    Two queries."""
    own = frozenset(Item.objects.filter(body_id=body_id).values_list("pk", flat=True))
    delegations = tuple(
        rules.DelegationFacts(d.to_body_id, d.item_id, d.valid_from, d.valid_to, d.revoked_on)
        for d in Delegation.objects.filter(to_body_id=body_id)
    )
    return rules.Competence(own, delegations)


def delegations_of_item(item: Item, bodies) -> QuerySet[Delegation]:
    """The delegations of ``item`` to any of ``bodies`` (the actor's visible bodies), newest first."""
    return (
        Delegation.objects.filter(item=item, to_body__in=bodies)
        .select_related("from_body", "to_body")
        .order_by("-valid_from", "pk")
    )


# --- The catalogue's part of a body's pages (registry↔catalog seam) ------------------------------
# registry may not import catalog: its body pages should receive these through a hook that catalog
# registers (see the catalog helper's report); until then registry reaches them by relation.

def body_panel(body) -> dict:
    """What a body's page shows of the catalogue: its first 20 items, their count, and the
    delegations (赋权/委托, R03) to and from it — the context keys of ``registry/body_detail.html``."""
    items = Item.objects.filter(body=body).order_by("code")
    delegations = Delegation.objects.select_related("from_body", "to_body", "item").order_by("-valid_from", "pk")
    return {
        "items": items[:20],
        "n_items": items.count(),
        "delegations_in": delegations.filter(to_body=body),
        "delegations_out": delegations.filter(from_body=body),
    }


def items_of_bodies(bodies) -> QuerySet[Item]:
    """The items of ``bodies`` (a queryset of bodies), e.g. to count them on an overview page;
    ``Item.objects.all()`` when ``bodies`` is None (a per-body count subquery filters it)."""
    return Item.objects.all() if bodies is None else Item.objects.filter(body__in=bodies)
