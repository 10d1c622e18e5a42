"""Reads of discretion benchmarks (R10) and the three lists (R11–R13).

Reads build the plain specs of ``catalog.rules`` from the database in a fixed number of queries
and hand them to the pure engine. The one write, publishing a benchmark version, is the use case
``services.publish_benchmark`` (re-exported here for its callers).

Visibility: a published benchmark is public law (APL art.34: benchmarks are published before
use); a draft is visible to its own body (and the administrator) only, and never applies.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from zhifa.core import clock
from zhifa.registry import access

from . import rules as r
from .selectors import in_force_on
from .selectors import visible_items  # noqa: F401 — re-exported for its callers
from .models import Benchmark, BenchmarkGrade, ExemptionEntry, Factor, Item, LegalReviewRule, RecordingRule

BENCHMARK_NOT_PUBLISHABLE = r.BENCHMARK_NOT_PUBLISHABLE


# --- Visibility -----------------------------------------------------------------------------

def visible_benchmarks(actor: access.Actor, queryset: QuerySet[Benchmark] | None = None) -> QuerySet[Benchmark]:
    """Published versions for everyone; drafts and withdrawn versions for their own body and the
    administrator only."""
    qs = Benchmark.objects.all() if queryset is None else queryset
    return _published_or_own(qs, actor, Q(status=Benchmark.Status.PUBLISHED))


def _published_or_own(qs: QuerySet, actor: access.Actor, published: Q) -> QuerySet:
    """The rows matching ``published`` for everyone; the actor's own body's other rows (drafts,
    unpublished entries) too; every row for the administrator."""
    if actor.is_admin:
        return qs
    condition = published
    if actor.body_id is not None:
        condition |= Q(body_id=actor.body_id)
    return qs.filter(condition)


def in_force(queryset: QuerySet[Benchmark], day: dt.date) -> QuerySet[Benchmark]:
    return queryset.filter(in_force_on(day))


# --- From rows to specs ---------------------------------------------------------------------

def policy_of(b: Benchmark) -> r.DiscretionPolicy:
    return r.DiscretionPolicy(
        lighter_fraction=Decimal(b.lighter_fraction), lighter_citation=b.lighter_citation,
        heavier_fraction=Decimal(b.heavier_fraction), heavier_citation=b.heavier_citation,
        mitigation_floor=Decimal(b.mitigation_floor), mitigation_citation=b.mitigation_citation,
        multi_grade_citation=b.multi_grade_citation, raise_grade_citation=b.raise_grade_citation,
    )


def grade_spec(g: BenchmarkGrade) -> r.GradeSpec:
    return r.GradeSpec(
        order=g.order, name=g.name, conditions=g.conditions,
        penalty_kinds=tuple(r.PenaltyKind(k) for k in g.penalty_kinds),
        amount_basis=r.AmountBasis(g.amount_basis), amount_min=g.amount_min, amount_max=g.amount_max,
        basis_label=g.basis_label, confiscate_gains=g.confiscate_gains, confiscate_property=g.confiscate_property,
        other_penalties=g.other_penalties, standard_text=g.standard_text,
    )


def factor_spec(f: Factor) -> r.FactorSpec:
    return r.FactorSpec(f.code, f.description, r.Effect(f.effect), f.citation, f.mandatory, r.FactorKind(f.kind))


def benchmark_spec(b: Benchmark) -> r.BenchmarkSpec:
    """The engine's view of a benchmark (grades and factors prefetched by the caller)."""
    return r.BenchmarkSpec(
        item_code=b.item.code, item_name=b.item.full_name, version=b.version,
        published=b.status == Benchmark.Status.PUBLISHED,
        grades=tuple(grade_spec(g) for g in b.grades.all()),
        factors=tuple(factor_spec(f) for f in b.factors.all()),
        valid_from=b.valid_from, valid_to=b.valid_to, legal_basis=b.legal_basis,
        citation=b.title or f"{b.item.full_name}裁量基准（{b.version}）",
        statutory_min=b.statutory_min, statutory_max=b.statutory_max, policy=policy_of(b),
    )


def exemption_spec(e: ExemptionEntry, item_code: str) -> r.ExemptionSpec:
    return r.ExemptionSpec(
        item_code=item_code, kind=r.ExemptionKind(e.kind), conditions=e.conditions, citation=e.citation,
        requires_first_offence=e.requires_first_offence, requires_correction=e.requires_correction,
        max_harm=r.Harm(e.max_harm), excluded_in_sensitive_area=e.excluded_in_sensitive_area,
        valid_from=e.valid_from, valid_to=e.valid_to,
    )


def _with_children(qs: QuerySet[Benchmark]) -> QuerySet[Benchmark]:
    return qs.select_related("item", "body").prefetch_related(
        Prefetch("grades", queryset=BenchmarkGrade.objects.order_by("order")),
        Prefetch("factors", queryset=Factor.objects.order_by("kind", "code")),
    )


# --- Assess (R10) ---------------------------------------------------------------------------

def _item_on(code: str, day: dt.date, actor: access.Actor) -> Item:
    """The item named ``code``; for an act before its current version took effect, the version in
    force on the day of the act (R09 item versions, ``services.item_version_on``; one more query,
    only then). Http404 if unknown or invisible."""
    item = visible_items(actor).filter(code=code).first()
    if item is None:
        raise Http404("未找到该执法事项，或您无权查看。")
    if day < item.valid_from and item.supersedes_id is not None:
        from .services import item_version_on

        item = item_version_on(code, day, visible_items(actor)) or item
    return item


@dataclass(frozen=True)
class AssessResult:
    item: Item
    benchmark: Benchmark
    spec: r.BenchmarkSpec
    assessment: r.Assessment


def applicable_benchmark(item: Item, day: dt.date) -> Benchmark | None:
    """The published version in force on ``day`` (the day of the act, APL art.37), grades and
    factors prefetched. Only published versions apply (APL art.34)."""
    qs = in_force(Benchmark.objects.filter(item=item, status=Benchmark.Status.PUBLISHED), day)
    return _with_children(qs.order_by("-valid_from", "-published_on", "-id")).first()


def assess_item(code: str, facts: r.Facts, *, actor: access.Actor) -> AssessResult:
    """Assess ``facts`` against the item's published benchmark. Five queries whatever the number
    of grades, factors and list entries: item, benchmark, grades, factors, exemption entries.

    Raises ``Http404`` (unknown or invisible item, or no published benchmark in force on the day
    of the act) and ``rules.FactsError`` (bad facts → 422).
    """
    item = _item_on(code, facts.act_date, actor)
    errors = []
    if facts.act_date < item.valid_from:
        errors.append(("act_date", f"违法行为发生日期早于该事项的生效日期（{item.valid_from.isoformat()}）"))
    if facts.act_date > clock.today():
        errors.append(("act_date", "违法行为发生日期不得晚于今天"))
    if errors:
        raise r.FactsError(errors)
    benchmark = applicable_benchmark(item, facts.act_date)
    if benchmark is None:
        raise Http404("该事项在违法行为发生之日没有已公布施行的裁量基准。")
    spec = benchmark_spec(benchmark)
    entries = [
        exemption_spec(e, item.code)
        for e in ExemptionEntry.objects.filter(item=item, is_published=True)
    ]
    facts = r.Facts(**{**facts.__dict__, "item_code": item.code})
    assessment = r.assess(facts, spec, entries)
    return AssessResult(item, benchmark, spec, assessment)


def benchmarks_of_item(code: str, *, actor: access.Actor) -> tuple[Item, list[Benchmark]]:
    """Every version of the item's benchmark the actor may see, newest first."""
    item = visible_items(actor).filter(code=code).first()
    if item is None:
        raise Http404("未找到该执法事项，或您无权查看。")
    qs = visible_benchmarks(actor, Benchmark.objects.filter(item=item))
    return item, list(_with_children(qs.order_by("-valid_from", "-id")))


# --- Publish (APL art.34): the use case lives in ``services.benchmarks`` ------------------------

from .services.benchmarks import publish_benchmark  # noqa: E402,F401 — re-exported for its callers


# --- The lists (R11–R13) --------------------------------------------------------------------

def _listed(model, actor: access.Actor, body_id: int | None) -> QuerySet:
    """A list's entries (``model``: exemption entries, review rules) of the bodies the actor may
    see (or of ``body_id`` among them): published ones, and the actor's own body's unpublished ones."""
    bodies = access.visible_bodies(actor)
    if body_id:
        bodies = bodies.filter(pk=body_id)
    qs = model.objects.select_related("item", "body").filter(body__in=bodies.values("pk"))
    return _published_or_own(qs, actor, Q(is_published=True))


def exemption_entries(actor: access.Actor, *, body_id: int | None = None, item_code: str | None = None) -> QuerySet[ExemptionEntry]:
    """The published exemption lists (免罚轻罚清单) the actor may see; unpublished entries of the
    actor's own body too."""
    qs = _listed(ExemptionEntry, actor, body_id)
    if item_code:
        qs = qs.filter(item__code=item_code)
    return qs.order_by("body_id", "id")


def exemption_for_item(code: str, facts: r.Facts, *, actor: access.Actor) -> list[r.ExemptionSpec]:
    """Does this item with these facts fall into the exemption list? (the case workflow asks)."""
    item = _item_on(code, facts.act_date, actor)
    entries = [exemption_spec(e, item.code) for e in ExemptionEntry.objects.filter(item=item, is_published=True)]
    return r.exemption_for(item.code, facts, entries)


def legal_review_rules(actor: access.Actor, *, body_id: int | None = None) -> QuerySet[LegalReviewRule]:
    qs = _listed(LegalReviewRule, actor, body_id)
    return qs.order_by("body_id", "id")


def review_rule_spec(rule: LegalReviewRule) -> r.LegalReviewRuleSpec:
    return r.LegalReviewRuleSpec(
        citation=rule.citation, description=rule.description, item_code=rule.item.code if rule.item_id else None,
        penalty_kinds=frozenset(r.PenaltyKind(k) for k in rule.penalty_kinds),
        threshold_person=rule.threshold_person, threshold_organisation=rule.threshold_organisation,
        requires_hearing=rule.requires_hearing, trigger=r.ReviewTrigger(rule.trigger) if rule.trigger else None,
    )


def needs_legal_review(body_id: int, decision: r.DecisionFacts) -> tuple[bool, list[str]]:
    """Does this decision of ``body_id`` need legal review? APL art.58 plus the body's published
    list (one query). Called by the case workflow before a decision."""
    rules = [review_rule_spec(x) for x in LegalReviewRule.objects.select_related("item").filter(body_id=body_id, is_published=True)]
    return r.needs_legal_review(decision, rules)


def recording_rules(body_id: int | None) -> list[r.RecordingRuleSpec]:
    """The national defaults (3S) plus the general and the body's own catalogue rows."""
    rows = RecordingRule.objects.filter(Q(body__isnull=True) | Q(body_id=body_id)) if body_id else RecordingRule.objects.filter(body__isnull=True)
    return list(r.DEFAULT_RECORDING_RULES) + [r.RecordingRuleSpec(x.act_kind, r.RecordingLevel(x.level), x.citation) for x in rows]


def must_record(body_id: int | None, act_kind: str) -> tuple[r.RecordingLevel, str]:
    """Must this act of ``body_id`` be recorded on video? (level, citation). One query."""
    return r.recording_basis(act_kind, recording_rules(body_id))
