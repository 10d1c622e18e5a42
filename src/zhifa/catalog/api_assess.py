"""API of discretion benchmarks (R10) and the lists (R11–R13): ``router`` (mounted at "/").

- ``POST /items/{code}/assess`` — facts in; outcome, penalty kinds, range and the explanation out.
- ``GET /items/{code}/benchmarks`` — the versions the actor may see (drafts: own body only).
- ``POST /benchmarks/{id}/publish`` — publish a draft (head of the body, administrator).
- ``GET /exemptions``, ``POST /items/{code}/exemption`` — the exemption list and its query.
- ``GET /legal-review-rules``, ``POST /legal-review/check`` — the legal-review list and its query.
- ``GET /recording-catalogue``, ``GET /recording-catalogue/check`` — the recording catalogue.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal, Optional

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError

from zhifa.core.api_auth import OPTIONAL_AUTH, STAFF_AUTH
from zhifa.core.pagination import ErrorOut, Id, PageQuery, ValidationErrorOut, paginate
from zhifa.registry import access

from . import discretion, services
from . import rules as r

router = Router(tags=["裁量基准与清单"])

Money = Optional[Decimal]
PartyKindIn = Literal["person", "organisation"]
HarmIn = Literal["none", "slight", "ordinary", "serious"]


class AssessIn(Schema):
    """违法事实与裁量情节."""

    act_date: dt.date = Field(..., description="违法行为发生日期（持续的，为终了之日）")
    party_kind: PartyKindIn = Field("organisation", description="当事人类型：person 自然人 / organisation 法人或者其他组织")
    age: Optional[int] = Field(None, ge=0, le=130, description="自然人违法时的年龄（周岁）")
    mental_illness: bool = Field(False, description="违法时不能辨认或者不能控制自己行为的精神病人、智力残疾人")
    illegal_gains: Money = Field(None, ge=0, max_digits=16, decimal_places=2, description="违法所得（元）")
    goods_value: Money = Field(None, ge=0, max_digits=16, decimal_places=2, description="货值金额（元）")
    base_amount: Money = Field(None, ge=0, max_digits=16, decimal_places=2, description="其他计罚基数（元），如建设项目总投资额、所收费用")
    grades: list[int] = Field(default_factory=list, max_length=50, description="符合的裁量档次序号（可多选，按较重档次）")
    factors: list[str] = Field(default_factory=list, max_length=50, description="具有的裁量情节代码")
    first_offence: bool = Field(False, description="初次违法")
    harm: HarmIn = Field("ordinary", description="危害后果：none 无 / slight 轻微 / ordinary 一般 / serious 严重")
    corrected_promptly: bool = Field(False, description="及时改正")
    minor: bool = Field(False, description="违法行为轻微")
    no_fault_proven: bool = Field(False, description="当事人有证据足以证明没有主观过错")
    sensitive_area: bool = Field(False, description="发生在生态环境敏感区")
    prefer_mitigation: bool = Field(False, description="依法可以从轻或者减轻时，选择减轻处罚")

    def to_facts(self, code: str) -> r.Facts:
        return r.Facts(
            item_code=code, act_date=self.act_date, party_kind=r.PartyKind(self.party_kind), age=self.age,
            mental_illness=self.mental_illness, illegal_gains=self.illegal_gains, goods_value=self.goods_value,
            base_amount=self.base_amount, grades=tuple(self.grades), factors=tuple(self.factors),
            first_offence=self.first_offence, harm=r.Harm(self.harm), corrected_promptly=self.corrected_promptly,
            minor=self.minor, no_fault_proven=self.no_fault_proven, sensitive_area=self.sensitive_area,
            prefer_mitigation=self.prefer_mitigation,
        )


class CodeLabel(Schema):
    code: str
    label: str


class StepOut(Schema):
    code: str
    text: str = Field(..., description="适用的规则（中文，可直接引用于说理）")
    citation: str = Field(..., description="依据")


class AmountOut(Schema):
    basis: str = Field(..., description="fixed 固定金额 / illegal_gains 违法所得 / goods_value 货值金额 / other 其他基数")
    basis_label: str
    min: Optional[str] = Field(None, description="罚款下限（元）")
    max: Optional[str] = Field(None, description="罚款上限（元）；空为未认定计罚基数或无上限")
    min_multiple: Optional[str] = None
    max_multiple: Optional[str] = None
    max_exclusive: bool = Field(False, description="减轻处罚：上限不含本数（低于法定最低额）")
    text: str


class GradeOut(Schema):
    order: int
    name: str
    conditions: str
    standard: str


class BenchmarkRef(Schema):
    id: int
    version: str
    title: str
    status: str
    valid_from: dt.date
    valid_to: Optional[dt.date]
    published_on: Optional[dt.date]


class ExemptionOut(Schema):
    kind: str
    kind_label: str
    conditions: str
    citation: str


class AssessOut(Schema):
    item: CodeLabel
    benchmark: BenchmarkRef
    outcome: str = Field(..., description="penalty / heavier / lighter / mitigated / may_no_penalty / no_penalty")
    outcome_label: str
    penalty_outcome: str = Field(..., description="决定给予处罚时的裁量结果（outcome 为 may_no_penalty 时有意义）")
    grade: Optional[GradeOut]
    penalty_kinds: list[CodeLabel]
    amount: Optional[AmountOut]
    suggested: Optional[str] = Field(None, description="一般处罚的参考金额（元，幅度中间值）")
    confiscate_gains: bool
    confiscate_property: bool
    other_penalties: str
    education_required: bool
    exemption: Optional[ExemptionOut]
    steps: list[StepOut]
    explanation: str = Field(..., description="说理全文（逐条编号）")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(r.yuan(value))


def _multiple(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _benchmark_ref(b) -> dict:
    return {"id": b.id, "version": b.version, "title": b.title, "status": b.status, "valid_from": b.valid_from,
            "valid_to": b.valid_to, "published_on": b.published_on}


def assessment_dict(result: discretion.AssessResult) -> dict:
    a = result.assessment
    amount = None
    if a.amount is not None:
        amount = {
            "basis": a.amount.basis.value, "basis_label": a.amount.basis_label or a.amount.basis.label,
            "min": _money(a.amount.min_yuan), "max": _money(a.amount.max_yuan),
            "min_multiple": _multiple(a.amount.min_multiple), "max_multiple": _multiple(a.amount.max_multiple),
            "max_exclusive": a.amount.max_exclusive, "text": a.amount.describe(),
        }
    grade = None
    if a.grade is not None:
        grade = {"order": a.grade.order, "name": a.grade.name, "conditions": a.grade.conditions,
                 "standard": a.grade.standard_text}
    exemption = None
    if a.exemption is not None:
        exemption = {"kind": a.exemption.kind.value, "kind_label": a.exemption.kind.label,
                     "conditions": a.exemption.conditions, "citation": a.exemption.citation}
    return {
        "item": {"code": result.item.code, "label": result.item.full_name},
        "benchmark": _benchmark_ref(result.benchmark),
        "outcome": a.outcome.value, "outcome_label": a.outcome.label, "penalty_outcome": a.penalty_outcome.value,
        "grade": grade,
        "penalty_kinds": [{"code": k.value, "label": k.label} for k in a.penalty_kinds],
        "amount": amount, "suggested": _money(a.suggested_yuan),
        "confiscate_gains": a.confiscate_gains, "confiscate_property": a.confiscate_property,
        "other_penalties": a.other_penalties, "education_required": a.education_required,
        "exemption": exemption,
        "steps": [{"code": s.code, "text": s.text, "citation": s.citation} for s in a.steps],
        "explanation": a.explanation,
    }


def raise_facts_error(exc: r.FactsError):
    """Bad facts → the root handler's 422 with one Chinese message per field."""
    raise ValidationError([{"loc": ("body", "payload", f), "msg": m, "type": "facts"} for f, m in exc.errors]) from None


def _code(code: str) -> str:
    if "\x00" in code or len(code) > 40:
        raise Http404
    return code


@router.post(
    "/items/{code}/assess", auth=OPTIONAL_AUTH,
    response={200: AssessOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="按裁量基准裁量（R10、R11）：事实与情节 → 处罚种类、幅度与说理",
    description=(
        "只适用违法行为发生之日施行的已公布裁量基准（行政处罚法第三十四条）。依次适用不予处罚的法定情形"
        "（第三十条、第三十一条、第三十三条）、免罚轻罚清单、裁量档次、从轻减轻从重情节，返回结果及逐条说理。"
        "未知事项或无已公布基准为 404；金额为负、未知情节、违法日期早于事项生效日期等为 422。"
    ),
)
def assess(request, code: Path[str], payload: AssessIn):
    actor = access.request_actor(request)
    try:
        result = discretion.assess_item(_code(code), payload.to_facts(code), actor=actor)
    except r.FactsError as exc:
        raise_facts_error(exc)
    return assessment_dict(result)


class FactorOut(Schema):
    code: str
    description: str
    kind: str
    effect: str
    effect_label: str
    citation: str
    mandatory: bool


class GradeDetailOut(GradeOut):
    penalty_kinds: list[CodeLabel]
    amount_basis: str
    basis_label: str
    amount_min: Optional[str]
    amount_max: Optional[str]
    other_penalties: str


class BenchmarkOut(BenchmarkRef):
    legal_basis: str
    lighter_fraction: str
    lighter_citation: str
    heavier_fraction: str
    heavier_citation: str
    grades: list[GradeDetailOut]
    factors: list[FactorOut]


def _benchmark_out(b) -> dict:
    return {
        **_benchmark_ref(b), "legal_basis": b.legal_basis,
        "lighter_fraction": str(b.lighter_fraction), "lighter_citation": b.lighter_citation,
        "heavier_fraction": str(b.heavier_fraction), "heavier_citation": b.heavier_citation,
        "grades": [
            {"order": g.order, "name": g.name, "conditions": g.conditions, "standard": g.standard_text,
             "penalty_kinds": [{"code": k, "label": r.PenaltyKind(k).label} for k in g.penalty_kinds],
             "amount_basis": g.amount_basis, "basis_label": g.basis_label,
             "amount_min": _multiple(g.amount_min), "amount_max": _multiple(g.amount_max),
             "other_penalties": g.other_penalties}
            for g in b.grades.all()
        ],
        "factors": [
            {"code": f.code, "description": f.description, "kind": f.kind, "effect": f.effect,
             "effect_label": r.Effect(f.effect).label, "citation": f.citation, "mandatory": f.mandatory}
            for f in b.factors.all()
        ] + [
            {"code": f.code, "description": f.description, "kind": f.kind.value, "effect": f.effect.value,
             "effect_label": f.effect.label, "citation": f.citation, "mandatory": f.mandatory}
            for f in r.LAW_FACTORS
        ],
    }


@router.get(
    "/items/{code}/benchmarks", auth=OPTIONAL_AUTH, response={200: list[BenchmarkOut], 404: ErrorOut},
    summary="事项的裁量基准各版本（草稿仅本主体可见）",
)
def item_benchmarks(request, code: Path[str]):
    _, benchmarks = discretion.benchmarks_of_item(_code(code), actor=access.request_actor(request))
    return [_benchmark_out(b) for b in benchmarks]


class PublishIn(Schema):
    published_on: Optional[dt.date] = Field(None, description="公布日期，默认今天")


@router.post(
    "/benchmarks/{benchmark_id}/publish", auth=STAFF_AUTH,
    response={200: BenchmarkRef, 403: ErrorOut, 404: ErrorOut, 409: dict, 422: ValidationErrorOut},
    summary="公布裁量基准（行政处罚法第三十四条）",
)
def publish(request, benchmark_id: Path[Id], payload: PublishIn | None = None):
    b = services.publish_benchmark(benchmark_id, actor=access.request_actor(request),
                                   published_on=payload.published_on if payload else None)
    return _benchmark_ref(b)


# --- Lists ----------------------------------------------------------------------------------

class ListFilters(PageQuery):
    body: Optional[Id] = Field(None, description="执法主体 id")
    item: Optional[str] = Field(None, max_length=40, description="事项编码")


class ExemptionEntryOut(Schema):
    id: int
    body: CodeLabel
    item: Optional[CodeLabel]
    act: str
    kind: str
    kind_label: str
    conditions: str
    violated: str
    citation: str
    requires_first_offence: bool
    requires_correction: bool
    max_harm: str
    excluded_in_sensitive_area: bool
    valid_from: Optional[dt.date]
    valid_to: Optional[dt.date]


class ExemptionPage(Schema):
    items: list[ExemptionEntryOut]
    count: int
    page: int
    page_size: int


def _list_entry(entry) -> dict:
    """What every list entry (an exemption entry, a review rule) answers first: its id, its body
    and the item it names (none when it applies to every item of the body)."""
    item = entry.item
    return {
        "id": entry.id, "body": {"code": entry.body.code, "label": entry.body.name},
        "item": {"code": item.code, "label": item.full_name} if entry.item_id else None,
    }


def _exemption_out(e) -> dict:
    return {
        **_list_entry(e),
        "act": e.act, "kind": e.kind, "kind_label": e.get_kind_display(), "conditions": e.conditions,
        "violated": e.violated, "citation": e.citation, "requires_first_offence": e.requires_first_offence,
        "requires_correction": e.requires_correction, "max_harm": e.max_harm,
        "excluded_in_sensitive_area": e.excluded_in_sensitive_area, "valid_from": e.valid_from, "valid_to": e.valid_to,
    }


def _page(qs, filters, convert) -> dict:
    page = paginate(qs, filters)
    items = page["items"] if isinstance(page, dict) else page.items
    count = page["count"] if isinstance(page, dict) else page.count
    return {"items": [convert(x) for x in items], "count": count, "page": filters.page, "page_size": filters.page_size}


@router.get("/exemptions", auth=OPTIONAL_AUTH, response={200: ExemptionPage, 422: ValidationErrorOut},
            summary="免罚轻罚清单（R11）")
def list_exemptions(request, filters: Query[ListFilters]):
    qs = discretion.exemption_entries(access.request_actor(request), body_id=filters.body, item_code=filters.item)
    return _page(qs, filters, _exemption_out)


class ExemptionCheckOut(Schema):
    applies: bool
    no_penalty: bool
    entries: list[ExemptionOut]


@router.post("/items/{code}/exemption", auth=OPTIONAL_AUTH,
             response={200: ExemptionCheckOut, 404: ErrorOut, 422: ValidationErrorOut},
             summary="该事项和事实是否属于免罚轻罚清单（R11）")
def check_exemption(request, code: Path[str], payload: AssessIn):
    found = discretion.exemption_for_item(_code(code), payload.to_facts(code), actor=access.request_actor(request))
    return {
        "applies": bool(found), "no_penalty": any(e.kind in r.NO_PENALTY_KINDS for e in found),
        "entries": [{"kind": e.kind.value, "kind_label": e.kind.label, "conditions": e.conditions, "citation": e.citation} for e in found],
    }


class ReviewRuleOut(Schema):
    id: int
    body: CodeLabel
    item: Optional[CodeLabel]
    description: str
    penalty_kinds: list[CodeLabel]
    threshold_person: Optional[str]
    threshold_organisation: Optional[str]
    requires_hearing: bool
    trigger: str
    citation: str


class ReviewRulePage(Schema):
    items: list[ReviewRuleOut]
    count: int
    page: int
    page_size: int


def _rule_out(x) -> dict:
    return {
        **_list_entry(x),
        "description": x.description, "penalty_kinds": [{"code": k, "label": r.PenaltyKind(k).label} for k in x.penalty_kinds],
        "threshold_person": _money(x.threshold_person), "threshold_organisation": _money(x.threshold_organisation),
        "requires_hearing": x.requires_hearing, "trigger": x.trigger, "citation": x.citation,
    }


@router.get("/legal-review-rules", auth=OPTIONAL_AUTH, response={200: ReviewRulePage, 422: ValidationErrorOut},
            summary="重大执法决定法制审核清单（R12）")
def list_review_rules(request, filters: Query[ListFilters]):
    qs = discretion.legal_review_rules(access.request_actor(request), body_id=filters.body)
    if filters.item:
        qs = qs.filter(item__code=filters.item)
    return _page(qs, filters, _rule_out)


class ReviewCheckIn(Schema):
    body: Id = Field(..., description="作出决定的执法主体 id")
    item_code: str = Field(..., max_length=40)
    party_kind: PartyKindIn = "organisation"
    penalty_kinds: list[Literal[tuple(k.value for k in r.PenaltyKind)]] = Field(default_factory=list, max_length=20)
    fine: Decimal = Field(Decimal(0), ge=0, max_digits=16, decimal_places=2)
    confiscation_value: Decimal = Field(Decimal(0), ge=0, max_digits=16, decimal_places=2)
    hearing_held: bool = False
    triggers: list[Literal[tuple(t.value for t in r.ReviewTrigger)]] = Field(default_factory=list, max_length=10)


class ReviewCheckOut(Schema):
    needed: bool
    reasons: list[str]


@router.post("/legal-review/check", auth=STAFF_AUTH, response={200: ReviewCheckOut, 404: ErrorOut, 422: ValidationErrorOut},
             summary="该决定是否须经法制审核（R12，行政处罚法第五十八条）")
def check_review(request, payload: ReviewCheckIn):
    actor = access.request_actor(request)
    if not access.visible_bodies(actor).filter(pk=payload.body).exists():
        raise Http404
    decision = r.DecisionFacts(
        item_code=payload.item_code, party_kind=r.PartyKind(payload.party_kind),
        penalty_kinds=frozenset(r.PenaltyKind(k) for k in payload.penalty_kinds), fine=payload.fine,
        confiscation_value=payload.confiscation_value, hearing_held=payload.hearing_held,
        triggers=frozenset(r.ReviewTrigger(t) for t in payload.triggers),
    )
    needed, reasons = discretion.needs_legal_review(payload.body, decision)
    return {"needed": needed, "reasons": reasons}


class RecordingOut(Schema):
    act_kind: str
    act_label: str
    level: str
    level_label: str
    citation: str


class RecordingFilters(Schema):
    body: Optional[Id] = Field(None, description="执法主体 id（空为通用目录）")


@router.get("/recording-catalogue", auth=OPTIONAL_AUTH, response={200: list[RecordingOut], 422: ValidationErrorOut},
            summary="音像记录事项目录（R13）")
def recording_catalogue(request, filters: Query[RecordingFilters]):
    rules = discretion.recording_rules(filters.body)
    out = []
    for kind, label in r.ACT_KIND_LABELS.items():
        level, citation = r.recording_basis(kind, rules)
        if level is not r.RecordingLevel.NONE:
            out.append({"act_kind": kind, "act_label": label, "level": level.value, "level_label": level.label, "citation": citation})
    return out


class RecordingCheckFilters(RecordingFilters):
    act_kind: Literal[tuple(r.ACT_KIND_LABELS)] = Field(..., description="执法行为")


@router.get("/recording-catalogue/check", auth=OPTIONAL_AUTH, response={200: RecordingOut, 422: ValidationErrorOut},
            summary="该执法行为是否须音像记录（R13）")
def recording_check(request, filters: Query[RecordingCheckFilters]):
    level, citation = discretion.must_record(filters.body, filters.act_kind)
    return {"act_kind": filters.act_kind, "act_label": r.ACT_KIND_LABELS[filters.act_kind], "level": level.value,
                 "level_label": level.label, "citation": citation}
