"""The public portal (政务公开门户, R35, R40–R42): server-rendered Chinese pages under
``/public/``, no login, read only through the apps' ``public.py`` (already redacted) and this
app's own ``public``; and the staff side of complaints (``/complaints/``).

Every list pages through ``core.pagination.Paging`` (20 a page) with a constant number of
queries; bad query parameters fall back to the first page, never a 500.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.cases import public as cases_public
from zhifa.cases import rules as cases_rules
from zhifa.catalog import public as catalog_public
from zhifa.core import clock
from zhifa.core.listing import paginate
from zhifa.core.pagination import Paging
from zhifa.core.security import personal
from zhifa.core.violations import Refused, Violation
from zhifa.inspections import public as inspections_public
from zhifa.offsite import public as offsite_public
from zhifa.offsite import services as offsite_services
from zhifa.registry import public as registry_public
from zhifa.registry.access import request_actor

from . import permissions, public, rules, selectors, services
from .guides import GENERAL_PROCEDURE, SIMPLE_PROCEDURE
from .inputs import ComplaintActionIn, ComplaintIn
from .models import Complaint

PAGE_SIZE = 20
MAX_QUERY = 100


def _text(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "")
    return value.replace("\x00", "").strip()[:MAX_QUERY]


def _int(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if 1 <= value < 2**62 else None


def _paging(request: HttpRequest) -> Paging:
    return Paging(_int(request, "page") or 1, PAGE_SIZE)


class Pages:
    """What the pager template needs from an envelope: numbers and the links to the neighbours."""

    def __init__(self, request: HttpRequest, envelope: dict):
        self.count, self.page, self.size = envelope["count"], envelope["page"], envelope["page_size"]
        self.pages = max(1, -(-self.count // self.size))
        params = {k: v for k, v in request.GET.items() if k != "page" and "\x00" not in v}
        self._base = urlencode(params)

    def link(self, page: int) -> str:
        return "?" + "&".join(part for part in (self._base, f"page={page}") if part)

    @property
    def previous(self) -> str:
        return self.link(self.page - 1) if self.page > 1 else ""

    @property
    def next(self) -> str:
        return self.link(self.page + 1) if self.page < self.pages else ""


def _times(draw: dict) -> dict:
    """A public draw's ISO timestamps as datetimes (shown in local time by the template)."""
    return {**draw, **{key: dt.datetime.fromisoformat(draw[key]) for key in ("committed_at", "scheduled_at", "revealed_at")
                       if draw.get(key)}}


def _list(request: HttpRequest, template: str, envelope: dict, **context) -> HttpResponse:
    return render(request, template, {"rows": envelope["items"], "pages": Pages(request, envelope), **context})


# --- Home and 事前 (before) -----------------------------------------------------------------------

def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"section": "home"})


def bodies(request: HttpRequest) -> HttpResponse:
    q = _text(request, "q")
    return _list(request, "portal/bodies.html", registry_public.bodies(_paging(request), q=q), q=q, section="before")


def body_detail(request: HttpRequest, body_id: int) -> HttpResponse:
    found = registry_public.body(body_id)
    if found is None:
        raise Http404("没有这个已公示的执法主体。")
    officers = registry_public.officers(body_id, _paging(request))
    year = clock.today().year
    return _list(request, "portal/body_detail.html", officers, body=found, section="before", year=year,
                 plans=public.filed_plans(Paging(1, 10), body_id=body_id)["items"], ratings=public.rating_summary(year, body_id))


def items(request: HttpRequest) -> HttpResponse:
    q = _text(request, "q")
    return _list(request, "portal/items.html", catalog_public.items(_paging(request), q=q, body_id=_int(request, "body")),
                 q=q, section="before")


def benchmarks(request: HttpRequest) -> HttpResponse:
    code = _text(request, "item")
    envelope = catalog_public.benchmarks(Paging(_int(request, "page") or 1, 10), item_code=code)
    return _list(request, "portal/benchmarks.html", envelope, item=code, section="before")


LISTS = {
    "exemptions": ("免罚轻罚清单", catalog_public.exemption_list),
    "legal-review": ("重大执法决定法制审核清单", catalog_public.legal_review_list),
    "recording": ("音像记录事项目录", catalog_public.recording_list),
}


def lists(request: HttpRequest, kind: str = "exemptions") -> HttpResponse:
    if kind not in LISTS:
        raise Http404("没有这个清单。")
    title, lister = LISTS[kind]
    return _list(request, "portal/lists.html", lister(_paging(request)), kind=kind, title=title,
                 kinds=[(k, t) for k, (t, _) in LISTS.items()], section="before")


def procedures(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/procedures.html", {"steps": GENERAL_PROCEDURE, "simple": SIMPLE_PROCEDURE,
                                                      "section": "before"})


# --- 事中 (during): the certificate check ------------------------------------------------------

def _qr_svg(text: str) -> str:
    """The QR code of ``text`` as inline SVG (segno, drawn here: nothing from another host)."""
    import segno

    return segno.make(text, error="m").svg_inline(scale=4, dark="#111", light="#fff", title="本查询页二维码")


def certificates(request: HttpRequest) -> HttpResponse:
    number = _text(request, "number")[:32]
    result = registry_public.certificate_check(number) if number else None
    qr = ""
    if result is not None:
        qr = _qr_svg(request.build_absolute_uri(reverse("portal:certificates") + "?" + urlencode({"number": number})))
    return render(request, "portal/certificates.html", {"number": number, "result": result, "qr": qr, "section": "during"},
                  status=200)


# --- 事后 (after) ---------------------------------------------------------------------------------

def decisions(request: HttpRequest) -> HttpResponse:
    q = _text(request, "q")
    withdrawn = cases_public.withdrawn_decisions(Paging(1, 10))
    return _list(request, "portal/decisions.html", cases_public.decisions(_paging(request), q=q), q=q,
                 withdrawn=withdrawn, section="after")


def decision_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    found = cases_public.decision_by_id(case_id)
    if found is None:
        withdrawn = cases_public.withdrawn_by_id(case_id)
        if withdrawn is None:
            raise Http404("没有这份公示的处罚决定。")
        return render(request, "portal/decision_withdrawn.html", {"w": withdrawn, "section": "after"})
    return render(request, "portal/decision_detail.html", {"d": found, "section": "after"})


def inspections(request: HttpRequest) -> HttpResponse:
    q = _text(request, "q")
    draws = inspections_public.draws(Paging(_int(request, "draws") or 1, 10))
    return _list(request, "portal/inspections.html", inspections_public.published_results(_paging(request), q=q),
                 q=q, draws=[_times(d) for d in draws["items"]], section="after")


def draw_detail(request: HttpRequest, draw_id: int) -> HttpResponse:
    found = inspections_public.draw(draw_id)
    if found is None:
        raise Http404("没有这次抽取。")
    result = inspections_public.draw_result(draw_id, _paging(request))
    envelope = result or {"items": [], "count": 0, "page": 1, "page_size": PAGE_SIZE}
    return _list(request, "portal/draw_detail.html", envelope, draw=_times(found), disclosed=result is not None, section="after")


def guidance(request: HttpRequest) -> HttpResponse:
    q, domain = _text(request, "q"), _text(request, "domain")
    return _list(request, "portal/guidance.html", public.guidance_cases(_paging(request), q=q, domain=domain), q=q,
                 domain=domain, domains=public.guidance_domains(), section="after")


def guidance_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    found = public.guidance_case(case_id)
    if found is None:
        raise Http404("没有这个指导案例。")
    return render(request, "portal/guidance_detail.html", {"g": found, "section": "after"})


# --- Complaints (R35) ---------------------------------------------------------------------------

class ComplaintForm(forms.Form):
    """投诉举报表 (SAMR20 arts.9, 25); ``website`` is the honeypot a person never sees or fills."""

    kind = forms.ChoiceField(label="类别", choices=[("complaint", "投诉（须实名）"), ("report", "举报（可匿名）")],
                             widget=forms.RadioSelect, initial="report")
    body_id = forms.TypedChoiceField(label="被投诉举报的执法主体", coerce=int)
    act_reference = forms.CharField(label="执法行为（文书编号或行为码，可不填）", required=False, max_length=60)
    subject = forms.CharField(label="标题", min_length=2, max_length=rules.MAX_SUBJECT)
    facts = forms.CharField(label="事实和理由", min_length=10, max_length=rules.MAX_FACTS,
                            widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=f"何时、何地、哪位执法人员、做了什么；至多 {rules.MAX_FACTS} 字。")
    request = forms.CharField(label="具体请求", required=False, max_length=rules.MAX_REQUEST,
                              widget=forms.Textarea(attrs={"rows": 3}))
    known_on = forms.DateField(label="知道或者应当知道此事的日期", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    anonymous = forms.BooleanField(label="匿名举报（不留姓名和联系方式，将无法收到书面告知，可凭查询码查看进展）", required=False)
    reporter_name = forms.CharField(label="姓名", required=False, max_length=40)
    reporter_phone = forms.CharField(label="联系电话", required=False, max_length=20,
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    reporter_address = forms.CharField(label="通讯地址", required=False, max_length=120)
    reporter_email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    channel_code = forms.CharField(label="专用渠道码（企业联系点、特邀监督员填写，其他人不填）", required=False, max_length=16)
    website = forms.CharField(label="请勿填写此项", required=False, max_length=200)

    def __init__(self, *args, body_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_id"].choices = [("", "请选择")] + list(body_choices)


def _body_choices() -> list[tuple[int, str]]:
    envelope = registry_public.bodies(Paging(1, 200))
    return [(b["id"], b["name"]) for b in envelope["items"]]


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    choices = _body_choices()
    initial = {"body_id": _int(request, "body") or ""}
    form = ComplaintForm(request.POST or None, body_choices=choices, initial=initial)
    violations, status = [], 200
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: a robot filled the hidden field
            return render(request, "portal/complaint_refused.html", {"section": "complaints"}, status=400)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            data["reporter_email"] = data["reporter_email"] or ""
            try:
                complaint = services.file_complaint(ComplaintIn(**data), source=permissions.client_address(request))
            except services.complaints.RateLimited as exc:
                return render(request, "portal/complaint_refused.html",
                              {"message": str(exc), "section": "complaints"}, status=429)
            except Refused as exc:
                violations, status = exc.violations, 409
            else:
                return redirect("portal:complaint_filed", tracking_code=complaint.tracking_code)
        else:
            status = 400
    return render(request, "portal/complaint_new.html", {"form": form, "violations": violations, "section": "complaints"},
                  status=status)


def complaint_filed(request: HttpRequest, tracking_code: str) -> HttpResponse:
    found = public.tracked_complaint(tracking_code)
    if found is None:
        raise Http404("查询码无效。")
    return render(request, "portal/complaint_detail.html", {"c": found, "just_filed": True, "section": "complaints"})


def complaint_lookup(request: HttpRequest) -> HttpResponse:
    code = _text(request, "code").upper()
    if code:
        if public.tracked_complaint(code) is not None:
            return redirect("portal:complaint_detail", tracking_code=code)
        return render(request, "portal/complaint_lookup.html", {"code": code, "missing": True, "section": "complaints"},
                      status=404)
    return render(request, "portal/complaint_lookup.html", {"code": "", "section": "complaints",
                                                           "stats": public.complaint_statistics(clock.today().year)})


def complaint_detail(request: HttpRequest, tracking_code: str) -> HttpResponse:
    found = public.tracked_complaint(tracking_code)
    if found is None:
        raise Http404("查询码无效。")
    return render(request, "portal/complaint_detail.html", {"c": found, "section": "complaints"})


# --- Staff side: the body's complaints queue ---------------------------------------------------

def _staff(request: HttpRequest):
    actor = request_actor(request)
    if not (actor.is_admin or actor.is_supervisor or (actor.officer and (actor.officer.is_head or actor.officer.is_legal_reviewer))):
        raise PermissionDenied(permissions.REFUSED)
    return actor


class StaffFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", choices=selectors.STATE_CHOICES, required=False)
    overdue = forms.BooleanField(label="只看逾期未决定受理的", required=False)


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    form = StaffFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    rows = selectors.complaints(actor, selectors.ComplaintFilter(state=data.get("state") or "",
                                                                 overdue=bool(data.get("overdue"))))
    page = paginate(request, rows)
    return render(request, "portal/staff_list.html", {"form": form, "page": page, "today": clock.today(),
                                                      "see_identity": permissions.may_see_identity(actor)})


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    actor = _staff(request)
    found = selectors.complaint(actor, complaint_id)
    if found is None:
        raise Http404("没有这件投诉举报。")
    violations, status = [], 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        text = request.POST.get("text", "")[:rules.MAX_ANSWER + 1]
        try:
            finding = request.POST.get("finding", "") if action == "handle" else ""
            payload = ComplaintActionIn(text=text.replace("\x00", ""), finding=finding)
        except ValueError:
            violations = [Violation("INVALID_INPUT", f"说明至多 {rules.MAX_ANSWER} 字，不得包含空字符；处理结论须从列表中选择。", "")]
            status = 400
        else:
            try:
                services.act_on_complaint(found.pk, action, payload, actor=actor)
            except Refused as exc:
                violations, status = exc.violations, 409
            else:
                return redirect("complaints:detail", complaint_id=found.pk)
        found = selectors.complaint(actor, complaint_id)
    see_identity = permissions.may_see_identity(actor)
    shown = personal.context(request, allowed=see_identity and not found.anonymous, object=f"complaint:{found.pk}",
                             fields=["reporter_phone", "reporter_address"])
    return render(request, "portal/staff_detail.html", {
        **shown, "c": found, "violations": violations, "today": clock.today(),
        "see_identity": see_identity, "may_handle": permissions.may_handle(actor, found.body_id),
        "actions": [rules.ACTIONS[name] for name in found.allowed_actions],
        "limitation_passed": rules.limitation_passed(found.known_on, found.received_on),
        "stream": f"complaint:{found.pk}", "findings": list(rules.FINDINGS.items()),
    }, status=status)


# --- Off-site captures: the party's page (R22, APL art.41 ¶3) -----------------------------------

def public_form_post(request: HttpRequest, form: forms.Form | None, closed: Violation, submit, limited: tuple) -> tuple:
    """A form the public POSTs on a page addressed by a code (a capture's statement, an act's
    rating): the honeypot (400), the form closed (409 ``closed``), invalid (400), the service's
    rate limit (429) and refusals (409). Returns (done, violations, status, message)."""
    if request.method != "POST":
        return False, [], 200, ""
    if request.POST.get("website"):  # the honeypot: a robot filled the hidden field
        return False, [], 400, "提交未被接受。"
    if form is None:
        return False, [closed], 409, ""
    if not form.is_valid():
        return False, [], 400, ""
    try:
        submit(form.cleaned_data, permissions.client_address(request))
    except limited as exc:
        return False, [], 429, str(exc)
    except Refused as exc:
        return False, exc.violations, 409, ""
    return True, [], 200, ""


class StatementForm(forms.Form):
    """陈述申辩 of the party holding a capture's lookup code; ``website`` is the honeypot."""

    statement = forms.CharField(label="陈述、申辩的事实和理由", min_length=2, max_length=cases_rules.MAX_ONLINE_STATEMENT,
                                widget=forms.Textarea(attrs={"rows": 6}),
                                help_text=f"对拟作出的处罚及其事实、理由、依据提出意见；至多 {cases_rules.MAX_ONLINE_STATEMENT} 字。提交后不能修改。")
    website = forms.CharField(label="请勿填写此项", required=False, max_length=200)


def _private(response: HttpResponse) -> HttpResponse:
    """A page or file addressed by a lookup code: never stored by a cache, never indexed, the code
    never sent on to another host as a referrer."""
    response["Cache-Control"] = "no-store, private, max-age=0"
    response["Pragma"] = "no-cache"
    response["Referrer-Policy"] = "same-origin"  # never sent to another host; "no-referrer" would make the form's Origin "null" (CSRF)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def capture_lookup(request: HttpRequest) -> HttpResponse:
    code = _text(request, "code").upper().replace(" ", "")
    if code:
        if offsite_public.capture_for_party(code) is not None:
            return redirect("portal:capture_detail", lookup_code=code)
        return _private(render(request, "portal/capture_lookup.html", {"code": code, "missing": True, "section": "during"},
                               status=404))
    return _private(render(request, "portal/capture_lookup.html", {"code": "", "section": "during"}))


@require_http_methods(["GET", "POST"])
def capture_detail(request: HttpRequest, lookup_code: str) -> HttpResponse:
    found = offsite_public.capture_for_party(lookup_code)
    if found is None:
        raise Http404("查询码无效。")
    form = StatementForm(request.POST or None) if found["may_state_and_defend"] else None
    closed = Violation(cases_rules.DEFENCE_PERIOD_CLOSED, "当前不能在线陈述申辩（尚未告知、期限已过或者已经提交）。", cases_rules.ART44_62)
    done, violations, status, message = public_form_post(
        request, form, closed, lambda data, source: offsite_services.submit_statement(found["lookup_code"], data["statement"], source=source),
        (offsite_services.RateLimited,))
    if done:
        return _private(redirect("portal:capture_detail", lookup_code=found["lookup_code"]))
    return _private(render(request, "portal/capture_detail.html", {
        "c": found, "form": form, "violations": violations, "message": message, "section": "during",
        "is_image": (found["content_type"] or "").startswith("image/"),
        "is_video": (found["content_type"] or "").startswith("video/"),
    }, status=status))


def capture_file(request: HttpRequest, lookup_code: str) -> HttpResponse:
    try:
        found = offsite_public.capture_file(lookup_code)  # third parties blurred
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    if found is None:
        raise Http404("查询码无效，或者该文件含第三方信息、不在线提供。")
    handle, content_type = found
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
