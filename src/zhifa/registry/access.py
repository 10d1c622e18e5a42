"""The one permission layer (architecture.md, principle 5).

Every staff query goes through ``scope`` (or one of the helpers built on it): staff see their own
body's data, supervisors the bodies of their jurisdiction subtree, the system administrator
everything, and the anonymous public only what is published (through the portal's own redacted
serializers). Later apps (cases, inspections …) call ``scope(actor, queryset, body_field=…)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from zhifa.core.labels import Labelled

from .models import Body, Officer, SupervisionPost


class Role(Labelled):
    ADMIN = "admin", "系统管理员"
    SUPERVISOR = "supervisor", "执法监督机构"
    HEAD = "head", "主体负责人"
    OFFICER = "officer", "执法人员"
    AUXILIARY = "auxiliary", "执法辅助人员"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
    PUBLIC = "public", "社会公众"


ROLE_LABELS = {k: k.label for k in Role}


@dataclass(frozen=True)
class Actor:
    """Who is acting, resolved once per request: user, roles, body and supervised subtree."""

    user: object
    roles: frozenset[Role] = field(default_factory=frozenset)
    officer: Officer | None = None
    body_id: int | None = None
    jurisdiction_path: str | None = None  # a supervisor's subtree prefix

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_supervisor(self) -> bool:
        return Role.SUPERVISOR in self.roles

    @property
    def is_staff_member(self) -> bool:
        return self.officer is not None

    @property
    def is_public(self) -> bool:
        return self.roles == frozenset({Role.PUBLIC})

    @property
    def primary_role(self) -> Role:
        for role in (Role.ADMIN, Role.SUPERVISOR, Role.HEAD, Role.LEGAL_REVIEWER, Role.AUXILIARY, Role.OFFICER):
            if role in self.roles:
                return role
        return Role.PUBLIC

    def has(self, role: Role) -> bool:
        return role in self.roles


PUBLIC = Actor(user=AnonymousUser(), roles=frozenset({Role.PUBLIC}))


# What to join when loading a user who will act (the bearer token's query): ``actor_for`` then
# needs no query of its own.
USER_JOINS = ("user__officer__body", "user__supervision_post__jurisdiction")
_NOT_JOINED = object()


def _joined(user, name: str):
    """The user's ``officer`` / ``supervision_post`` if the query that loaded the user joined it
    (``USER_JOINS``, marked ``_zhifa_joined``; ``None`` when there is none), else ``_NOT_JOINED``."""
    if not getattr(user, "_zhifa_joined", False):  # only a fresh join: a cached access may be stale
        return _NOT_JOINED
    related = getattr(user.__class__, name).related  # __class__: a lazy request.user passes as its user
    return related.get_cached_value(user) if related.is_cached(user) else None


def actor_for(user) -> Actor:
    """Resolve a Django user into an ``Actor`` with at most two queries (none when the user was
    loaded with ``USER_JOINS``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    roles: set[Role] = set()
    if user.is_superuser:
        roles.add(Role.ADMIN)
    officer = _joined(user, "officer")
    if officer is _NOT_JOINED:
        officer = Officer.objects.select_related("body").filter(user=user, status=Officer.Status.ACTIVE).first()
    elif officer is not None and officer.status != Officer.Status.ACTIVE:
        officer = None
    if officer is not None:
        roles.add(Role.AUXILIARY if officer.is_auxiliary else Role.OFFICER)
        if officer.is_head:
            roles.add(Role.HEAD)
        if officer.is_legal_reviewer:
            roles.add(Role.LEGAL_REVIEWER)
    post = _joined(user, "supervision_post")
    if post is _NOT_JOINED:
        post = SupervisionPost.objects.select_related("jurisdiction").filter(user=user).first()
    if post is not None:
        roles.add(Role.SUPERVISOR)
    if not roles:
        return PUBLIC
    return Actor(
        user=user,
        roles=frozenset(roles),
        officer=officer,
        body_id=officer.body_id if officer else None,
        jurisdiction_path=post.jurisdiction.path if post else None,
    )


def role_names(user) -> set[str]:
    """The user's role names (``Role`` values): what core's second factor asks of
    ``ZHIFA["TOTP_REQUIRED_ROLES"]`` (core/security/totp.py)."""
    return {role.value for role in actor_for(user).roles}


def request_actor(request) -> Actor:
    """The actor of a request, cached on it."""
    cached = getattr(request, "_zhifa_actor", None)
    if cached is None:
        cached = actor_for(getattr(request, "user", None))
        request._zhifa_actor = cached
    return cached


def body_filter(actor: Actor, body_field: str = "body") -> Q | None:
    """The Q object limiting rows owned by a body (through ``body_field``) to the actor's scope.

    ``None`` means unrestricted (administrator). An actor with no scope gets a filter matching
    nothing.
    """
    if actor.is_admin:
        return None
    condition = Q(pk__in=[])
    if actor.body_id is not None:
        condition |= Q(**{f"{body_field}_id": actor.body_id})
    if actor.jurisdiction_path:
        condition |= Q(**{f"{body_field}__jurisdiction__path__startswith": actor.jurisdiction_path})
    return condition


def scope(actor: Actor, queryset: QuerySet, body_field: str = "body") -> QuerySet:
    """Limit any body-owned queryset to what ``actor`` may see as staff."""
    condition = body_filter(actor, body_field)
    return queryset if condition is None else queryset.filter(condition)


def scope_bodies(actor: Actor, queryset: QuerySet[Body]) -> QuerySet[Body]:
    """Limit a Body queryset to the bodies whose internal data the actor may see as staff."""
    if actor.is_admin:
        return queryset
    condition = Q(pk__in=[])
    if actor.body_id is not None:
        condition |= Q(pk=actor.body_id)
    if actor.jurisdiction_path:
        condition |= Q(jurisdiction__path__startswith=actor.jurisdiction_path)
    return queryset.filter(condition)


def visible_bodies(actor: Actor) -> QuerySet[Body]:
    """Bodies are public once published (R01); staff also see their own body and supervisors
    their subtree, published or not."""
    qs = Body.objects.select_related("jurisdiction")
    if actor.is_admin:
        return qs
    condition = Q(is_published=True)
    if actor.body_id is not None:
        condition |= Q(pk=actor.body_id)
    if actor.jurisdiction_path:
        condition |= Q(jurisdiction__path__startswith=actor.jurisdiction_path)
    return qs.filter(condition)


def can_see_private(actor: Actor, body: Body | int) -> bool:
    """May ``actor`` read the private data (ID number, phone, training, assignments) of the
    people of ``body``? Own body, supervised subtree, administrator."""
    body_id = body if isinstance(body, int) else body.pk
    if actor.is_admin or (actor.body_id is not None and actor.body_id == body_id):
        return True
    if actor.jurisdiction_path:
        path = Body.objects.filter(pk=body_id).values_list("jurisdiction__path", flat=True).first()
        return bool(path and path.startswith(actor.jurisdiction_path))
    return False


def may_see_personal_of(actor: Actor, officer: Officer) -> bool:
    """May ``actor`` show a colleague's ID number and phone in full (``core.security.personal``)?
    The person themself, the head of their body (non-auxiliary) and the administrator who manages
    accounts; everyone else who may read the private data sees them masked (issue 15 §3)."""
    me = actor.officer
    if actor.is_admin or (me is not None and me.pk == officer.pk):
        return True
    return bool(me is not None and me.is_head and not me.is_auxiliary and me.body_id == officer.body_id)


def staff_officers(actor: Actor) -> QuerySet[Officer]:
    """Officers whose private data the actor may read."""
    return scope(actor, Officer.objects.all(), "body")


def public_officers() -> QuerySet[Officer]:
    """What anyone may look up (R40: check an officer's certificate): active officers of
    published bodies; callers expose only public fields."""
    return Officer.objects.filter(status=Officer.Status.ACTIVE, body__is_published=True, is_auxiliary=False)


def can_manage_body(actor: Actor, body: Body | int) -> bool:
    """May ``actor`` change the registry data of ``body`` (import officers, record training …)?
    The administrator, and the body's own head."""
    body_id = body if isinstance(body, int) else body.pk
    return actor.is_admin or (actor.has(Role.HEAD) and actor.body_id == body_id)


def can_view_health(actor: Actor) -> bool:
    """The registry health view is for supervisors, administrators and heads (their own body)."""
    return actor.is_admin or actor.is_supervisor or actor.has(Role.HEAD)


def once_a_day(actor: Actor, on, key: str, compute):
    """``compute(actor, on)`` kept on the actor's officer object (attribute ``key``) for the day
    ``on``: what a list *shows* for every row, read once. Never for a service's own check, which
    always reads afresh. Without an officer, computed every time."""
    officer = actor.officer
    cached = getattr(officer, key, None)
    if cached is not None and cached[0] == on:
        return cached[1]
    found = compute(actor, on)
    if officer is not None:
        setattr(officer, key, (on, found))
    return found
