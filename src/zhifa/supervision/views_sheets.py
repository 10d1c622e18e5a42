"""The evaluation sheets page (案卷评查表, ``/supervision/sheets/``): the versions, the Excel import
of a new draft (all or nothing, every bad row shown) and the publication of a draft. Office only."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhifa.core.imports import max_upload_bytes
from zhifa.core.listing import paginate
from zhifa.registry.access import request_actor

from . import permissions, services
from .api_sheets import EXTENSIONS
from .models import EvaluationSheet
from .views import _attempt


@login_required
def sheets(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    permissions.require_office(actor, "管理案卷评查表")
    result, violations = None, None
    if request.method == "POST" and request.POST.get("step") == "publish":
        violations = _attempt(request, lambda: services.publish_sheet(int(request.POST.get("sheet_id") or 0), actor=actor))
        if violations is None:
            messages.success(request, "评查表已发布，此后不得修改。")
            return redirect("supervision:sheets")
    elif request.method == "POST":
        upload, code = request.FILES.get("file"), request.POST.get("code", "").strip()
        if upload is None or not upload.name.lower().endswith(EXTENSIONS) or upload.size > max_upload_bytes():
            messages.error(request, "请选择 .xlsx、.xls、.ods 或 .csv 格式的评查表文件。")
        else:
            result = services.import_sheet_file(upload.read(), upload.name, code=code, dry_run=request.POST.get("dry_run") == "1",
                                                actor=actor)
            if result.written:
                messages.success(request, result.summary() + "已保存为草稿，核对后发布。")
                return redirect("supervision:sheets")
    context = {"page": paginate(request, EvaluationSheet.objects.order_by("code", "-version")), "result": result,
               "violations": violations, "nav": "evaluation"}
    return render(request, "supervision/sheets.html", context)
