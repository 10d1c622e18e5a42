"""Pages of off-site enforcement (非现场执法): the devices with their statistics, a device's file,
its batches and the batch upload, and the review queue. Thin: parse, call ``services`` or
``selectors``, render; every refusal listed at once."""
from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.forms import schema_form
from zhifa.core.listing import paginate
from zhifa.core.violations import Refused, Violation, refuse_if_any
from zhifa.registry import access

from . import capture_files, inputs, permissions, rules, selectors, services
from .models import Capture

PER_PAGE = 50


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    """设备列表: each device with its file's state today and its statistics."""
    actor = access.request_actor(request)
    page = paginate(request, selectors.visible_devices(actor).order_by("body_id", "code", "pk"), PER_PAGE)
    stats = selectors.device_stats([d.pk for d in page.object_list])
    today = clock.today()
    for d in page.object_list:
        d.stats = stats[d.pk]
        d.problems = selectors.device_problems(d, today)
    pending = selectors.review_queue(actor).count()
    return render(request, "offsite/device_list.html", {"page": page, "pending": pending, "nav": "offsite",
                                                        "may_register": permissions.may_manage_devices(actor, actor.body_id)})


class DeviceForm(schema_form(inputs.DeviceIn)):
    """登记设备 (``inputs.DeviceIn``): the laws a device may cite are the picker."""

    def picker(self, name: str):
        if name == "laws":
            return selectors.lawful_basis_laws(), lambda law: f"{law.title}（{law.get_level_display()}，{law.version_date:%Y-%m-%d}）"
        raise KeyError(name)


@login_required
@require_http_methods(["GET", "POST"])
def device_register(request: HttpRequest) -> HttpResponse:
    """登记电子技术监控设备 (the head): refused without a law or administrative regulation."""
    actor = access.request_actor(request)
    if not permissions.may_manage_devices(actor, actor.body_id):
        raise PermissionDenied("只有本主体负责人可以登记电子技术监控设备。")
    form = DeviceForm(request.POST or None)
    violations: list[Violation] = []
    if request.method == "POST" and form.is_valid():
        try:
            device = services.register_device(**form.service_kwargs(), actor=actor)
            messages.success(request, f"已登记设备 {device.code}。")
            return redirect(reverse("offsite:device_detail", args=[device.pk]))
        except Refused as exc:
            violations = exc.violations
        except Http404 as exc:
            violations = [Violation("NOT_FOUND", str(exc), "")]
    return render(request, "offsite/device_register.html", {"form": form, "violations": violations, "nav": "offsite"})


@login_required
@require_http_methods(["GET", "POST"])
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """设备详情: the legality file and its problems today, statistics, batches, the batch upload."""
    actor = access.request_actor(request)
    device = selectors.get_device(pk, actor)
    violations: list[Violation] = []
    result = None
    if request.method == "POST":
        result, violations = _upload(request, device, actor)
        if result is not None and not violations:
            messages.success(request, f"导入完成：新增{result.created}条，重复{result.duplicates}条，拒收{result.refused}条。")
            return redirect(reverse("offsite:device_detail", args=[pk]))
    stats = selectors.device_stats([device.pk])[device.pk]
    captures = paginate(request, selectors.captures(actor, device_id=device.pk), PER_PAGE)
    return render(request, "offsite/device_detail.html", {
        "device": device, "stats": stats, "problems": selectors.device_problems(device, clock.today()),
        "batches": selectors.batches(device)[:10], "page": captures, "violations": violations,
        "may_import": permissions.may_import(actor, device.body_id), "nav": "offsite",
    })


def _upload(request: HttpRequest, device, actor):
    manifest = request.FILES.get("manifest")
    if manifest is None:
        return None, [Violation("INVALID_INPUT", "请选择清单文件（CSV 或 JSON）。", "")]
    data = manifest.read()
    try:
        rows = inputs.parse_manifest(manifest.name, data)
    except inputs.ManifestError as exc:
        return None, [Violation("INVALID_INPUT", f"第{r}行：{m}" if r else m, "") for r, m in exc.errors[:50]]
    uploads = {f.name: f for f in request.FILES.getlist("files")}
    try:
        batch = services.import_captures(device.pk, rows=rows, files=uploads, manifest_name=manifest.name,
                                         manifest_sha256=hashlib.sha256(data).hexdigest(), actor=actor)
    except Refused as exc:
        return None, exc.violations
    except PermissionDenied as exc:
        return None, [Violation("FORBIDDEN", str(exc), "")]
    return batch, []


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """待审核: pending captures in scope, oldest first, each with its image and the two answers;
    below, accepted captures not yet turned into a case."""
    actor = access.request_actor(request)
    device_id = request.GET.get("device", "")
    device_id = int(device_id) if device_id.isdecimal() and len(device_id) < 12 else None
    page = paginate(request, selectors.review_queue(actor, device_id=device_id), 20)
    accepted = (selectors.visible_captures(actor).filter(state=Capture.State.ACCEPTED, case__isnull=True)
                .order_by("taken_at", "id")[:50])
    return render(request, "offsite/review_queue.html", {
        "page": page, "accepted": accepted, "reasons": list(rules.REJECT_REASONS.items()), "nav": "offsite",
    })


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.request_actor(request)
    accepted = request.POST.get("accepted") == "1"
    regions, problems = rules.parse_regions(request.POST.get("regions", "")[:3000])
    try:
        refuse_if_any(problems)
        services.review_capture(pk, accepted=accepted, reason_code=request.POST.get("reason_code", "")[:16],
                                reason=request.POST.get("reason", "")[:300], regions=regions, actor=actor)
        messages.success(request, "已审核通过。" if accepted else "已审核不通过。")
    except (Refused, PermissionDenied) as exc:
        _report(request, exc)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/offsite/") else reverse("offsite:review_queue"))


def _report(request: HttpRequest, exc: Refused | PermissionDenied) -> None:
    """A refusal as messages: each violation with its basis, or the denial's own text."""
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc))
        return
    for v in exc.violations:
        messages.error(request, f"{v.message}（{v.basis}）" if v.basis else v.message)


@login_required
@require_POST
def to_case(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.request_actor(request)
    case_id = request.POST.get("case_id", "").strip()
    if case_id and not (case_id.isdecimal() and len(case_id) < 12):  # never a new case in place of the one meant
        messages.error(request, f"并入案件编号“{case_id[:20]}”应为数字；不并案请留空。")
        return redirect(reverse("offsite:review_queue"))
    try:
        capture = services.capture_to_case(pk, case_id=int(case_id) if case_id else None,
                                           party_name=request.POST.get("party_name", "")[:120], actor=actor)
        messages.success(request, f"已立案（并案）：{capture.case.number}，当事人查询码 {capture.lookup_code}。")
    except (Refused, PermissionDenied) as exc:
        _report(request, exc)
    return redirect(reverse("offsite:review_queue"))


@login_required
def capture_file(request: HttpRequest, pk: int) -> HttpResponse:
    return capture_files.file_response(selectors.get_capture(pk, access.request_actor(request)))
