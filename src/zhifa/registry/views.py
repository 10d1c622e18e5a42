"""Staff pages of the registry (R01–R08): the home page per role, bodies, officers, the
jurisdiction tree (R02 command view), the registry health view and the import page.

Thin: parse the request, ask ``access`` and ``services``, render. Every query is scoped through
``registry.access``; nothing here writes a model (imports go through ``core.importing``).

Lists share one small toolkit used by the other apps' pages too: ``Sorting`` (clickable column
headers with a whitelist of sort keys), ``paginate`` (50 rows a page) and ``render_list`` (the
whole page, or only the ``#results`` table when htmx asks for it).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.core import clock
from zhifa.core.listing import Sorting, paginate, render_list
from zhifa.core.violations import Refused

from . import access, forms, rules, selectors, services
from .access import Role, request_actor
from .forms import BodyFilterForm, HealthFilterForm, ImportForm, OfficerFilterForm
from .models import Assignment, Body, Certificate, Delegation, Jurisdiction, Officer, TrainingRecord

# Flags that stop enforcement outright are shown in red, the others in amber.
SEVERE_FLAGS = {
    rules.FlagKind.NO_LEGAL_REVIEWER,
    rules.FlagKind.CERTIFICATE_EXPIRED,
    rules.FlagKind.NO_CERTIFICATE,
}


def _items_model():
    # catalog sits above registry: reach its Item model through the relation, never by import.
    return Body._meta.get_field("items").related_model


def _required_hours() -> int:
    return settings.ZHIFA["TRAINING_HOURS_PER_YEAR"]  # R07: 60 hours a year (seed D §三)


def _percent(hours: Decimal, required: int) -> int:
    return min(100, int(hours * 100 / required)) if required else 100


def _decorate_officers(officers: Sequence[Officer], today: dt.date, *, with_hours: bool = True) -> list[Officer]:
    """Attach ``cert_state`` (from the annotations) and ``hours`` (this year's training, one query)."""
    officers = list(officers)
    hours = services.training_hours([o.pk for o in officers], today.year) if with_hours else {}
    warning_days = settings.ZHIFA["CERTIFICATE_EXPIRY_WARNING_DAYS"]  # R04: warn 90 days ahead
    for o in officers:
        facts = services.certificate_facts_of(o)
        o.cert_state = rules.certificate_state(facts, today)
        o.cert_expires = facts.expires_on if facts else None
        o.cert_expiring = (
            o.cert_state is rules.CertificateState.VALID and (facts.expires_on - today).days <= warning_days
        )
        o.hours = hours.get(o.pk, Decimal(0))
        o.hours_short = with_hours and not o.is_auxiliary and o.hours < _required_hours()
    return officers


def _flag_rows(flags: Sequence[rules.Flag], actor: access.Actor) -> list[dict]:
    """Flags with their body and officer resolved (two queries for any number of flags)."""
    body_ids = {f.body_id for f in flags}
    officer_ids = {f.officer_id for f in flags if f.officer_id}
    bodies = access.scope_bodies(actor, Body.objects.filter(pk__in=body_ids)).in_bulk() if body_ids else {}
    officers = access.staff_officers(actor).filter(pk__in=officer_ids).only("pk", "name").in_bulk() if officer_ids else {}
    rows = []
    for f in flags:
        officer = officers.get(f.officer_id) if f.officer_id else None
        text = f.detail
        if officer is not None and text.startswith(f"{officer.name}："):
            text = text[len(officer.name) + 1:]  # the name has its own column
        rows.append({
            "flag": f,
            "kind": f.kind,
            "severe": f.kind in SEVERE_FLAGS,
            "body": bodies.get(f.body_id),
            "officer": officer,
            "text": text,
        })
    return rows


def _flag_order(kind: rules.FlagKind) -> tuple[int, int]:
    """Severe kinds (no reviewer, expired or no certificate) first, then the rules' order."""
    return (kind not in SEVERE_FLAGS, list(rules.FlagKind).index(kind))


def _flag_summary(flags: Sequence[rules.Flag]) -> list[dict]:
    counts = Counter(f.kind for f in flags)
    return [
        {"kind": kind, "count": counts[kind], "basis": rules.FLAG_BASIS[kind], "severe": kind in SEVERE_FLAGS}
        for kind in sorted(rules.FlagKind, key=_flag_order)
        if counts[kind]
    ]


# --- Home ---------------------------------------------------------------------------------

@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台: what each role needs first when the day starts."""
    actor = request_actor(request)
    today = clock.today()
    required = _required_hours()
    context: dict = {"today": today, "required_hours": required, "nav": "home"}

    if actor.officer is not None:
        me = services.with_current_certificate(
            Officer.objects.select_related("body__jurisdiction").filter(pk=actor.officer.pk)
        ).get()
        me = _decorate_officers([me], today)[0]
        context["me"] = me
        context["my_percent"] = _percent(me.hours, required)
        if me.cert_expires:
            context["my_days_left"] = (me.cert_expires - today).days
        context["expiry_warning_days"] = settings.ZHIFA["CERTIFICATE_EXPIRY_WARNING_DAYS"]

    if actor.has(Role.HEAD) and actor.body_id is not None:
        people = services.with_current_certificate(
            access.staff_officers(actor).filter(body_id=actor.body_id, status=Officer.Status.ACTIVE)
        ).order_by("is_auxiliary", "name", "pk")
        context["people"] = _decorate_officers(people, today)
        body_flags = services.health_flags(actor, today, body_id=actor.body_id)
        context["body_flags"] = _flag_rows(body_flags, actor)
        context["body_flag_summary"] = _flag_summary(body_flags)

    if actor.is_supervisor or actor.is_admin:
        bodies = access.scope_bodies(actor, Body.objects.filter(is_active=True))
        officers = access.staff_officers(actor).filter(status=Officer.Status.ACTIVE, body__is_active=True)
        items = _items_model().objects.filter(body__in=bodies)
        flags = services.health_flags(actor, today)
        context.update(
            overview=True,
            n_bodies=bodies.count(),
            n_officers=officers.filter(is_auxiliary=False).count(),
            n_auxiliary=officers.filter(is_auxiliary=True).count(),
            n_items=items.count(),
            n_flags=len(flags),
            flag_summary=_flag_summary(flags),
        )
        per_body = Counter(f.body_id for f in flags)
        top = per_body.most_common(8)
        names = bodies.filter(pk__in=[b for b, _ in top]).select_related("jurisdiction").in_bulk()
        context["top_bodies"] = [{"body": names[b], "count": n} for b, n in top if b in names]
        if actor.is_supervisor and actor.jurisdiction_path:
            context["supervised"] = Jurisdiction.objects.filter(path=actor.jurisdiction_path).first()
    return render(request, "registry/home.html", context)


# --- Bodies -------------------------------------------------------------------------------

BODY_SORTS = {
    "code": ("code",),
    "name": ("name",),
    "jurisdiction": ("jurisdiction__path", "code"),
    "sector": ("sector", "code"),
    "officers": ("n_officers",),
    "items": ("n_items",),
}


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    """执法主体名录 (R01): every body the actor may see, filtered, sorted, 50 a page."""
    actor = request_actor(request)
    form = BodyFilterForm(request.GET, jurisdictions=Jurisdiction.objects.all())
    form.is_valid()
    data = form.cleaned_data
    qs = selectors.search_bodies(
        selectors.listed_bodies(actor), q=data.get("q"), sector=data.get("sector"), kind=data.get("kind"),
        jurisdiction_path=data["jurisdiction"].path if data.get("jurisdiction") else None,
    )
    sorting = Sorting(request, BODY_SORTS, "jurisdiction")
    page = paginate(request, sorting.order_by(qs))
    columns = sorting.columns([
        ("主体编码", "code"), ("名称", "name"), ("所属区划", "jurisdiction"), ("执法领域", "sector"),
        ("主体类型", ""), ("执法人员", "officers", "num"), ("执法事项", "items", "num"), ("监督电话", ""),
    ])
    context = {"form": form, "page": page, "columns": columns, "sort": sorting.value, "nav": "bodies"}
    return render_list(request, "registry/body_list.html", "registry/_body_table.html", context)


@login_required
def body_detail(request: HttpRequest, pk: int, register_panel: "ActionPanel | None" = None) -> HttpResponse:
    """One body: every R01 field, its people, its items and its delegations (R03)."""
    actor = request_actor(request)
    today = clock.today()
    body = get_object_or_404(
        access.visible_bodies(actor).select_related("jurisdiction", "parent_department", "entrusted_by"), pk=pk
    )
    private = access.can_see_private(actor, body)
    if private:
        people = access.staff_officers(actor).filter(body=body, status=Officer.Status.ACTIVE)
    else:
        people = access.public_officers().filter(body=body)
    people = services.with_current_certificate(people).order_by("is_auxiliary", "-is_head", "name", "pk")
    page = paginate(request, people, param="page")
    officers = _decorate_officers(page.object_list, today, with_hours=private)
    items = body.items.order_by("code")
    delegations = Delegation.objects.select_related("from_body", "to_body", "item").order_by("-valid_from", "pk")
    context = {
        "body": body,
        "private": private,
        "page": page,
        "officers": officers,
        "items": items[:20],
        "n_items": items.count(),
        "delegations_in": delegations.filter(to_body=body),
        "delegations_out": delegations.filter(from_body=body),
        "subordinates": access.visible_bodies(actor).filter(parent_department=body),
        "can_health": access.can_view_health(actor) and (actor.is_admin or actor.is_supervisor or actor.body_id == body.pk),
        "today": today,
        "nav": "bodies",
    }
    if access.can_manage_body(actor, body.pk):
        context["register_panel"] = register_panel or ActionPanel(
            "register", forms.RegisterOfficerForm(prefix="register"), reverse("registry:register_officer", args=[body.pk])
        )
    return render(request, "registry/body_detail.html", context)


# --- Officers -----------------------------------------------------------------------------

OFFICER_SORTS = {
    "name": ("name",),
    "body": ("body__jurisdiction__path", "body__code", "name"),
    "position": ("position", "name"),
    "staff_no": ("staff_no",),
    "expires": ("cert_expires_on", "name"),
}


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    """执法人员名册: the people whose records the actor may read (own body; supervisors their
    subtree), with certificate state (R04) and this year's training hours (R07)."""
    actor = request_actor(request)
    today = clock.today()
    bodies = access.scope_bodies(actor, Body.objects.filter(is_active=True)).order_by("jurisdiction__path", "code")
    form = OfficerFilterForm(request.GET, bodies=bodies)
    form.is_valid()
    data = form.cleaned_data
    qs = selectors.search_roster(
        selectors.roster(actor), today=today, q=data.get("q"), body=data.get("body"), role=data.get("role"),
        status=data.get("status") or "active", certificate_state=data.get("cert"),
    )
    sorting = Sorting(request, OFFICER_SORTS, "body")
    page = paginate(request, sorting.order_by(qs))
    page.object_list = _decorate_officers(page.object_list, today)
    columns = sorting.columns([
        ("姓名", "name"), ("所属主体", "body"), ("职务", "position"), ("人员类别", ""), ("执法证号", ""),
        ("执法证状态", ""), ("有效期至", "expires"), (f"{today.year}年培训学时", "", "num"),
    ])
    context = {
        "form": form, "page": page, "columns": columns, "sort": sorting.value, "today": today,
        "required_hours": _required_hours(), "nav": "officers",
    }
    return render_list(request, "registry/officer_list.html", "registry/_officer_table.html", context)


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person. Within the actor's scope (``access.can_see_private``): ID number, phone,
    certificate history, training by year and assignments. Outside it only what the public may
    check (R40: name, body, certificate number and state); anyone else is a 404. The body's head
    and the administrator also get the action panels (certificates, training, assignments)."""
    actor = request_actor(request)
    return render(request, "registry/officer_detail.html", _officer_context(actor, pk))


def _officer_context(actor: access.Actor, pk: int, failed: "ActionPanel | None" = None) -> dict:
    today = clock.today()
    base = services.with_current_certificate(Officer.objects.select_related("body__jurisdiction", "user"))
    officer = base.filter(pk__in=access.staff_officers(actor).values("pk"), pk=pk).first()
    private = officer is not None and access.can_see_private(actor, officer.body_id)
    if officer is None:
        officer = base.filter(pk__in=access.public_officers().values("pk"), pk=pk).first()
        if officer is None:
            raise Http404("执法人员不存在或不在您的管辖范围内。")
    officer = _decorate_officers([officer], today, with_hours=False)[0]
    context = {"officer": officer, "private": private, "today": today, "required_hours": _required_hours(), "nav": "officers"}
    if private:
        certificates = list(officer.certificates.all())
        for cert in certificates:
            cert.state = rules.certificate_state(
                rules.CertificateFacts(cert.number, cert.status, cert.issued_on, cert.expires_on), today
            )
        trainings = list(TrainingRecord.objects.filter(officer=officer).order_by("-held_on", "-pk"))
        years: dict[int, dict] = {}
        for t in trainings:
            year = years.setdefault(t.held_on.year, {"year": t.held_on.year, "hours": Decimal(0), "records": []})
            year["hours"] += t.hours
            year["records"].append(t)
        required = _required_hours()
        this_year = years.get(today.year, {"hours": Decimal(0)})["hours"]
        for y in years.values():
            y["short"] = not officer.is_auxiliary and y["hours"] < required
            y["percent"] = _percent(y["hours"], required)
        assignments = list(Assignment.objects.filter(officer=officer).order_by("-starts_on", "-pk"))
        for a in assignments:
            a.active = rules.assignment_active(a.starts_on, a.ends_on, today)
            a.endable = a.ends_on is None or a.ends_on >= today
        can_manage = access.can_manage_body(actor, officer.body_id)
        context.update(
            certificates=certificates,
            training_years=sorted(years.values(), key=lambda y: -y["year"]),
            hours_this_year=this_year,
            percent_this_year=_percent(this_year, required),
            assignments=assignments,
            can_manage=can_manage,
            panels=_officer_panels(officer, certificates, failed) if can_manage else [],
            failed=failed,
        )
    return context


# --- Registry writes (heads and the administrator, through services) ----------------------

@dataclass
class ActionPanel:
    """One write action offered on a page: its form (bound after a failed attempt), where it
    posts, and the refusal to show (every violation, or the permission message)."""

    code: str
    form: object
    url: str
    violations: list = None
    error: str = ""
    open: bool = False

    @property
    def label(self) -> str:
        return self.form.title


@dataclass(frozen=True)
class OfficerAction:
    form: type
    service: object  # (officer, target, kwargs, actor) -> object
    done: object  # result -> the success message
    target: str = ""  # "certificate" | "assignment" | ""


def _issue(officer, target, kw, actor):
    return services.issue_certificate(officer.pk, **kw, actor=actor)


OFFICER_ACTIONS: dict[str, OfficerAction] = {
    "issue": OfficerAction(forms.IssueCertificateForm, _issue, lambda c: f"已发放执法证 {c.number}。"),
    "training": OfficerAction(
        forms.TrainingForm, lambda o, t, kw, actor: services.record_training(o.pk, **kw, actor=actor), lambda t: f"已登记培训“{t.title}”（{t.hours}学时）。"),
    "assignment": OfficerAction(
        forms.AssignmentForm, lambda o, t, kw, actor: services.record_assignment(o.pk, **kw, actor=actor), lambda a: f"已登记{a.get_kind_display()}：{a.organization}。"),
    "remove": OfficerAction(
        forms.RemoveOfficerForm, lambda o, t, kw, actor: services.remove_officer(o.pk, **kw, actor=actor), lambda o: f"{o.name}已离岗（{o.left_reason}），有效的执法证已同时注销。"),
    "revoke": OfficerAction(
        forms.RevokeCertificateForm, lambda o, t, kw, actor: services.revoke_certificate(t.pk, **kw, actor=actor),
        lambda c: f"执法证 {c.number} 已注销（{c.get_revocation_reason_display()}）。", "certificate"),
    "suspend": OfficerAction(
        forms.SuspendCertificateForm, lambda o, t, kw, actor: services.suspend_certificate(t.pk, **kw, actor=actor),
        lambda c: f"执法证 {c.number} 已暂扣。", "certificate"),
    "restore": OfficerAction(
        forms.RestoreCertificateForm, lambda o, t, kw, actor: services.restore_certificate(t.pk, **kw, actor=actor),
        lambda c: f"执法证 {c.number} 已恢复有效。", "certificate"),
    "end_assignment": OfficerAction(
        forms.EndAssignmentForm, lambda o, t, kw, actor: services.end_assignment(t.pk, **kw, actor=actor),
        lambda a: f"{a.get_kind_display()}安排已结束（{a.ends_on}）。", "assignment"),
}


def _action_url(officer_pk: int, code: str, target=None) -> str:
    if target is None:
        return reverse("registry:officer_action", args=[officer_pk, code])
    return reverse("registry:officer_target_action", args=[officer_pk, code, target.pk])


def _officer_panels(officer: Officer, certificates: list[Certificate], failed: ActionPanel | None) -> list[ActionPanel]:
    """The panels a head sees on an officer's page, by the officer's state; the failed one keeps
    its bound form and refusal and is open."""
    current = certificates[0] if certificates else None  # newest by issue date (model ordering)
    wanted: list[tuple[str, object]] = []
    active = officer.status == Officer.Status.ACTIVE
    if current is not None and current.status == Certificate.Status.VALID:
        wanted += [("suspend", current), ("revoke", current)]
    elif current is not None and current.status == Certificate.Status.SUSPENDED:
        wanted += [("restore", current), ("revoke", current)]
    if active and not officer.is_auxiliary:
        wanted.append(("issue", None))
    if active:
        wanted += [("training", None), ("assignment", None), ("remove", None)]
    panels = []
    for code, target in wanted:
        if failed is not None and failed.code == code:
            panels.append(failed)
        else:
            panels.append(ActionPanel(code, OFFICER_ACTIONS[code].form(prefix=code), _action_url(officer.pk, code, target)))
    if failed is not None and failed.code not in {p.code for p in panels}:
        panels.insert(0, failed)
    return panels


@login_required
@require_http_methods(["GET", "POST"])
def officer_action(request: HttpRequest, pk: int, action: str, target: int | None = None) -> HttpResponse:
    """POST one write on an officer (issue/revoke/suspend/restore a certificate, record training,
    record or end an assignment, leave). Outside the actor's scope: 404; in scope but not the
    body's head or the administrator: 403. A refusal re-renders the page with every violation
    above the form (409); bad input shows the errors next to the fields (400). Success redirects
    back to the officer's page with a message."""
    spec = OFFICER_ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这个操作。")
    actor = request_actor(request)
    officer = access.staff_officers(actor).filter(pk=pk).first()
    if officer is None:
        raise Http404("执法人员不存在或不在您的管辖范围内。")
    if not access.can_manage_body(actor, officer.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以维护人员信息。")
    obj = None
    if spec.target == "certificate":
        obj = get_object_or_404(Certificate, pk=target or 0, officer=officer)
    elif spec.target == "assignment":
        obj = get_object_or_404(Assignment, pk=target or 0, officer=officer)
    elif target is not None:
        raise Http404("没有这个操作。")
    detail = reverse("registry:officer_detail", args=[officer.pk])
    if request.method == "GET":
        return redirect(detail)
    form = spec.form(request.POST, prefix=action)
    panel = ActionPanel(action, form, _action_url(officer.pk, action, obj), open=True)
    status = 400
    if form.is_valid():
        try:
            result = spec.service(officer, obj, form.service_kwargs(), actor)
        except Refused as refused:
            panel.violations = refused.violations
            status = 409
        else:
            messages.success(request, spec.done(result))
            return redirect(detail)
    return render(request, "registry/officer_detail.html", _officer_context(actor, officer.pk, failed=panel), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def register_officer(request: HttpRequest, pk: int) -> HttpResponse:
    """录用人员 (R05): the head adds an officer or an auxiliary staff member to the body."""
    actor = request_actor(request)
    body = get_object_or_404(access.scope_bodies(actor, Body.objects.all()), pk=pk)
    if not access.can_manage_body(actor, body.pk):
        raise PermissionDenied("只有本主体负责人或系统管理员可以录用人员。")
    if request.method == "GET":
        return redirect(f"{reverse('registry:body_detail', args=[body.pk])}#action-register")
    form = forms.RegisterOfficerForm(request.POST, prefix="register")
    panel = ActionPanel("register", form, reverse("registry:register_officer", args=[body.pk]), open=True)
    status = 400
    if form.is_valid():
        try:
            officer = services.register_officer(body.pk, **form.service_kwargs(), actor=actor)
        except Refused as refused:
            panel.violations = refused.violations
            status = 409
        else:
            kind = "执法辅助人员" if officer.is_auxiliary else "执法人员"
            messages.success(request, f"已录用{kind}{officer.name}。")
            return redirect(reverse("registry:officer_detail", args=[officer.pk]))
    response = body_detail(request, body.pk, register_panel=panel)
    response.status_code = status
    return response


# --- Jurisdictions (R02 command view) -----------------------------------------------------

@login_required
def jurisdiction_tree(request: HttpRequest) -> HttpResponse:
    """区划与层级: the city → county → township tree with the bodies of each node and the totals
    of its subtree, so that each level sees what it commands and coordinates (R02)."""
    actor = request_actor(request)
    nodes = list(Jurisdiction.objects.all())
    by_id = {j.pk: j for j in nodes}
    root = None
    root_param = request.GET.get("root", "")
    if root_param.isdigit():
        root = by_id.get(int(root_param))
    if root is None and actor.jurisdiction_path and not actor.is_admin and "root" not in request.GET:
        root = next((j for j in nodes if j.path == actor.jurisdiction_path), None)
    if root is not None:
        nodes = [j for j in nodes if j.path.startswith(root.path)]
    roots, n_bodies = selectors.command_tree(actor, nodes)
    context = {
        "roots": roots,
        "root": root,
        "all_jurisdictions": Jurisdiction.objects.all(),
        "n_bodies": n_bodies,
        "nav": "jurisdictions",
    }
    return render(request, "registry/jurisdiction_tree.html", context)


# --- Registry health ----------------------------------------------------------------------

@login_required
def health(request: HttpRequest) -> HttpResponse:
    """队伍健康度: every registry flag in scope — certificates expired or expiring within 90 days
    (R04), no or unqualified legal reviewer (R06), training shortfall and township head
    experience (R07), secondments (R08) — with its legal basis, filterable and counted by kind."""
    actor = request_actor(request)
    if not access.can_view_health(actor):
        raise PermissionDenied("队伍健康度仅向执法监督机构、主体负责人和系统管理员开放。")
    today = clock.today()
    form = HealthFilterForm(request.GET, bodies=selectors.health_bodies(actor), jurisdictions=selectors.health_jurisdictions(actor))
    form.is_valid()
    data = form.cleaned_data
    flags = services.health_flags(
        actor, today,
        body_id=data["body"].pk if data.get("body") else None,
        jurisdiction_id=data["jurisdiction"].pk if data.get("jurisdiction") else None,
    )
    summary = _flag_summary(flags)
    kind = data.get("kind")
    if kind:
        flags = [f for f in flags if f.kind.value == kind]
    flags.sort(key=lambda f: (_flag_order(f.kind), f.body_id, f.detail))
    page = paginate(request, flags)
    page.object_list = _flag_rows(page.object_list, actor)
    context = {
        "form": form,
        "page": page,
        "summary": summary,
        "total": sum(s["count"] for s in summary),
        "kind": kind,
        "today": today,
        "warning_days": settings.ZHIFA["CERTIFICATE_EXPIRY_WARNING_DAYS"],
        "required_hours": _required_hours(),
        "nav": "health",
    }
    return render_list(request, "registry/health.html", "registry/_health_table.html", context)


# --- Imports ------------------------------------------------------------------------------

JOBS_PER_PAGE = 10
ERRORS_PER_PAGE = 50

@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """数据导入: upload a spreadsheet of any kind the actor may import (``import_jobs``); the
    import runs as a job (导入任务) and the browser goes to its page, which shows the progress
    and then the result. ``?kind=entities`` preselects a kind. A dry run (the default) checks
    every row and writes nothing; a real run writes all rows or none."""
    from . import import_jobs

    actor = request_actor(request)
    if not import_jobs.kind_choices(actor):
        raise PermissionDenied(import_jobs.DENIED)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = import_jobs.submit(actor, kind=data["kind"], upload=data["file"], body=data["body"], dry_run=data["dry_run"])
            except PermissionDenied as denied:
                form.add_error("body" if form.choices[data["kind"]].uses_body else "kind", str(denied))
            except ValueError as exc:
                form.add_error("body", str(exc))
            else:
                url = reverse("registry:import_job", args=[job.pk])
                if getattr(request, "htmx", None):
                    response = HttpResponse(status=204)
                    response["HX-Location"] = url
                    return response
                return redirect(url)
    else:
        kind = request.GET.get("kind", "")
        choices = import_jobs.kind_choices(actor)
        if kind not in {c.kind for c in choices}:
            kind = choices[0].kind
        initial_body = actor.body_id if import_jobs.import_bodies(actor).filter(pk=actor.body_id).exists() else None
        form = ImportForm(actor=actor, initial={"body": initial_body, "kind": kind, "dry_run": True})
    jobs_page = paginate(request, import_jobs.own_jobs(actor), JOBS_PER_PAGE)
    context = {"form": form, "jobs": jobs_page, "page": jobs_page, "nav": "imports"}
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "import-panel":
        return render(request, "registry/_import_panel.html", context)
    return render(request, "registry/imports.html", context)


def _job_or_404(request: HttpRequest, pk: int):
    from . import import_jobs

    actor = request_actor(request)
    job = import_jobs.visible_jobs(actor).select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404("未找到该导入任务，或您无权查看。")
    return actor, job


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """导入任务: the progress while it runs (the panel polls itself every second through htmx),
    then the counts and the row errors (paged)."""
    actor, job = _job_or_404(request, pk)
    errors = (job.result or {}).get("errors") or []
    page = paginate(request, errors, ERRORS_PER_PAGE) if errors else None
    body = Body.objects.filter(code=job.body_code).only("name").first() if job.body_code else None
    context = {
        "job": job, "page": page, "body": body, "nav": "imports",
        "can_run": bool(job.dry_run and job.ok),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "job-panel":
        return render(request, "registry/_import_job_panel.html", context)
    return render(request, "registry/import_job.html", context)


@login_required
@require_http_methods(["POST"])
def import_job_run(request: HttpRequest, pk: int) -> HttpResponse:
    """正式导入: the file of a clean dry run, for real (a new job)."""
    from . import import_jobs

    actor, job = _job_or_404(request, pk)
    try:
        again = import_jobs.run_for_real(actor, job)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("registry:import_job", pk=job.pk)
    return redirect("registry:import_job", pk=again.pk)
