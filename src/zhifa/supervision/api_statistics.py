"""The statistics API (执法统计, R34) and the report to the people's congress (R37).

``GET /api/v1/supervision/statistics?by=body|item|level|month&from=&to=`` answers the figures of
every measure with their date basis, grouped, and the total over the same scope; ``format=xlsx``
or ``Accept: …spreadsheetml.sheet`` gives the same table as an Excel workbook."""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from zhifa.core import clock
from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import ErrorOut, ValidationErrorOut
from zhifa.registry import access

from . import statistics, statistics_export
from .services import statistics as refreshing

router = Router(tags=["执法统计"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 366 * 10


class StatisticsQuery(Schema):
    by: Literal["body", "item", "level", "month"] = Field("body", description="分组：body 执法主体、item 执法事项、level 层级、month 月份")
    date_from: Optional[dt.date] = Field(None, alias="from", description="起始日期（含），默认本年 1 月 1 日")
    date_to: Optional[dt.date] = Field(None, alias="to", description="截止日期（含），默认今天")
    body: Optional[int] = Field(None, ge=1, description="只统计该执法主体（须在权限范围内）")
    format: Literal["json", "xlsx"] = Field("json", description="xlsx 导出 Excel")


class MeasureOut(Schema):
    code: str
    label: str
    basis: str = Field(..., description="统计口径（按何日期计）")
    amount: bool


class StatisticsRowOut(Schema):
    key: str
    label: str
    figures: dict[str, dict] = Field(..., description="各指标：count 数量、amount 金额（元，两位小数的字符串）、basis 统计口径")
    links: dict[str, str] = Field(..., description="案件类指标下钻到的案件清单地址")


class StatisticsOut(Schema):
    by: str
    date_from: dt.date = Field(..., alias="from")
    date_to: dt.date = Field(..., alias="to")
    scope: str = Field(..., description="统计范围")
    cut_off: Optional[dt.datetime] = Field(None, description="数据截止时间（统计汇总表最近更新的时间）")
    pending: bool = Field(False, description="截止时间之后已有新的执法记录，正在后台汇总")
    measures: list[MeasureOut]
    rows: list[StatisticsRowOut]
    total: StatisticsRowOut


def period_of(date_from: dt.date | None, date_to: dt.date | None) -> statistics.Period | str:
    """The period asked for, or the Chinese reason it is refused."""
    today = clock.today()
    start = date_from or today.replace(month=1, day=1)
    end = date_to or today
    if start > end:
        return "起始日期不能晚于截止日期。"
    if (end - start).days > MAX_DAYS:
        return "统计期间不能超过十年。"
    return statistics.Period(start, end)


def invalid(message: str, field: str = "from"):
    return 422, {"detail": message, "errors": [{"field": field, "message": message}]}


def _body_in_scope(actor, body_id: int | None) -> bool:
    return body_id is None or access.can_see_private(actor, body_id)


@router.get("/supervision/statistics", auth=STAFF_AUTH, response={200: StatisticsOut, **ERRORS}, by_alias=True,
            summary="执法统计：按执法主体、执法事项、层级或月份汇总，各数与合计相符（format=xlsx 导出 Excel）")
def get_statistics(request, params: Query[StatisticsQuery]):
    actor = access.request_actor(request)
    if not statistics.may_read(actor):
        return 403, {"detail": statistics.REFUSED}
    period = period_of(params.date_from, params.date_to)
    if isinstance(period, str):
        return invalid(period)
    if not _body_in_scope(actor, params.body):
        return 404, {"detail": "没有找到该执法主体，或者不在您的权限范围内。"}
    refreshing.request_refresh()  # the staleness check: a refresh for the task worker when behind
    result = statistics.figures(actor, params.by, period, body_id=params.body)
    if params.format == "xlsx" or XLSX in request.headers.get("Accept", ""):
        response = HttpResponse(statistics_export.as_xlsx(result), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename=statistics-{params.by}-{period.start}-{period.end}.xlsx"
        return response
    return 200, statistics_export.as_json(result)


# --- The report to the people's congress (R37) -------------------------------------------------

class CongressQuery(Schema):
    year: int = Field(..., ge=2000, le=2100, description="报告年度")
    format: Literal["pdf", "docx", "json"] = Field("pdf", description="pdf、docx（可编辑的 Word）或 json（报告中的数字）")


CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@router.get("/supervision/reports/congress", auth=STAFF_AUTH, response={200: dict, **ERRORS},
            summary="向人大常委会报告行政执法工作：按年度由业务数据生成（PDF 或可编辑的 Word）")
def congress_report(request, params: Query[CongressQuery]):
    from . import congress, congress_render
    from .permissions import is_office

    actor = access.request_actor(request)
    if not is_office(actor):
        return 403, {"detail": "只有执法监督机构和系统管理员可以生成人大报告。"}
    if params.year > clock.today().year:
        return invalid("报告年度不能晚于本年度。", "year")
    refreshing.request_refresh()
    report = congress.build(actor, params.year)
    if params.format == "json":
        return 200, {"year": report.year, "title": report.title, "scope": report.scope, "cut_off": report.cut_off,
                     "sections": report.figures()}
    data = congress_render.render_pdf(report) if params.format == "pdf" else congress_render.render_docx(report)
    response = HttpResponse(data, content_type=CONTENT_TYPES[params.format])
    response["Content-Disposition"] = f"attachment; filename=congress-report-{params.year}.{params.format}"
    return response
