"""The records audit pages (全过程记录查阅): ``/supervision/records/`` lists the streams in the
supervisor's scope (filter by kind and key, 50 a page); a stream's page shows its entries with
the chain verified. Staff and the public are refused (403)."""
from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.db.models import Q
from django.shortcuts import render

from zhifa.core import ledger
from zhifa.core import work as jobs
from zhifa.core.listing import paginate, render_list
from zhifa.registry.access import request_actor

from . import selectors


class StreamFilterForm(forms.Form):
    kind = forms.ChoiceField(label="记录类别", required=False)
    key = forms.CharField(label="对象编号", required=False, max_length=64,
                          widget=forms.TextInput(attrs={"type": "search", "placeholder": "如 42、SJJ-CF-001"}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部")] + [(k, f"{selectors.KIND_LABELS.get(k, k)}（{k}）") for k in kinds]


PAYLOAD_VALUE_CHARS = 300


def payload_lines(payload) -> list[tuple[str, str]]:
    """An entry's content as ``(field, value)`` lines a reader can scan — the Chinese ``label``
    is shown as the act's name instead; lists and objects as compact JSON, long values cut."""
    if not isinstance(payload, dict):
        return [("", json.dumps(payload, ensure_ascii=False))]
    lines = []
    for key, value in payload.items():
        if key == "label":
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        lines.append((key, text if len(text) <= PAYLOAD_VALUE_CHARS else text[:PAYLOAD_VALUE_CHARS - 1] + "…"))
    return lines


def _reader(request: HttpRequest):
    actor = request_actor(request)
    if not selectors.may_read_records(actor):
        raise PermissionDenied(selectors.REFUSED)
    return actor


@login_required
def records(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    form = StreamFilterForm(request.GET, kinds=selectors.stream_kinds(actor))
    form.is_valid()
    data = form.cleaned_data
    rows = selectors.streams(actor, selectors.StreamFilters(kind=data.get("kind") or "", key=data.get("key") or ""))
    page = paginate(request, rows)
    for row in page.object_list:
        row["kind_label"] = selectors.KIND_LABELS.get(row["stream"].split(":", 1)[0], "")
    context = {"form": form, "page": page, "nav": "records"}
    return render_list(request, "supervision/records.html", "supervision/_streams_table.html", context)


@login_required
def stream(request: HttpRequest, stream: str) -> HttpResponse:
    actor = _reader(request)
    entries = selectors.stream_entries(actor, stream)
    broken = ledger.verify(stream)
    page = paginate(request, entries)
    for entry in page.object_list:
        entry.label = entry.payload.get("label", "") if isinstance(entry.payload, dict) else ""
        entry.lines = payload_lines(entry.payload)
    context = {"stream": stream, "kind_label": selectors.KIND_LABELS.get(stream.split(":", 1)[0], ""),
               "page": page, "broken": broken, "nav": "records"}
    return render(request, "supervision/stream.html", context)


# --- Case files, evaluation and notices (卷宗、案卷评查、监督通知书) -----------------------------------
# Thin: parse the form into the use case's input (``inputs``), call the service, show every
# violation at once (409 of the API = the page's list of reasons), redirect after success.

import pydantic  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.shortcuts import redirect  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from zhifa.core import clock  # noqa: E402
from zhifa.core.violations import Refused, Violation  # noqa: E402
from zhifa.registry import access  # noqa: E402
from zhifa.registry.models import Body  # noqa: E402

from . import inputs, permissions, services  # noqa: E402
from .rules import notices as notice_rules  # noqa: E402
from .rules import scoring  # noqa: E402


def _invalid(exc: pydantic.ValidationError) -> list[Violation]:
    return [Violation("INVALID_INPUT", f"{'.'.join(map(str, e['loc'])) or '输入'}：{e['msg']}") for e in exc.errors()]


def _attempt(request, work):
    """Run ``work()``; the violations of a refusal or of malformed input, or ``None`` on success."""
    try:
        work()
    except Refused as refused:
        return refused.violations
    except pydantic.ValidationError as exc:
        return _invalid(exc)
    return None


@login_required
def case_file(request: HttpRequest, case_id: int) -> HttpResponse:
    """卷宗: contents in procedural order, the evidence by hash, the versions, the PDF."""
    from django.http import Http404

    from zhifa.cases.selectors import get_case

    actor = request_actor(request)
    try:
        case, versions = selectors.case_files(actor, case_id)
    except Http404:
        case, versions = get_case(case_id, actor), []  # not bound yet (a closed case): the page offers to bind
    wanted = request.GET.get("version")
    chosen = next((v for v in versions if str(v.version) == wanted), versions[0] if versions else None)
    violations = None
    if request.method == "POST" and request.POST.get("step") == "render_pdf" and chosen is not None:
        # 生成卷宗 PDF: off the request, its progress polled on this page (core/work.py)
        from .work import case_file_pdf

        job = jobs.submit(case_file_pdf, {"case_file_id": chosen.pk}, user=request.user,
                          label=f"生成卷宗 PDF（{case.number or case.pk} 第 {chosen.version} 版）")
        return redirect(f"{request.path}?version={chosen.version}&job={job.pk}")
    if request.method == "POST" and request.POST.get("step") == "self_evaluate":
        def start():
            request.created = services.assign_evaluation(inputs.EvaluationIn(case_id=case_id, kind="self"), actor=actor)
        violations = _attempt(request, start)
        if violations is None:
            return redirect("supervision:evaluation", evaluation_id=request.created.pk)
    elif request.method == "POST":
        violations = _attempt(request, lambda: services.bind_case_file(case_id, reason=request.POST.get("reason", ""), actor=actor))
        if violations is None:
            messages.success(request, "已装订，形成新的装订版本。")
            return redirect("supervision:case_file", case_id=case_id)
    job = None
    if (request.GET.get("job") or "").isdigit() and len(request.GET["job"]) < 12:
        job = jobs.own_job(request.user, int(request.GET["job"]))
    context = {"case": case, "cf": chosen, "versions": versions, "violations": violations,
               "job": job, "seconds": jobs.elapsed(job) if job else 0,
               "may_bind": permissions.may_bind(actor, case.body_id), "may_self_evaluate": permissions.is_body_head(actor, case.body_id),
               "nav": "evaluation"}
    return render(request, "supervision/case_file.html", context)


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    permissions.require_office(actor, "查看案卷评查计划")
    violations = None
    if request.method == "POST":
        def create():
            data = inputs.PlanIn(name=request.POST.get("name", ""), sheet_id=request.POST.get("sheet_id") or 0,
                                 period_start=request.POST.get("period_start") or None, period_end=request.POST.get("period_end") or None,
                                 body_ids=request.POST.getlist("body_ids"), files_per_body=request.POST.get("files_per_body") or 0,
                                 excellent=request.POST.get("excellent") or "90", passing=request.POST.get("passing") or "60",
                                 double_blind=request.POST.get("double_blind") == "1")
            request.created = services.create_plan(data, actor=actor)
        violations = _attempt(request, create)
        if violations is None:
            return redirect("supervision:plan", plan_id=request.created.pk)
    from .models import EvaluationSheet

    context = {"page": paginate(request, selectors.plans(actor).order_by("-created_on", "-id")), "violations": violations,
               "sheets": EvaluationSheet.objects.filter(status="published").order_by("code", "-version"),
               "bodies": access.scope_bodies(actor, Body.objects.all()).order_by("code")[:500], "today": clock.today(),
               "nav": "evaluation"}
    return render(request, "supervision/plans.html", context)


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = request_actor(request)
    permissions.require_office(actor, "查看案卷评查计划")
    the_plan = services.plan_in_scope(plan_id, actor)
    violations = None
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "commit":
            violations = _attempt(request, lambda: services.commit_sample(plan_id, actor=actor))
        elif step == "draw":
            violations = _attempt(request, lambda: services.draw_sample(int(request.POST.get("sample_id", 0)),
                                                                         witness=inputs.DrawIn(witness=request.POST.get("witness", "")).witness,
                                                                         actor=actor))
        elif step == "publish_results":
            violations = _attempt(request, lambda: services.publish_plan_results(plan_id, actor=actor))
        elif step == "assign":
            violations = _attempt(request, lambda: services.assign_evaluation(inputs.EvaluationIn(
                case_id=request.POST.get("case_id") or 0, plan_id=plan_id, evaluator_id=request.POST.get("evaluator_id") or None),
                actor=actor))
        if violations is None:
            return redirect("supervision:plan", plan_id=plan_id)
    from django.contrib.auth import get_user_model

    evaluators = (get_user_model().objects.filter(is_active=True)
                  .filter(Q(officer__isnull=False, officer__is_auxiliary=False) | Q(supervision_post__isnull=False))
                  .select_related("supervision_post").distinct().order_by("username")[:300])
    context = {"plan": the_plan, "samples": list(the_plan.samples.order_by("-id")), "results": selectors.plan_results(the_plan),
               "evaluations": selectors.evaluations(actor, plan_id=plan_id)[:200], "evaluators": evaluators,
               "violations": violations, "nav": "evaluation"}
    return render(request, "supervision/plan.html", context)


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    mine = request.GET.get("mine") == "1"
    rows = selectors.evaluations(actor, mine=mine)
    page = paginate(request, rows)
    for e in page:
        e.shown = selectors.blind_view(actor, e)  # double-blind plans mask the body or the evaluator
    context = {"page": page, "mine": mine, "nav": "evaluations",
               "is_office": permissions.is_office(actor)}
    return render(request, "supervision/evaluations.html", context)


@login_required
def evaluation(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The evaluation form: the sheet beside the file's PDF; the evaluator marks, others read."""
    actor = request_actor(request)
    ev = selectors.get_evaluation(actor, evaluation_id)
    sheet = services.sheet_rules(ev.sheet)
    editable = ev.state == "assigned" and ev.evaluator_id == getattr(access.request_actor(request).user, "pk", None)
    violations = None
    if request.method == "POST" and editable:
        def submit():
            post = request.POST
            vetoes = {v.code: {"failed": post.get(f"veto_{v.code}") == "1", "comment": post.get(f"veto_{v.code}_comment", ""),
                               "reason": post.get(f"veto_{v.code}_reason", "")} for v in sheet.vetoes}
            items = {i.code: {"deduction": post.get(f"item_{i.code}") or "0", "comment": post.get(f"item_{i.code}_comment", ""),
                              "reason": post.get(f"item_{i.code}_reason", "")} for i in sheet.items}
            services.submit_evaluation(evaluation_id, inputs.MarksIn(vetoes=vetoes, items=items, comments=post.get("comments", "")),
                                       actor=actor)
        violations = _attempt(request, submit)
        if violations is None:
            messages.success(request, "评查结果已提交。")
            return redirect("supervision:evaluation", evaluation_id=evaluation_id)
    post = request.POST if request.method == "POST" else {}
    shown = selectors.blind_view(actor, ev)
    prechecks = shown["prechecks"]
    vetoes = [{"veto": v, "pre": prechecks.get(v.code), "done": ev.vetoes.get(v.code, {}),
               "checked": post.get(f"veto_{v.code}") == "1" if post else bool((ev.prechecks.get(v.code) or {}).get("suggested"))}
              for v in sheet.vetoes]
    groups = [{"group": g, "items": [{"item": i, "pre": prechecks.get(i.code), "done": ev.items.get(i.code, {}),
                                      "value": post.get(f"item_{i.code}") if post else (ev.prechecks.get(i.code) or {}).get("suggested", "0")}
                                     for i in g.items]} for g in sheet.groups]
    context = {"ev": ev, "shown": shown, "sheet": sheet, "vetoes": vetoes, "groups": groups,
               "editable": editable, "violations": violations,
               "grade_label": scoring.GRADE_LABELS.get(ev.grade, ""), "nav": "evaluations"}
    return render(request, "supervision/evaluation.html", context)


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    violations = None
    if request.method == "POST":
        permissions.require_office(actor, "下发监督通知书")

        def issue():
            post = request.POST
            request.created = services.issue_notice(inputs.NoticeIn(
                kind=post.get("kind", ""), body_id=post.get("body_id") or 0, source=post.get("source", ""),
                evaluation_id=post.get("evaluation_id") or None, case_id=post.get("case_id") or None,
                findings=post.get("findings", ""), basis=post.get("basis", ""), rectify=post.get("rectify", "")), actor=actor)
        violations = _attempt(request, issue)
        if violations is None:
            return redirect("supervision:notice", notice_id=request.created.pk)
    today = clock.today()
    page = paginate(request, selectors.notices(actor, state=request.GET.get("state", "")))
    for n in page.object_list:
        n.state_label = notice_rules.STATE_LABELS.get(n.state, n.state)
        n.overdue = notice_rules.is_overdue(n.state, n.due, today)
    context = {"page": page, "violations": violations, "is_office": permissions.is_office(actor),
               "kinds": services.notice_kinds(), "bodies": access.scope_bodies(actor, Body.objects.all()).order_by("code")[:500],
               "states": notice_rules.STATE_LABELS, "nav": "notices"}
    return render(request, "supervision/notices.html", context)


@login_required
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    actor = request_actor(request)
    n = selectors.get_notice(actor, notice_id)
    violations = None
    if request.method == "POST":
        action = request.POST.get("action", "")

        def act():
            titles = [t for t in request.POST.getlist("evidence_title") if t.strip()]
            evidence = [{"title": t, "description": request.POST.get("evidence_description", "")} for t in titles]
            services.act_on_notice(notice_id, action, inputs.NoticeActionIn(text=request.POST.get("text", ""), evidence=evidence),
                                   actor=actor)
        violations = _attempt(request, act)
        if violations is None:
            messages.success(request, "已办理。")
            return redirect("supervision:notice", notice_id=notice_id)
        n = selectors.get_notice(actor, notice_id)
    allowed = [a for a in notice_rules.ACTIONS.values() if n.state in a.sources and (
        (a.side == "office" and permissions.is_office(actor)) or (a.side == "body" and actor.body_id == n.body_id
                                                                  and permissions.may_bind(actor, n.body_id)))]
    context = {"n": n, "state_label": notice_rules.STATE_LABELS.get(n.state, n.state), "steps": list(n.steps.all()),
               "overdue": notice_rules.is_overdue(n.state, n.due, clock.today()), "allowed": allowed,
               "violations": violations, "nav": "notices"}
    return render(request, "supervision/notice.html", context)


@login_required
def accountability(request: HttpRequest) -> HttpResponse:
    """问责与免责（容错）: the records in the office's scope, the report, one decision at a time."""
    from .rules import accountability as acc_rules

    actor = request_actor(request)
    permissions.require_office(actor, "查看问责与免责记录")
    violations = None
    if request.method == "POST":
        post = request.POST

        def act():
            if post.get("action") == "open":
                services.open_record(inputs.AccountabilityIn(
                    body_id=post.get("body_id") or 0, source=post.get("source", ""), source_ref=post.get("source_ref", ""),
                    officer_ids=[i for i in post.get("officer_ids", "").replace("，", ",").split(",") if i.strip()],
                    finding=post.get("finding", "")), actor=actor)
            else:
                services.act_on_record(int(post.get("record_id") or 0), post.get("action", ""),
                                       inputs.AccountabilityActionIn(text=post.get("text", ""), ground=post.get("ground") or None), actor=actor)
        violations = _attempt(request, act)
        if violations is None:
            return redirect("supervision:accountability")
    page = paginate(request, services.records_in_scope(actor).prefetch_related("persons").order_by("-opened_on", "-id"))
    for r in page.object_list:
        r.state_label = acc_rules.STATE_LABELS.get(r.state, r.state)
        r.actions = [(code, acc_rules.ACTION_LABELS[code]) for code, (sources, _) in acc_rules.ACTIONS.items() if r.state in sources]
    report = services.report(actor)
    context = {"page": page, "violations": violations, "grounds": services.grounds(), "nav": "accountability",
               "report": [(acc_rules.STATE_LABELS[k], v) for k, v in report.items()],
               "bodies": access.scope_bodies(actor, Body.objects.all()).order_by("code")[:500]}
    return render(request, "supervision/accountability.html", context)
