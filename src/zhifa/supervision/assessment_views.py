"""Pages of the annual assessment (年度执法考核, R36) and of officer workload and risk (R38):
thin — parse, call ``assessment`` / ``workload``, render. The manual item form answers with
Chinese errors beside each field, nothing stored."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhifa.core import clock
from zhifa.core.listing import paginate
from zhifa.core.violations import Refused
from zhifa.registry import access
from zhifa.registry.access import request_actor
from zhifa.registry.models import Body

from . import assessment, permissions, workload
from .assessment_inputs import ManualItemIn
from .rules import assessment as rules


class ManualItemForm(forms.Form):
    """人工考核项: the same limits as ``ManualItemIn``, with Chinese messages per field."""

    body_id = forms.TypedChoiceField(label="主体", coerce=int, error_messages={"required": "请选择主体。",
                                                                            "invalid_choice": "主体应在本监督机构所辖范围内。"})
    title = forms.CharField(label="事项", min_length=2, max_length=100,
                            error_messages={"required": "请填写事项。", "min_length": "事项至少 2 个字。", "max_length": "事项不超过 100 个字。"})
    points = forms.DecimalField(label="加减分", min_value=-20, max_value=20, max_digits=5, decimal_places=2,
                                error_messages={"required": "请填写加减分（加分为正，减分为负）。", "invalid": "加减分应为数字。",
                                                "min_value": "单项减分不超过 20 分。", "max_value": "单项加分不超过 20 分。",
                                                "max_decimal_places": "加减分最多两位小数。", "max_digits": "加减分位数过多。"})
    reason = forms.CharField(label="理由", min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。", "min_length": "理由至少 5 个字，说明加减分的事实。",
                                             "max_length": "理由不超过 2000 个字。"})
    evidence = forms.CharField(label="依据材料", required=False, max_length=200,
                               error_messages={"max_length": "依据材料不超过 200 个字。"})

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_id"].choices = [("", "请选择")] + [(b.pk, b.name) for b in bodies]

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError("加减分不能为 0。")
        return points


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or clock.today().year - 1)
    except ValueError:
        year = clock.today().year - 1
    return min(max(year, 2000), clock.today().year)


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    """The ranking table of a year with its components, manual items and year-on-year change;
    the office computes a snapshot and enters manual items here."""
    actor = request_actor(request)
    assessment.require_read(actor)
    year = _year(request)
    is_office = permissions.is_office(actor)
    bodies = list(access.scope_bodies(actor, Body.objects.all()).order_by("code")[:500]) if is_office else []
    form = ManualItemForm(bodies=bodies)
    if request.method == "POST" and not is_office:
        raise PermissionDenied("只有执法监督机构可以计算年度考核和录入人工考核项。")
    if request.method == "POST":
        if request.POST.get("step") == "compute":
            try:
                assessment.compute_assessment(year, actor=actor)
                messages.success(request, f"已计算 {year} 年度考核。")
            except Refused as refused:
                messages.error(request, "；".join(v.message for v in refused.violations))
            return redirect(f"{request.path}?year={year}")
        form = ManualItemForm(request.POST, bodies=bodies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                assessment.add_manual_item(ManualItemIn(body_id=data["body_id"], year=year, title=data["title"],
                                                        points=data["points"], reason=data["reason"],
                                                        evidence=data["evidence"] or None), actor=actor)
            except Refused as refused:
                for v in refused.violations:
                    form.add_error(None, v.message)
            else:
                messages.success(request, "已录入人工考核项，重新计算后计入总分。")
                return redirect(f"{request.path}?year={year}")
    snapshot = assessment.latest_snapshot(actor, year)
    # the columns of the configuration the snapshot was computed with (an older version stays readable)
    config = rules.parse_config(snapshot.config) if snapshot else assessment.load_config()
    page = paginate(request, assessment.scores(actor, snapshot)) if snapshot else None
    if page:
        for s in page.object_list:
            s.cells = [{"c": c, **s.components.get(c.code, {})} for c in config.components]
            s.change = rules.change(s.total, s.previous_total)
    context = {"year": year, "years": list(range(clock.today().year, clock.today().year - 6, -1)), "config": config,
               "snapshot": snapshot, "page": page, "is_office": is_office, "form": form,
               "manual": assessment.manual_items(actor, year)[:50], "directions": rules.DIRECTIONS, "nav": "assessments"}
    return render(request, "supervision/assessments.html", context, status=400 if form.errors else 200)


@login_required
def assessment_detail(request: HttpRequest, year: int, body_id: int, code: str) -> HttpResponse:
    """The list behind one figure: the evaluations, officers, remedies, items, cases or complaints."""
    actor = request_actor(request)
    component, rows = assessment.detail_rows(actor, year, body_id, code)
    body = Body.objects.filter(pk=body_id).only("name").first()
    context = {"year": year, "body": body, "component": component, "code": code, "page": paginate(request, rows),
               "nav": "assessments"}
    return render(request, "supervision/assessment_detail.html", context)


@login_required
def workload_page(request: HttpRequest) -> HttpResponse:
    """执法人员工作量与风险: the office sees the bodies of its jurisdiction (normalised by
    officers) and their officers; a head sees the officers of the own body."""
    actor = request_actor(request)
    workload.require_read(actor)
    t, months = workload.config()
    try:
        body_id = int(request.GET.get("body") or 0) or None
    except ValueError:
        body_id = None
    sort = request.GET.get("sort", "body")
    body_page = paginate(request, workload.bodies(actor), param="bpage")
    workload.fill_bodies(list(body_page.object_list))
    officer_page = paginate(request, workload.officers(actor, body_id=body_id, sort=sort))
    workload.fill_officers(list(officer_page.object_list))
    context = {"bodies": body_page, "page": officer_page, "t": t, "months": months, "body_id": body_id, "sort": sort,
               "is_office": permissions.is_office(actor), "nav": "workload"}
    return render(request, "supervision/workload.html", context)
