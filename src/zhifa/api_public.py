"""Open data (公开数据, contract.md "Public portal"): ``GET /api/v1/public/{decisions,
inspections,bodies,items}`` and their ``.csv``, no login, answered only through the apps'
``public.py`` (already redacted) — the portal's one surface to review for leaks.

JSON pages use the API's envelope (``items``, ``count``, ``page``, ``page_size``); a ``.csv`` is
the whole filtered list in UTF-8 with a BOM (Excel opens it as Chinese), written page by page.
(Lives beside ``zhifa.api`` until the portal app exists: it reads four apps.)
"""
import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator, Optional

from django.http import StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from zhifa.cases import public as cases_public
from zhifa.catalog import public as catalog_public
from zhifa.core.pagination import MAX_PAGE_SIZE, Id, PageQuery, Paging, SearchText, ValidationErrorOut
from zhifa.inspections import public as inspections_public
from zhifa.inspections.schemas import DrawnOut, DrawnPage
from zhifa.portal import api_open as portal_open
from zhifa.portal import public as portal_public
from zhifa.registry import public as registry_public

router = Router(tags=["公开数据"])
BAD = {422: ValidationErrorOut}


class PublicDecisionOut(Schema):
    """行政处罚决定公示（已隐去自然人信息）."""

    id: int
    number: str = Field(..., description="决定书文号")
    body_id: int
    body_name: str
    item_code: str
    item_name: str
    party_kind: str = Field(..., description="person 自然人（已隐去姓名、身份证号）/ organisation")
    party_name: str
    party_id_code: str
    act: str = Field(..., description="违法行为（已脱敏）")
    facts: str = Field(..., description="认定的事实（已脱敏）")
    act_date: dt.date
    decision_kinds: list[str]
    decision_kind_labels: list[str]
    decision_amount: Optional[Decimal] = None
    decided_on: Optional[dt.date] = None
    published_on: dt.date


class PublicBodyOut(Schema):
    """已公示的行政执法主体：执法权限与监督方式."""

    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    sector: str
    sector_label: str
    jurisdiction_id: int
    jurisdiction_name: str
    legal_representative: str
    address: str
    supervision_phone: str
    supervision_email: str
    powers: str
    legal_basis: str
    responsibility_boundary: str
    is_active: bool
    officer_count: int


class PublicItemOut(Schema):
    """已公示主体的执法事项（权责清单）."""

    id: int
    code: str
    name: str
    sub_name: str
    full_name: str
    kind: str
    kind_label: str
    legal_basis: str
    body_id: int
    body_name: str
    handling_unit: str
    level: str
    valid_from: dt.date
    valid_to: Optional[dt.date] = None
    is_valid_today: bool
    source_seq: str


class PublicGuidanceOut(Schema):
    """执法指导案例（R41）."""

    id: int
    number: str = Field(..., description="指导案例编号")
    title: str
    domain: str = Field(..., description="执法领域")
    body_name: str = Field(..., description="发布机关（可为空）")
    keywords: str
    summary: str = Field(..., description="基本案情（已脱敏）")
    points_of_law: str = Field(..., description="执法要点")
    legal_basis: str = Field(..., description="相关法条")
    published_on: dt.date


def _page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """The API's page envelope of ``item`` rows."""
    return type(name, (Schema,), {"__annotations__": {"items": list[item], "count": int, "page": int, "page_size": int}})



class PublicDecisionFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="文号、事项或单位名称（不能按自然人姓名检索）")
    body: Optional[Id] = Field(None, description="执法主体 id")
    published_from: Optional[dt.date] = Field(None, description="公示日期起")
    published_to: Optional[dt.date] = Field(None, description="公示日期止")


class PublicInspectionFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="检查对象名称的一部分或完整的统一社会信用代码")


class PublicBodyFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="名称、简称或编码")
    sector: Optional[SearchText] = Field(None, description="执法领域代码")


class PublicItemFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="名称、子项、编码或实施依据")
    body: Optional[Id] = Field(None, description="实施主体 id")
    kind: Optional[SearchText] = Field(None, description="权力类型代码")
    valid_on: Optional[dt.date] = Field(None, description="只列该日有效的事项")


class PublicGuidanceFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="关键词（标题、关键词、案情、要点或法条的一部分，空格分隔多个词）")
    domain: Optional[SearchText] = Field(None, description="执法领域")


# --- the four lists, each a function of (paging, filters) -----------------------------------

def _decisions(paging, f: PublicDecisionFilters) -> dict:
    return cases_public.decisions(paging, q=f.q or "", body_id=f.body, published_from=f.published_from,
                                  published_to=f.published_to)


def _inspections(paging, f: PublicInspectionFilters) -> dict:
    return inspections_public.published_results(paging, q=f.q or "")


def _bodies(paging, f: PublicBodyFilters) -> dict:
    return registry_public.bodies(paging, q=f.q or "", sector=f.sector or "")


def _items(paging, f: PublicItemFilters) -> dict:
    return catalog_public.items(paging, q=f.q or "", body_id=f.body, kind=f.kind or "", valid_on=f.valid_on)


def _csv(name: str, lister: Callable[[Paging, Schema], dict], filters: Schema, columns: list[str]) -> StreamingHttpResponse:
    """The whole filtered list as CSV, read ``MAX_PAGE_SIZE`` rows at a time."""

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow(columns)
        page = 1
        while True:
            envelope = lister(Paging(page, MAX_PAGE_SIZE), filters)
            for item in envelope["items"]:
                writer.writerow(["；".join(map(str, value)) if isinstance(value, list) else ("" if value is None else value)
                                 for value in (item[column] for column in columns)])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if page * MAX_PAGE_SIZE >= envelope["count"]:
                return
            page += 1

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _guidance(paging, f: PublicGuidanceFilters) -> dict:
    return portal_public.guidance_cases(paging, q=f.q or "", domain=f.domain or "")


@dataclass(frozen=True)
class Dataset:
    """One open dataset: its path name, its row and filter schemas, how to list a page of it."""

    name: str
    summary: str
    row: type[Schema]
    filters: type[PageQuery]
    lister: Callable[[Paging, Schema], dict]
    page: type[Schema] | None = None  # the page schema, when the API already has one for these rows


DATASETS = (
    Dataset("decisions", "行政处罚决定公示（公开数据，已脱敏；撤回的不再列出）", PublicDecisionOut, PublicDecisionFilters, _decisions),
    Dataset("inspections", "双随机抽查结果公示（公开数据，已脱敏）", DrawnOut, PublicInspectionFilters, _inspections, DrawnPage),
    Dataset("bodies", "行政执法主体公示：执法权限、监督电话与邮箱（公开数据）", PublicBodyOut, PublicBodyFilters, _bodies),
    Dataset("items", "权责清单：执法事项（公开数据）", PublicItemOut, PublicItemFilters, _items),
    Dataset("guidance", "执法指导案例库（公开数据）", PublicGuidanceOut, PublicGuidanceFilters, _guidance),
    Dataset("plans", "已备案的执法计划、工作方案和操作流程（R42，公开数据）", portal_open.PublicPlanOut,
            portal_open.PublicPlanFilters, portal_open.plans_page),
    Dataset("articles", "普法文章（谁执法谁普法，公开数据）", portal_open.PublicArticleOut, portal_open.PublicArticleFilters,
            portal_open.articles_page),
    Dataset("contacts", "聘期内的企业联系点和特邀监督员（公开数据）", portal_open.PublicContactOut,
            portal_open.PublicContactFilters, portal_open.contacts_page),
)


def _mount(dataset: Dataset) -> None:
    """``GET /public/<name>`` (a JSON page) and ``GET /public/<name>.csv`` (the whole list)."""
    page = dataset.page or _page_schema(f"Public{dataset.name.title()}Page", dataset.row)
    columns = list(dataset.row.model_fields)

    def json_page(request, filters: Query[dataset.filters]):
        return dataset.lister(filters, filters)

    def csv_file(request, filters: Query[dataset.filters]):
        return _csv(dataset.name, dataset.lister, filters, columns)

    router.get(f"/public/{dataset.name}", auth=None, response={200: page, **BAD}, summary=dataset.summary,
               operation_id=f"public_{dataset.name}")(json_page)
    router.get(f"/public/{dataset.name}.csv", auth=None, response={200: str, **BAD}, summary=f"{dataset.summary}（CSV）",
               operation_id=f"public_{dataset.name}_csv")(csv_file)


for _dataset in DATASETS:
    _mount(_dataset)
