"""Who may do what on a case (案件办理权限): every role check of the cases app, in one place.

The services (before any write), the selectors (the scope of every read) and the pages (which
buttons to show) all ask here, so a page never offers what the service would refuse and the
service never trusts a page. Scope by jurisdiction itself is ``registry.access``; this module adds
what is particular to cases:

- the roles an officer holds on one case (``roles_on``): ``staff`` (any active member of the
  case's body, auxiliary staff too), ``officer`` (a certified, non-auxiliary member), ``head``
  (主体负责人) and ``reviewer`` (法制审核人员 of the body or of its county department, 提级审核);
- the extra read scope of a county department's legal reviewers over its townships' cases;
- the queues: the head's approvals (负责人审批) and the legal reviewer's reviews (法制审核);
- who may act *now* (``check_actor``, ``acting_roles``): the actor's own enforcement certificate
  (执法证) valid on the act's date (R04, ``CERTIFICATE_INVALID``), and for the investigating
  officers' acts the assignment to the case (承办, ``NOT_ASSIGNED``). A role gives the right to
  try an act (403 without it); these two are legal guards of the act (409, with the others).
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from zhifa.core.violations import CERTIFICATE_INVALID, NOT_ASSIGNED, Violation
from zhifa.registry import access
from zhifa.registry import rules as registry_rules
from zhifa.registry import services as registry
from zhifa.registry.models import Officer

ROLE_WHO = {"staff": "本主体工作人员", "officer": "本主体持证执法人员", "head": "本主体负责人", "reviewer": "法制审核人员"}


def _active(actor: access.Actor) -> Officer | None:
    officer = actor.officer
    return officer if officer is not None and officer.status == Officer.Status.ACTIVE else None


def roles_on(actor: access.Actor, case, parent_department_id: int | None = None) -> frozenset[str]:
    """The actor's roles on this case (see ``workflow``): staff, officer, head, reviewer."""
    officer = _active(actor)
    if officer is None:
        return frozenset()
    roles = set()
    if officer.body_id == case.body_id:
        roles.add("staff")
        if not officer.is_auxiliary:
            roles.add("officer")
            if officer.is_head:
                roles.add("head")
    if officer.is_legal_reviewer and not officer.is_auxiliary and (
        officer.body_id == case.body_id or (parent_department_id is not None and officer.body_id == parent_department_id)
    ):
        roles.add("reviewer")
    return frozenset(roles)


def case_roles(actor: access.Actor, case) -> frozenset[str]:
    """``roles_on`` for a case loaded with its body (the parent department read from it)."""
    return roles_on(actor, case, case.body.parent_department_id)


def may_see_personal(actor: access.Actor, case) -> bool:
    """当事人完整个人信息 (ID number, address: ``core.security.personal``): only those acting on the
    case — its assigned officers, the body's head, the legal reviewer who reviews it (PIPL art. 6
    最小必要; issue 15 §3). Auxiliary staff and colleagues of the body see them masked."""
    roles = case_roles(actor, case)
    return bool(roles & {"head", "reviewer"}) or ("officer" in roles and actor.officer.pk in assigned_ids(case))


def require_role(actor: access.Actor, case, role: str, label: str) -> None:
    """403 unless the actor holds ``role`` on the case (``label``: the act, for the message)."""
    if role not in case_roles(actor, case):
        raise PermissionDenied(f"只有{ROLE_WHO[role]}可以{label}。")


# --- Who may act now: certificate (R04) and assignment (承办) ---------------------------------

# The roles whose acts are enforcement acts by an officer (R04: no valid certificate, no
# enforcement act at all): the investigating officers' acts and the head's approvals and
# decisions. The legal reviewer's review (法制审核, APL art.58) is an internal check of the
# proposal, not an act towards the party; its own bar is the reviewer's qualification (R18).
ENFORCEMENT_ROLES = frozenset({"officer", "head"})
# The role whose acts only the case's assigned officers perform (investigation, evidence, notice,
# service, execution …); the head approves and decides, the legal reviewer reviews.
ASSIGNED_ROLE = "officer"
BASIS_ASSIGNED = "行政处罚法第四十二条、第五十五条"


def certificate_violations(actor: access.Actor, on: dt.date) -> list[Violation]:
    """R04 for the acting person: the registry's one rule (``registry.rules.may_act``) applied to
    the actor's own certificate on ``on`` — the act's date. Empty = may act."""
    officer = actor.officer
    if officer is None:
        return [Violation(CERTIFICATE_INVALID, "当前账号不是持证执法人员，不得从事行政执法活动。", registry_rules.BASIS_CERTIFICATE)]
    return registry_rules.may_act(registry.officer_facts(officer), on)


def _certificate_violations_cached(actor: access.Actor, on: dt.date) -> list[Violation]:
    """``certificate_violations`` read once per officer object and day: a list of cases asks it for
    every row (the constant query count of the list). Only for what a page *shows*; the service
    always reads afresh (``check_actor``)."""
    return access.once_a_day(actor, on, "_zhifa_certificate_on", certificate_violations)


def assigned_ids(case) -> set[int]:
    """The case's assigned officers (承办人员): named at registration or filing, changed by the
    head's ``assign`` / ``recuse`` (both recorded). Reads the prefetched officers when there."""
    return set(officer_ids(case))


def officer_ids(case) -> list[int]:
    """The ids of the case's assigned officers: the prefetched officers when there (lists), else
    read once per case object and kept on it — an act asks for them in several guards and its
    answer shows them. ``forget_officers`` after changing them (the services' ``_assign``)."""
    if "officers" in getattr(case, "_prefetched_objects_cache", {}):
        return [o.pk for o in case.officers.all()]
    held = case.__dict__.get("_zhifa_officer_ids")
    if held is None:
        held = case._zhifa_officer_ids = list(case.officers.values_list("pk", flat=True))
    return list(held)


def forget_officers(case) -> None:
    """The case's officers changed: the next ``officer_ids`` reads them again."""
    case.__dict__.pop("_zhifa_officer_ids", None)
    case.__dict__.pop("_zhifa_officer_facts", None)


def load_people(actor: access.Actor, case) -> registry_rules.OfficerFacts | None:
    """The people of an act, in one query: the actor's officer row and the case's assigned
    officers (承办人员), each with the latest certificate (R04). Keeps the assigned officers' ids
    (``officer_ids``) and facts (``officer_facts``) on the case for the act's other guards;
    returns the actor's facts (None for an account without an officer)."""
    through = type(case).officers.through
    assigned = through.objects.filter(case_id=case.pk)
    mine = Q(pk=actor.officer.pk) if actor.officer is not None else Q(pk__in=[])
    rows = list(registry.with_current_certificate(
        Officer.objects.filter(mine | Q(pk__in=assigned.values("officer_id")))
        .annotate(is_assigned=Exists(assigned.filter(officer_id=OuterRef("pk"))))))
    facts = {o.pk: registry.officer_facts(o) for o in rows}
    case._zhifa_officer_ids = [o.pk for o in rows if o.is_assigned]
    case._zhifa_officer_facts = {pk: facts[pk] for pk in case._zhifa_officer_ids}
    return facts.get(actor.officer.pk) if actor.officer is not None else None


def officer_facts(case, ids: list[int]) -> list[registry_rules.OfficerFacts] | None:
    """The facts of the officers ``ids`` as ``load_people`` kept them on the case, or None when
    some are not among them (the caller reads them)."""
    held = case.__dict__.get("_zhifa_officer_facts")
    wanted = set(ids)
    if held is None or not wanted <= held.keys():
        return None
    return [facts for pk, facts in held.items() if pk in wanted]  # in the registry's order, as a read gives them


def is_assigned(actor: access.Actor, case) -> bool:
    """承办: the actor is one of the case's assigned officers. A clue nobody is assigned to yet
    (案源, before filing) may be met on the scene by any certified officer of the body — the
    officers present are then checked by the act itself (two holders of valid certificates)."""
    officer = actor.officer
    if officer is None:
        return False
    ids = assigned_ids(case)
    return not ids or officer.pk in ids


def check_actor(actor: access.Actor, case, role: str, label: str, on: dt.date) -> list[Violation]:
    """The legal guards on the acting person of an act needing ``role`` (after ``require_role``):
    the actor's own certificate valid on ``on`` for an enforcement act (R04), and the assignment
    for the investigating officers' acts (``NOT_ASSIGNED``)."""
    out = []
    if role in ENFORCEMENT_ROLES:
        # Always read afresh by the act, with the case's officers (one query) …
        facts = load_people(actor, case)
        out = (registry_rules.may_act(facts, on) if facts is not None else certificate_violations(actor, on))
        if actor.officer is not None:  # … and kept for what the act's answer shows (``acting_roles``)
            actor.officer._zhifa_certificate_on = (on, list(out))
    if role == ASSIGNED_ROLE and not is_assigned(actor, case):
        name = actor.officer.name if actor.officer is not None else "当前账号"
        out.append(Violation(NOT_ASSIGNED, f"{name}不是本案的承办执法人员，不能{label}；请由承办人员办理，或者由负责人指派。", BASIS_ASSIGNED))
    return out


def acting_roles(actor: access.Actor, case, on: dt.date) -> frozenset[str]:
    """The roles the actor may use on this case on ``on``: ``case_roles`` less the enforcement roles
    without a valid certificate, and less ``officer`` on a case not assigned to the actor. What the
    page offers and ``allowed_actions`` lists (the service checks the same with ``check_actor``)."""
    roles = set(case_roles(actor, case))
    if roles & ENFORCEMENT_ROLES and _certificate_violations_cached(actor, on):
        roles -= ENFORCEMENT_ROLES
    if ASSIGNED_ROLE in roles and not is_assigned(actor, case):
        roles.discard(ASSIGNED_ROLE)
    return frozenset(roles)


def case_scope(actor: access.Actor) -> Q | None:
    """The condition on ``Case`` of what the actor may read (``None``: everything): own body, a
    supervisor's subtree (``access.body_filter``), and for a county department's legal reviewer
    also its townships' cases, which it reviews (提级审核)."""
    condition = access.body_filter(actor, "body")
    if condition is None:
        return None
    if actor.officer is not None and actor.officer.is_legal_reviewer and actor.body_id:
        condition |= Q(body__parent_department_id=actor.body_id)
    return condition


def may_register(actor: access.Actor, body_id: int | None = None) -> bool:
    """案源登记: any staff member of the body (auxiliary staff too); the administrator for any body.
    Without ``body_id``: whether the actor may register for some body (the list's button)."""
    if body_id is None:
        return actor.officer is not None or actor.is_admin
    return (actor.is_admin or actor.body_id == body_id) and (actor.officer is not None or actor.is_admin)


def require_register(actor: access.Actor, body_id: int | None) -> None:
    if body_id is None or not may_register(actor, body_id):
        raise PermissionDenied("只有本主体工作人员可以登记案源。")


def is_head(actor: access.Actor) -> bool:
    """An active, non-auxiliary head of a body (主体负责人): the approvals queue is theirs."""
    officer = _active(actor)
    return bool(officer and officer.is_head and not officer.is_auxiliary)


def require_head(actor: access.Actor) -> Officer:
    if not is_head(actor):
        raise PermissionDenied("审批事项仅向主体负责人开放。")
    return actor.officer


def is_reviewer(actor: access.Actor) -> bool:
    """A non-auxiliary legal reviewer (法制审核人员): the review queue is theirs."""
    officer = actor.officer
    return bool(officer and officer.is_legal_reviewer and not officer.is_auxiliary)


def require_reviewer(actor: access.Actor) -> Officer:
    if not is_reviewer(actor):
        raise PermissionDenied("法制审核事项仅向法制审核人员开放。")
    return actor.officer
