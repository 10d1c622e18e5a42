"""The portal's public pages added by issue #19's second part: the act code's page with the
party's rating (行政执法评议) and the ratings in aggregate, the filed work plans (R42), the
law-popularisation articles (普法) and the contact points and special supervisors. Read only
through ``portal.public``; the act page, addressed by a code only the party holds, is private
(no-store, not indexed) like the capture pages."""
from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhifa.cases import public as cases_public
from zhifa.core import act_codes, clock
from zhifa.core.pagination import Paging
from zhifa.core.violations import Violation
from zhifa.registry import public as registry_public

from . import abuse, public, rules, services
from .inputs import RatingIn
from .views import _int, _list, _paging, _private, _text, public_form_post


class RatingForm(forms.Form):
    """评议表; ``website`` is the honeypot."""

    level = forms.ChoiceField(label="总体评价", choices=list(rules.RATING_LEVELS.items()), widget=forms.RadioSelect)
    aspects = forms.MultipleChoiceField(label="需要改进的方面（评价为基本满意或不满意时至少选一项）", required=False,
                                        choices=list(rules.RATING_ASPECTS.items()), widget=forms.CheckboxSelectMultiple)
    reasons = forms.CharField(label="理由", required=False, max_length=rules.MAX_RATING_REASONS,
                              widget=forms.Textarea(attrs={"rows": 4}), help_text=f"至多 {rules.MAX_RATING_REASONS} 字。")
    website = forms.CharField(label="请勿填写此项", required=False, max_length=200)


def ratings(request: HttpRequest) -> HttpResponse:
    """评议汇总 and the code entry: a code leads to the act's page."""
    code = _text(request, "code").upper().replace(" ", "")
    if code:
        if act_codes.parse(code) is not None:
            return redirect("portal:act", code=code)
        return _private(render(request, "portal/ratings.html", {"code": code, "missing": True, "section": "after",
                                                                 "year": clock.today().year, "rows": []}, status=404))
    year = _int(request, "year") or clock.today().year
    year = year if 2000 <= year <= 2100 else clock.today().year
    return render(request, "portal/ratings.html", {"code": "", "year": year, "rows": public.rating_summary(year),
                                                   "section": "after"})


def _act(kind: str, number: int) -> dict | None:
    """What the public record says of the act: its body and, for a published decision, its page."""
    if kind == "case":
        decision = cases_public.decision_by_id(number)
        return {"kind_label": "行政处罚", "decision": decision} if decision else {"kind_label": "行政处罚", "decision": None}
    return {"kind_label": "行政检查", "decision": None}


@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, code: str) -> HttpResponse:
    """The act's page (行政行为码): its public record and, once, the party's rating."""
    parsed = act_codes.parse(code)
    if parsed is None:
        raise Http404("行政行为码无效。")
    kind, number = parsed
    code = act_codes.act_code(kind, number)
    rated = public.act_rated(kind, number)
    form = RatingForm(request.POST or None) if rated is None else None
    closed = Violation(rules.ACT_ALREADY_RATED, "该执法行为已经评议过。", rules.RATING_BASIS)
    done, violations, status, message = public_form_post(request, form, closed, lambda data, source: services.rate_act(
        RatingIn(act_code=code, level=data["level"], aspects=data["aspects"], reasons=data["reasons"]), source=source),
        (abuse.RateLimited,))
    if done:
        return _private(redirect("portal:act", code=code))
    return _private(render(request, "portal/act.html", {
        "code": code, "act": _act(kind, number), "rated": rated, "form": form, "violations": violations,
        "message": message, "section": "after"}, status=status))


def plans(request: HttpRequest) -> HttpResponse:
    body_id, year = _int(request, "body"), _int(request, "year")
    bodies = registry_public.bodies(Paging(1, 200))["items"]
    return _list(request, "portal/plans.html", public.filed_plans(_paging(request), body_id=body_id, year=year),
                 body_id=body_id, year=year, bodies=bodies, section="before")


def _detail(request: HttpRequest, found: dict | None, missing: str, template: str, name: str, section: str) -> HttpResponse:
    if found is None:
        raise Http404(missing)
    return render(request, template, {name: found, "section": section})


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _detail(request, public.filed_plan(plan_id), "没有这份已备案的计划。", "portal/plan_detail.html", "p", "before")


def articles(request: HttpRequest) -> HttpResponse:
    q = _text(request, "q")
    return _list(request, "portal/articles.html", public.articles(_paging(request), q=q, body_id=_int(request, "body")),
                 q=q, section="after")


def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    return _detail(request, public.article(article_id), "没有这篇普法文章。", "portal/article_detail.html", "a", "after")


def contacts(request: HttpRequest) -> HttpResponse:
    kind = _text(request, "kind")
    return _list(request, "portal/contacts.html", public.contacts(clock.today(), _paging(request), kind=kind), kind=kind,
                 kinds=list(rules.CONTACT_KINDS.items()), section="complaints")
