"""The portal's publications over the API (issue #19): the party's rating by the act's code (no
login) and the ratings in aggregate; the open data sets of filed plans, articles and contact
points (mounted by ``zhifa.api_public`` with the others, JSON and CSV); and the staff acts —
file and review plans, submit and review articles, register and end contact points — the same
services, rules and scope as the pages at ``/openness/``."""
import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from zhifa.core import clock
from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import ErrorOut, Id, PageQuery, SearchText, ValidationErrorOut
from zhifa.registry import access

from . import abuse, permissions, public, services
from .inputs import ArticleIn, ContactIn, PlanIn, RatingIn, ReviewIn

router = Router(tags=["政务公开"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: dict, 422: ValidationErrorOut}


class RatedOut(Schema):
    act_kind: str
    level: str
    rated_on: dt.date


class RatingSummaryOut(Schema):
    body_id: int
    body_name: str
    total: int
    satisfied: int
    basic: int
    dissatisfied: int
    satisfaction_rate: Optional[float] = Field(None, description="（满意 + 基本满意）÷ 评议件数 × 100")


class PublicPlanOut(Schema):
    """已备案的执法计划（R42）."""

    id: int
    body_id: int
    body_name: str
    kind: str = Field(..., description="annual_plan 年度行政执法计划 / work_plan 工作方案 / procedure 操作流程")
    kind_label: str
    year: int
    title: str
    content: str
    filed_on: dt.date
    accepted_on: Optional[dt.date] = None


class PublicPlanFilters(PageQuery):
    body: Optional[Id] = Field(None, description="执法主体编号")
    year: Optional[int] = Field(None, ge=2000, le=2100, description="年度")


class PublicArticleOut(Schema):
    """普法文章（谁执法谁普法）."""

    id: int
    body_id: int
    body_name: str
    title: str
    summary: str
    content: str
    published_on: Optional[dt.date] = None


class PublicArticleFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="关键词（标题、摘要或正文的一部分，空格分隔多个词）")
    body: Optional[Id] = Field(None, description="执法主体编号")


class PublicContactOut(Schema):
    """聘期内的行政执法监督企业联系点和特邀行政执法监督员."""

    id: int
    kind: str = Field(..., description="enterprise 企业联系点 / supervisor 特邀监督员")
    kind_label: str
    name: str
    organisation: str
    body_name: str
    jurisdiction_name: str
    term_start: dt.date
    term_end: dt.date


class PublicContactFilters(PageQuery):
    kind: Optional[Literal["enterprise", "supervisor"]] = Field(None, description="类别")


def plans_page(paging, f: PublicPlanFilters) -> dict:
    return public.filed_plans(paging, body_id=f.body, year=f.year)


def articles_page(paging, f: PublicArticleFilters) -> dict:
    return public.articles(paging, q=f.q or "", body_id=f.body)


def contacts_page(paging, f: PublicContactFilters) -> dict:
    return public.contacts(clock.today(), paging, kind=f.kind or "")


@router.post("/public/ratings", auth=None, response={201: RatedOut, 409: dict, 422: ValidationErrorOut, 429: ErrorOut},
             summary="凭行政行为码评议执法行为（无需登录；每项执法行为一次；同一地址每小时至多 5 件）")
def rate(request, payload: RatingIn):
    try:
        rating = services.rate_act(payload, source=permissions.client_address(request))
    except abuse.RateLimited as exc:
        raise HttpError(429, str(exc)) from exc
    return Status(201, {"act_kind": rating.act_kind, "level": rating.level, "rated_on": rating.rated_on})


class RatingYear(Schema):
    year: Optional[int] = Field(None, ge=2000, le=2100, description="年度（默认本年）")


@router.get("/public/ratings", auth=None, response={200: list[RatingSummaryOut], 422: ValidationErrorOut},
            summary="执法评议汇总（按执法主体，仅计数）")
def rating_summary(request, filters: Query[RatingYear]):
    return public.rating_summary(filters.year or clock.today().year)


class DoneOut(Schema):
    id: int
    state: str = Field(..., description="办理后的状态")


def _mount(name: str, payload_type, create, create_summary: str, act_path: str, act, act_summary: str) -> None:
    """``POST /openness/<name>`` (201, the new object) and ``POST /openness/<name>/{id}/<act_path>``
    (the review or ending): the service with the acting user, its state back."""

    def state(obj) -> str:
        return getattr(obj, "state", None) or ("ended" if getattr(obj, "ended_on", None) else "serving")

    def create_view(request, payload: payload_type):
        obj = create(payload, actor=access.request_actor(request))
        return Status(201, {"id": obj.pk, "state": state(obj)})

    def act_view(request, object_id: Path[Id], payload: ReviewIn):
        obj = act(object_id, payload, actor=access.request_actor(request))
        return {"id": obj.pk, "state": state(obj)}

    router.post(f"/openness/{name}", auth=STAFF_AUTH, response={201: DoneOut, **ERRORS}, summary=create_summary,
                operation_id=f"openness_{name}_create")(create_view)
    router.post(f"/openness/{name}/{{object_id}}/{act_path}", auth=STAFF_AUTH, response={200: DoneOut, **ERRORS},
                summary=act_summary, operation_id=f"openness_{name}_{act_path}")(act_view)


_mount("plans", PlanIn, services.file_plan, "报送执法计划备案（主体负责人）", "review", services.review_plan,
       "审查备案：accept 予以备案、return 退回（执法监督机构）")
_mount("articles", ArticleIn, services.submit_article, "提交普法文章（执法主体工作人员）", "review", services.review_article,
       "审核普法文章：publish 发布、return 退回、withdraw 撤下（主体负责人、法制审核人员，非作者）")
_mount("contacts", ContactIn, services.register_contact, "登记企业联系点（主体负责人、监督机构）或特邀监督员（监督机构）", "end",
       services.end_contact, "提前终止企业联系点或特邀监督员（附理由；decision 填 withdraw）")
