"""执法人员 pages (R04–R08): the roster, one person, and the head's writes on a person
(certificates, training, assignments, departure), each through ``services``."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.core import clock
from zhifa.core.listing import Sorting, paginate, render_list
from zhifa.core.security import personal
from zhifa.core.violations import Refused

from .. import access, forms, rules, selectors, services
from ..access import request_actor
from ..forms import OfficerFilterForm
from ..models import Assignment, Certificate, Officer, TrainingRecord
from .common import ActionPanel, _decorate_officers, _percent, _required_hours


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
    form = OfficerFilterForm(request.GET, bodies=selectors.bodies_in_scope(actor))
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
    context = _officer_context(actor, pk)
    officer = context["officer"]
    if context["private"]:
        context.update(personal.context(request, allowed=access.may_see_personal_of(actor, officer),
                                        object=f"officer:{officer.pk}", fields=["id_number", "phone"]))
    return render(request, "registry/officer_detail.html", context)


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
    context = {"officer": officer, "private": private, "today": today, "required_hours": _required_hours(), "nav": "officers",
               # masked personal data (core/security/personal.py); officer_detail shows it in full when asked
               "full": False, "may_show": private and access.may_see_personal_of(actor, officer),
               "show_url": f"{reverse('registry:officer_detail', args=[officer.pk])}?show=personal"}
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

@dataclass(frozen=True)
class OfficerAction:
    """One write on an officer's page: its form, the service (called with the id of the officer,
    or of the ``target`` certificate or assignment), and the success message of its result."""

    form: type
    service: object  # (id, **the form's fields, actor=) -> the changed object
    done: object  # result -> the success message
    target: str = ""  # "certificate" | "assignment" | "" (the officer)


OFFICER_ACTIONS: dict[str, OfficerAction] = {
    "issue": OfficerAction(forms.IssueCertificateForm, services.issue_certificate, lambda c: f"已发放执法证 {c.number}。"),
    "training": OfficerAction(forms.TrainingForm, services.record_training, lambda t: f"已登记培训“{t.title}”（{t.hours}学时）。"),
    "assignment": OfficerAction(forms.AssignmentForm, services.record_assignment,
                                lambda a: f"已登记{a.get_kind_display()}：{a.organization}。"),
    "remove": OfficerAction(forms.RemoveOfficerForm, services.remove_officer,
                            lambda o: f"{o.name}已离岗（{o.left_reason}），有效的执法证已同时注销。"),
    "revoke": OfficerAction(forms.RevokeCertificateForm, services.revoke_certificate,
                            lambda c: f"执法证 {c.number} 已注销（{c.get_revocation_reason_display()}）。", "certificate"),
    "suspend": OfficerAction(forms.SuspendCertificateForm, services.suspend_certificate,
                             lambda c: f"执法证 {c.number} 已暂扣。", "certificate"),
    "restore": OfficerAction(forms.RestoreCertificateForm, services.restore_certificate,
                             lambda c: f"执法证 {c.number} 已恢复有效。", "certificate"),
    "end_assignment": OfficerAction(forms.EndAssignmentForm, services.end_assignment,
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
            result = spec.service((obj if obj is not None else officer).pk, **form.service_kwargs(), actor=actor)
        except Refused as refused:
            panel.violations = refused.violations
            status = 409
        else:
            messages.success(request, spec.done(result))
            return redirect(detail)
    return render(request, "registry/officer_detail.html", _officer_context(actor, officer.pk, failed=panel), status=status)
