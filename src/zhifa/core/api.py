"""Public endpoints of ``core``: the working-day calendar (工作日历, legal-rules §0).

Not sensitive, so open to everyone (``auth=None``). Bad dates or day counts → 422 with Chinese
field messages (the root API's error handler).
"""
from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from zhifa.core import workdays
from zhifa.core.calendar import MAX_DAYS

router = Router(tags=["工作日历"])

#: Dates the calendar answers for: wide enough for any legal period, narrow enough never to overflow.
EARLIEST = dt.date(1949, 10, 1)
LATEST = dt.date(2199, 12, 31)


class DueOut(Schema):
    date: dt.date
    provisional: bool


class SpanOut(Schema):
    days: int
    provisional: bool


class DayOut(Schema):
    date: dt.date
    is_working_day: bool
    name: str
    provisional: bool


class PeriodQuery(Schema):
    start: dt.date = Query(..., description="起算日（YYYY-MM-DD），当日不计入")
    days: int = Query(..., ge=0, le=MAX_DAYS, description=f"天数，0 至 {MAX_DAYS}")


class BetweenQuery(Schema):
    start: dt.date = Query(..., description="起算日（YYYY-MM-DD），当日不计入")
    end: dt.date = Query(..., description="截止日（YYYY-MM-DD），当日计入")


def _in_range(**dates: dt.date) -> None:
    errors = [
        {"loc": ("query", field), "msg": f"日期超出支持范围（{EARLIEST.isoformat()} 至 {LATEST.isoformat()}）", "type": "date_range"}
        for field, value in dates.items()
        if not EARLIEST <= value <= LATEST
    ]
    if errors:
        raise ValidationError(errors)


def _due(count, q: PeriodQuery) -> dict:
    """The due date ``count(start, days)`` (working or calendar days) as the API answers it."""
    _in_range(start=q.start)
    due = count(q.start, q.days)
    return {"date": due.date, "provisional": due.provisional}


_PROVISIONAL_NOTE = "provisional 为 true 表示所跨年度的国务院节假日安排尚未载入，仅扣除了周末，结果为临时值。"


#: The two due-date endpoints: path, counting function, summary, description.
_DUE_ENDPOINTS = (
    ("add-working-days", "add_working_days", "起算日后第 N 个工作日",
     "起算日当日不计入；工作日不含周末和法定节假日，含调休上班日（行政处罚法第八十五条、行政强制法第六十九条）。"),
    ("add-calendar-days", "add_calendar_days", "起算日后 N 个自然日届满之日",
     "起算日当日不计入；期间届满的最后一日是休息日或法定节假日的，以其后的第一个工作日为届满日（民事诉讼法第八十五条）。"),
)


def _mount_due(path: str, name: str, summary: str, description: str) -> None:
    def endpoint(request, q: Query[PeriodQuery]):
        return _due(getattr(workdays, name), q)  # looked up per call: the service may be replaced (tests)

    endpoint.__name__ = name
    router.get(f"/calendar/{path}", auth=None, response=DueOut, summary=summary, description=description + _PROVISIONAL_NOTE,
               operation_id=f"zhifa_core_api_{name}")(endpoint)


for _endpoint in _DUE_ENDPOINTS:
    _mount_due(*_endpoint)


@router.get(
    "/calendar/working-days-between",
    auth=None,
    response=SpanOut,
    summary="两日之间的工作日数",
    description="计算 (start, end] 之间的工作日数：起算日不计入，截止日计入；end 早于 start 时为负数。" + _PROVISIONAL_NOTE,
)
def working_days_between(request, q: Query[BetweenQuery]):
    _in_range(start=q.start, end=q.end)
    span = workdays.working_days_between(q.start, q.end)
    return {"days": span.days, "provisional": span.provisional}


@router.get(
    "/calendar/days/{day}",
    auth=None,
    response=DayOut,
    summary="某日是否工作日",
    description="返回该日是否为工作日及节日名称（调休上班日亦为工作日）。" + _PROVISIONAL_NOTE,
)
def day_info(request, day: dt.date):
    _in_range(day=day)
    schedule = workdays.schedule()
    return {
        "date": day,
        "is_working_day": schedule.is_working_day(day),
        "name": schedule.name_of(day),
        "provisional": not schedule.is_known(day),
    }
