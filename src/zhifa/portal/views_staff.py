"""The staff side of the portal's publications (政务公开管理, ``/openness/``): filed work plans
(the body's head files, the supervision office accepts or returns: R42), law-popularisation
articles (an officer writes, the body's head or legal reviewer publishes: 普法), contact points
and special supervisors (the head or the supervision office registers). Thin: forms → typed
input → the services, which check who acts and record each act; 409 with every violation."""
from __future__ import annotations

from typing import Callable

import pydantic
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.listing import paginate
from zhifa.core.violations import Refused, Violation
from zhifa.registry.access import Actor, request_actor
from zhifa.registry.models import Body

from . import permissions, rules, services
from .inputs import ArticleIn, ContactIn, PlanIn, ReviewIn
from .models import Article, ContactPoint, WorkPlan

REFUSED = "只有执法主体的工作人员、执法监督机构或管理员可以使用政务公开管理。"


def _actor(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    if not (actor.is_admin or actor.is_supervisor or actor.officer is not None):
        raise PermissionDenied(REFUSED)
    return actor


def _invalid(exc: pydantic.ValidationError) -> list[Violation]:
    return [Violation("INVALID_INPUT", f"{'.'.join(str(p) for p in e['loc'])}：{e['msg']}", "") for e in exc.errors()]


def _submit(call: Callable[[], object]) -> tuple[list[Violation], int]:
    """Run a service call: ``([], 200)`` when done, else its violations and status (400 / 409)."""
    try:
        call()
    except pydantic.ValidationError as exc:
        return _invalid(exc), 400
    except Refused as exc:
        return exc.violations, 409
    return [], 200


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=list(rules.PLAN_KINDS.items()))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=120)
    content = forms.CharField(label="内容", max_length=rules.MAX_PLAN_CONTENT, widget=forms.Textarea(attrs={"rows": 8}))


class ArticleForm(forms.Form):
    title = forms.CharField(label="标题", max_length=120)
    summary = forms.CharField(label="摘要", required=False, max_length=300)
    content = forms.CharField(label="正文", max_length=rules.MAX_ARTICLE, widget=forms.Textarea(attrs={"rows": 10}))


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=list(rules.CONTACT_KINDS.items()))
    body_id = forms.TypedChoiceField(label="联系的执法主体（企业联系点必填）", required=False, coerce=int, empty_value=None)
    name = forms.CharField(label="名称或姓名", max_length=80)
    organisation = forms.CharField(label="单位或行业", required=False, max_length=120)
    term_start = forms.DateField(label="聘期起", widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label="聘期止", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_id"].choices = [("", "不限（特邀监督员）")] + list(bodies)


def _created(request: HttpRequest, form: forms.Form, create: Callable[[dict], object], back: str):
    """A POSTed form handed to ``create`` (its cleaned data): the redirect to ``back`` when done,
    else the violations and status to show the page with."""
    if request.method != "POST":
        return None, [], 200
    if not form.is_valid():
        return None, [], 400
    violations, status = _submit(lambda: create(form.cleaned_data))
    return (redirect(back) if status == 200 else None), violations, status


def _page(request: HttpRequest, template: str, form: forms.Form, rows, violations, status: int, **context) -> HttpResponse:
    return render(request, template, {"form": form, "page": paginate(request, rows), "violations": violations,
                                      "nav": "openness", **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = PlanForm(request.POST or None, initial={"year": clock.today().year})
    done, violations, status = _created(request, form, lambda data: services.file_plan(PlanIn(**data), actor=actor),
                                        "openness:plans")
    if done:
        return done
    rows = permissions.by_scope(actor, WorkPlan.objects.select_related("body", "filed_by")).order_by("-filed_on", "-id")
    return _page(request, "portal/staff_plans.html", form, rows, violations, status,
                 may_file=bool(actor.officer and actor.officer.is_head), may_review=actor.is_admin or actor.is_supervisor)


def _review(request: HttpRequest, service, object_id: int, back: str, decision: str = "") -> HttpResponse:
    actor = _actor(request)
    try:
        data = ReviewIn(decision=decision or request.POST.get("decision", ""), reason=request.POST.get("reason", "")[:rules.MAX_ANSWER])
    except pydantic.ValidationError as exc:
        violations, status = _invalid(exc), 400
    else:
        violations, status = _submit(lambda: service(object_id, data, actor=actor))
    if status == 200:
        return redirect(back)
    return render(request, "portal/staff_refused.html", {"violations": violations, "back": back, "nav": "openness"},
                  status=status)


@login_required
@require_POST
def plan_review(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _review(request, services.review_plan, plan_id, "openness:plans")


@login_required
@require_http_methods(["GET", "POST"])
def articles(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ArticleForm(request.POST or None)
    done, violations, status = _created(request, form, lambda data: services.submit_article(ArticleIn(**data), actor=actor),
                                        "openness:articles")
    if done:
        return done
    rows = permissions.by_scope(actor, Article.objects.select_related("body", "author", "reviewer")).order_by("-submitted_on", "-id")
    may_review = {a.pk for a in rows[:200] if permissions.leads(actor, a.body_id)} if actor.officer else set()
    return _page(request, "portal/staff_articles.html", form, rows, violations, status, may_write=actor.officer is not None,
                 may_review=may_review)


@login_required
@require_POST
def article_review(request: HttpRequest, article_id: int) -> HttpResponse:
    return _review(request, services.review_article, article_id, "openness:articles")


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    bodies = permissions.by_scope(actor, Body.objects.all(), body_path="jurisdiction__path", body_field="pk")
    form = ContactForm(request.POST or None, bodies=bodies.order_by("name").values_list("pk", "name")[:300])
    done, violations, status = _created(request, form, lambda data: services.register_contact(ContactIn(**data), actor=actor),
                                        "openness:contacts")
    if done:
        return done
    rows = permissions.by_scope(actor, ContactPoint.objects.select_related("body", "jurisdiction"),
                                body_path="jurisdiction__path").order_by("kind", "name", "id")
    return _page(request, "portal/staff_contacts.html", form, rows, violations, status, today=clock.today(),
                 may_register=actor.is_admin or actor.is_supervisor or bool(actor.officer and actor.officer.is_head))


@login_required
@require_POST
def contact_end(request: HttpRequest, contact_id: int) -> HttpResponse:
    return _review(request, services.end_contact, contact_id, "openness:contacts", decision="withdraw")
