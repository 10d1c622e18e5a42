"""The officer's workbench (办案工作台, issue 4 item 5): my cases, case-source registration, the case
page with its deadlines, record, evidence and action forms, the head's approvals queue and the
legal reviewer's review queue.

Thin: parse a form, call ``zhifa.cases.services``, render. Every read goes through
``services.visible_cases`` / ``services.get_case`` (another body's case is a 404); every write is a
service call that checks who acts and refuses with *all* violations at once (``Refused``), which the
page lists next to the form. Deadlines come from ``deadlines.case_deadlines`` on prefetched pauses
and seizures, so a page of cases costs the same number of queries whatever its length.
"""
from __future__ import annotations

import datetime as dt
import mimetypes
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import F, Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.core import clock, workdays
from zhifa.core.security import personal
from zhifa.core.violations import Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Officer
from zhifa.core.listing import Sorting, paginate, render_list

from . import deadlines as dl
from . import forms, permissions, selectors, services, workflow
from .models import Case, Evidence, Pause, Seizure

PER_PAGE = 50
SOON_WORKING_DAYS = 3  # amber: a deadline within 3 working days (issue 4 item 5)
ROLE_LABELS = {"staff": "本主体工作人员", "officer": "承办执法人员", "head": "主体负责人", "reviewer": "法制审核人员"}


def _document_titles() -> dict[str, str]:
    try:
        from zhifa.documents import kinds

        return dict(kinds.choices())
    except Exception:  # pragma: no cover - the document kinds are optional for the pages
        return {}


EXTRA_DOCUMENT_TITLES = {
    "penalty_and_hearing_notice": "行政处罚告知书（含听证权利）",
    "coercive_measure_decision": "查封（扣押）决定书",
    "coercive_measure_extension": "延长查封（扣押）期限决定书",
    "coercive_measure_release": "解除查封（扣押）决定书",
    "collective_discussion_minutes": "集体讨论记录",
    "on_spot_decision": "当场行政处罚决定书",
    "court_enforcement_application": "强制执行申请书",
    "penalty_decision": "行政处罚决定书",
}


CONTENT_LABELS = {
    "source": "案件来源", "received_on": "登记日期", "clue": "案源情况", "party": "当事人", "name": "名称", "id_code": "证件号码",
    "address": "地址", "item": "执法事项", "act_date": "违法行为日期", "procedure": "程序", "officers": "承办人员（编号）",
    "case_cause": "案由", "opinion": "意见", "facts": "事实", "evidence": "证据", "outcome": "处理结果", "kinds": "处罚种类",
    "amount": "罚款金额（元）", "basis": "依据", "reasoning": "理由", "outside_benchmark_reason": "超出裁量基准的理由",
    "payment": "缴款", "remedies": "救济途径", "body": "执法主体", "decided_on": "决定日期", "defence_due": "陈述申辩期限",
    "hearing_due": "听证申请期限", "rights": "告知的权利", "document": "文书", "method": "送达方式", "served_on": "送达日期",
    "consent": "同意电子送达", "result": "审核结论", "checklist": "审核要点", "reasons": "审核理由", "statement": "陈述申辩",
    "credentials_shown": "已出示执法证件", "rights_told": "已告知权利",
}
VALUE_LABELS = {True: "是", False: "否", "penalty": "给予行政处罚", "no_penalty": "不予行政处罚", "transfer": "移送司法机关",
                "pass": "通过", "fail": "不通过", "normal": "普通程序", "simple": "简易程序"}


def _plain_text(value) -> str:
    """A stored content value as Chinese text (kinds, booleans, nested parts)."""
    from zhifa.catalog.rules import PENALTY_KIND_LABELS

    kinds = {k.value: v for k, v in PENALTY_KIND_LABELS.items()}
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict):
        return "；".join(f"{CONTENT_LABELS.get(k, k)}：{_plain_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(_plain_text(v) for v in value)
    if isinstance(value, bool):
        return VALUE_LABELS[value]
    if isinstance(value, str):
        return kinds.get(value) or VALUE_LABELS.get(value) or value
    return str(value)


def content_rows(content: dict) -> list[tuple[str, str]]:
    return [(CONTENT_LABELS.get(k, k), _plain_text(v)) for k, v in content.items()]


# --- Deadlines on a page of cases -----------------------------------------------------------

@dataclass
class Urgency:
    """The most urgent running deadline of a case and its colour."""

    deadlines: list = field(default_factory=list)
    next: dl.Deadline | None = None
    level: str = ""  # "overdue" (red) | "soon" (amber, within 3 working days) | ""

    @property
    def key(self) -> tuple:
        """Sort key: overdue first, then by due date; cases without a running deadline last."""
        return (0, self.next.due) if self.next else (1, dt.date.max)


def _level(deadline: dl.Deadline, soon_until: dt.date) -> str:
    if deadline.days_left < 0:
        return "overdue"
    if deadline.due <= soon_until:
        return "soon"
    return ""


def decorate(cases, today: dt.date | None = None, *, source=None) -> list[Case]:
    """Attach ``urgency`` (the running deadlines, the next one and its colour) to each case.

    Pauses and open seizures are read in two queries for all ``cases`` — by ``case__in=source``
    (the filtered queryset, as a subquery) when given, else by the cases' ids — whatever their number."""
    cases = list(cases)
    today = today or clock.today()
    schedule = workdays.schedule()
    policy = selectors.policy()
    soon_until = schedule.add_working_days(today, SOON_WORKING_DAYS).date
    pauses: dict[int, list] = defaultdict(list)
    seizures: dict[int, list] = defaultdict(list)
    if cases:
        which = {"case__in": source.values("pk")} if source is not None else {"case_id__in": [c.pk for c in cases]}
        for case_id, start, end in Pause.objects.filter(**which).order_by("start").values_list("case_id", "start", "end"):
            pauses[case_id].append(dl.Interval(start, end))
        for seizure in Seizure.objects.filter(released_on__isnull=True, **which).only(
                "case_id", "due", "released_on", "emergency", "approved_on", "decided_on"):
            seizures[seizure.case_id].append(seizure)
    for case in cases:
        items = dl.case_deadlines(case, schedule, today, pauses[case.pk], seizures[case.pk], policy)
        urgency = Urgency(items, items[0] if items else None)
        if urgency.next:
            urgency.level = _level(urgency.next, soon_until)
        case.urgency = urgency
        case.state_label = workflow.state_label(case.state)
    return cases


def _with_officers(cases) -> list[Case]:
    cases = list(cases)
    prefetch_related_objects(cases, Prefetch("officers", queryset=Officer.objects.order_by("name", "pk")))
    return cases


# --- My cases (我的案件) ---------------------------------------------------------------------

CASE_SORTS = {
    "urgency": (),  # the stored next deadline (Case.next_due), ordered in _sorted_page
    "number": ("id",),
    "party": ("party_name",),
    "item": ("item__code",),
    "state": ("state",),
    "act_date": ("act_date",),
    "updated": ("updated_at",),
}


def _sorted_page(request: HttpRequest, qs, sorting: Sorting):
    """One page of decorated cases, sorted in the database: urgency is the stored ``next_due``
    that the services keep on every action (``zhifa sweep`` refreshes it daily)."""
    if sorting.key == "urgency":
        due = F("next_due").desc(nulls_first=True) if sorting.descending else F("next_due").asc(nulls_last=True)
        ordered = qs.select_related("item").order_by(due, "-id")
    else:
        ordered = sorting.order_by(qs.select_related("item"))
    page = paginate(request, ordered, PER_PAGE)
    page.object_list = _with_officers(decorate(page.object_list))
    return page


def _attr(case: Case, dotted: str):
    value = case
    for part in dotted.split("__"):
        value = getattr(value, part)
    return value if value is not None else ""


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """我的案件: the cases in the actor's scope with their next deadline, most urgent first."""
    actor = access.request_actor(request)
    form = forms.CaseFilterForm(request.GET)
    qs = selectors.filter_cases(actor, form.case_filter())
    sorting = Sorting(request, CASE_SORTS, "urgency")
    page = _sorted_page(request, qs, sorting)
    columns = sorting.columns([
        ("案件编号", "number"), ("当事人", "party"), ("执法事项", "item"), ("状态", "state"),
        ("下一期限", "urgency"), ("剩余天数", "", "num"), ("违法行为日期", "act_date"), ("最近办理", "updated"),
    ])
    context = {"form": form, "page": page, "columns": columns, "sort": sorting.value, "nav": "cases",
               "may_register": permissions.may_register(actor)}
    return render_list(request, "cases/case_list.html", "cases/_case_table.html", context)


# --- Registration (案源登记) -----------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """案源登记: any staff member of a body (auxiliary staff too) registers a clue."""
    actor = access.request_actor(request)
    if actor.officer is None:
        raise PermissionDenied("只有执法主体的工作人员可以登记案源。")
    violations: list[Violation] = []
    items = services.registrable_items(actor)
    if request.method == "POST":
        form = forms.RegisterForm(request.POST, body_id=actor.body_id, items=items)
        if form.is_valid():
            try:
                case = services.register_source(**form.service_kwargs(), actor=actor)
            except Refused as refused:
                violations = refused.violations
            else:
                messages.success(request, f"已登记案源 {case.number}。")
                return redirect("cases:detail", pk=case.pk)
    else:
        form = forms.RegisterForm(body_id=actor.body_id, items=items, initial={"clue_received_on": clock.today()})
    status = 409 if violations else (400 if form.is_bound else 200)
    return render(request, "cases/register.html", {"form": form, "violations": violations, "nav": "cases"}, status=status)


# --- The case page ----------------------------------------------------------------------------

@dataclass
class ActionPanel:
    code: str
    label: str
    role: str
    effect: str
    form: forms.ActionForm
    violations: list = field(default_factory=list)
    error: str = ""
    open: bool = False

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def _panel(code: str, case: Case, form=None, violations=(), error: str = "") -> ActionPanel:
    act = workflow.BY_CODE[code]
    return ActionPanel(code, act.label, act.role, act.effect, form or forms.action_form(code, case), list(violations), error,
                       open=bool(form is not None and (violations or error or form.errors)))


# Side acts (coercive measures, the clock, staffing, corrections) keep the state: shown folded
# under “其他操作” so the acts that move the case on stay at hand.
SIDE_ACTIONS = frozenset({
    "preserve", "decide_preservation", "seize", "extend_seizure", "record_testing", "release_seizure", "pause",
    "resume", "extend", "extend_filing", "assign", "recuse", "escalate", "correct", "defer_payment", "collective_discussion",
})


def _kind_labels(kinds) -> str:
    from zhifa.catalog.rules import PENALTY_KIND_LABELS

    labels = {k.value: v for k, v in PENALTY_KIND_LABELS.items()}
    return "、".join(labels.get(k, k) for k in kinds or [])


def _timeline(entries, titles: dict[str, str]) -> list[dict]:
    rows = []
    for e in entries:
        payload = e.payload or {}
        code = payload.get("document") or ""
        rows.append({
            "entry": e,
            "label": payload.get("label") or (workflow.BY_CODE[e.action].label if e.action in workflow.BY_CODE else e.action),
            "from": workflow.STATES.get(payload.get("from", ""), ""),
            "to": workflow.STATES.get(payload.get("to", ""), ""),
            "document": code,
            "document_title": titles.get(code) or EXTRA_DOCUMENT_TITLES.get(code) or code,
            "content": payload.get("content") if isinstance(payload.get("content"), dict) else None,
            "short_hash": e.hash[:12],
        })
    return rows


def _case_context(request: HttpRequest, case: Case, actor: access.Actor, *, panel: ActionPanel | None = None,
                  verify=None) -> dict:
    today = clock.today()
    seizures = list(case.seizures.order_by("decided_on", "pk"))
    prefetch_related_objects([case], "pauses")
    case._prefetched_objects_cache["seizures"] = seizures  # situation() reads them without another query
    allowed = services.allowed_actions(case, actor)  # only the applicable ones (workflow.APPLICABLE)
    shown = allowed + ([panel.code] if panel is not None and panel.code not in allowed else [])
    panels = [panel if panel is not None and panel.code == code else _panel(code, case) for code in shown]
    evidence_panel = next((p for p in panels if p.code == "record_evidence"), None)
    panels = [p for p in panels if p.code != "record_evidence"]
    side_panels = [p for p in panels if p.code in SIDE_ACTIONS]
    panels = [p for p in panels if p.code not in SIDE_ACTIONS]
    everyone = workflow.allowed_actions(case.state, case.procedure, {"officer", "head", "reviewer"}, services.situation(case))
    waiting = [(workflow.BY_CODE[c].label, ROLE_LABELS[workflow.BY_CODE[c].role]) for c in everyone if c not in allowed]
    schedule = workdays.schedule()
    soon_until = schedule.add_working_days(today, SOON_WORKING_DAYS).date
    deadlines = [(d, _level(d, soon_until)) for d in services.deadlines_of(case, today, schedule)]
    entries = list(services.record_of(case.pk, actor))
    titles = _document_titles()
    documents = []
    try:
        from zhifa.documents.models import Document

        documents = list(Document.objects.filter(subject=case.stream).order_by("issued_at", "pk"))
    except Exception:  # pragma: no cover - documents are shown when the app is there
        documents = []
    officer = actor.officer
    natural = case.party_kind == Case.PartyKind.PERSON
    return {
        **personal.context(request, allowed=permissions.may_see_personal(actor, case),
                           object=f"case:{case.pk}", fields=["party_id_code", "party_address"]),
        "natural_person": natural,
        "case": case,
        "state_label": workflow.state_label(case.state),
        "procedure_label": workflow.PROCEDURES.get(case.procedure, case.procedure),
        "officers": list(case.officers.order_by("name", "pk")),
        "deadlines": deadlines,
        "timeline": _timeline(entries, titles),
        "evidence": list(case.evidence.select_related("collected_by__officer").order_by("collected_on", "pk")),
        "seizures": seizures,
        "proposed_kinds": _kind_labels(case.proposed_kinds),
        "decision_kinds": _kind_labels(case.decision_kinds),
        "side_panels": side_panels,
        "side_open": any(p.open for p in side_panels),
        "reviews": list(case.reviews.select_related("reviewer").order_by("requested_on", "pk")),
        "documents": documents,
        "panels": panels,
        "evidence_panel": evidence_panel,
        "waiting": waiting,
        "is_auxiliary": bool(officer and officer.is_auxiliary and officer.body_id == case.body_id),
        "verify": verify,
        "nav": "cases",
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """案件: header, deadlines, the allowed actions, evidence and the full-process record."""
    actor = access.request_actor(request)
    case = services.get_case(pk, actor)
    return render(request, "cases/case_detail.html", _case_context(request, case, actor))


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One workflow action: GET the form panel (htmx), POST to perform it. A refusal lists every
    violation next to the form (409 for a plain request); success redirects to the case page."""
    if code not in workflow.BY_CODE:
        raise Http404("没有这个办案操作。")
    actor = access.request_actor(request)
    case = services.get_case(pk, actor)
    htmx = getattr(request, "htmx", None)
    detail = reverse("cases:detail", args=[case.pk])
    if request.method == "GET":
        if not htmx:
            return redirect(f"{detail}#action-{code}")
        return render(request, "cases/_action_panel.html", {"p": _panel(code, case), "case": case})
    form = forms.action_form(code, case, request.POST, request.FILES)
    violations: list[Violation] = []
    error = ""
    if form.is_valid():
        try:
            services.perform(case.pk, code, form.service_kwargs(), actor=actor)
        except Refused as refused:
            violations = refused.violations
        except PermissionDenied as denied:
            if not htmx:
                raise
            error = str(denied) or "您无权执行该操作。"
        else:
            messages.success(request, f"已完成：{workflow.BY_CODE[code].label}。")
            if htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = detail
                return response
            return redirect(detail)
    panel = _panel(code, case, form, violations, error)
    if htmx:
        return render(request, "cases/_action_panel.html", {"p": panel, "case": case})
    status = 409 if violations else 400
    return render(request, "cases/case_detail.html", _case_context(request, case, actor, panel=panel), status=status)


@login_required
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    """校验记录: recompute the hash chain of the case's full-process record."""
    actor = access.request_actor(request)
    case = services.get_case(pk, actor)
    broken = services.verify_record(case.pk, actor)
    count = services.record_of(case.pk, actor).count()
    result = {"ok": broken is None, "broken": broken, "count": count, "at": clock.now()}
    if getattr(request, "htmx", None):
        return render(request, "cases/_verify.html", {"verify": result, "case": case})
    return render(request, "cases/case_detail.html", _case_context(request, case, actor, verify=result))


@login_required
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """Download an evidence file (only for those who may see the case)."""
    actor = access.request_actor(request)
    case = services.get_case(pk, actor)
    evidence = Evidence.objects.filter(case=case, pk=evidence_id).exclude(file="").first()
    if evidence is None or not default_storage.exists(evidence.file.name):
        raise Http404("未找到该证据文件。")
    name = evidence.file.name.rsplit("/", 1)[-1]
    content_type = evidence.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(default_storage.open(evidence.file.name, "rb"), as_attachment=True, filename=name, content_type=content_type)


@login_required
def document_preview(request: HttpRequest, pk: int, seq: int) -> HttpResponse:
    """文书预览: the structured content an action stored for its document (printable)."""
    actor = access.request_actor(request)
    case = services.get_case(pk, actor)
    entry = services.record_of(case.pk, actor).filter(seq=seq).first()
    payload = entry.payload if entry else {}
    if not entry or not payload.get("document"):
        raise Http404("该记录没有文书内容。")
    titles = _document_titles()
    code = payload["document"]
    content = payload.get("content") if isinstance(payload.get("content"), dict) else {k: v for k, v in payload.items() if k not in ("document", "label")}
    return render(request, "cases/document_preview.html", {
        "case": case, "entry": entry, "title": titles.get(code) or EXTRA_DOCUMENT_TITLES.get(code) or code,
        "rows": content_rows(content), "nav": "cases",
    })


# --- Queues -----------------------------------------------------------------------------------

@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """负责人审批: cases of the head's body waiting for filing approval, case review, a decision,
    a hearing to schedule or closing."""
    actor = access.request_actor(request)
    page = paginate(request, selectors.pending_approvals(actor).select_related("item"), PER_PAGE)
    page.object_list = decorate(page.object_list)
    for c in page.object_list:
        c.pending = selectors.APPROVAL_LABELS.get(c.pending, c.pending)
    return render(request, "cases/approvals.html", {"page": page, "nav": "cases"})


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """法制审核: the reviews assigned to this legal reviewer, pending first."""
    actor = access.request_actor(request)
    pending = list(services.pending_reviews(actor))
    cases = decorate([r.case for r in pending])
    rows = [{"review": r, "case": c} for r, c in zip(pending, cases)]
    done = services.completed_reviews(actor)
    return render(request, "cases/reviews.html", {"rows": rows, "done": done, "nav": "cases"})
