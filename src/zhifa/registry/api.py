"""Registry API (R01–R07): enforcement bodies, officers with their certificate state,
jurisdictions and the current user. Thin: parse, scope through ``access``, shape.

Who sees what (architecture.md principle 5, through ``registry.access``):
- the public (社会公众) sees published bodies and, of active certified officers of published
  bodies, only name, body, role, certificate number, state and expiry;
- staff also see their own body (published or not) and the private data of its people;
- supervisors the bodies and private data of their jurisdiction subtree;
- the administrator everything.
Anything not visible is a 404, never a 403, so that existence does not leak.
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Path, Query, Router, Status

from zhifa.core import clock
from zhifa.core.api_auth import OPTIONAL_AUTH, STAFF_AUTH
from zhifa.core.pagination import ErrorOut, Id, ValidationErrorOut, order_by, paginate

from . import access, selectors, services
from .models import Assignment, Body, Certificate, Jurisdiction, Officer, SupervisionPost
from .schemas import (
    BODY_SORTS,
    JURISDICTION_SORTS,
    OFFICER_SORTS,
    ROLE_LABELS,
    BodyDetailOut,
    BodyFilters,
    BodyPage,
    AssignmentIn,
    AssignmentOut,
    CertificateIn,
    CertificateOut,
    EndAssignmentIn,
    LeaveIn,
    OfficerIn,
    OfficerRecordOut,
    RefusedOut,
    RestoreIn,
    RevokeIn,
    SuspendIn,
    TrainingIn,
    TrainingOut,
    JurisdictionFilters,
    JurisdictionPage,
    MeOut,
    OfficerFilters,
    OfficerOut,
    OfficerPage,
)

router = Router()

NOT_FOUND = {404: ErrorOut}
BAD_INPUT = {422: ValidationErrorOut}
UNAUTHENTICATED = {401: ErrorOut}


# The scoped queries live in ``selectors`` (shared with the pages); these names stay for the
# endpoints below.
_bodies = selectors.bodies_with_officer_count
_officers = selectors.looked_up_officers
_role = selectors.role_of


# --- Jurisdictions ------------------------------------------------------------------------

@router.get(
    "/jurisdictions", auth=OPTIONAL_AUTH, response={200: JurisdictionPage, **BAD_INPUT}, tags=["行政区划"],
    summary="行政区划树（扁平列表）",
    description="全部行政区划，按树的先序排列，每项带上级 id（parent_id）与深度。可按层级、上级区划筛选。公开。",
)
def list_jurisdictions(request, filters: Query[JurisdictionFilters]):
    qs = selectors.search_jurisdictions(Jurisdiction.objects.all(), level=filters.level, parent=filters.parent)
    return paginate(order_by(qs, filters.sort, JURISDICTION_SORTS, "path"), filters)


# --- Bodies (R01) -------------------------------------------------------------------------

def _bodies_of(request) -> QuerySet[Body]:
    """The bodies the request's actor may see: the public's are defined once, in registry/public.py."""
    from . import public

    actor = access.request_actor(request)
    return public.published_bodies() if actor.is_public else _bodies(actor)


@router.get(
    "/bodies", auth=OPTIONAL_AUTH, response={200: BodyPage, **BAD_INPUT}, tags=["执法主体"],
    summary="行政执法主体列表（R01）",
    description=(
        "公众可见已公示的主体；执法人员另可见本主体，执法监督机构可见所辖区划内全部主体。"
        "可按名称（q）、执法领域（sector）、主体类型（kind）、区划（jurisdiction，含下级）、是否公示（published）筛选。"
    ),
)
def list_bodies(request, filters: Query[BodyFilters]):
    qs = selectors.search_bodies(
        _bodies_of(request), q=filters.q, sector=filters.sector, kind=filters.kind, jurisdiction_id=filters.jurisdiction,
        published=filters.published,
    )
    return paginate(order_by(qs, filters.sort, BODY_SORTS, "jurisdiction"), filters)


@router.get(
    "/bodies/{body_id}", auth=OPTIONAL_AUTH, response={200: BodyDetailOut, **NOT_FOUND, **BAD_INPUT}, tags=["执法主体"],
    summary="行政执法主体详情（R01）",
    description="未公示的主体对本主体、所辖监督机构和管理员以外的人返回 404。",
)
def get_body(request, body_id: Path[Id]):
    body = _bodies_of(request).filter(pk=body_id).first()
    if body is None:
        raise Http404
    return body


# --- Officers (R04–R07) -------------------------------------------------------------------

def _officer_rows(officers: list[Officer], today) -> list[dict]:
    """Shape officers; private data only where ``private_visible``. Training hours of the page
    in one query."""
    private_ids = [o.pk for o in officers if o.private_visible]
    hours = services.training_hours(private_ids, today.year) if private_ids else {}
    required = settings.ZHIFA["TRAINING_HOURS_PER_YEAR"]  # R07: yearly minimum (seed D §三)
    rows = []
    for officer in officers:
        facts = services.certificate_facts_of(officer)
        state = services.certificate_state_of(officer, today)
        role = _role(officer)
        row = {
            "id": officer.pk,
            "name": officer.name,
            "body_id": officer.body_id,
            "body_name": officer.body.name,
            "role": role,
            "role_label": ROLE_LABELS[role],
            "certificate_number": facts.number if facts else None,
            "certificate_state": state,
            "certificate_state_label": state.label,
            "certificate_expires_on": facts.expires_on if facts else None,
            "private": None,
        }
        if officer.private_visible:
            row["private"] = {
                "id_number": officer.id_number,
                "phone": officer.phone,
                "staff_no": officer.staff_no,
                "position": officer.position,
                "status": officer.status,
                "status_label": officer.get_status_display(),
                "is_auxiliary": officer.is_auxiliary,
                "is_legal_reviewer": officer.is_legal_reviewer,
                "is_head": officer.is_head,
                "has_legal_qualification": officer.has_legal_qualification,
                "enforcement_experience_years": officer.enforcement_experience_years,
                "certificate_issued_on": facts.issued_on if facts else None,
                "training_year": today.year,
                "training_hours": Decimal(hours.get(officer.pk, 0)).quantize(Decimal("0.1")),
                "training_hours_required": required,
            }
        rows.append(row)
    return rows


@router.get(
    "/officers", auth=OPTIONAL_AUTH, response={200: OfficerPage, **BAD_INPUT}, tags=["执法人员"],
    summary="执法人员及执法证状态（R04–R07）",
    description=(
        "公众可查询已公示主体在岗执法人员的姓名、所属主体、执法证号、状态与有效期；"
        "本主体人员、所辖监督机构与管理员另可见身份证号、手机号、本年度培训学时、法律职业资格等（private 字段）。"
        "执法证状态按当日计算。可按主体（body）、姓名或证号（q）、角色（role）、执法证状态（certificate_state）筛选。"
    ),
)
def list_officers(request, filters: Query[OfficerFilters]):
    today = clock.today()
    qs = selectors.search_looked_up(
        _officers(access.request_actor(request)), today=today, body=filters.body, q=filters.q, role=filters.role,
        status=filters.status, certificate_state=filters.certificate_state,
    )
    page = paginate(order_by(qs, filters.sort, OFFICER_SORTS, "body"), filters)
    page["items"] = _officer_rows(page["items"], today)
    return page


@router.get(
    "/officers/{officer_id}", auth=OPTIONAL_AUTH, response={200: OfficerOut, **NOT_FOUND, **BAD_INPUT}, tags=["执法人员"],
    summary="执法人员详情（亮证查询）",
    description="他人可见公开字段；本主体、所辖监督机构与管理员可见 private 字段。不可见的人员返回 404。",
)
def get_officer(request, officer_id: Path[Id]):
    officer = _officers(access.request_actor(request)).filter(pk=officer_id).first()
    if officer is None:
        raise Http404
    return _officer_rows([officer], clock.today())[0]


# --- The current user ---------------------------------------------------------------------

@router.get(
    "/me", auth=STAFF_AUTH, response={200: MeOut, **UNAUTHENTICATED}, tags=["当前用户"],
    summary="当前用户、角色与所属主体",
    description="需要登录：返回用户名、角色（含中文名称）、所属执法主体或所监督的区划。",
)
def me(request):
    actor = access.request_actor(request)
    user = request.user
    post = (
        SupervisionPost.objects.select_related("jurisdiction").filter(user=user).first() if actor.is_supervisor else None
    )
    officer = actor.officer
    name = officer.name if officer else (post.name if post else (user.get_full_name() or user.username))
    roles = sorted(actor.roles, key=lambda r: list(access.Role).index(r))
    return {
        "username": user.username,
        "name": name,
        "roles": [{"code": r.value, "label": r.label} for r in roles],
        "primary_role": {"code": actor.primary_role.value, "label": actor.primary_role.label},
        "officer_id": officer.pk if officer else None,
        "body": {"id": officer.body_id, "name": officer.body.name} if officer else None,
        "supervised_jurisdiction": (
            {"id": post.jurisdiction_id, "name": post.jurisdiction.name, "path": post.jurisdiction.path} if post else None
        ),
    }


# --- Writes (R04, R05, R07, R08): heads of the body and the administrator -----------------
# Order of answers: 401 without a token, 404 when the officer (certificate, assignment, body)
# is outside the caller's scope, 403 when in scope but the caller may not manage the body,
# 422 malformed input, 409 with every violation when a rule refuses; nothing is written then.

WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: RefusedOut, 422: ValidationErrorOut}
WRITE_TAG = ["人员维护"]


def _require_manage(actor: access.Actor, body_id: int) -> None:
    if not access.can_manage_body(actor, body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以维护人员信息。")


def _managed(actor: access.Actor, rows: QuerySet, pk: int, body_of) -> object:
    """The row ``pk`` among ``rows`` (the actor's scope): 404 outside it, 403 unless the actor
    manages the row's body (``body_of(row)``)."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404
    _require_manage(actor, body_of(row))
    return row


def _managed_officer(actor: access.Actor, officer_id: int) -> Officer:
    return _managed(actor, access.staff_officers(actor), officer_id, lambda o: o.body_id)


def _managed_certificate(actor: access.Actor, certificate_id: int) -> Certificate:
    rows = Certificate.objects.filter(officer__in=access.staff_officers(actor)).select_related("officer")
    return _managed(actor, rows, certificate_id, lambda c: c.officer.body_id)


def _managed_assignment(actor: access.Actor, assignment_id: int) -> Assignment:
    rows = Assignment.objects.filter(officer__in=access.staff_officers(actor)).select_related("officer")
    return _managed(actor, rows, assignment_id, lambda a: a.officer.body_id)


def _managed_body(actor: access.Actor, body_id: int) -> Body:
    return _managed(actor, access.scope_bodies(actor, Body.objects.all()), body_id, lambda b: b.pk)


def _write(request, find, pk: int, service, payload, *, created: bool = False):
    """One write: find the target in scope (404/403), call the service with the payload's fields
    (409 with every violation when a rule refuses), answer 201 for what was created."""
    actor = access.request_actor(request)
    target = find(actor, pk)
    result = service(target.pk, **payload.dict(), actor=actor)
    return Status(201, result) if created else result


@router.post(
    "/officers/{officer_id}/certificates", response={201: CertificateOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="发放（换发）行政执法证（R04）",
    description="编号唯一、有效期晚于发证日期、成绩在0–100分之间、不得向执法辅助人员发证（R05）、人员在岗；不符合时 409 列出全部理由。新证自发证日起为当前执法证。",
)
def issue_certificate(request, officer_id: Path[Id], payload: CertificateIn):
    return _write(request, _managed_officer, officer_id, services.issue_certificate, payload, created=True)


@router.post(
    "/certificates/{certificate_id}/revoke", response={200: CertificateOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="注销执法证（调离、辞退、辞职、退休等）",
)
def revoke_certificate(request, certificate_id: Path[Id], payload: RevokeIn):
    return _write(request, _managed_certificate, certificate_id, services.revoke_certificate, payload)


@router.post(
    "/certificates/{certificate_id}/suspend", response={200: CertificateOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="暂扣执法证", description="只有状态为有效的执法证可以暂扣；暂扣期间不得执法（行政处罚法第四十二条）。",
)
def suspend_certificate(request, certificate_id: Path[Id], payload: SuspendIn):
    return _write(request, _managed_certificate, certificate_id, services.suspend_certificate, payload)


@router.post(
    "/certificates/{certificate_id}/restore", response={200: CertificateOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="恢复暂扣的执法证", description="注销的执法证不能恢复，只能重新发证。",
)
def restore_certificate(request, certificate_id: Path[Id], payload: RestoreIn):
    return _write(request, _managed_certificate, certificate_id, services.restore_certificate, payload)


@router.post(
    "/officers/{officer_id}/trainings", response={201: TrainingOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="登记培训（R07）", description="学时计入培训日期所在年度；每人每年不少于60学时。",
)
def record_training(request, officer_id: Path[Id], payload: TrainingIn):
    return _write(request, _managed_officer, officer_id, services.record_training, payload, created=True)


@router.post(
    "/officers/{officer_id}/assignments", response={201: AssignmentOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="登记借调或从事非执法工作（R08）",
)
def record_assignment(request, officer_id: Path[Id], payload: AssignmentIn):
    return _write(request, _managed_officer, officer_id, services.record_assignment, payload, created=True)


@router.post(
    "/assignments/{assignment_id}/end", response={200: AssignmentOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="结束借调或非执法工作安排（R08）",
)
def end_assignment(request, assignment_id: Path[Id], payload: EndAssignmentIn):
    return _write(request, _managed_assignment, assignment_id, services.end_assignment, payload)


@router.post(
    "/bodies/{body_id}/officers", response={201: OfficerRecordOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="录用执法人员或执法辅助人员（R05）", description="记录录用日期；执法证另行发放。",
)
def register_officer(request, body_id: Path[Id], payload: OfficerIn):
    return _write(request, _managed_body, body_id, services.register_officer, payload, created=True)


@router.post(
    "/officers/{officer_id}/leave", response={200: OfficerRecordOut, **WRITE_ERRORS}, tags=WRITE_TAG,
    summary="离岗 / 清退（R04、R05）", description="记录日期和原因；有效或暂扣的执法证同时以同一原因注销。",
)
def leave(request, officer_id: Path[Id], payload: LeaveIn):
    return _write(request, _managed_officer, officer_id, services.remove_officer, payload)
