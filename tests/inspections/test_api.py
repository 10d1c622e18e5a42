"""API under /api/v1/inspections/… (R26–R30)."""
from __future__ import annotations

import pytest

from zhifa.inspections import rules
from zhifa.inspections.models import Draw, Inspection
from zhifa.registry.models import Officer

from .conftest import make_entities

pytestmark = pytest.mark.usefixtures("frozen_clock")


def plan_and_task(api, world, item, **task):
    r = api.post("/api/v1/inspections/plans", {"body_id": world.market.pk, "year": 2026, "title": "2026年度抽查计划"})
    assert r.status_code == 201, r.content
    plan = r.json()["id"]
    body = {"title": "餐饮抽查", "item_ids": [item.pk], "sample_count": 3, "starts_on": "2026-11-01", "ends_on": "2026-12-31", **task}
    r = api.post(f"/api/v1/inspections/plans/{plan}/tasks", body)
    return plan, r


def test_r28_full_flow_through_api(world, api_as, item):
    make_entities(30)
    head = api_as("head1")
    plan, r = plan_and_task(head, world, item)
    assert r.status_code == 201, r.content
    task = r.json()["id"]
    r = head.post(f"/api/v1/inspections/tasks/{task}/draw", {})
    assert r.status_code == 201, r.content
    draw = r.json()
    assert draw["status"] == "committed" and draw["secret"] is None and len(draw["commitment"]) == 64
    public = api_as(None)
    assert public.get(f"/api/v1/inspections/draws/{draw['id']}").json()["secret"] is None
    frozen = public.get(f"/api/v1/inspections/draws/{draw['id']}/frozen.txt")
    assert frozen.status_code == 200 and frozen.content.decode().startswith(rules.ALGORITHM)
    r = head.post(f"/api/v1/inspections/draws/{draw['id']}/reveal", {"witness": "90817", "witness_name": "见证人"})
    assert r.status_code == 200, r.content
    assert r.json()["seed"] and r.json()["secret"]
    again = head.post(f"/api/v1/inspections/draws/{draw['id']}/reveal", {"witness": "1"})
    assert again.status_code == 409 and again.json()["violations"][0]["code"] == "DRAW_ALREADY_REVEALED"
    listed = public.get("/api/v1/inspections/draws")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    verify = public.get(f"/api/v1/inspections/draws/{draw['id']}/verify").json()
    assert verify["ok"], verify
    result = public.get(f"/api/v1/inspections/draws/{draw['id']}/result").json()
    assert result["count"] == 3 and all(len(i["inspectors"]) == 2 for i in result["items"])
    # an assigned inspector records the result; the head publishes it
    inspection = Inspection.objects.filter(draw_id=draw["id"]).first()
    officer = Officer.objects.get(pk=inspection.inspector_ids[0])
    username = officer.user.username
    r = api_as(username).post(f"/api/v1/inspections/inspections/{inspection.pk}/result", {
        "inspected_on": "2026-11-23", "outcome": "no_problem", "answers": [{"point": "持证经营", "ok": True}]})
    assert r.status_code == 200, r.content
    assert head.post(f"/api/v1/inspections/tasks/{task}/publish").json() == {"published": 1}
    published = public.get("/api/v1/inspections/results").json()
    assert published["count"] == 1
    detail = head.get(f"/api/v1/inspections/plans/{plan}").json()
    assert detail["statistics"]["recorded"] == 1 and detail["tasks"][0]["draw_id"] == draw["id"]


def test_bad_input_is_422_or_409_in_chinese(world, api_as, item):
    head = api_as("head1")
    _, r = plan_and_task(head, world, item, ratio_percent="0", sample_count=None, inspectors_per_entity=1)
    assert r.status_code == 409
    codes = {v["code"] for v in r.json()["violations"]}
    assert {"SAMPLE_IMPOSSIBLE", "TWO_INSPECTORS_REQUIRED"} <= codes
    r = head.post("/api/v1/inspections/plans", {"body_id": world.market.pk, "year": "abc", "title": "x"})
    assert r.status_code == 422
    r = head.post("/api/v1/inspections/draws/999/reveal", {"witness": "1"})
    assert r.status_code == 404


def test_permissions(world, api_as, item):
    assert api_as(None).get("/api/v1/inspections/entities").status_code in (401, 403)
    officer = api_as("officer1")
    r = officer.post("/api/v1/inspections/plans", {"body_id": world.market.pk, "year": 2026, "title": "x"})
    assert r.status_code == 403
    assert api_as("officer_other").post("/api/v1/inspections/plans", {"body_id": world.market.pk, "year": 2026, "title": "x"}).status_code == 403


def test_entity_list_paginates_without_n_plus_one(world, api_as, django_assert_max_num_queries):
    make_entities(120)
    api = api_as("officer1")
    with django_assert_max_num_queries(8):
        r = api.get("/api/v1/inspections/entities", page_size=100)
    assert r.status_code == 200 and r.json()["count"] == 120 and len(r.json()["items"]) == 100
    found = api.get("/api/v1/inspections/entities", q="示例商贸有限公司7").json()
    assert found["count"] >= 1


def test_inspectors_and_conflicts(world, api_as):
    entity = make_entities(1)[0]
    api = api_as("officer1")
    pool = api.get("/api/v1/inspections/inspectors").json()
    names = {o["name"] for o in pool}
    assert "李明" in names and "赵强" not in names  # officer3's certificate expired (R04)
    r = api.post("/api/v1/inspections/conflicts", {"officer_id": world.officers["officer1"].pk, "entity_id": entity.pk,
                                                     "relation": "配偶任法定代表人", "starts_on": "2026-01-01"})
    assert r.status_code == 201, r.content
    r = api.post("/api/v1/inspections/conflicts", {"officer_id": world.officers["officer2"].pk, "entity_id": entity.pk,
                                                     "relation": "代他人申报", "starts_on": "2026-01-01"})
    assert r.status_code == 403
    assert Draw.objects.count() == 0


def test_r28_surprise_draw_withheld_from_outsiders_until_the_task_ends(world, api_as, item):
    """飞行检查: the public (and staff of other bodies) get neither the seed nor the drawn list
    before the task ends; the body's staff see everything; results show to outsiders once published."""
    import datetime as dt

    from zhifa.core import clock
    from zhifa.inspections import services
    from zhifa.registry.access import actor_for

    make_entities(10)
    head = actor_for(world.users["head1"])
    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.SHANGHAI)):
        plan = services.create_plan(body_id=world.market.pk, year=2026, title="飞行检查计划", actor=head)
        task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title="特种设备飞行检查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), kind="surprise",
            item_ids=[item.pk], sample_count=2), actor=head)
        draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="3", actor=head)
        public, other, own = api_as(None), api_as("officer_other"), api_as("officer1")
        for client in (public, other):
            body = client.get(f"/api/v1/inspections/draws/{draw.pk}").json()
            assert body["seed"] is None and body["secret"] is None and body["disclosed_after"] == "2026-12-31"
            assert body["result_digest"] == draw.result_digest
            assert client.get(f"/api/v1/inspections/draws/{draw.pk}/result").status_code == 403
            listed = client.get("/api/v1/inspections/draws").json()["items"]
            assert all(d["seed"] is None for d in listed if d["id"] == draw.pk)
        assert own.get(f"/api/v1/inspections/draws/{draw.pk}").json()["seed"] == draw.seed
        assert own.get(f"/api/v1/inspections/draws/{draw.pk}/result").json()["count"] == 2
    with clock.frozen(dt.datetime(2027, 1, 1, 9, 0, tzinfo=clock.SHANGHAI)):
        assert public.get(f"/api/v1/inspections/draws/{draw.pk}").json()["seed"] == draw.seed
        items = public.get(f"/api/v1/inspections/draws/{draw.pk}/result").json()["items"]
        assert len(items) == 2 and all(i["outcome"] == "" for i in items)
