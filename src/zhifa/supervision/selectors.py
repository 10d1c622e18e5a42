"""The records a supervisor may read (全过程记录的查阅范围), as queries.

The supervision office (执法监督机构) reads the record streams of the bodies in its jurisdiction
subtree; the administrator reads every stream. A stream's body is found from its kind
(``<kind>:<key>``): ``case:`` → the case's body, ``officer:`` → the officer's body, ``body:`` →
the body, ``item:`` → the item's body, ``benchmark:`` → its body, ``plan:``/``task:``/``draw:``/
``inspection:`` → the body of their plan, ``conflict:`` → the declaring officer's body,
``delegation:`` → the delegating body, ``jurisdiction:`` → the jurisdiction itself (in the
subtree). Kinds that belong to no body (``import:``, ``calendar:``, ``list:``, ``entity:`` …) are
read by the city-level supervisor and the administrator only. Staff and the public read none.

Every function is a constant number of queries: the scope is one SQL condition of subqueries
(``stream IN (SELECT 'case:' || id FROM … WHERE body in scope) OR …``), never a list in Python.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404

from zhifa.cases.models import Case
from zhifa.catalog.models import Benchmark, Delegation, Item
from zhifa.core import ledger
from zhifa.core.ledger import RecordEntry
from zhifa.inspections.models import ConflictDeclaration, Draw, Inspection, Plan, Task
from zhifa.registry import access
from zhifa.registry.models import Body, Jurisdiction, Officer

from .models import AccountabilityRecord, Alert, Evaluation, NoOccurrenceMark, SupervisionNotice

REFUSED = "只有执法监督机构和系统管理员可以查阅全过程记录。"

#: kind → (model, the key's field, the path from the model to its body's id).
BODY_KINDS: dict[str, tuple[type, str, str]] = {
    "case": (Case, "pk", "body_id"),
    "officer": (Officer, "pk", "body_id"),
    "body": (Body, "pk", "pk"),
    "item": (Item, "code", "body_id"),
    "benchmark": (Benchmark, "pk", "body_id"),
    "plan": (Plan, "pk", "body_id"),
    "task": (Task, "pk", "plan__body_id"),
    "draw": (Draw, "pk", "task__plan__body_id"),
    "inspection": (Inspection, "pk", "task__plan__body_id"),
    "conflict": (ConflictDeclaration, "pk", "officer__body_id"),
    "delegation": (Delegation, "pk", "from_body_id"),
    "evaluation": (Evaluation, "pk", "body_id"),
    "notice": (SupervisionNotice, "pk", "body_id"),
    "accountability": (AccountabilityRecord, "pk", "body_id"),
    "alert": (Alert, "pk", "body_id"),
    "nooccurrence": (NoOccurrenceMark, "pk", "body_id"),
}
#: The Chinese name of each kind of stream (the filter of the audit page).
KIND_LABELS = {
    "case": "案件", "officer": "执法人员与执法证", "body": "执法主体", "item": "执法事项", "benchmark": "裁量基准",
    "plan": "抽查计划", "task": "抽查任务", "draw": "抽取", "inspection": "检查", "conflict": "利害关系回避",
    "delegation": "赋权与委托", "jurisdiction": "行政区划", "import": "数据导入", "calendar": "节假日安排",
    "list": "三张清单", "entity": "检查对象",
    "evaluation": "案卷评查", "notice": "监督通知书", "sample": "案卷抽取", "evalplan": "评查计划", "sheet": "评查表", "accountability": "问责与免责",
    "alert": "执法监督预警", "alerts": "预警扫描", "nooccurrence": "预计不发生的事项",
}
#: Kinds scoped by a jurisdiction rather than a body.
JURISDICTION_KIND = "jurisdiction"
CITY_LEVELS = (Jurisdiction.Level.PROVINCE, Jurisdiction.Level.CITY)


def may_read_records(actor: access.Actor) -> bool:
    """The supervision office and the administrator read records; nobody else."""
    return actor.is_admin or (actor.is_supervisor and bool(actor.jurisdiction_path))


def _refuse_unless_allowed(actor: access.Actor) -> None:
    if not may_read_records(actor):
        raise PermissionDenied(REFUSED)


def is_city_level(actor: access.Actor) -> bool:
    """The administrator, or a supervisor of a city (or province): reads the streams of no body."""
    if actor.is_admin:
        return True
    return Jurisdiction.objects.filter(path=actor.jurisdiction_path, level__in=CITY_LEVELS).exists()


def _streams_of(kind: str, queryset: QuerySet, key: str) -> QuerySet:
    """``'<kind>:' || key`` of every row of ``queryset``, as a subquery."""
    return queryset.annotate(_stream=Concat(Value(f"{kind}:"), Cast(key, output_field=CharField()),
                                            output_field=CharField())).values("_stream")


def scope(actor: access.Actor) -> Q | None:
    """The condition on ``RecordEntry.stream`` of what ``actor`` may read (``None``: everything).
    Raises ``PermissionDenied`` for staff and the public."""
    _refuse_unless_allowed(actor)
    if actor.is_admin:
        return None
    path = actor.jurisdiction_path
    bodies = access.scope_bodies(actor, Body.objects.all()).values("pk")  # the subtree's bodies
    condition = Q(pk__in=[])
    for kind, (model, key, body_path) in BODY_KINDS.items():
        rows = model.objects.filter(**{f"{body_path}__in": bodies})
        condition |= Q(stream__in=_streams_of(kind, rows, key))
    jurisdictions = Jurisdiction.objects.filter(path__startswith=path)
    condition |= Q(stream__in=_streams_of(JURISDICTION_KIND, jurisdictions, "pk"))
    if is_city_level(actor):
        bodiless = Q()
        for kind in [*BODY_KINDS, JURISDICTION_KIND]:
            bodiless &= ~Q(stream__startswith=f"{kind}:")
        condition |= bodiless
    return condition


def in_scope(actor: access.Actor, entries: QuerySet[RecordEntry] | None = None) -> QuerySet[RecordEntry]:
    """``entries`` (all by default) limited to the streams ``actor`` may read."""
    entries = RecordEntry.objects.all() if entries is None else entries
    condition = scope(actor)
    return entries if condition is None else entries.filter(condition)


@dataclass(frozen=True)
class StreamFilters:
    kind: str = ""
    key: str = ""


def streams(actor: access.Actor, filters: StreamFilters = StreamFilters()) -> QuerySet:
    """The streams ``actor`` may read — ``{"stream", "entries", "last_seq", "last_at"}`` rows —
    filtered by kind and by key (exact when a kind is given, else contained), sorted by stream:
    the order of the (stream, seq) index, so a page is read without sorting every stream's totals."""
    entries = RecordEntry.objects.all()
    kind, key = filters.kind.strip(), filters.key.strip()
    if kind and key:
        entries = entries.filter(stream=f"{kind}:{key}")
    elif kind:
        entries = entries.filter(stream__startswith=f"{kind}:")
    elif key:
        entries = entries.filter(stream__contains=key)
    return (in_scope(actor, entries).values("stream")
            .annotate(entries=Count("id"), last_seq=Max("seq"), last_at=Max("at")).order_by("stream"))


def stream_kinds(actor: access.Actor) -> list[str]:
    """The kinds a filter may offer (those of the streams the actor may read are a subset)."""
    kinds = [*BODY_KINDS, JURISDICTION_KIND]
    if is_city_level(actor):
        kinds += ["import", "calendar", "list", "entity"]
    return kinds


def stream_entries(actor: access.Actor, stream: str) -> QuerySet[RecordEntry]:
    """The entries of one stream in order, if ``actor`` may read it: 404 for a stream out of
    scope or without entries (the two look the same), 403 for staff and the public."""
    if not stream or len(stream) > 64 or "\x00" in stream:
        raise Http404
    entries = in_scope(actor, RecordEntry.objects.filter(stream=stream))
    if not entries.exists():
        raise Http404
    return entries.order_by("seq")


def verify_stream(actor: access.Actor, stream: str) -> dict:
    """Verify the chain of one stream in scope: ``{"ok", "stream", "entries", "seq", "reason"}``."""
    entries = stream_entries(actor, stream)
    broken = ledger.verify(stream)
    count = entries.count()
    if broken is None:
        return {"ok": True, "stream": stream, "entries": count, "seq": None, "reason": ""}
    return {"ok": False, "stream": stream, "entries": count, "seq": broken.seq, "reason": broken.reason}


__all__ = ["BODY_KINDS", "KIND_LABELS", "REFUSED", "StreamFilters", "in_scope", "is_city_level", "may_read_records", "scope",
           "stream_entries", "stream_kinds", "streams", "verify_stream"]


# --- Case files (卷宗) ----------------------------------------------------------------------------

def case_files(actor: access.Actor, case_id: int):
    """The case's bound versions, newest first, if the actor may read the case (own body, a
    supervisor's subtree, the administrator); ``Http404`` otherwise or when none is bound."""
    from zhifa.cases.selectors import get_case

    from .models import CaseFile

    case = get_case(case_id, actor)
    versions = list(CaseFile.objects.filter(case=case).order_by("-version"))
    if not versions:
        raise Http404("该案件的案卷尚未装订。")
    return case, versions


# --- Evaluation and notices (评查、监督通知书) --------------------------------------------------------

def _office_or_body(actor: access.Actor, body_field: str = "body") -> Q | None:
    """The office's jurisdiction subtree and the actor's own body; ``None`` for the administrator."""
    if actor.is_admin:
        return None
    condition = Q(pk__in=[])
    if actor.jurisdiction_path:
        condition |= Q(**{f"{body_field}__jurisdiction__path__startswith": actor.jurisdiction_path})
    if actor.body_id is not None:
        condition |= Q(**{f"{body_field}_id": actor.body_id})
    return condition


def evaluations(actor: access.Actor, *, plan_id: int | None = None, body_id: int | None = None, state: str = "",
                mine: bool = False) -> QuerySet:
    """Evaluations the actor may read: the office's subtree, the body's own files, the ones
    assigned to the actor as evaluator (cross-evaluation by another body's officer)."""
    from .models import Evaluation

    qs = Evaluation.objects.select_related("body", "case_file__case", "sheet", "plan")
    scope = _office_or_body(actor)
    user_id = getattr(ledger.user_of(actor), "pk", None)
    if scope is not None:
        qs = qs.filter(scope | Q(evaluator_id=user_id))
    if mine:
        qs = qs.filter(evaluator_id=user_id)
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if body_id and scope is not None:  # a blind evaluator may not learn the body by filtering on it (rules.blind)
        qs = qs.exclude(plan__double_blind=True, evaluator_id=user_id)
    return _filtered(qs, state, body_id).order_by("-created_on", "-id")


def _filtered(qs: QuerySet, state: str, body_id: int | None) -> QuerySet:
    """``qs`` of one state and one body, when given (the filters of the evaluation and notice lists)."""
    if state:
        qs = qs.filter(state=state)
    if body_id:
        qs = qs.filter(body_id=body_id)
    return qs


def get_evaluation(actor: access.Actor, evaluation_id: int):
    found = evaluations(actor).filter(pk=evaluation_id).first()
    if found is None:
        raise Http404("没有这项评查，或您无权查看。")
    return found


def plans(actor: access.Actor) -> QuerySet:
    from .models import EvaluationPlan

    qs = EvaluationPlan.objects.select_related("sheet", "jurisdiction")
    if actor.is_admin:
        return qs
    if not actor.jurisdiction_path:
        return qs.none()
    return qs.filter(jurisdiction__path__startswith=actor.jurisdiction_path)


def plan_results(plan) -> list[dict]:
    """Per body of the plan: files evaluated, average score, counts per grade (one query)."""
    from django.db.models import Avg

    from .models import Evaluation

    rows = (Evaluation.objects.filter(plan=plan, state=Evaluation.State.SUBMITTED, kind=Evaluation.Kind.OFFICE)
            .values("body_id", "body__name").annotate(files=Count("id"), average=Avg("score"),
                                                       excellent=Count("id", filter=Q(grade="excellent")),
                                                       passed=Count("id", filter=Q(grade="pass")),
                                                       failed=Count("id", filter=Q(grade="fail")))
            .order_by("body__name"))
    return [{"body_id": r["body_id"], "body": r["body__name"], "files": r["files"],
             "average": round(float(r["average"] or 0), 1), "excellent": r["excellent"], "passed": r["passed"], "fail": r["failed"]}
            for r in rows]


def notices(actor: access.Actor, *, state: str = "", body_id: int | None = None) -> QuerySet:
    from .models import SupervisionNotice

    qs = SupervisionNotice.objects.select_related("body", "issuer")
    scope = _office_or_body(actor)
    if scope is not None:
        qs = qs.filter(scope)
    return _filtered(qs, state, body_id).order_by("-issued_on", "-id")


def get_notice(actor: access.Actor, notice_id: int):
    found = notices(actor).prefetch_related("steps").filter(pk=notice_id).first()
    if found is None:
        raise Http404("没有这份监督通知书，或您无权查看。")
    return found


def notices_to_answer(actor: access.Actor) -> int:
    """Notices the actor's body must still answer (待整改、退回整改): the badge of the menu link."""
    from .models import SupervisionNotice

    if actor.body_id is None:
        return 0
    return SupervisionNotice.objects.filter(body_id=actor.body_id, state__in=("issued", "returned")).count()


def blind_view(actor: access.Actor, ev) -> dict:
    """What ``actor`` is shown of evaluation ``ev`` (双盲评查, ``rules.blind``): the body, the case
    number and id, the evaluator — or their masks — and where the file's PDF is read."""
    from . import permissions
    from .rules import blind

    plan, office = ev.plan, permissions.is_office(actor)
    double_blind = bool(plan is not None and plan.double_blind)
    hide_identity = blind.hides_identity(double_blind=double_blind, is_office=office,
                                         is_evaluator=ev.evaluator_id == getattr(ledger.user_of(actor), "pk", None))
    hide_evaluator = blind.hides_evaluator(double_blind=double_blind, published=bool(plan and plan.results_published_on),
                                           in_body=actor.body_id == ev.body_id, is_office=office)
    case = ev.case_file.case
    return {"hide_identity": hide_identity, "hide_evaluator": hide_evaluator,
            "body": blind.HIDDEN_BODY if hide_identity else ev.body.name,
            "case_number": blind.blind_code(plan.pk, ev.pk) if hide_identity else case.number,
            "case_id": None if hide_identity else case.pk,
            "evaluator": blind.HIDDEN_EVALUATOR if hide_evaluator else ev.evaluator_name,
            "prechecks": _masked_prechecks(ev.prechecks, case) if hide_identity else ev.prechecks,
            "pdf_url": f"/api/v1/supervision/evaluations/{ev.pk}/file?inline=true"}


def _masked_prechecks(prechecks: dict, case) -> dict:
    """The pre-checks' reasons without the names of the case's officers and party (blind evaluator)."""
    from .rules import blind

    names = [n for n in [*case.officers.values_list("name", flat=True), case.party_name] if n]
    return {code: {**p, "why": blind.mask_names(p.get("why", ""), names)} for code, p in prechecks.items()}
