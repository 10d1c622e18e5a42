"""The annual assessment (年度执法考核, R36): compute and store a snapshot, enter manual items,
read the snapshot in the actor's scope.

Computation (``compute_assessment``) reads each component of ``assessment.toml`` through its
function (one aggregate query per component, whatever the number of bodies), adds the manual
items, ranks, compares with last year's snapshot of the same scope, and stores the result with
the hash of every input and of the results; the record ``assessment:<year>`` keeps both hashes.
Recomputing over unchanged data gives the same hashes and figures (reproducible); a change of
data or of the configuration's version gives a new snapshot, the old ones stay readable.

Who: the supervision office computes and enters manual items for the bodies of its jurisdiction
(the administrator for all); the office reads its jurisdiction, a body's head reads its own line.
"""
from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.module_loading import import_string

from zhifa.core import clock, ledger
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access
from zhifa.registry.access import Role
from zhifa.registry.models import Body, Jurisdiction

from . import permissions
from .assessment_inputs import ManualItemIn
from .models_assessment import AssessmentScore, AssessmentSnapshot, ManualAssessmentItem
from .rules import assessment as rules

CONFIG_FILE = Path(__file__).resolve().parent / "assessment.toml"
BASIS = "《中华人民共和国行政处罚法》第七十五条"


@query
def load_config() -> rules.Config:
    """The configuration in force (versioned data, validated by ``rules.parse_config``): the
    shipped ``assessment.toml``, or the file named by ``settings.ZHIFA["ASSESSMENT_CONFIG"]``
    where a place sets its own weights."""
    return _parse(str(settings.ZHIFA.get("ASSESSMENT_CONFIG") or CONFIG_FILE))


@lru_cache(maxsize=4)
def _parse(path: str) -> rules.Config:
    return rules.parse_config(tomllib.loads(Path(path).read_text(encoding="utf-8")))


def component_function(component: rules.Component):
    return import_string(component.function.replace(":", "."))


def rows_function(component: rules.Component):
    return import_string(component.rows.replace(":", ".")) if component.rows else None


# --- Who ------------------------------------------------------------------------------------------

def may_read(actor: access.Actor) -> bool:
    """The office and the administrator (their scope), a body's head (its own body)."""
    return permissions.is_office(actor) or (actor.has(Role.HEAD) and actor.body_id is not None)


def require_read(actor: access.Actor) -> None:
    if not may_read(actor):
        raise PermissionDenied("只有执法监督机构和主体负责人可以查看年度考核。")


def _scope_jurisdiction(actor: access.Actor) -> Jurisdiction | None:
    if actor.is_admin:
        return None
    return Jurisdiction.objects.filter(path=actor.jurisdiction_path).first()


# --- Compute --------------------------------------------------------------------------------------

def _inputs(year: int, config: rules.Config, bodies: list[dict]) -> tuple[dict, dict, dict]:
    """(component values, manual points, the canonical inputs for the hash)."""
    ids = [b["id"] for b in bodies]
    values: dict[str, dict] = {}
    for c in config.components:
        values[c.code] = component_function(c)(year, ids, **c.kwargs)
    manual: dict[int, list[Decimal]] = {}
    manual_rows = list(ManualAssessmentItem.objects.filter(year=year, body_id__in=ids).order_by("id")
                       .values_list("id", "body_id", "points"))
    for _, body_id, pts in manual_rows:
        manual.setdefault(body_id, []).append(pts)
    canonical = {
        "year": year,
        "config": config.as_dict(),
        "bodies": [b["code"] for b in bodies],
        "values": {code: {str(b): (None if v.value is None else str(v.value)) for b, v in sorted(per.items())}
                   for code, per in values.items()},
        "manual": [[i, b, str(p)] for i, b, p in manual_rows],
    }
    return values, manual, canonical


def _previous(year: int, jurisdiction: Jurisdiction | None) -> dict[int, tuple[Decimal, int]]:
    last = (AssessmentSnapshot.objects.filter(year=year - 1, jurisdiction=jurisdiction).order_by("-computed_at", "-id").first())
    if last is None:
        return {}
    return {b: (t, r) for b, t, r in last.scores.values_list("body_id", "total", "rank")}


@use_case
def compute_assessment(year: int, *, actor: access.Actor) -> AssessmentSnapshot:
    """Compute and store the year's assessment of the bodies in the office's jurisdiction."""
    permissions.require_office(actor, "计算年度考核")
    today = clock.today()
    if not 2000 <= year <= today.year:
        raise Refused([Violation(INVALID_INPUT, f"考核年度应在 2000 年至 {today.year} 年之间。", BASIS)])
    config = load_config()
    jurisdiction = _scope_jurisdiction(actor)
    bodies = list(access.scope_bodies(actor, Body.objects.all()).order_by("code").values("id", "code"))
    values, manual, canonical = _inputs(year, config, bodies)
    scores = []
    for b in bodies:
        per = {code: (v[b["id"]].value, v[b["id"]].detail_url) for code, v in values.items() if b["id"] in v}
        scores.append(rules.score_body(config, b["id"], b["code"], per, manual.get(b["id"], [])))
    ranked = rules.rank(scores)
    previous = _previous(year, jurisdiction)
    results = [{"body": s.code, "total": str(s.total), "rank": s.rank, "manual": str(s.manual), "components": s.components}
               for s in ranked]
    with transaction.atomic():
        snapshot = AssessmentSnapshot.objects.create(
            year=year, jurisdiction=jurisdiction, config_version=config.version, config=config.as_dict(),
            inputs_sha256=rules.digest(canonical), results_sha256=rules.digest(results), computed_at=clock.now(),
            computed_by=ledger.user_of(actor), body_count=len(ranked))
        AssessmentScore.objects.bulk_create([
            AssessmentScore(snapshot=snapshot, body_id=s.body_id, components=s.components, manual=s.manual, total=s.total,
                            rank=s.rank, previous_total=previous.get(s.body_id, (None, None))[0],
                            previous_rank=previous.get(s.body_id, (None, None))[1]) for s in ranked])
        ledger.append(snapshot.stream, "compute_assessment", {
            "label": "计算年度考核", "snapshot_id": snapshot.pk, "year": year,
            "jurisdiction": jurisdiction.path if jurisdiction else "", "config_version": config.version,
            "inputs_sha256": snapshot.inputs_sha256, "results_sha256": snapshot.results_sha256, "bodies": len(ranked),
            "basis": BASIS}, actor=actor, actor_name=permissions.actor_name(actor))
    return snapshot


@use_case
def add_manual_item(data: ManualItemIn, *, actor: access.Actor) -> ManualAssessmentItem:
    """A manual item (人工加减分) for a body of the office's jurisdiction, with its reason."""
    permissions.require_office(actor, "录入人工考核项")
    today = clock.today()
    problems = []
    body = access.scope_bodies(actor, Body.objects.all()).filter(pk=data.body_id).first()
    if body is None:
        problems.append(Violation(INVALID_INPUT, "主体应在本监督机构所辖范围内。", BASIS))
    if data.year > today.year:
        problems.append(Violation(INVALID_INPUT, "考核年度不得晚于本年度。", BASIS))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        item = ManualAssessmentItem.objects.create(body=body, year=data.year, title=data.title, points=data.points,
                                                   reason=data.reason, evidence=data.evidence or "", entered_on=today,
                                                   entered_by=ledger.user_of(actor), entered_by_name=permissions.actor_name(actor))
        ledger.append(item.stream, "add_manual_item", {
            "label": "录入人工考核项", "body": body.code, "year": data.year, "title": data.title, "points": str(data.points),
            "reason": data.reason, "evidence": data.evidence or "", "basis": BASIS}, actor=actor,
            actor_name=permissions.actor_name(actor))
    return item


# --- Read -----------------------------------------------------------------------------------------

@query
def latest_snapshot(actor: access.Actor, year: int) -> AssessmentSnapshot | None:
    """The newest snapshot of ``year`` whose scope covers what the actor may read: the office's
    own jurisdiction or an enclosing one; for a head, one covering the body's jurisdiction."""
    require_read(actor)
    snapshots = list(AssessmentSnapshot.objects.filter(year=year).select_related("jurisdiction")
                     .order_by("-computed_at", "-id")[:50])
    if actor.is_admin:
        return next((s for s in snapshots if s.jurisdiction is None), snapshots[0] if snapshots else None)
    paths = [actor.jurisdiction_path] if actor.jurisdiction_path else []
    if actor.body_id is not None:
        paths.append(Body.objects.filter(pk=actor.body_id).values_list("jurisdiction__path", flat=True).first() or "")
    for s in snapshots:
        if s.jurisdiction is None or any(p and p.startswith(s.jurisdiction.path) for p in paths):
            return s
    return None


@query
def scores(actor: access.Actor, snapshot: AssessmentSnapshot):
    """The snapshot's lines the actor may read (office: its jurisdiction; head: its body), by rank."""
    require_read(actor)
    qs = AssessmentScore.objects.filter(snapshot=snapshot).select_related("body")
    if permissions.is_office(actor):
        qs = access.scope(actor, qs, "body")
    else:
        qs = qs.filter(body_id=actor.body_id)
    return qs.order_by("rank", "body__code", "id")


@query
def manual_items(actor: access.Actor, year: int):
    require_read(actor)
    qs = ManualAssessmentItem.objects.filter(year=year).select_related("body")
    qs = access.scope(actor, qs, "body") if permissions.is_office(actor) else qs.filter(body_id=actor.body_id)
    return qs.order_by("-id")


@query
def detail_rows(actor: access.Actor, year: int, body_id: int, code: str):
    """The rows behind one component's figure for one body (the drill-down), in the actor's scope."""
    require_read(actor)
    if not 2000 <= year <= 2100:
        raise Http404("没有这个考核年度。")
    if not (permissions.is_office(actor) and access.scope_bodies(actor, Body.objects.filter(pk=body_id)).exists()
            or actor.body_id == body_id):
        raise PermissionDenied("只能查看本主体或者所辖主体的考核明细。")
    component = next((c for c in load_config().components if c.code == code), None)
    rows = rows_function(component) if component else None
    if rows is None:
        raise Http404("没有这项考核指标的明细。")
    return component, rows(year, body_id)
