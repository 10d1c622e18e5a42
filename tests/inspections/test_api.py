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
        "inspected_on": "2026-11-23", "outcome": "no_problem", "answers": [{"point": p, "ok": True} for p in ("持证经营", "从业人员健康证明", "进货查验记录")]})
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
    names = {o["name"] for o in pool["items"]}
    assert "李明" in names and "赵强" not in names  # officer3's certificate expired (R04)
    assert pool["count"] == len(pool["items"]) and pool["page"] == 1
    first = api.get("/api/v1/inspections/inspectors", page_size=1).json()
    assert first["count"] == pool["count"] and first["items"] == pool["items"][:1]  # paged, by id
    r = api.post("/api/v1/inspections/conflicts", {"officer_id": world.officers["officer1"].pk, "entity_id": entity.pk,
                                                     "relation": "配偶任法定代表人", "starts_on": "2026-01-01"})
    assert r.status_code == 201, r.content
    r = api.post("/api/v1/inspections/conflicts", {"officer_id": world.officers["officer2"].pk, "entity_id": entity.pk,
                                                     "relation": "代他人申报", "starts_on": "2026-01-01"})
    assert r.status_code == 403
    listed = api.get("/api/v1/inspections/conflicts").json()
    assert listed["count"] == 1 and listed["items"][0]["relation"] == "配偶任法定代表人"
    assert api_as("officer_other").get("/api/v1/inspections/conflicts").json()["count"] == 0  # another body's: not listed
    assert Draw.objects.count() == 0


def test_r28_surprise_draw_withheld_from_outsiders_until_the_task_ends(world, api_as, item):
    """飞行检查: the public (and staff of other bodies) get neither the seed nor the drawn list
    before the task ends; the body's staff see everything; results show to outsiders once published."""
    import datetime as dt

    from zhifa.core import clock
    from zhifa.registry.access import actor_for

    from .drawing import surprise_draw

    head = actor_for(world.users["head1"])
    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.SHANGHAI)):
        draw = surprise_draw(world, head, item)
        public, other, own = api_as(None), api_as("officer_other"), api_as("officer1")
        for client in (public, other, api_as("aux1")):  # auxiliary staff of the body too, as on the page
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


# --- 我的检查: GET /api/v1/inspections/mine (R28) ----------------------------------------------------

def _assigned(officer) -> list[int]:
    return sorted(i.pk for i in Inspection.objects.all() if officer.pk in i.inspector_ids)


def test_r28_my_inspections_lists_exactly_the_officers_own(world, api_as, head, admin, item):
    import datetime as dt

    from zhifa.inspections import services

    from .drawing import answers_for, revealed_draw

    draw = revealed_draw(world, head, item, entities=12, sample=6)
    name = max(("officer1", "officer2", "reviewer1", "head1"), key=lambda n: (len(_assigned(world.officers[n])), n))
    officer = world.officers[name]
    mine = _assigned(officer)
    assert 2 <= len(mine) < 6  # not every inspection: the test can fail
    done = Inspection.objects.get(pk=mine[0])
    services.record_result(inspection_id=done.pk, data=services.ResultInput(
        inspected_on=dt.date(2026, 11, 23), outcome="no_problem", answers=answers_for(done)), actor=admin)
    api = api_as(name)
    body = api.get("/api/v1/inspections/mine", status="all").json()
    assert set(body) == {"items", "count", "page", "page_size"} and body["page"] == 1 and body["page_size"] == 50
    assert body["count"] == len(mine) and sorted(i["id"] for i in body["items"]) == mine
    first = body["items"][0]  # unrecorded first
    assert first["id"] != done.pk and first["outcome"] == "" and first["inspected_on"] is None
    inspection = Inspection.objects.select_related("entity", "task").get(pk=first["id"])
    assert first == {
        "id": inspection.pk, "rank": inspection.rank, "draw_id": draw.pk, "task_id": draw.task_id, "task_title": "餐饮服务单位抽查",
        "task_ends_on": "2026-12-31", "credit_code": inspection.entity.credit_code, "entity_name": inspection.entity.name,
        "inspectors": [Officer.objects.get(pk=pk).name for pk in inspection.inspector_ids], "outcome": "",
        "inspected_on": None, "published_on": None,
    }
    assert officer.name in first["inspectors"]
    pending = api.get("/api/v1/inspections/mine").json()  # 待录入 by default
    assert sorted(i["id"] for i in pending["items"]) == mine[1:]
    recorded = api.get("/api/v1/inspections/mine", status="recorded").json()
    assert [(i["id"], i["outcome"], i["inspected_on"]) for i in recorded["items"]] == [(done.pk, "no_problem", "2026-11-23")]
    paged = api.get("/api/v1/inspections/mine", status="all", page=2, page_size=1).json()
    assert paged["count"] == len(mine) and [i["id"] for i in paged["items"]] == [body["items"][1]["id"]]


def test_r28_my_inspections_never_lists_another_officers(world, api_as, head, item):
    from .drawing import revealed_draw

    revealed_draw(world, head, item, entities=12, sample=6)
    assert api_as("officer_other").get("/api/v1/inspections/mine", status="all").json()["count"] == 0
    for name in ("officer1", "officer2", "reviewer1", "head1"):
        listed = api_as(name).get("/api/v1/inspections/mine", status="all", page_size=200).json()["items"]
        assert sorted(i["id"] for i in listed) == _assigned(world.officers[name])
    for name in ("supervisor", "admin", "aux1"):  # never drawn: an empty list, not an error
        r = api_as(name).get("/api/v1/inspections/mine", status="all")
        assert r.status_code == 200 and r.json()["count"] == 0 and r.json()["items"] == []


def test_my_inspections_needs_a_token_and_a_known_status(world, api_as):
    r = api_as(None).get("/api/v1/inspections/mine")
    assert r.status_code == 401 and r.json() == {"detail": "未登录或令牌无效。"}
    bad = api_as("officer1").get("/api/v1/inspections/mine", status="done", page_size=0)
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"status", "page_size"}


def test_my_inspections_query_count_does_not_grow_with_the_page(world, api_as, head, item, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .drawing import revealed_draw

    draw = revealed_draw(world, head, item, entities=40, sample=30)
    Inspection.objects.filter(draw=draw).update(inspector_ids=[world.officers["officer1"].pk, world.officers["officer2"].pk])
    api = api_as("officer1")
    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/api/v1/inspections/mine", page_size=1).json()["items"]) == 1
    with django_assert_max_num_queries(len(one)):
        assert len(api.get("/api/v1/inspections/mine", page_size=30).json()["items"]) == 30


def _schema_of(spec: dict, path: str) -> dict:
    ref = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    item_ref = page["properties"]["items"]["items"]["$ref"]
    return {"page": ref.rsplit("/", 1)[1], "item": item_ref.rsplit("/", 1)[1],
            "fields": set(spec["components"]["schemas"][item_ref.rsplit("/", 1)[1]]["properties"])}


def test_r26_item_lists_of_the_catalog_and_of_inspections_are_documented_with_their_own_schemas(db, api_as):
    """The catalog's ``/api/v1/items`` (enforcement items) and this app's ``/inspections/items``
    (抽查事项) once shared the component names ``ItemOut`` / ``ItemPage``, so the catalog's list was
    documented with the inspection items' fields. Each now names its own."""
    spec = api_as(None).get("/api/v1/openapi.json").json()
    catalog = _schema_of(spec, "/api/v1/items")
    inspections = _schema_of(spec, "/api/v1/inspections/items")
    assert (inspections["page"], inspections["item"]) == ("InspectionItemPage", "InspectionItemOut")
    assert catalog["item"] != inspections["item"]
    assert {"kind", "full_name", "handling_unit", "is_valid_today"} <= catalog["fields"]  # the catalog's fields
    assert not {"checklist", "rounds_per_year", "method"} & catalog["fields"]
    assert {"checklist", "rounds_per_year", "method", "ratio_percent"} <= inspections["fields"]


def test_r29_the_plan_api_adds_the_joint_quota_by_quarter(world, api_as, head, item):
    from zhifa.inspections import services

    from .test_selectors import _tasks

    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    _tasks(plan, item, head, [2, 5, 5, 11, 11, 11, 12, 12, 12, 12, 12])
    stats = api_as("head1").get(f"/api/v1/inspections/plans/{plan.pk}").json()["statistics"]
    assert set(stats["joint"]) == {"total", "joint", "share", "meets_floor"} and stats["joint"]["total"] == 11  # unchanged
    quota = stats["joint_quota"]
    assert {k: quota[k] for k in ("floor_percent", "total", "joint", "required", "shortfall", "meets")} == {
        "floor_percent": "10", "total": 11, "joint": 0, "required": 2, "shortfall": 2, "meets": False}
    assert "国发〔2019〕5号" in quota["basis"]
    assert [(q["quarter"], q["tasks"], q["required"]) for q in quota["quarters"]] == [(1, 1, 0), (2, 2, 0), (3, 0, 0), (4, 8, 2)]
