"""Every write of double random, one public leaves its full-process record entry (issue 13 §5,
architecture.md "services/"): plans (``plan:<id>``), tasks (``task:<id>``), inspector profiles
(``officer:<id>``), conflicts of interest (``conflict:<id>``), the draw and what follows it on the
draw's stream (``draw:<id>``) — one entry per act, never one per drawn inspection."""
from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core import ledger
from zhifa.core.usecase import kind_of
from zhifa.inspections import services
from zhifa.inspections.models import Inspection
from zhifa.registry.access import actor_for

from .conftest import make_entities
from .drawing import answers_for, first_inspection, revealed_draw

pytestmark = pytest.mark.usefixtures("frozen_clock")


def entries(stream: str) -> list[ledger.RecordEntry]:
    return list(ledger.RecordEntry.objects.filter(stream=stream).order_by("seq"))


def test_r27_creating_a_plan_and_a_task_records_each_on_its_stream(world, head, item):
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="2026年度双随机抽查计划", actor=head)
    (entry,) = entries(f"plan:{plan.pk}")
    assert entry.action == "create_plan" and entry.payload["body"] == world.market.pk and entry.payload["year"] == 2026
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="餐饮服务单位抽查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk],
        sample_count=3,
    ), actor=head)
    (entry,) = entries(f"task:{task.pk}")
    assert entry.action == "create_task" and entry.payload["plan"] == plan.pk
    assert entry.payload["items"] == [item.code] and entry.payload["sample_count"] == 3
    assert ledger.verify(f"task:{task.pk}") is None


def test_r26_inspector_profile_and_conflicts_are_recorded(world, head):
    (entity,) = make_entities(1)
    officer = world.officers["officer1"]
    services.set_inspector_profile(officer_id=officer.pk, expertise="食品安全", is_available=False, actor=head)
    entry = entries(f"officer:{officer.pk}")[-1]
    assert entry.action == "set_inspector_profile" and entry.payload == {
        "officer": officer.pk, "expertise": "食品安全", "is_available": False, "note": ""}
    declaration = services.declare_conflict(officer_id=officer.pk, entity_id=entity.pk, relation="配偶任法定代表人",
                                            starts_on=dt.date(2026, 11, 23), actor=head)
    services.end_conflict(declaration_id=declaration.pk, ends_on=dt.date(2026, 12, 31), actor=head)
    recorded = entries(f"conflict:{declaration.pk}")
    assert [e.action for e in recorded] == ["declare_conflict", "end_conflict"]
    assert recorded[0].payload["entity"] == entity.pk and recorded[0].payload["officer"] == officer.pk
    assert recorded[1].payload["ends_on"] == "2026-12-31"


def test_r28_a_draw_records_one_entry_per_act_not_per_inspection(world, head, item):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    assert Inspection.objects.filter(draw=draw).count() == 3
    assert [e.action for e in entries(f"draw:{draw.pk}")] == ["commit", "reveal"]
    assert entries(f"draw:{draw.pk}")[-1].payload["drawn"] == 3


def test_r30_results_and_their_publication_are_recorded_on_the_draw(world, head, admin, item):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    _, officers = first_inspection(draw)
    for inspection in Inspection.objects.filter(draw=draw).order_by("rank"):
        actor = actor_for(officers[0].user) if inspection.rank == 1 else admin  # an assigned inspector, or the administrator
        services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
            inspected_on=dt.date(2026, 11, 23), outcome="no_problem", answers=answers_for(inspection)), actor=actor)
    assert services.publish_results(task_id=draw.task_id, actor=head) == 3
    actions = [e.action for e in entries(f"draw:{draw.pk}")]
    assert actions == ["commit", "reveal", "result", "result", "result", "publish"]  # one entry for the publication
    assert entries(f"draw:{draw.pk}")[-1].payload["published"] == 3
    assert ledger.verify(f"draw:{draw.pk}") is None


def test_every_public_service_function_is_marked():
    from zhifa.inspections.services import draw, inspectors, photos, plans, results

    for module in (draw, inspectors, photos, plans, results):
        for name, fn in vars(module).items():
            if callable(fn) and not name.startswith("_") and getattr(fn, "__module__", "") == module.__name__ \
                    and not isinstance(fn, type):
                assert kind_of(fn) is not None, f"{module.__name__}.{name}"
    assert kind_of(services.refresh_register_snapshot) == "derived"


def test_r30_publishing_with_nothing_to_publish_writes_nothing(world, head, item):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    assert services.publish_results(task_id=draw.task_id, actor=head) == 0  # nothing recorded yet
    assert [e.action for e in entries(f"draw:{draw.pk}")] == ["commit", "reveal"]
