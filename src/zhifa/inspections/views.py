"""Pages of double random, one public (R26–R30): overview, item list, entity database, plan editor
with statistics, the draw page (commitment, witness input, reveal, verification) and results entry
built for a phone screen. Thin: parse, call ``services``, render; every write goes through a
service and a refusal shows every reason at once."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhifa.core import clock
from zhifa.core.violations import Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Body, Jurisdiction
from zhifa.registry.views import paginate

from . import services
from .models import Draw, Entity, Inspection, InspectionItem, Plan, Task


def _staff(request) -> access.Actor:
    actor = access.request_actor(request)
    if actor.is_public:
        raise PermissionDenied("仅执法人员、执法监督机构和系统管理员可以访问。")
    return actor


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    year = clock.today().year
    violations: list = []
    if request.method == "POST":
        try:
            plan = services.create_plan(body_id=actor.body_id or 0, year=_int(request.POST.get("year"), year),
                                        title=request.POST.get("title", ""), actor=actor)
            return redirect("inspections:plan_detail", plan.pk)
        except Refused as exc:
            violations = exc.violations
        except (ValueError, Http404):
            violations = [Violation("BAD_INPUT", "年度应为整数，且须以本主体负责人身份编制计划")]
        except PermissionDenied as exc:
            violations = [Violation("FORBIDDEN", str(exc))]
    plans = services.visible_plans(actor).filter(year=year).annotate(n_tasks=Count("tasks", distinct=True))
    bodies = dict(access.scope_bodies(actor, Body.objects.all()).values_list("pk", "name"))
    shares = [(bodies[b], s) for b, s in sorted(services.joint_shares(year, bodies.keys()).items()) if s.total]
    draws = Draw.objects.select_related("task", "task__plan__body").defer("document").order_by("-committed_at")[:10]
    overdue = services.overdue_publications(access.scope(actor, Inspection.objects.all(), "task__plan__body")).count()
    return render(request, "inspections/overview.html", {
        "plans": plans, "shares": shares, "violations": violations, "can_plan": actor.body_id is not None and access.can_manage_body(actor, actor.body_id), "draws": draws, "year": year, "overdue": overdue,
        "n_entities": Entity.objects.count(), "n_items": InspectionItem.objects.filter(is_active=True).count(),
    })


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = InspectionItem.objects.select_related("body").filter(is_active=True).order_by("body_id", "code")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return render(request, "inspections/item_list.html", {"page": paginate(request, qs), "q": q})


@login_required
def entity_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Entity.objects.select_related("township").order_by("credit_code")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(credit_code=q.upper()) if len(q) == 18 and q.isalnum() else qs.filter(name__icontains=q)
    industry = request.GET.get("industry", "").strip()[:60]
    if industry:
        qs = qs.filter(industry=industry)
    risk = request.GET.get("risk", "")
    if risk in Entity.Grade.values:
        qs = qs.filter(risk_grade=risk)
    tag = request.GET.get("tag", "")
    if tag == "abnormal":
        qs = qs.filter(is_abnormal=True)
    elif tag == "complaints":
        qs = qs.filter(complaint_count__gt=0)
    return render(request, "inspections/entity_list.html", {
        "page": paginate(request, qs), "q": q, "industry": industry, "risk": risk, "tag": tag, "grades": Entity.Grade.choices,
    })


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        raise ValueError(f"「{text}」不是数字")


def _int(text: str, default: int | None = None) -> int | None:
    text = (text or "").strip()
    if not text:
        return default
    if not text.lstrip("-").isdigit():
        raise ValueError(f"「{text}」应为整数")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(f"日期「{text}」应为 YYYY-MM-DD")


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan editor (计划编制): tasks, statistics, a form for a new task, a button to draw."""
    actor = _staff(request)
    plan = services.visible_plans(actor).filter(pk=pk).first()
    if plan is None:
        raise Http404
    violations: list = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "draw":
                draw = services.commit_draw(task_id=_int(request.POST.get("task")) or 0, actor=actor)
                messages.success(request, "已冻结候选名单并公布种子承诺，请在抽取时间由见证人输入见证值。")
                return redirect("inspections:draw_detail", draw.pk)
            if action == "publish":
                n = services.publish_results(task_id=_int(request.POST.get("task")) or 0, actor=actor)
                messages.success(request, f"已公示 {n} 条检查结果。")
                return redirect("inspections:plan_detail", plan.pk)
            data = services.TaskInput(
                title=request.POST.get("title", ""), kind=request.POST.get("kind", "random"),
                starts_on=_date(request.POST.get("starts_on")), ends_on=_date(request.POST.get("ends_on")),
                item_ids=[int(i) for i in request.POST.getlist("items") if i.isdigit()],
                partner_ids=[int(i) for i in request.POST.getlist("partners") if i.isdigit()],
                scope_industry=request.POST.get("scope_industry", ""),
                scope_jurisdiction_id=_int(request.POST.get("scope_jurisdiction")),
                scope_risk_grades=request.POST.get("scope_risk_grades", "").upper(),
                scope_tag=request.POST.get("scope_tag", ""),
                ratio_percent=_decimal(request.POST.get("ratio_percent", "")),
                sample_count=_int(request.POST.get("sample_count")),
                inspectors_per_entity=_int(request.POST.get("inspectors_per_entity"), 2),
                flagged_weight=_int(request.POST.get("flagged_weight"), 1),
            )
            services.create_task(plan_id=plan.pk, data=data, actor=actor)
            messages.success(request, "已新增抽查任务。")
            return redirect("inspections:plan_detail", plan.pk)
        except Refused as exc:
            violations = exc.violations
        except ValueError as exc:
            violations = [Violation("BAD_INPUT", str(exc))]
        except PermissionDenied as exc:
            violations = [Violation("FORBIDDEN", str(exc))]
    tasks = plan.tasks.prefetch_related("items", "partners").select_related("draw").annotate(
        n_drawn=Count("inspections", distinct=True),
        n_recorded=Count("inspections", filter=~Q(inspections__outcome=""), distinct=True),
    ).order_by("starts_on", "id")
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "tasks": tasks, "stats": services.plan_statistics(plan), "violations": violations,
        "can_manage": access.can_manage_body(actor, plan.body_id),
        "items": InspectionItem.objects.filter(is_active=True).order_by("body_id", "code"),
        "partners": Body.objects.filter(is_active=True).exclude(pk=plan.body_id).order_by("code")[:200],
        "jurisdictions": Jurisdiction.objects.exclude(level=Jurisdiction.Level.PROVINCE).order_by("path")[:300],
        "kinds": Task.Kind.choices, "tags": Task.Tag.choices, "form": request.POST if violations else {},
    })


def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw page (抽取): commitment, witness input, reveal, verification; public to read."""
    draw = Draw.objects.select_related("task", "task__plan__body").filter(pk=pk).first()
    if draw is None:
        raise Http404
    actor = access.request_actor(request)
    violations: list = []
    if request.method == "POST":
        if actor.is_public:
            raise PermissionDenied("请先登录。")
        try:
            services.reveal_draw(draw_id=draw.pk, witness=request.POST.get("witness", ""),
                                 witness_name=request.POST.get("witness_name", ""), actor=actor)
            messages.success(request, "抽取完成，种子已公开，可随时复核。")
            return redirect("inspections:draw_detail", draw.pk)
        except Refused as exc:
            violations = exc.violations
        except PermissionDenied as exc:
            violations = [Violation("FORBIDDEN", str(exc))]
    verification = services.verify_draw(draw) if draw.is_drawn and request.GET.get("verify") else None
    drawn = paginate(request, Inspection.objects.filter(draw=draw).select_related("entity").prefetch_related("assignments__officer").order_by("rank"))
    return render(request, "inspections/draw_detail.html", {
        "draw": draw, "drawn": drawn, "violations": violations, "verification": verification,
        "exclusions": draw.exclusions.select_related("entity").order_by("id")[:50],
        "can_manage": not actor.is_public and access.can_manage_body(actor, draw.task.plan.body_id),
        "published": services.published_draw(draw),
    })


@login_required
def record_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Results entry (检查结果录入), for a phone: checklist answers, findings, outcome."""
    actor = _staff(request)
    inspection = Inspection.objects.select_related("entity", "task", "draw").filter(pk=pk).first()
    if inspection is None:
        raise Http404
    checklist = [p for item in inspection.task.items.all() for p in item.checklist]
    violations: list = []
    if request.method == "POST" and request.POST.get("action") == "open_case":
        try:  # 检查发现转立案 (R30): the entity becomes the party of a new case source
            case = services.open_case_from_inspection(
                inspection.pk, item_code=request.POST.get("item_code", "").strip(), act_date=_date(request.POST.get("act_date", "")),
                facts=request.POST.get("facts", ""), actor=actor)
            messages.success(request, f"已据检查发现登记案源：{case.number}。")
            return redirect("cases:detail", case.pk)
        except Refused as exc:
            violations = exc.violations
        except ValueError as exc:
            violations = [Violation("BAD_INPUT", str(exc))]
        except Http404:
            violations = [Violation("ITEM_NOT_FOUND", "未找到该执法事项编码")]
    elif request.method == "POST":
        try:
            answers = [{"point": p, "ok": request.POST.get(f"point_{n}") == "ok", "note": request.POST.get(f"note_{n}", "")}
                       for n, p in enumerate(checklist)]
            services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
                inspected_on=_date(request.POST.get("inspected_on", "")), outcome=request.POST.get("outcome", ""),
                answers=answers, findings=request.POST.get("findings", ""), case_number=request.POST.get("case_number", ""),
            ), actor=actor)
            messages.success(request, "检查结果已保存。")
            return redirect("inspections:draw_detail", inspection.draw_id)
        except Refused as exc:
            violations = exc.violations
        except ValueError as exc:
            violations = [Violation("BAD_INPUT", str(exc))]
    return render(request, "inspections/record.html", {
        "inspection": inspection, "checklist": list(enumerate(checklist)), "violations": violations,
        "outcomes": Inspection.Outcome.choices, "today": clock.today(),
        "inspectors": [a.officer for a in inspection.assignments.select_related("officer")],
        "can_open_case": inspection.outcome in services.PROBLEM_OUTCOMES and bool(inspection.findings.strip())
        and not (inspection.case_id or inspection.case_number),
    })
