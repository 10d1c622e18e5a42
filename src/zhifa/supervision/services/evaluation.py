"""Evaluation (案卷评查, R31, R43): sheets as versioned data, plans, the verifiable sample,
evaluations with automatic pre-checks, cross-evaluation without conflicts (``EVALUATOR_CONFLICT``).

Streams: ``sheet:<code>`` (drafts and publication), ``evalplan:<id>``, ``sample:<id>`` (commitment,
then the draw with the revealed secret), ``evaluation:<id>`` (assignment, submission).
"""
from __future__ import annotations

import secrets
import tomllib
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404

from zhifa.cases import deadlines
from zhifa.cases.models import Case, Pause
from zhifa.cases.selectors import get_case, policy
from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, NOT_FOUND, Refused, Violation
from zhifa.registry import access
from zhifa.registry import selectors as registry_selectors
from zhifa.registry.models import Body, Jurisdiction, Officer

from .. import inputs, permissions
from ..models import CaseFile, Evaluation, EvaluationPlan, EvaluationSheet, Sample
from ..permissions import actor_name
from ..rules import sampling, scoring
from ..rules.codes import (BASIS_CASE_FILE, BASIS_EVALUATION, CASE_FILE_REQUIRED, EVALUATOR_CONFLICT, REASON_REQUIRED,
                           SHEET_INVALID, SHEET_NOT_PUBLISHED, WRONG_STATE)

DEFAULT_SHEET = Path(__file__).resolve().parent.parent / "evaluation_sheet.toml"

#: The documents a closed case's file must hold, by outcome (normal procedure): the pre-check of
#: ``missing_documents`` (APL arts.54, 57, 59, 61, 64; the document set of legal-rules §F).
REQUIRED_DOCUMENTS = {
    "penalty": ("filing_approval", "investigation_report", "penalty_notice", "penalty_decision", "service_receipt", "closing_approval"),
    "no_penalty": ("filing_approval", "investigation_report", "no_penalty_decision", "closing_approval"),
    "transfer": ("filing_approval", "investigation_report", "crime_transfer_letter", "closing_approval"),
}


def _invalid(message: str, basis: str = BASIS_EVALUATION) -> Refused:
    return Refused([Violation(INVALID_INPUT, message, basis)])


# --- Sheets (评查表) ------------------------------------------------------------------------------

@query
def sheet_rules(sheet: EvaluationSheet) -> scoring.Sheet:
    return scoring.parse_sheet(sheet.content)


@use_case
def load_default_sheet(*, actor: access.Actor | None = None) -> EvaluationSheet:
    """The default sheet shipped with zhifa (``evaluation_sheet.toml``, legal-rules §E, §J),
    published as version 1 of ``default`` the first time; afterwards the version in the database."""
    with transaction.atomic():
        found = EvaluationSheet.objects.filter(code="default", status=EvaluationSheet.Status.PUBLISHED).order_by("-version").first()
        if found is not None:
            return found
        content = tomllib.loads(DEFAULT_SHEET.read_text(encoding="utf-8"))
        scoring.parse_sheet(content)
        version = (EvaluationSheet.objects.filter(code="default").aggregate(m=Max("version"))["m"] or 0) + 1
        sheet = EvaluationSheet.objects.create(code="default", version=version, name=content["name"], content=content,
                                               status=EvaluationSheet.Status.PUBLISHED, published_on=clock.today())
        ledger.append(sheet.stream, "publish", {"label": "发布评查表", "version": version, "sheet_id": sheet.pk,
                                                "sha256": sampling.sha256_hex(ledger.canonical(content)), "source": DEFAULT_SHEET.name},
                      actor=actor, actor_name=actor_name(actor) if actor else "系统")
        return sheet


@use_case
def save_sheet_draft(*, code: str, content: dict, actor: access.Actor, source: str = "") -> EvaluationSheet:
    """Save a draft version of sheet ``code`` (a new version after the published ones; the one
    draft is edited in place). Refuses every problem of the data (``SHEET_INVALID``). ``source``:
    the file it was imported from (``importers.py``), named on the entry."""
    permissions.require_office(actor, "编制评查表")
    try:
        parsed = scoring.parse_sheet({**content, "code": code})
    except scoring.SheetError as exc:
        raise Refused([Violation(SHEET_INVALID, p, BASIS_EVALUATION) for p in exc.problems]) from None
    with transaction.atomic():
        sheets = EvaluationSheet.objects.select_for_update().filter(code=code)
        draft = sheets.filter(status=EvaluationSheet.Status.DRAFT).first()
        if draft is None:
            version = (sheets.aggregate(m=Max("version"))["m"] or 0) + 1
            draft = EvaluationSheet(code=code, version=version)
        draft.name, draft.content = parsed.name or code, {**content, "code": code}
        draft.save()
        ledger.append(draft.stream, "save_draft", {"label": "保存评查表草稿", "version": draft.version, "sheet_id": draft.pk,
                                                   "sha256": sampling.sha256_hex(ledger.canonical(draft.content)),
                                                   **({"source": source} if source else {})},
                      actor=actor, actor_name=actor_name(actor))
        return draft


@use_case
def publish_sheet(sheet_id: int, *, actor: access.Actor) -> EvaluationSheet:
    """Publish a draft: from then on the version never changes (a change is a new version)."""
    permissions.require_office(actor, "发布评查表")
    with transaction.atomic():
        sheet = EvaluationSheet.objects.select_for_update().filter(pk=sheet_id).first()
        if sheet is None:
            raise Http404("没有这个评查表。")
        if sheet.status != EvaluationSheet.Status.DRAFT:
            raise Refused([Violation(WRONG_STATE, "评查表已发布，发布后不得修改；请另存新版本。", BASIS_EVALUATION)])
        sheet.status, sheet.published_on = EvaluationSheet.Status.PUBLISHED, clock.today()
        sheet.save(update_fields=["status", "published_on"])
        ledger.append(sheet.stream, "publish", {"label": "发布评查表", "version": sheet.version, "sheet_id": sheet.pk,
                                                "sha256": sampling.sha256_hex(ledger.canonical(sheet.content))},
                      actor=actor, actor_name=actor_name(actor))
        return sheet


def _published(sheet_id: int) -> EvaluationSheet:
    sheet = EvaluationSheet.objects.filter(pk=sheet_id).first()
    if sheet is None:
        raise Http404("没有这个评查表。")
    if sheet.status != EvaluationSheet.Status.PUBLISHED:
        raise Refused([Violation(SHEET_NOT_PUBLISHED, "只能使用已发布的评查表版本。", BASIS_EVALUATION)])
    return sheet


# --- Plans and samples (评查计划、随机抽取) ---------------------------------------------------------

def _office_jurisdiction(actor: access.Actor, bodies: list[Body]) -> Jurisdiction:
    if actor.jurisdiction_path:
        return Jurisdiction.objects.get(path=actor.jurisdiction_path)
    return bodies[0].jurisdiction  # the administrator: the first body's


@use_case
def create_plan(data: inputs.PlanIn, *, actor: access.Actor) -> EvaluationPlan:
    """An evaluation plan of the supervision office (评查计划): period, bodies in its
    jurisdiction, files per body, the published sheet version, the grade cut-offs."""
    permissions.require_office(actor, "制定案卷评查计划")
    sheet = _published(data.sheet_id)
    bodies = list(access.scope_bodies(actor, Body.objects.filter(pk__in=data.body_ids)).select_related("jurisdiction"))
    found = []
    if len(bodies) != len(set(data.body_ids)):
        found.append(Violation(INVALID_INPUT, "被评查主体应为本监督机构所辖范围内的执法主体。", BASIS_EVALUATION))
    if data.period_end < data.period_start:
        found.append(Violation(INVALID_INPUT, "结案截止日期不能早于起始日期。", BASIS_EVALUATION))
    found += [Violation(INVALID_INPUT, p, BASIS_EVALUATION) for p in scoring.cutoff_problems(data.excellent, data.passing, sheet_rules(sheet).total)]
    if found:
        raise Refused(found)
    with transaction.atomic():
        plan = EvaluationPlan.objects.create(
            name=data.name, jurisdiction=_office_jurisdiction(actor, bodies), sheet=sheet, period_start=data.period_start,
            period_end=data.period_end, files_per_body=data.files_per_body, excellent=data.excellent, passing=data.passing,
            double_blind=data.double_blind, created_by=ledger.user_of(actor), created_on=clock.today())
        plan.bodies.set(bodies)
        ledger.append(plan.stream, "create", {"label": "制定评查计划", "name": plan.name, "sheet_id": sheet.pk, "sheet_version": sheet.version,
                                              "period": [data.period_start, data.period_end], "bodies": sorted(b.pk for b in bodies),
                                              "files_per_body": data.files_per_body, "excellent": data.excellent, "passing": data.passing,
                                              "double_blind": data.double_blind},
                      actor=actor, actor_name=actor_name(actor))
        return plan


@query
def plan_in_scope(plan_id: int, actor: access.Actor) -> EvaluationPlan:
    plan = EvaluationPlan.objects.select_related("sheet", "jurisdiction").filter(pk=plan_id).first()
    if plan is None or not (actor.is_admin or (actor.jurisdiction_path and plan.jurisdiction.path.startswith(actor.jurisdiction_path))):
        raise Http404("没有这个评查计划，或您无权查看。")
    return plan


def _latest_files(plan: EvaluationPlan) -> list[tuple[int, int, str]]:
    """(body, case, binding hash of the latest version) of every bound file in the plan's pool."""
    latest: dict[int, tuple[int, int, str]] = {}
    rows = (CaseFile.objects.filter(case__body__in=plan.bodies.all(), case__closed_on__gte=plan.period_start,
                                    case__closed_on__lte=plan.period_end)
            .order_by("case_id", "version").values_list("case__body_id", "case_id", "binding_sha256"))
    for body, case, digest in rows:
        latest[case] = (body, case, digest)
    return list(latest.values())


@use_case
def commit_sample(plan_id: int, *, actor: access.Actor) -> Sample:
    """Freeze the pool of the plan's bound files and commit to a secret (抽取名单冻结)."""
    permissions.require_office(actor, "抽取案卷")
    with transaction.atomic():
        plan = plan_in_scope(plan_id, actor)
        EvaluationPlan.objects.select_for_update().filter(pk=plan.pk).first()
        if plan.samples.filter(state=Sample.State.COMMITTED).exists():
            raise Refused([Violation(WRONG_STATE, "本计划已有冻结待抽取的名单，请先完成抽取。", BASIS_CASE_FILE)])
        files = _latest_files(plan)
        if not files:
            raise Refused([Violation(INVALID_INPUT, "本计划范围内没有已装订的结案案卷。", BASIS_CASE_FILE)])
        pool = sampling.pool_document(str(plan.pk), plan.files_per_body, files)
        secret = secrets.token_hex(32)
        sample = Sample.objects.create(plan=plan, pool=pool, pool_sha256=sampling.sha256_hex(pool), commitment=sampling.commitment_of(secret),
                                       secret=secret, size=plan.files_per_body * plan.bodies.count(), committed_at=clock.now())
        ledger.append(sample.stream, "commit", {"label": "冻结抽取名单", "plan_id": plan.pk, "pool_sha256": sample.pool_sha256,
                                                "files": len(files), "commitment": sample.commitment},
                      actor=actor, actor_name=actor_name(actor))
        return sample


@use_case
def draw_sample(sample_id: int, *, witness: str, actor: access.Actor) -> Sample:
    """Draw (抽取): the witness value, the secret revealed, the seed and the files drawn per body."""
    permissions.require_office(actor, "抽取案卷")
    with transaction.atomic():
        sample = Sample.objects.select_for_update().select_related("plan__jurisdiction").filter(pk=sample_id).first()
        if sample is None:
            raise Http404("没有这个抽取。")
        plan_in_scope(sample.plan_id, actor)
        if sample.state != Sample.State.COMMITTED:
            raise Refused([Violation(WRONG_STATE, "本次抽取已经完成，结果不能改变。", BASIS_CASE_FILE)])
        seed, drawn = sampling.draw(sample.pool, sample.secret, witness.strip())
        sample.witness, sample.seed, sample.drawn = witness.strip(), seed, [{"body_id": b, "case_id": c} for b, c in drawn]
        sample.state, sample.drawn_at = Sample.State.DRAWN, clock.now()
        sample.save(update_fields=["witness", "seed", "drawn", "state", "drawn_at"])
        ledger.append(sample.stream, "draw", {"label": "抽取案卷", "witness": sample.witness, "secret": sample.secret, "seed": seed,
                                              "drawn": sample.drawn}, actor=actor, actor_name=actor_name(actor))
        return sample


# --- Evaluations (评查) ----------------------------------------------------------------------------

@query
def conflicts(evaluator, case: Case) -> list[Violation]:
    """Nobody evaluates their own body's files or cases they handled (legal-rules §J)."""
    found = []
    officer = Officer.objects.filter(user=evaluator).first()
    if officer is not None and officer.body_id == case.body_id:
        found.append(Violation(EVALUATOR_CONFLICT, "评查人不得评查本单位的案卷。", BASIS_EVALUATION))
    if officer is not None and case.officers.filter(pk=officer.pk).exists():
        found.append(Violation(EVALUATOR_CONFLICT, "评查人不得评查本人承办的案件。", BASIS_EVALUATION))
    elif ledger.RecordEntry.objects.filter(stream=case.stream, actor_id=evaluator.pk).exists():
        found.append(Violation(EVALUATOR_CONFLICT, "评查人参与办理过该案件，不得评查。", BASIS_EVALUATION))
    return found


def _late(case: Case) -> bool:
    """The decision after the APL art.60 period (pauses and extensions counted)."""
    if not (case.filed_on and case.decided_on):
        return False
    pauses = [deadlines.Interval(a, b) for a, b in Pause.objects.filter(case_id=case.pk).values_list("start", "end")]
    due = deadlines.decision_due(workdays.schedule(), case.filed_on, pauses, case.extension_days, case.decided_on, policy())
    return case.decided_on > due.date


@query
def prechecks(case: Case, cf: CaseFile, sheet: scoring.Sheet) -> dict:
    """What the data already knows (自动预检), for the sheet's items and vetoes that name a check:
    ``{code: {"suggested": failed (veto) or deduction (item, text), "why": …}}``."""
    officer_ids = list(case.officers.values_list("pk", flat=True))
    officer_problems = (registry_selectors.check_officers_may_act(officer_ids, case.filed_on or case.closed_on)
                        if officer_ids else ["none"])
    bound = {e["kind"] for e in cf.contents}
    missing = [k for k in REQUIRED_DOCUMENTS.get(case.outcome, ()) if k not in bound] if case.procedure == "normal" else []
    late = _late(case)
    facts = {
        "two_officers": (bool(officer_problems), "；".join(getattr(v, "message", "没有承办人员") for v in officer_problems)),
        "uncertified": (bool(officer_problems), "；".join(getattr(v, "message", "没有承办人员") for v in officer_problems)),
        "missing_documents": (len(missing), "缺少：" + "、".join(missing) if missing else ""),
        "late_steps": (int(late), "处罚决定超过法定办案期限" if late else ""),
    }
    found = {}
    for veto in sheet.vetoes:
        if veto.check:
            failed, why = facts[veto.check]
            found[veto.code] = {"suggested": bool(failed), "why": why}
    for item in sheet.items:
        if item.check:
            count, why = facts[item.check]
            found[item.code] = {"suggested": str(min(item.points, item.deduction * int(count))), "why": why}
    return found


@use_case
def assign_evaluation(data: inputs.EvaluationIn, *, actor: access.Actor) -> Evaluation:
    """An evaluation of the case's latest bound file: the office names an evaluator (nobody of the
    file's body, nobody who handled the case: ``EVALUATOR_CONFLICT``); a body's head starts the
    body's self-evaluation (自评). The automatic pre-checks are filled in."""
    case = get_case(data.case_id, actor)
    cf = CaseFile.objects.filter(case=case).order_by("-version").first()
    if cf is None:
        raise Refused([Violation(CASE_FILE_REQUIRED, "该案件的案卷尚未装订，不能评查。", BASIS_CASE_FILE)])
    plan = plan_in_scope(data.plan_id, actor) if data.plan_id else None
    if data.kind == "self":
        if not permissions.is_body_head(actor, case.body_id):
            raise PermissionDenied("本单位自评由主体负责人组织。")
        evaluator = ledger.user_of(actor)
        found = []
    else:
        permissions.require_office(actor, "指派评查人")
        evaluator = get_user_model().objects.filter(pk=data.evaluator_id, is_active=True).first() if data.evaluator_id else None
        if evaluator is None:
            raise _invalid("请指定评查人。")
        found = conflicts(evaluator, case)
        if plan is not None and plan.double_blind and hasattr(evaluator, "supervision_post"):
            found.append(Violation(INVALID_INPUT, "双盲评查的评查人应为其他执法主体的执法人员（监督机构人员可查阅全部案卷，无法做到双盲）。",
                                   BASIS_EVALUATION))
        if plan is not None and not any(case.pk == d["case_id"] for s in plan.samples.filter(state=Sample.State.DRAWN) for d in s.drawn):
            found.append(Violation(INVALID_INPUT, "该案卷不在本计划的抽取结果中。", BASIS_CASE_FILE))
    sheet = plan.sheet if plan is not None else (_published(data.sheet_id) if data.sheet_id else load_default_sheet(actor=actor))
    if found:
        raise Refused(found)
    with transaction.atomic():
        ev = Evaluation.objects.create(
            case_file=cf, body=case.body, sheet=sheet, plan=plan, kind=data.kind, evaluator=evaluator,
            evaluator_name=(Officer.objects.filter(user=evaluator).values_list("name", flat=True).first()
                            or evaluator.get_full_name() or evaluator.get_username()),
            prechecks=prechecks(case, cf, sheet_rules(sheet)), created_on=clock.today())
        ledger.append(ev.stream, "assign", {"label": "自评" if data.kind == "self" else "指派评查", "case_id": case.pk,
                                            "case_file_version": cf.version, "binding_sha256": cf.binding_sha256,
                                            "sheet_id": sheet.pk, "plan_id": plan.pk if plan else None, "evaluator_id": evaluator.pk,
                                            "prechecks": ev.prechecks}, actor=actor, actor_name=actor_name(actor))
        return ev


@use_case
def submit_evaluation(evaluation_id: int, marks: inputs.MarksIn, *, actor: access.Actor) -> Evaluation:
    """The evaluator's findings: vetoes, deductions with comments (a value unlike the pre-check's
    needs a reason), the score and grade (``rules.scoring``)."""
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update(of=("self",)).select_related("sheet", "plan").filter(pk=evaluation_id).first()
        if ev is None or ev.evaluator_id != getattr(ledger.user_of(actor), "pk", None):
            raise Http404("没有这项评查，或您不是评查人。")
        if ev.state != Evaluation.State.ASSIGNED:
            raise Refused([Violation(WRONG_STATE, "评查已提交，不能再改。", BASIS_EVALUATION)])
        sheet = sheet_rules(ev.sheet)
        found = [Violation(INVALID_INPUT, f"评查表没有否决项 {c}。", BASIS_EVALUATION) for c in marks.vetoes if sheet.veto(c) is None]
        found += [Violation(INVALID_INPUT, f"评查表没有评查项 {c}。", BASIS_EVALUATION) for c in marks.items if sheet.item(c) is None]
        found += [Violation(INVALID_INPUT, f"评查项 {c} 扣分（{m.deduction}）超过该项分值（{sheet.item(c).points}）。", BASIS_EVALUATION)
                  for c, m in marks.items.items() if sheet.item(c) is not None and m.deduction > sheet.item(c).points]
        suggested = {c: (p["suggested"] if sheet.veto(c) else Decimal(p["suggested"])) for c, p in ev.prechecks.items()}
        given = {**{c: m.failed for c, m in marks.vetoes.items()}, **{c: m.deduction for c, m in marks.items.items()}}
        reasons = {**{c: m.reason for c, m in marks.vetoes.items()}, **{c: m.reason for c, m in marks.items.items()}}
        for code in scoring.override_problems(suggested, given, reasons):
            found.append(Violation(REASON_REQUIRED, f"{code} 与自动预检结果不同，须说明理由。", BASIS_EVALUATION))
        if found:
            raise Refused(found)
        failed = {c for c in (v.code for v in sheet.vetoes) if given.get(c, suggested.get(c, False))}
        deductions = {i.code: Decimal(given.get(i.code, suggested.get(i.code, 0))) for i in sheet.items}
        excellent, passing = (ev.plan.excellent, ev.plan.passing) if ev.plan else (sheet.excellent, sheet.passing)
        result = scoring.score(sheet, failed, deductions, excellent=excellent, passing=passing)
        ev.vetoes = {v.code: {"failed": v.code in failed, "comment": marks.vetoes[v.code].comment if v.code in marks.vetoes else "",
                              "reason": reasons.get(v.code, "")} for v in sheet.vetoes}
        ev.items = {i.code: {"deduction": str(result.deducted[i.code]), "score": str(result.item_scores[i.code]),
                             "comment": marks.items[i.code].comment if i.code in marks.items else "", "reason": reasons.get(i.code, "")}
                    for i in sheet.items}
        ev.score, ev.grade, ev.comments = result.score, result.grade, marks.comments
        ev.state, ev.submitted_on = Evaluation.State.SUBMITTED, clock.today()
        ev.save()
        ledger.append(ev.stream, "submit", {"label": "提交评查结果", "score": result.score, "grade": result.grade,
                                            "vetoed": list(result.vetoed), "deducted": {k: v for k, v in result.deducted.items() if v}},
                      actor=actor, actor_name=actor_name(actor))
        return ev


@use_case
def import_sheet_file(data: bytes, filename: str, *, code: str, dry_run: bool = False, actor: access.Actor):
    """Import a spreadsheet as the draft of sheet ``code`` (``importers.py``): all or nothing,
    every bad row in the ``ImportResult``; a real run is recorded once on ``import:evaluation_sheet``."""
    from zhifa.core.importing import run_import

    from ..importers import KIND

    permissions.require_office(actor, "导入评查表")
    return run_import(KIND, data, filename, dry_run=dry_run, actor=actor, options={"code": code})


@use_case
def publish_plan_results(plan_id: int, *, actor: access.Actor) -> EvaluationPlan:
    """公布评查结果: from then on the evaluated bodies see who evaluated their files (double-blind
    plans) — once, when every assigned evaluation is submitted."""
    permissions.require_office(actor, "公布评查结果")
    with transaction.atomic():
        plan = plan_in_scope(plan_id, actor)
        plan = EvaluationPlan.objects.select_for_update().get(pk=plan.pk)
        found = []
        if plan.results_published_on is not None:
            found.append(Violation(WRONG_STATE, "本计划的评查结果已经公布。", BASIS_EVALUATION))
        pending = plan.evaluations.filter(state=Evaluation.State.ASSIGNED).count()
        if pending:
            found.append(Violation(WRONG_STATE, f"尚有 {pending} 份案卷未提交评查结果，不能公布。", BASIS_EVALUATION))
        if found:
            raise Refused(found)
        plan.results_published_on = clock.today()
        plan.save(update_fields=["results_published_on"])
        ledger.append(plan.stream, "publish_results", {"label": "公布评查结果", "on": plan.results_published_on,
                                                       "evaluations": plan.evaluations.count()}, actor=actor, actor_name=actor_name(actor))
        return plan
