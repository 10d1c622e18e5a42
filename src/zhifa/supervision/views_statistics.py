"""The statistics dashboards (执法统计看板, R34): the supervision office's over its jurisdiction,
and one per body. Figures come from ``statistics`` (the daily sums); the charts are drawn by
``static/zhifa/statistics.js`` (ECharts) from a ``<script type="application/json">`` block —
no inline script (CSP). Each case figure links to the case list behind it."""
from __future__ import annotations


from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhifa.core import clock
from zhifa.core import work as jobs
from zhifa.registry import access
from zhifa.registry.models import Body

from . import statistics
from .services import statistics as refreshing
from .statistics_sources import MEASURES

KEY_MEASURES = ("cases_filed", "penalties", "cases_closed", "flexible_acts", "inspections", "transfers_out",
                "evaluations", "complaints")


class StatisticsForm(forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    by = forms.ChoiceField(label="分组", required=False, choices=list(statistics.GROUPINGS.items()))

    def period(self) -> statistics.Period:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        today = clock.today()
        start = data.get("date_from") or today.replace(month=1, day=1)
        end = data.get("date_to") or today
        if start > end:
            start, end = end, start
        return statistics.Period(start, end)


def _chart_data(result: statistics.Figures, trend: statistics.Figures) -> dict:
    rows = result.rows[:20]
    return {
        "groups": {
            "title": f"按{statistics.GROUPINGS[result.by]}（前 {len(rows)} 个）",
            "labels": [r.label for r in rows],
            "series": [{"name": f"{MEASURES[c].label}（{MEASURES[c].basis}）", "data": [r.figures[c]["count"] for r in rows]}
                       for c in ("cases_filed", "penalties", "flexible_acts")],
            "links": [r.links.get("cases_filed", "") for r in rows],
        },
        "trend": {
            "title": "按月趋势",
            "labels": [r.label for r in trend.rows],
            "series": [{"name": f"{MEASURES[c].label}（{MEASURES[c].basis}）", "data": [r.figures[c]["count"] for r in trend.rows]}
                       for c in ("cases_filed", "penalties", "inspections")],
            "amounts": [f"{r.figures['penalties']['amount']:.2f}" for r in trend.rows],
        },
    }


def _dashboard(request: HttpRequest, body: Body | None) -> HttpResponse:
    actor = access.request_actor(request)
    if not statistics.may_read(actor):
        raise PermissionDenied(statistics.REFUSED)
    form = StatisticsForm(request.GET or None)
    period = form.period()
    if not form.is_bound:
        form = StatisticsForm(initial={"date_from": period.start, "date_to": period.end, "by": "month" if body else "body"})
    by = (form.cleaned_data.get("by") if form.is_bound and form.is_valid() else "") or ("month" if body else "body")
    if form.is_bound and not form.is_valid():
        form = StatisticsForm(initial={"date_from": period.start, "date_to": period.end, "by": by})
    body_id = body.pk if body else None
    refreshing.request_refresh()  # the staleness check: a refresh for the task worker when behind
    result = statistics.figures(actor, by, period, body_id=body_id)
    trend = result if by == "month" else statistics.figures(actor, "month", period, body_id=body_id)
    zero_count, zero_items = statistics.zero_case_items(actor, period, body_id=body_id, limit=50)
    query = f"from={period.start}&to={period.end}&by={by}" + (f"&body={body_id}" if body_id else "")
    context = {
        "form": form, "result": result, "period": period, "body": body, "by": by,
        "by_label": statistics.GROUPINGS[by],
        "cards": [(MEASURES[c], result.total.figures[c], result.total.links.get(c)) for c in KEY_MEASURES],
        "measures": [MEASURES[c] for c in KEY_MEASURES],
        "all_measures": list(MEASURES.values()),
        "chart_data": _chart_data(result, trend),
        "zero_count": zero_count, "zero_items": zero_items,
        "xlsx_url": f"/api/v1/supervision/statistics?{query}&format=xlsx",
        "is_office": actor.is_admin or actor.is_supervisor,
        "nav": "statistics",
    }
    return render(request, "supervision/statistics.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """执法统计: the office's dashboard over its scope (staff see their own body's figures)."""
    return _dashboard(request, None)


@login_required
def body_dashboard(request: HttpRequest, body_id: int) -> HttpResponse:
    """One body's dashboard (本单位执法统计): by month by default."""
    actor = access.request_actor(request)
    body = Body.objects.filter(pk=body_id).first()
    if body is None or not access.can_see_private(actor, body_id):
        raise Http404("没有找到该执法主体，或者不在您的权限范围内。")
    return _dashboard(request, body)


@login_required
def congress(request: HttpRequest) -> HttpResponse:
    """人大报告: choose a year, read the figures, download the PDF or the Word file."""
    from . import congress as report_content
    from .permissions import is_office

    actor = access.request_actor(request)
    if not is_office(actor):
        raise PermissionDenied("只有执法监督机构和系统管理员可以生成人大报告。")
    this_year = clock.today().year
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or this_year - 1)
    except ValueError:
        year = this_year - 1
    year = min(max(year, 2000), this_year)
    refreshing.request_refresh()
    if request.method == "POST":  # 生成 PDF / Word: off the request, its progress polled on this page
        from .work import congress_report

        fmt = request.POST.get("format") if request.POST.get("format") in ("pdf", "docx") else "pdf"
        job = jobs.submit(congress_report, {"year": year, "format": fmt, "user_id": request.user.pk}, user=request.user,
                          label=f"生成{year}年度人大报告（{'PDF' if fmt == 'pdf' else 'Word'}）")
        return redirect(f"{request.path}?year={year}&job={job.pk}")
    job = None
    if (request.GET.get("job") or "").isdigit() and len(request.GET["job"]) < 12:
        job = jobs.own_job(request.user, int(request.GET["job"]))
    report = report_content.build(actor, year)
    return render(request, "supervision/congress.html", {
        "report": report, "year": year, "years": list(range(this_year, this_year - 6, -1)), "nav": "statistics",
        "job": job, "seconds": jobs.elapsed(job) if job else 0})
