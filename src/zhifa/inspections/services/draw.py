"""The draw (抽取, R28): commit (冻结名单 and 公布承诺), reveal (见证值, 公开种子), verify; what the
public sees of a draw; the daily register snapshot. The SQL, numpy and byte layouts are in
``inspections.engine``; here are the use cases, their checks and their records (``draw:<id>``:
one entry per act, never one per drawn inspection)."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import Refused, Violation
from zhifa.registry import access

from .. import bulk, rules
from ..engine import snapshot as snapshots
from ..engine.frozen import freeze
from ..engine.store import store_frozen_list, write_exclusions, write_result
from ..models import Draw, FrozenList, Inspection, RegisterSnapshot, Task
from ..permissions import require_manage
from ..selectors import stored_result_document


def _stream(draw: Draw) -> str:
    return f"draw:{draw.pk}"


@use_case
@bulk.gc_paused()
@transaction.atomic
def commit_draw(*, task_id: int, scheduled_at: dt.datetime | None = None, actor: access.Actor) -> Draw:
    """Freeze the candidate list, publish its digest, a commitment to a secret seed and the time
    of the draw (公布承诺). A task is drawn once: a second commitment is refused."""
    # before the task is locked: a transaction that has written nothing may read on two connections
    parallel = bulk.snapshot_shareable()
    task = Task.objects.select_for_update().select_related("plan").filter(pk=task_id).first()
    if task is None:
        raise Http404
    require_manage(actor, task.plan.body_id)
    if Draw.objects.filter(task=task).exists():
        raise Refused([Violation(rules.DRAW_EXISTS, "该任务已组织过抽取，不得重复抽取", rules.BASIS_DOUBLE_RANDOM)])
    now = clock.now()
    today = now.date()
    scheduled = scheduled_at or now
    draw_on = (scheduled if scheduled.tzinfo is None else scheduled.astimezone(clock.SHANGHAI)).date()
    frozen = freeze(task, today, parallel, draw_on=max(draw_on, today))
    found = rules.sample_violations(frozen.candidate_count, frozen.sample)
    if frozen.per_entity < 2:
        found.append(Violation(rules.TWO_INSPECTORS_REQUIRED, "每户检查对象至少选派 2 名执法检查人员", rules.BASIS_DOUBLE_RANDOM))
    elif frozen.inspector_count < frozen.per_entity:
        found.append(Violation(rules.INSPECTORS_INSUFFICIENT, f"执法检查人员名录中持有效执法证、可参加抽取的人员只有 {frozen.inspector_count} 名，少于每户 {frozen.per_entity} 名", rules.BASIS_DOUBLE_RANDOM))
    if found:
        raise Refused(found)
    secret = secrets.token_hex(32)
    draw = Draw.objects.create(
        task=task, algorithm=rules.ALGORITHM, committed_at=now, scheduled_at=scheduled_at or now,
        document_digest=rules.sha256_hex(frozen.document),
        candidate_count=frozen.candidate_count, excluded_count=len(frozen.exclusions), inspector_count=frozen.inspector_count,
        sample=frozen.sample, commitment=rules.commitment_of(secret), secret=secret,
    )
    store_frozen_list(draw, frozen)
    write_exclusions(draw, frozen.exclusions)
    ledger.append(_stream(draw), "commit", {
        "task": task.pk, "algorithm": rules.ALGORITHM, "document_digest": draw.document_digest,
        "commitment": draw.commitment, "scheduled_at": draw.scheduled_at.isoformat(),
        "candidates": draw.candidate_count, "excluded": draw.excluded_count, "inspectors": draw.inspector_count,
        "sample": draw.sample,
    }, actor=actor)
    return draw


def _reveal_violations(draw: Draw, witness: str, now: dt.datetime) -> list[Violation]:
    """Every reason the draw cannot be revealed now with this witness value (all at once)."""
    found = []
    if draw.is_revealed:
        found.append(Violation(rules.DRAW_ALREADY_REVEALED, "该抽取已完成并公开种子，不得重新抽取", rules.BASIS_DOUBLE_RANDOM))
    elif draw.is_refused:
        found.append(Violation(rules.DRAW_ALREADY_REVEALED, "该抽取已因无法完成而被拒绝并公开种子，不得以其他见证值重新抽取；请另行编制抽查任务", rules.BASIS_DOUBLE_RANDOM))
    if not witness:
        found.append(Violation(rules.WITNESS_REQUIRED, "请由见证人现场输入见证值（任意数字或文字）"))
    elif len(witness) > 100 or "\n" in witness or "\x00" in witness:
        found.append(Violation(rules.WITNESS_REQUIRED, "见证值不超过 100 个字符，且不得换行"))
    if now < draw.scheduled_at:
        found.append(Violation(rules.DRAW_TOO_EARLY, f"未到公布的抽取时间（{draw.scheduled_at.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}）"))
    return found


@use_case
@bulk.gc_paused()
def reveal_draw(*, draw_id: int, witness: str, witness_name: str = "", actor: access.Actor) -> Draw:
    """Run the draw: mix the secret with the witness value, select entities and inspectors, write
    the inspections and reveal the seed (公开种子). Once revealed a draw can never be redone.

    A draw the seed makes impossible (an entity drawn for which too few inspectors remain after
    recusal) is refused — and the refusal is recorded with the witness value and the seed, and the
    draw frozen: otherwise an operator could retry with other witness values until a result
    pleased them. The body plans a new task instead."""
    refused: list[Violation] = []
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task", "task__plan").filter(pk=draw_id).first()
        if draw is None:
            raise Http404
        require_manage(actor, draw.task.plan.body_id)
        witness = (witness or "").strip()
        now = clock.now()
        found = _reveal_violations(draw, witness, now)
        if found:
            raise Refused(found)
        document, ids = FrozenList.read_both(draw.pk)
        if rules.sha256_hex(document) != draw.document_digest:  # the stored list (or its snapshot) altered since the commitment
            raise Refused([Violation(rules.FROZEN_LIST_ALTERED, "冻结名单与公布承诺时的摘要不符，不得抽取；请核查数据库是否被改动",
                                     rules.BASIS_DOUBLE_RANDOM)])
        seed = rules.final_seed(draw.document_digest, draw.secret, witness)
        result = rules.draw_document(document, seed)
        draw.witness, draw.witness_name, draw.seed, draw.revealed_at = witness, witness_name.strip()[:60], seed, now
        if result.violations:
            refused = result.violations
            draw.status = Draw.Status.REFUSED
            draw.refusal = "\n".join(f"{v.code}：{v.message}" for v in refused)
        else:
            write_result(draw, result, ids, now.date())
            draw.status = Draw.Status.REVEALED
            draw.result_digest = result.digest
        draw.save(update_fields=["status", "witness", "witness_name", "seed", "result_digest", "revealed_at", "refusal"])
        ledger.append(_stream(draw), "refuse" if refused else "reveal", {
            "task": draw.task_id, "witness": witness, "witness_name": draw.witness_name, "secret": draw.secret,
            "seed": seed, "result_digest": draw.result_digest, "drawn": len(result.assignments),
            **({"violations": [v.code for v in refused]} if refused else {}),
        }, actor=actor)
    if refused:
        raise Refused(refused)
    return draw


@dataclass
class Verification:
    """What ``verify_draw`` found: ``ok`` and one Chinese line per check."""

    ok: bool
    checks: list[tuple[str, bool]]
    result: rules.DrawResult | None = None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checks": [{"check": text, "ok": ok} for text, ok in self.checks]}


@query
def verify_draw(draw: Draw) -> Verification:
    """Recompute a draw from its published data (frozen list, secret, witness) with the same
    pure function as the reveal (``rules.draw_document``) and say whether it matches what was
    published and what is stored — for a refused draw, that the seed indeed made it impossible."""
    checks: list[tuple[str, bool]] = []
    document = draw.document_bytes()
    checks.append(("冻结名单与事先公布的摘要一致", rules.sha256_hex(document) == draw.document_digest))
    if not draw.is_drawn:
        checks.append(("抽取尚未进行，种子尚未公开", False))
        return Verification(False, checks)
    checks.append(("公开的秘密种子与事先公布的承诺一致", rules.commitment_of(draw.secret) == draw.commitment))
    seed = rules.final_seed(draw.document_digest, draw.secret, draw.witness)
    checks.append(("由冻结名单摘要、秘密种子和见证值重算的最终种子一致", seed == draw.seed))
    result = rules.draw_document(document, seed)
    if draw.is_refused:
        recorded = "\n".join(f"{v.code}：{v.message}" for v in result.violations)
        checks.append(("重算同样无法完成抽取，拒绝原因与记录一致", bool(result.violations) and recorded == draw.refusal))
        checks.append(("被拒绝的抽取没有写入任何检查", not Inspection.objects.filter(draw=draw).exists()))
    else:
        checks.append(("重新抽取的结果与公布的结果摘要一致", not result.violations and result.digest == draw.result_digest))
        checks.append(("数据库中的检查对象和检查人员与重算结果一致", stored_result_document(draw) == result.document()))
    chain_broken = ledger.verify(_stream(draw))
    checks.append(("抽取全过程记录的摘要链完整", chain_broken is None))
    return Verification(all(ok for _, ok in checks), checks, result)


@use_case(derived=True)
def refresh_register_snapshot() -> str:
    """Daily (``zhifa sweep``, ``ZHIFA["SWEEP_TASKS"]``): store the snapshot of the register as it
    now is if it changed since the last one (an import, an edit), so that the next draw of the whole
    register need not read it. The line the sweep prints; nothing off PostgreSQL."""
    with transaction.atomic():
        before = RegisterSnapshot.objects.order_by("-pk").values_list("pk", flat=True).first()
        snapshot = snapshots.register_snapshot(bulk.snapshot_shareable())
    if snapshot is None:
        return ""
    state = "无变化" if snapshot.pk == before else "已更新"
    return f"检查对象名录快照：{state}（版本 {snapshots.register_version()}，{snapshot.count} 户）。"
