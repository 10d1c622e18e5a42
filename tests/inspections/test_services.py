"""Plans, tasks, the draw and results at the service layer (R26–R30)."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zhifa.core import clock, ledger
from zhifa.core.violations import Refused
from zhifa.inspections import public, rules, services
from zhifa.inspections.models import (ConflictDeclaration, Draw, Entity, FrozenList, Inspection, Plan, Task,
                                      entity_ids_at)
from zhifa.registry.models import Officer

from .conftest import TODAY, credit_code, make_entities
from .drawing import answers_for

pytestmark = pytest.mark.usefixtures("frozen_clock")


def make_task(world, head, item, **overrides) -> Task:
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="2026年度双随机抽查计划", actor=head)
    data = services.TaskInput(
        title="餐饮服务单位抽查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk],
        ratio_percent=Decimal("10"),
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return services.create_task(plan_id=plan.pk, data=data, actor=head)


def test_r28_commit_reveal_and_verify(world, head, item):
    make_entities(50)
    task = make_task(world, head, item)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    assert draw.status == Draw.Status.COMMITTED
    assert draw.candidate_count == 50 and draw.sample == 5
    assert draw.commitment == rules.commitment_of(draw.secret)
    draw = services.reveal_draw(draw_id=draw.pk, witness="83125", witness_name="人大代表张三", actor=head)
    assert draw.is_revealed and draw.seed
    inspections = list(Inspection.objects.filter(draw=draw))
    assert len(inspections) == 5
    assert all(len(set(i.inspector_ids)) == 2 for i in inspections)
    check = services.verify_draw(draw)
    assert check.ok, check.checks
    assert [e.action for e in ledger.RecordEntry.objects.filter(stream=f"draw:{draw.pk}")] == ["commit", "reveal"]


def test_r28_inspections_written_for_the_entities_of_the_frozen_list(world, head, item):
    """The reveal writes the drawn inspections from the entity ids kept beside the frozen list:
    each inspection is of the entity the published result names, at its rank."""
    make_entities(40)
    draw = services.commit_draw(task_id=make_task(world, head, item).pk, actor=head)
    ids = FrozenList.read_both(draw.pk)[1]
    codes = [line.split(",")[0] for line in draw.document_text().split("\n")[5:5 + draw.candidate_count]]
    assert [Entity.objects.get(pk=pk).credit_code for pk in entity_ids_at(ids, range(draw.candidate_count))] == codes
    draw = services.reveal_draw(draw_id=draw.pk, witness="7", actor=head)
    result = services.verify_draw(draw).result
    stored = list(Inspection.objects.filter(draw=draw).order_by("rank").values_list("rank", "entity__credit_code", "inspector_ids"))
    assert stored == [(rank, code, [int(o) for o in officers]) for rank, (code, officers) in enumerate(result.assignments, 1)]


def test_r28_list_without_the_ids_of_its_entities_refuses_the_reveal_whole(world, head, item):
    """A list frozen before the ids were kept, one of whose entities was gone when they were
    filled in (id 0): the reveal is refused, nothing is written, the draw stays committed."""
    make_entities(20)
    draw = services.commit_draw(task_id=make_task(world, head, item).pk, actor=head)
    FrozenList.objects.filter(draw=draw).update(document=draw.document_bytes(), candidate_ids=bytes(8 * draw.candidate_count),
                                                snapshot=None, gone=b"", weight=0)  # the bytes themselves, as before snapshots
    with pytest.raises(Refused) as exc:
        services.reveal_draw(draw_id=draw.pk, witness="1", actor=head)
    assert exc.value.violations[0].code == "ENTITY_MISSING"
    draw.refresh_from_db()
    assert draw.status == Draw.Status.COMMITTED and not draw.seed
    assert not Inspection.objects.filter(draw=draw).exists()


def test_r28_a_frozen_list_altered_after_the_commitment_is_never_drawn(world, head, item):
    """The reveal draws only from the very list whose digest was published: a stored list (or the
    snapshot it refers to) changed since — one weight raised — is refused, nothing is written."""
    make_entities(30)
    draw = services.commit_draw(task_id=make_task(world, head, item).pk, actor=head)
    altered = draw.document_bytes().replace(b",1\n", b",9\n", 1)
    FrozenList.objects.filter(draw=draw).update(document=altered, snapshot=None, gone=b"", weight=0)
    with pytest.raises(Refused) as exc:
        services.reveal_draw(draw_id=draw.pk, witness="1", actor=head)
    assert [v.code for v in exc.value.violations] == [rules.FROZEN_LIST_ALTERED]
    draw.refresh_from_db()
    assert draw.status == Draw.Status.COMMITTED and not draw.seed and not Inspection.objects.filter(draw=draw).exists()


def test_r28_revealed_draw_can_never_be_redone(world, head, item):
    make_entities(20)
    task = make_task(world, head, item)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    services.reveal_draw(draw_id=draw.pk, witness="1", actor=head)
    with pytest.raises(Refused) as exc:
        services.reveal_draw(draw_id=draw.pk, witness="2", actor=head)
    assert exc.value.violations[0].code == rules.DRAW_ALREADY_REVEALED
    with pytest.raises(Refused) as exc:
        services.commit_draw(task_id=task.pk, actor=head)
    assert exc.value.violations[0].code == rules.DRAW_EXISTS
    assert Inspection.objects.filter(task=task).count() == 2


def test_r28_refused_reveal_is_recorded_and_freezes_the_draw(world, head, item):
    """Re-draw gap: a seed that makes the draw impossible (too few inspectors left after recusal)
    is recorded with its witness value and the draw frozen — no second try with another value."""
    entities = make_entities(5)
    task = make_task(world, head, item, sample_count=1, ratio_percent=None)
    pool = services.inspector_pool([world.market.pk], TODAY)
    assert len(pool) >= 2
    ConflictDeclaration.objects.bulk_create([
        ConflictDeclaration(officer=o, entity=e, relation="近亲属", starts_on=TODAY, declared_on=TODAY) for e in entities for o in pool[1:]
    ])
    draw = services.commit_draw(task_id=task.pk, actor=head)
    with pytest.raises(Refused) as exc:
        services.reveal_draw(draw_id=draw.pk, witness="31415", actor=head)
    assert exc.value.violations[0].code == rules.INSPECTORS_INSUFFICIENT
    draw.refresh_from_db()
    assert draw.is_refused and draw.is_drawn and draw.witness == "31415" and draw.seed
    assert rules.INSPECTORS_INSUFFICIENT in draw.refusal
    with pytest.raises(Refused) as exc:
        services.reveal_draw(draw_id=draw.pk, witness="27182", actor=head)
    assert exc.value.violations[0].code == rules.DRAW_ALREADY_REVEALED
    draw.refresh_from_db()
    assert draw.witness == "31415" and not Inspection.objects.filter(draw=draw).exists()
    check = services.verify_draw(draw)
    assert check.ok, check.checks
    assert [e.action for e in ledger.RecordEntry.objects.filter(stream=f"draw:{draw.pk}")] == ["commit", "refuse"]
    assert public.draw_view(draw)["refusal"] == draw.refusal


def test_r28_stored_frozen_list_is_canonical(world, head, item):
    """The frozen list the database writes (PostgreSQL: string_agg) is byte for byte the
    canonical document of rules.frozen_document."""
    make_entities(30)
    Entity.objects.filter(credit_code__in=[credit_code(3), credit_code(7)]).update(is_abnormal=True)
    task = make_task(world, head, item, flagged_weight=4)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    text = draw.document_text()
    assert rules.sha256_hex(text) == draw.document_digest
    assert rules.frozen_document(rules.parse_frozen_document(text)) == text
    assert f"{credit_code(3)},4\n" in text and f"{credit_code(4)},1\n" in text


def test_r28_tampered_result_fails_verification(world, head, item):
    make_entities(20)
    task = make_task(world, head, item)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="7", actor=head)
    other = Entity.objects.exclude(inspections__draw=draw).first()
    Inspection.objects.filter(draw=draw, rank=1).update(entity=other)
    check = services.verify_draw(draw)
    assert not check.ok
    assert dict(check.checks)["数据库中的检查对象和检查人员与重算结果一致"] is False


def test_r28_witness_required_and_too_early(world, head, item):
    make_entities(10)
    task = make_task(world, head, item)
    draw = services.commit_draw(task_id=task.pk, scheduled_at=clock.now() + dt.timedelta(hours=1), actor=head)
    with pytest.raises(Refused) as exc:
        services.reveal_draw(draw_id=draw.pk, witness=" ", actor=head)
    assert {v.code for v in exc.value.violations} == {rules.WITNESS_REQUIRED, rules.DRAW_TOO_EARLY}
    draw.refresh_from_db()
    assert draw.status == Draw.Status.COMMITTED and not Inspection.objects.exists()


def test_r27_frequency_exclusion_listed_with_reason(world, head, item):
    make_entities(10)
    first = make_task(world, head, item, sample_count=10, ratio_percent=None)
    services.reveal_draw(draw_id=services.commit_draw(task_id=first.pk, actor=head).pk, witness="1", actor=head)
    second = services.create_task(plan_id=first.plan_id, data=services.TaskInput(
        title="复查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk], sample_count=1,
    ), actor=head)
    with pytest.raises(Refused) as exc:
        services.commit_draw(task_id=second.pk, actor=head)
    assert exc.value.violations[0].code == rules.NO_CANDIDATES
    # a fresh entity is drawable; the ten inspected today are excluded with their reason
    Entity.objects.create(credit_code=credit_code(999), name="新设餐饮店", industry="餐饮")
    draw = services.commit_draw(task_id=second.pk, actor=head)
    assert draw.candidate_count == 1 and draw.excluded_count == 10
    reasons = set(draw.exclusions.values_list("reason_code", flat=True))
    assert reasons == {rules.EXCLUDED_RECENT}
    assert "未满 90 天间隔" in draw.exclusions.first().reason


def test_r28_conflicted_inspector_recused(world, head, item):
    entities = make_entities(3)
    officer1 = world.officers["officer1"]
    for e in entities:
        services.declare_conflict(officer_id=officer1.pk, entity_id=e.pk, relation="近亲属任股东", starts_on=TODAY, actor=head)
    task = make_task(world, head, item, sample_count=3, ratio_percent=None)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="5", actor=head)
    assigned = {o for ids in Inspection.objects.filter(draw=draw).values_list("inspector_ids", flat=True) for o in ids}
    assert officer1.pk not in assigned
    assert ConflictDeclaration.objects.count() == 3


def test_r04_only_valid_certificates_in_pool(world):
    pool = {o.pk for o in services.inspector_pool([world.market.pk], TODAY)}
    o = world.officers
    assert o["officer1"].pk in pool and o["officer2"].pk in pool
    assert o["officer3"].pk not in pool and o["aux1"].pk not in pool


def test_r27_overlong_texts_and_a_nan_ratio_are_refused_in_chinese(world, head, item):
    with pytest.raises(Refused) as exc:
        services.create_plan(body_id=world.market.pk, year=2026, title="长" * 201, actor=head)
    assert [v.code for v in exc.value.violations] == ["INVALID_INPUT"] and not Plan.objects.exists()
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    data = services.TaskInput(title="长" * 201, starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 1), item_ids=[item.pk],
                              ratio_percent=Decimal("NaN"), scope_industry="餐" * 61)
    with pytest.raises(Refused) as exc:
        services.create_task(plan_id=plan.pk, data=data, actor=head)
    assert [v.code for v in exc.value.violations].count("INVALID_INPUT") == 2
    assert rules.SAMPLE_IMPOSSIBLE in {v.code for v in exc.value.violations} and not Task.objects.exists()


def test_r27_bad_plan_refused_with_all_reasons(world, head, item):
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    data = services.TaskInput(title="", starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 11, 1), item_ids=[item.pk],
                              ratio_percent=Decimal("150"), inspectors_per_entity=1)
    with pytest.raises(Refused) as exc:
        services.create_task(plan_id=plan.pk, data=data, actor=head)
    codes = {v.code for v in exc.value.violations}
    assert {"TITLE_REQUIRED", rules.PERIOD_INVALID, rules.SAMPLE_IMPOSSIBLE, rules.TWO_INSPECTORS_REQUIRED} <= codes
    assert not Task.objects.exists()


def test_r27_sample_larger_than_candidates_refused(world, head, item):
    make_entities(3)
    task = make_task(world, head, item, sample_count=5, ratio_percent=None)
    with pytest.raises(Refused) as exc:
        services.commit_draw(task_id=task.pk, actor=head)
    assert exc.value.violations[0].code == rules.SAMPLE_IMPOSSIBLE
    assert not Draw.objects.exists()


def test_plan_requires_head_of_body(world, item):
    from zhifa.registry.access import actor_for

    with pytest.raises(PermissionDenied):
        services.create_plan(body_id=world.market.pk, year=2026, title="x", actor=actor_for(world.users["officer1"]))
    with pytest.raises(PermissionDenied):
        services.create_plan(body_id=world.market.pk, year=2026, title="x", actor=actor_for(world.users["officer_other"]))
    assert not Plan.objects.exists()


def test_r30_results_recorded_by_assigned_inspector_and_published(world, head, item):
    make_entities(10)
    task = make_task(world, head, item, sample_count=2, ratio_percent=None)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="9", actor=head)
    inspection = Inspection.objects.filter(draw=draw).first()
    officer = Officer.objects.get(pk=inspection.inspector_ids[0])
    from zhifa.registry.access import actor_for

    outsider = next(o for o in world.officers.values() if o.pk not in set(inspection.inspector_ids) and o.user_id)
    with pytest.raises(Refused) as exc:
        services.record_result(inspection_id=inspection.pk, data=services.ResultInput(TODAY, "no_problem"), actor=actor_for(outsider.user))
    assert exc.value.violations[0].code == rules.NOT_ASSIGNED_INSPECTOR
    actor = actor_for(officer.user) if officer.user_id else actor_for(world.users["admin"])
    with pytest.raises(Refused) as exc:
        services.record_result(inspection_id=inspection.pk, data=services.ResultInput(TODAY, "case", answers=answers_for(inspection, "case")), actor=actor)
    assert {v.code for v in exc.value.violations} == {"FINDINGS_REQUIRED", "CASE_REQUIRED"}
    answers = answers_for(inspection, "rectify")
    answers[0] = {"point": "持证经营", "ok": False, "note": "超范围经营"}
    done = services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
        TODAY, "rectify", answers=answers, findings="超范围经营"), actor=actor)
    assert done.publish_due > TODAY
    assert not services.overdue_publications().exists()
    assert services.overdue_publications(today=done.publish_due + dt.timedelta(days=1)).count() == 1
    assert services.publish_results(task_id=task.pk, actor=head) == 1
    stats = services.plan_statistics(task.plan)
    assert stats["drawn"] == 2 and stats["recorded"] == 1 and stats["problem_rate"] == 1


def test_r29_joint_share(world, head, item):
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    for n in range(9):
        services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title=f"任务{n}", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31), item_ids=[item.pk], sample_count=1,
        ), actor=head)
    share = services.joint_share_of(world.market.pk, 2026)
    assert share.total == 9 and not share.meets_floor
    services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="联合抽查", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31), item_ids=[item.pk], sample_count=1,
        partner_ids=[world.urban.pk],
    ), actor=head)
    share = services.joint_share_of(world.market.pk, 2026)
    assert share.total == 10 and share.joint == 1 and share.meets_floor
    assert services.joint_shares(2026)[world.urban.pk].joint == 1


def test_r28_verify_draw_command(world, head, item, tmp_path, capsys):
    from django.core.management import call_command

    make_entities(20)
    task = make_task(world, head, item)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="42", actor=head)
    call_command("verify_draw", str(draw.pk), "--export", str(tmp_path))
    out = capsys.readouterr().out
    assert "核对一致" in out and "✗" not in out
    assert (tmp_path / "frozen.txt").read_text().startswith(rules.ALGORITHM)
    assert rules.sha256_hex((tmp_path / "frozen.txt").read_text()) == draw.document_digest
    published = json.loads((tmp_path / "draw.json").read_text(encoding="utf-8"))  # the file's keys, in its order
    assert list(published) == ["id", "task", "algorithm", "status", "committed_at", "scheduled_at", "document_digest",
                               "commitment", "candidate_count", "excluded_count", "inspector_count", "sample",
                               "result_digest", "revealed_at", "secret", "witness", "witness_name", "seed"]
    assert published["seed"] == draw.seed and published["result_digest"] == draw.result_digest
    Inspection.objects.filter(draw=draw, rank=2).delete()
    with pytest.raises(SystemExit) as exc:
        call_command("verify_draw", str(draw.pk))
    assert exc.value.code == 1
    with pytest.raises(SystemExit):
        call_command("verify_draw", "abc")


def test_r28_assigned_inspections_are_the_officers_own(world, head, item):
    make_entities(30)
    draw = services.commit_draw(task_id=make_task(world, head, item).pk, actor=head)
    draw = services.reveal_draw(draw_id=draw.pk, witness="5", actor=head)
    inspections = list(Inspection.objects.filter(draw=draw))
    officer = Officer.objects.filter(pk__in={o for i in inspections for o in i.inspector_ids}, user__isnull=False).first()
    from zhifa.registry.access import actor_for

    mine = list(services.assigned_inspections(actor_for(officer.user)))
    assert mine and {i.pk for i in mine} == {i.pk for i in inspections if officer.pk in i.inspector_ids}
    assert list(services.assigned_inspections(actor_for(world.users["supervisor"]))) == []  # not an officer
    officer.body = world.urban  # moved to another body: no longer acts for the market bureau's task
    officer.save(update_fields=["body"])
    officer.user.refresh_from_db()
    assert list(services.assigned_inspections(actor_for(officer.user))) == []
