"""Pages of double random, one public (R26–R30): overview, item list, entity database, plan editor
with statistics, the draw page (commitment, witness input, reveal, verification) and results entry
with site photos built for a phone screen. Thin: parse (``forms``), call ``services`` or ``selectors``,
render; every write goes through a service and a refusal shows every reason at once. The inspector
database and conflict declarations are in ``views_inspectors``."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhifa.cases.services import registrable_items  # the 案源登记 page's items
from zhifa.core import clock, offline
from zhifa.core.listing import paginate
from zhifa.core.violations import FORBIDDEN, INVALID_INPUT, NOT_FOUND, Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Body, Jurisdiction

from . import chart_data, config, permissions, public, rules, selectors, services
from .forms import (
    ID_MAX,
    OpenCaseForm,
    PhotoForm,
    parse_int,
    result_form_values,
    result_input,
    task_input,
)
from .models import Draw, Entity, Inspection, InspectionItem, InspectionPhoto, Plan, Task


def _staff(request) -> access.Actor:
    actor = access.request_actor(request)
    if actor.is_public:
        raise PermissionDenied("仅执法人员、执法监督机构和系统管理员可以访问。")
    return actor


def _refusal(exc: Exception) -> list[Violation]:
    """What the page shows for a refused write: the service's reasons (``Refused``), a permission
    refused (``FORBIDDEN``) or input that could not even be read (``INVALID_INPUT``)."""
    if isinstance(exc, Refused):
        return exc.violations
    if isinstance(exc, PermissionDenied):
        return [Violation(FORBIDDEN, str(exc))]
    return [Violation(INVALID_INPUT, str(exc))]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    year = clock.today().year
    violations: list = []
    if request.method == "POST":
        try:
            plan = services.create_plan(body_id=actor.body_id or 0, year=parse_int(request.POST.get("year"), year, label="年度"),
                                        title=request.POST.get("title", ""), actor=actor)
            return redirect("inspections:plan_detail", plan.pk)
        except (Refused, ValueError, PermissionDenied) as exc:
            violations = _refusal(exc)
        except Http404:  # no body of one's own: supervisors and administrators plan in the admin
            violations = [Violation(FORBIDDEN, "须以执法主体负责人身份编制本主体的抽查计划")]
    plans = selectors.plans(actor, year=year).annotate(n_tasks=Count("tasks", distinct=True))
    bodies = dict(access.scope_bodies(actor, Body.objects.all()).values_list("pk", "name"))
    shares = [(bodies[b], s) for b, s in sorted(selectors.joint_shares(year, bodies.keys()).items()) if s.total]
    shares.sort(key=lambda pair: (pair[1].meets_floor, pair[1].share, pair[0]))  # below the floor first
    draws = Draw.objects.select_related("task", "task__plan__body").order_by("-committed_at")[:10]
    overdue = selectors.overdue_publications(access.scope(actor, Inspection.objects.all(), "task__plan__body")).count()
    # 待我检查: what the draws sent this officer to and is not recorded yet, the task ending first on top
    inspector = actor.officer if actor.officer is not None and not actor.officer.is_auxiliary else None
    my_pending = selectors.my_inspections(actor, "pending") if inspector is not None else Inspection.objects.none()
    return render(request, "inspections/overview.html", {
        "is_inspector": inspector is not None, "my_pending": my_pending[:MY_PENDING_SHOWN], "n_my_pending": my_pending.count(),
        "plans": plans, "shares": shares, "share_bars": chart_data.share_bars(shares), "joint_floor": rules.JOINT_FLOOR, "violations": violations, "can_plan": actor.body_id is not None and access.can_manage_body(actor, actor.body_id), "draws": draws, "year": year, "overdue": overdue,
        "n_entities": Entity.objects.count(), "n_items": InspectionItem.objects.filter(is_active=True).count(),
        "can_see_inspectors": permissions.may_use_inspector_pages(actor),
    })


MY_PENDING_SHOWN = 20  # the overview lists this many of the officer's pending inspections; the draw pages have the rest


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.items(q=q)
    return render(request, "inspections/item_list.html", {"page": paginate(request, qs), "q": q})


@login_required
def entity_list(request: HttpRequest) -> HttpResponse:
    from zhifa.registry import import_jobs

    actor = _staff(request)
    q = request.GET.get("q", "").strip()[:100]
    industry = request.GET.get("industry", "").strip()[:60]
    risk = request.GET.get("risk", "")
    tag = request.GET.get("tag", "")
    # 餐饮 finds 餐饮服务 too: the clerk types a word, not the registry's exact label
    qs = selectors.entities(q=q, industry=industry, industry_contains=True, risk=risk,
                            tag=tag if tag in ("abnormal", "complaints") else None).select_related("township")
    return render(request, "inspections/entity_list.html", {
        "page": paginate(request, qs), "q": q, "industry": industry, "risk": risk, "tag": tag, "grades": Entity.Grade.choices,
        "can_import": any(c.kind == "entities" for c in import_jobs.kind_choices(actor)),  # else the link would be a 403
    })


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan editor (计划编制): tasks, statistics, a form for a new task, a button to draw."""
    actor = _staff(request)
    plan = selectors.visible_plans(actor).filter(pk=pk).first()
    if plan is None:
        raise Http404
    violations: list = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "draw":
                draw = services.commit_draw(task_id=_plan_task_id(plan, request), actor=actor)
                messages.success(request, "已冻结候选名单并公布种子承诺，请在抽取时间由见证人输入见证值。")
                return redirect("inspections:draw_detail", draw.pk)
            if action == "publish":
                n = services.publish_results(task_id=_plan_task_id(plan, request), actor=actor)
                messages.success(request, f"已公示 {n} 条检查结果。")
                return redirect("inspections:plan_detail", plan.pk)
            services.create_task(plan_id=plan.pk, data=task_input(request.POST), actor=actor)
            messages.success(request, "已新增抽查任务。")
            return redirect("inspections:plan_detail", plan.pk)
        except (Refused, ValueError, PermissionDenied) as exc:
            violations = _refusal(exc)
    # a refused new task shows its reasons beside its form (at the foot of the page) and keeps every choice
    task_refused = bool(violations) and request.POST.get("action") not in ("draw", "publish")
    tasks = list(plan.tasks.prefetch_related("items", "partners").select_related("draw", "scope_jurisdiction").order_by("starts_on", "id"))
    progress, total = selectors.plan_progress(plan)
    for t in tasks:
        t.progress = progress.get(t.pk) or selectors.TaskProgress()
        t.unpublished = t.progress.recorded - t.progress.published  # what 公示结果 would publish
    stats = selectors.plan_statistics(plan)
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "tasks": tasks, "stats": stats, **chart_data.plan_charts(tasks, total, stats),
        "can_manage": access.can_manage_body(actor, plan.body_id),
        "items": InspectionItem.objects.filter(is_active=True).select_related("body").order_by("body_id", "code"),
        "partners": Body.objects.filter(is_active=True).exclude(pk=plan.body_id).order_by("code")[:200],
        "jurisdictions": Jurisdiction.objects.exclude(level=Jurisdiction.Level.PROVINCE).order_by("path")[:300],
        "kinds": Task.Kind.choices, "tags": Task.Tag.choices, "form": request.POST if task_refused else {},
        "task_violations": violations if task_refused else [], "violations": [] if task_refused else violations,
        "chosen_items": request.POST.getlist("items") if task_refused else [],
        "chosen_partners": request.POST.getlist("partners") if task_refused else [],
    })


def _plan_task_id(plan: Plan, request: HttpRequest) -> int:
    """The task a 抽取 or 公示结果 button names: one of this plan's tasks, else the site's 404 page
    (a task that does not exist, or of another plan or body, is not shown to exist)."""
    try:
        task_id = parse_int(request.POST.get("task"), limit=ID_MAX)
    except ValueError:
        task_id = None
    if task_id is None or not plan.tasks.filter(pk=task_id).exists():
        raise Http404("该抽查任务不存在或不属于本计划。")
    return task_id


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
        except (Refused, PermissionDenied) as exc:
            violations = _refusal(exc)
    verification = services.verify_draw(draw) if draw.is_drawn and request.GET.get("verify") else None
    insider = permissions.may_see_task(actor, draw.task)  # photos and unpublished results: never public
    # 飞行检查: outsiders see neither the seed nor who was drawn before the task ends
    withhold = draw.is_drawn and not insider and not public.disclosed(draw)
    drawn = None
    # an inspector sent by this draw finds their own inspections first (我的检查), on a phone too
    my_id = actor.officer.pk if insider and actor.officer is not None and not actor.officer.is_auxiliary else None
    n_mine = Inspection.objects.filter(draw=draw, inspector_ids__includes=my_id).count() if my_id and draw.is_drawn else 0
    mine = bool(n_mine) and request.GET.get("mine") == "1"
    if not withhold:
        drawn_qs = Inspection.objects.filter(draw=draw).select_related("entity").order_by("rank")
        if mine:
            drawn_qs = drawn_qs.filter(inspector_ids__includes=my_id)
        if insider:
            drawn_qs = drawn_qs.prefetch_related(Prefetch("photos", queryset=InspectionPhoto.objects.order_by("uploaded_at", "id")))
        drawn = paginate(request, drawn_qs)
        drawn.object_list = selectors.attach_inspectors(drawn.object_list)
        for i in drawn.object_list:  # only an assigned inspector (or the administrator) records (services.record_result)
            i.can_record = insider and not i.published_on and permissions.is_assigned(actor, i.inspector_ids)
    return render(request, "inspections/draw_detail.html", {
        "draw": draw, "drawn": drawn, "violations": violations, "verification": verification, "show_photos": insider,
        "insider": insider, "withhold": withhold, "n_mine": n_mine, "mine": mine,
        "exclusions": draw.exclusions.select_related("entity").order_by("id")[:50],
        "can_manage": not actor.is_public and access.can_manage_body(actor, draw.task.plan.body_id),
    })


@login_required
def record_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Results entry (检查结果录入), for a phone: checklist answers, findings, outcome."""
    actor = _staff(request)
    inspection = Inspection.objects.select_related("entity", "task__plan", "draw", "recorded_by").filter(pk=pk).first()
    if inspection is None or not permissions.may_see_task(actor, inspection.task):  # other bodies' results are not theirs
        raise Http404
    checklist = [p for item in inspection.task.items.all() for p in item.checklist]
    violations, result_problems = [], []  # refusals on top; what the result misses, next to its point
    assigned = set(inspection.inspector_ids)
    photo_form, photo_problems = PhotoForm(), []
    can_open_case = (inspection.outcome in selectors.PROBLEM_OUTCOMES and bool(inspection.findings.strip())
                     and not (inspection.case_id or inspection.case_number) and permissions.may_open_case(actor, inspection))
    case_form = None
    if request.method == "POST" and request.POST.get("action") in ("photos", "remove_photo"):
        photo_form, photo_problems = _photo_action(request, inspection, actor)
        if photo_problems is None:
            return redirect("inspections:record_result", inspection.pk)
        # problems of the files sent go next to the file field, the others (who, when) on top
        violations = [v for v in photo_problems if v.code not in services.PHOTO_INPUT_CODES]
        photo_problems = [v for v in photo_problems if v.code in services.PHOTO_INPUT_CODES]
    elif request.method == "POST" and request.POST.get("action") == "open_case":
        case_form, done, violations = _open_case_action(request, inspection, actor)  # 检查发现转立案 (R30)
        if done is not None:
            return done
    elif request.method == "POST":
        done, violations, result_problems = _record_action(request, inspection, checklist, actor)
        if done is not None:
            return done
    result_posted = request.method == "POST" and request.POST.get("action") not in ("photos", "remove_photo", "open_case")
    may_record = not inspection.published_on and permissions.is_assigned(actor, assigned)
    if not violations and not result_problems and (can_open_case or may_record):
        # R04: an officer without a valid certificate is told before filling anything in
        violations = permissions.certificate_violations(actor, clock.today())
    if case_form is None and can_open_case:
        case_form = OpenCaseForm(items=_case_items(actor, inspection), body_id=_case_body(actor, inspection),
                                 initial={"act_date": inspection.inspected_on})
    return render(request, "inspections/record.html", {
        "inspection": inspection, "violations": violations,
        "outcomes": Inspection.Outcome.choices, "today": clock.today(),
        # only an assigned inspector (or the administrator) records, and only before publication
        "can_record": may_record,
        **result_form_values(inspection, checklist, request.POST if result_posted else None, result_problems),
        "inspectors": selectors.attach_inspectors([inspection])[0].inspectors,
        "can_open_case": can_open_case,
        "can_report_transfer": permissions.may_report_transfer(actor, inspection, selectors.PROBLEM_OUTCOMES),
        "case_form": case_form,
        **_photo_context(inspection, actor, assigned, photo_form, photo_problems),
    })


def _record_action(request, inspection: Inspection, checklist: list[str], actor: access.Actor) -> tuple[HttpResponse | None, list, list]:
    """检查结果录入: the redirect after saving (or ``None``), the refusals, the ``rules.ResultProblem``s."""
    try:
        services.record_result(inspection_id=inspection.pk, data=result_input(request.POST, checklist), actor=actor)
    except services.ResultIncomplete as exc:
        return None, [], exc.problems
    except (Refused, ValueError) as exc:
        return None, _refusal(exc), []
    messages.success(request, f"检查结果已保存：{inspection.entity.name}。")
    back = reverse("inspections:draw_detail", args=[inspection.draw_id])
    mine = actor.officer is not None and actor.officer.pk in inspection.inspector_ids
    return redirect(f"{back}?mine=1#drawn" if mine else back), [], []


def _case_items(actor: access.Actor, inspection: Inspection):
    """The penalty items a case opened from this inspection may name: those the 案源登记 page
    offers (the actor's body's), for the administrator those of the task's body — the body
    ``services.open_case_from_inspection`` registers the case in."""
    items = registrable_items(actor)
    return items.filter(body_id=inspection.task.plan.body_id) if actor.is_admin else items


def _case_body(actor: access.Actor, inspection: Inspection) -> int | None:
    """The body whose items the picker searches for the administrator (the task's); ``None``: the actor's own."""
    return inspection.task.plan.body_id if actor.is_admin else None


def _open_case_action(request, inspection: Inspection, actor: access.Actor) -> tuple[OpenCaseForm, HttpResponse | None, list]:
    """检查发现转立案 (R30) from the results page: the entity becomes the party of a new case
    source; a missing or foreign item is refused by the form, next to the field, before anything
    is written. The form, the redirect to the new case (or ``None``) and the refusals."""
    case_form = OpenCaseForm(request.POST, items=_case_items(actor, inspection), body_id=_case_body(actor, inspection))
    if not case_form.is_valid():
        return case_form, None, []
    data = case_form.cleaned_data
    try:
        case = services.open_case_from_inspection(
            inspection.pk, item_code=data["item"].code, act_date=data["act_date"], facts=data["facts"], actor=actor)
        messages.success(request, f"已据检查发现登记案源：{case.number}。")
        return case_form, redirect("cases:detail", case.pk), []
    except (Refused, ValueError) as exc:
        return case_form, None, _refusal(exc)
    except Http404:  # the item was removed meanwhile
        case_form.add_error("item", "未找到该执法事项，请从列表中重新选择")
        return case_form, None, []


def _photo_context(inspection: Inspection, actor: access.Actor, assigned: set[int], form: PhotoForm, problems: list) -> dict:
    visible = permissions.may_see_photos(actor, inspection, assigned)
    return {
        "photos": list(inspection.photos.select_related("uploaded_by")) if visible else [],
        "show_photos": visible,
        "can_photograph": not services.photo_violations(inspection, assigned, actor),
        "photo_form": form, "photo_problems": problems or [],
        "photo_limit_mb": config.photo_max_bytes() // 1048576, "photo_max_count": config.photo_max_count(),
    }


# --- 我的检查 (the inspections a draw sent the actor to, R28) ----------------------------------

MINE_PER_PAGE = 20
MINE_STATUSES = (("pending", "待录入"), ("recorded", "已录入"), ("all", "全部"))
MINE_SOON_DAYS = 3  # a pending inspection whose task ends within this many days is highlighted


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的检查, for a phone: the inspections the draws assigned to the actor's officer record —
    entity, task and its period, the co-inspectors, the state — each with a button to the results
    page; 待录入 / 已录入 / 全部, 20 a page, the same number of queries on every page. Staff who are
    not drawn (no officer record, auxiliary staff) get a sentence saying why the list is empty."""
    actor = _staff(request)
    status = request.GET.get("status", "pending")
    if status not in dict(MINE_STATUSES):
        status = "pending"
    context: dict = {"status": status, "page": None, "not_drawn": ""}
    officer = actor.officer
    if officer is None:
        context["not_drawn"] = "您的账号未登记为执法人员，抽取不会选派您检查，这里没有您的检查。"
    elif officer.is_auxiliary:
        context["not_drawn"] = "执法辅助人员不参加随机抽取，不会被选派检查，这里没有您的检查。"
    if context["not_drawn"]:
        return render(request, "inspections/mine.html", context)
    counts = selectors.my_inspection_counts(actor)
    page = paginate(request, selectors.my_inspections(actor, status), per_page=MINE_PER_PAGE)
    today = clock.today()
    page.object_list = selectors.attach_inspectors(page.object_list)
    for i in page.object_list:
        i.co_inspectors = [o for o in i.inspectors if o.pk != officer.pk]
        i.days_left = (i.task.ends_on - today).days
        # the end of the task's period matters only while the result is still to be recorded
        i.due = "" if i.outcome else "overdue" if i.days_left < 0 else "soon" if i.days_left <= MINE_SOON_DAYS else ""
        i.days_over = -i.days_left
    context.update(page=page, officer=officer, tabs=[(value, label, counts[value]) for value, label in MINE_STATUSES])
    return render(request, "inspections/mine.html", context)


# --- Site photos (现场照片) -----------------------------------------------------------------------

@login_required
def photo_file(request: HttpRequest, pk: int, thumb: bool = False) -> FileResponse:
    """A site photo (or its thumbnail), only for staff who may see the inspection — never a
    public media URL."""
    actor = _staff(request)
    photo = InspectionPhoto.objects.select_related("inspection__task").filter(pk=pk).first()
    if photo is None or not permissions.may_see_photos(actor, photo.inspection):
        raise Http404("未找到该照片，或您无权查看。")
    name = photo.thumbnail.name if thumb and photo.thumbnail else photo.file.name
    if thumb and not photo.thumbnail:
        raise Http404("该照片没有缩略图。")
    if not name or not default_storage.exists(name):
        raise Http404("照片文件不存在。")
    content_type = "image/jpeg" if thumb else photo.content_type
    ext = services.PHOTO_TYPES.get(photo.content_type, "")
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type,
                            as_attachment=photo.content_type == "image/heic" and not thumb,
                            filename=f"inspection-{photo.inspection_id}-photo-{photo.pk}{'-thumb.jpg' if thumb else ext}")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _photo_action(request, inspection: Inspection, actor: access.Actor) -> tuple[PhotoForm, list]:
    """Upload or remove photos from the results page; the refusals for the photo card."""
    form = PhotoForm(request.POST, request.FILES)
    problems: list = []
    try:
        if request.POST.get("action") == "remove_photo":
            services.remove_photo(photo_id=parse_int(request.POST.get("photo"), limit=ID_MAX) or 0, actor=actor)
            messages.success(request, "已删除该现场照片。")
        elif form.is_valid():
            photos = services.add_photos(inspection_id=inspection.pk, uploads=request.FILES.getlist("photos"),
                                         caption=form.cleaned_data["caption"], actor=actor)
            messages.success(request, f"已上传 {len(photos)} 张现场照片，摘要已记入抽取全过程记录。")
        else:
            return form, []
        return form, None
    except (Refused, ValueError) as exc:
        problems = _refusal(exc)
    except Http404:
        problems = [Violation(NOT_FOUND, "未找到该照片")]
    return form, problems


# The service worker (离线现场执法, B9) at ``/inspections/sw.js``: its scope is ``/inspections/`` —
# 我的检查 and the results pages (``core.offline.service_worker``).
service_worker = offline.service_worker("/inspections/")
