"""The shared queries (``selectors``) that the API and the pages both call: one filter each."""
from __future__ import annotations

import datetime as dt

import pytest

from zhifa.inspections import selectors, services
from zhifa.inspections.models import Entity
from zhifa.registry.access import actor_for

from .conftest import credit_code, make_entities
from .drawing import answers_for, first_inspection, revealed_draw

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_r26_entities_by_code_name_industry_risk_and_tag(db):
    make_entities(5)
    Entity.objects.filter(credit_code=credit_code(2)).update(industry="餐饮服务", risk_grade="D", is_abnormal=True)
    Entity.objects.filter(credit_code=credit_code(3)).update(complaint_count=2)
    assert [e.credit_code for e in selectors.entities(q=credit_code(4).lower())] == [credit_code(4)]
    assert selectors.entities(q="公司3").count() == 1
    assert selectors.entities(industry="餐饮").count() == 4  # the API: the exact label
    assert selectors.entities(industry="餐饮", industry_contains=True).count() == 5  # the page: a word of it
    assert [e.credit_code for e in selectors.entities(risk="D")] == [credit_code(2)]
    assert [e.credit_code for e in selectors.entities(tag="abnormal")] == [credit_code(2)]
    assert [e.credit_code for e in selectors.entities(tag="complaints")] == [credit_code(3)]
    assert selectors.entities(risk="Z").count() == 5 and selectors.entities(tag="nonsense").count() == 5


def test_r26_items_by_text_and_body(world, item):
    assert list(selectors.items(q="sj-0")) == [item] and list(selectors.items(q="主体责任")) == [item]
    assert list(selectors.items(body=world.market.pk)) == [item] and not selectors.items(body=world.urban.pk).exists()


def test_r28_my_inspections_by_status_and_their_counts(world, head, admin, item):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    inspection, officers = first_inspection(draw)
    me = actor_for(officers[0].user)
    before = selectors.my_inspection_counts(me)
    assert before["all"] == before["pending"] >= 1 and before["recorded"] == 0
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
        inspected_on=dt.date(2026, 11, 23), outcome="no_problem", answers=answers_for(inspection)), actor=me)
    after = selectors.my_inspection_counts(me)
    assert after == {"all": before["all"], "pending": before["pending"] - 1, "recorded": 1}
    assert [i.pk for i in selectors.my_inspections(me, "recorded")] == [inspection.pk]
    assert inspection.pk not in {i.pk for i in selectors.my_inspections(me, "pending")}
    assert selectors.my_inspections(me, "all").count() == after["all"]


def test_r28_conflicts_by_state_on_a_day(world, head):
    entities = make_entities(3)
    officer = world.officers["officer1"]
    for n, (starts, ends) in enumerate([(dt.date(2026, 1, 1), None), (dt.date(2026, 12, 1), None),
                                        (dt.date(2026, 1, 1), dt.date(2026, 11, 23))]):
        services.declare_conflict(officer_id=officer.pk, entity_id=entities[n].pk, relation="亲属", starts_on=starts,
                                  ends_on=ends, actor=head)
    later = dt.date(2026, 11, 24)
    assert selectors.conflicts(head, state="in_force", today=later).count() == 1
    assert selectors.conflicts(head, state="future", today=later).count() == 1
    assert selectors.conflicts(head, state="ended", today=later).count() == 1
    assert selectors.conflicts(head, q=entities[1].credit_code.lower()).count() == 1
    assert selectors.conflicts(head, officer_id=officer.pk).count() == 3
    assert selectors.conflicts(head, officer_id=officer.pk + 10_000).count() == 0


# --- R29: the joint-inspection quota of a body's year, by quarter -------------------------------

def _tasks(plan, item, head, months, partners=()) -> None:
    for n, month in enumerate(months):
        services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title=f"任务{month}-{n}", starts_on=dt.date(2026, month, 1), ends_on=dt.date(2026, month, 28), item_ids=[item.pk],
            sample_count=1, partner_ids=list(partners)), actor=head)


def test_r29_joint_quota_counts_a_bodys_tasks_by_quarter_and_allots_the_required_joint_ones(world, head, item):
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    _tasks(plan, item, head, [2, 3, 5, 5, 5, 8, 11, 11, 12, 12, 12])  # 2 + 3 + 1 + 5 = 11 tasks
    _tasks(plan, item, head, [6], partners=[world.urban.pk])  # one joint, in the second quarter
    quota = selectors.joint_quota_of(world.market.pk, 2026)
    assert (quota.total, quota.joint, quota.required, quota.shortfall) == (12, 1, 2, 1)
    assert [(q.tasks, q.joint) for q in quota.quarters] == [(2, 0), (4, 1), (1, 0), (5, 0)]
    # 2 × (2, 4, 1, 5) / 12 = 0.33, 0.67, 0.17, 0.83 → the two largest remainders
    assert [q.required for q in quota.quarters] == [0, 1, 0, 1] and [q.shortfall for q in quota.quarters] == [0, 0, 0, 1]
    # the partner body counts the joint task too
    partner = selectors.joint_quota_of(world.urban.pk, 2026)
    assert (partner.total, partner.joint, partner.required, partner.meets) == (1, 1, 1, True)
    assert selectors.joint_share_of(world.market.pk, 2026).joint == quota.joint  # the same count as the share


def test_r29_the_joint_floor_is_a_setting_that_may_raise_but_never_lower_ten_percent(world, head, item, settings):
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    _tasks(plan, item, head, [3] * 10)
    settings.ZHIFA = {**settings.ZHIFA, "INSPECTION_JOINT_FLOOR_PERCENT": 25}
    assert selectors.joint_quota_of(world.market.pk, 2026).required == 3
    settings.ZHIFA = {**settings.ZHIFA, "INSPECTION_JOINT_FLOOR_PERCENT": 5}
    quota = selectors.joint_quota_of(world.market.pk, 2026)
    assert quota.required == 1 and quota.floor_percent == 10
