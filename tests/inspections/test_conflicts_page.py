"""Conflict-of-interest declarations (利益冲突申报, 回避, R28): the page lists what the actor may
see, an officer declares for themself and a head for the body's staff, the entity is found by
credit code or name prefix (never a list of the whole database), a declaration can be ended
from today on; the API does the same."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhifa.core import clock
from zhifa.core.violations import Refused
from zhifa.inspections import services
from zhifa.inspections.models import ConflictDeclaration, Entity
from zhifa.registry.access import actor_for

from .conftest import TODAY, credit_code, make_entities
from .drawing import login

pytestmark = pytest.mark.usefixtures("frozen_clock")

URL = "/inspections/conflicts/"



def declare(client: Client, officer, entity: str, relation: str = "配偶任法定代表人", **extra):
    return client.post(URL, {"officer": officer.pk, "entity": entity, "relation": relation, "starts_on": "2026-11-23", **extra})


def test_r28_officer_declares_for_themself_by_credit_code_or_unique_name(world):
    entities = make_entities(12)
    officer1 = world.officers["officer1"]
    client = login("officer1")
    page = client.get(URL).content.decode()
    assert 'data-testid="declare-form"' in page and "<select" in page
    assert page.count("<option") < 10  # only themself to choose, and no list of entities
    r = declare(client, officer1, entities[0].credit_code.lower())
    assert r.status_code == 302
    d = ConflictDeclaration.objects.get()
    assert d.officer == officer1 and d.entity == entities[0] and d.declared_on == TODAY and d.ends_on is None
    # a name that matches one entity only
    Entity.objects.create(credit_code=credit_code(900), name="独一无二餐饮店")
    assert declare(client, officer1, "独一无二").status_code == 302
    # a name prefix matching several, and one matching none: the error next to the field
    r = declare(client, officer1, "示例商贸")
    assert r.status_code == 200 and "匹配到多个检查对象" in r.content.decode() and "field-error" in r.content.decode()
    r = declare(client, officer1, "不存在的公司")
    assert "没有该统一社会信用代码或以此开头的名称" in r.content.decode()
    # the exact name wins over longer names that start with it
    assert declare(client, officer1, "示例商贸有限公司2").status_code == 302
    assert ConflictDeclaration.objects.count() == 3
    listed = client.get(URL).content.decode()
    assert entities[0].credit_code in listed and "在效" in listed


def test_r28_declaration_refusals_all_at_once(world):
    entity = make_entities(1)[0]
    officer1 = world.officers["officer1"]
    client = login("officer1")
    assert declare(client, officer1, entity.credit_code).status_code == 302
    r = declare(client, officer1, entity.credit_code, relation="再次申报")
    assert r.status_code == 200 and "CONFLICT_EXISTS" in r.content.decode()
    r = declare(client, officer1, entity.credit_code, relation="", ends_on="2026-11-01")
    body = r.content.decode()
    assert "请填写利害关系" in body and "结束日期早于开始日期" in body
    # for a colleague: only the head may
    r = declare(client, world.officers["officer2"], entity.credit_code)
    assert "只能为本人或本主体人员申报" in r.content.decode()
    assert ConflictDeclaration.objects.count() == 1


def test_r28_head_declares_for_staff_others_cannot(world):
    entity = make_entities(1)[0]
    head = login("head1")
    page = head.get(URL).content.decode()
    assert "王芳" in page and "孙丽" not in page  # auxiliary staff are never drawn
    assert declare(head, world.officers["officer2"], entity.credit_code).status_code == 302
    assert declare(head, world.officers["aux1"], entity.credit_code).status_code == 200  # not a choice
    assert declare(head, world.officers["officer_other"], entity.credit_code).status_code == 200
    assert ConflictDeclaration.objects.count() == 1
    with pytest.raises(Refused) as exc:
        services.declare_conflict(officer_id=world.officers["aux1"].pk, entity_id=entity.pk, relation="亲属",
                                  starts_on=TODAY, actor=actor_for(world.users["head1"]))
    assert exc.value.violations[0].code == "NOT_INSPECTOR"
    # supervisors read the declarations of their subtree, declare for nobody
    page = login("supervisor").get(URL).content.decode()
    assert "王芳" in page and 'data-testid="declare-form"' not in page
    # another body does not see them
    assert "王芳" not in login("officer_other").get(URL).content.decode()
    # auxiliary staff and the public: refused
    assert login("aux1").get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_r28_ending_a_declaration(world):
    entity = make_entities(1)[0]
    d = services.declare_conflict(officer_id=world.officers["officer1"].pk, entity_id=entity.pk, relation="近亲属",
                                  starts_on=TODAY - dt.timedelta(days=10), actor=actor_for(world.users["officer1"]))
    other = login("officer_other")
    r = other.post(URL, {"action": "end", "declaration": d.pk, "ends_on": "2026-11-30"})
    assert "仅本人、所在主体负责人或系统管理员" in r.content.decode()
    client = login("officer1")
    r = client.post(URL, {"action": "end", "declaration": d.pk, "ends_on": "2026-11-20"})
    assert "结束日期不得早于今天" in r.content.decode()
    r = client.post(URL, {"action": "end", "declaration": d.pk, "ends_on": "不是日期"})
    assert "日期格式应为 YYYY-MM-DD" in r.content.decode()
    d.refresh_from_db()
    assert d.ends_on is None
    r = client.post(URL, {"action": "end", "declaration": d.pk, "ends_on": "2026-11-23"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.ends_on == TODAY and d.state_on(TODAY) == "in_force"
    with clock.frozen(dt.datetime(2026, 11, 24, 9, 0, tzinfo=clock.SHANGHAI)):
        assert d.state_on(clock.today()) == "ended"
        with pytest.raises(Refused) as exc:
            services.end_conflict(declaration_id=d.pk, ends_on=dt.date(2026, 12, 1), actor=actor_for(world.users["officer1"]))
        assert {v.code for v in exc.value.violations} == {"CONFLICT_ENDED"}
    assert "在效" in client.get(URL, {"state": "in_force"}).content.decode()
    assert "近亲属" not in client.get(URL, {"state": "ended"}).content.decode()


def test_entity_search_box_never_lists_the_whole_database(world):
    entities = make_entities(30)
    client = login("officer1")
    r = client.get(f"{URL}entities/", {"entity": "示例商贸"})
    body = r.content.decode()
    assert r.status_code == 200 and body.count("<option") == 10 and 'data-testid="entity-matches"' in body
    one = client.get(f"{URL}entities/", {"entity": entities[4].credit_code}).content.decode()
    assert one.count("<option") == 1 and entities[4].name in one
    prefix = client.get(f"{URL}entities/", {"entity": entities[4].credit_code[:16]}).content.decode()
    assert entities[4].credit_code in prefix
    none = client.get(f"{URL}entities/", {"entity": "无此名称"}).content.decode()
    assert "没有以“无此名称”开头" in none
    picked = client.get(f"{URL}entities/", {"pick": entities[4].credit_code}).content.decode()
    assert f'value="{entities[4].credit_code}"' in picked and "已选择" in picked
    assert login("aux1").get(f"{URL}entities/", {"entity": "示例"}).status_code == 403


def test_conflict_list_query_count_does_not_grow(world):
    entities = make_entities(60)
    client = login("head1")
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx)

    few = count()
    officers = [world.officers[k] for k in ("officer1", "officer2", "reviewer1", "head1")]
    ConflictDeclaration.objects.bulk_create([
        ConflictDeclaration(officer=officers[n % 4], entity=e, relation="亲属", starts_on=TODAY, declared_on=TODAY)
        for n, e in enumerate(entities)
    ])
    assert count() <= few + 1  # the page query itself appears once there are rows
    assert few <= 16  # with the side navigation's counts (transfers, off-site, flexible acts, notices)


def test_conflict_api_end_and_denials(world, api_as):
    entity = make_entities(1)[0]
    api = api_as("officer1")
    r = api.post("/api/v1/inspections/conflicts", {"officer_id": world.officers["officer1"].pk, "entity_id": entity.pk,
                                                   "relation": "配偶任法定代表人", "starts_on": "2026-11-01"})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api.post(f"/api/v1/inspections/conflicts/{pk}/end", {"ends_on": "2026-11-01"})
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "PERIOD_INVALID"
    assert api_as("officer_other").post(f"/api/v1/inspections/conflicts/{pk}/end", {"ends_on": "2026-12-01"}).status_code == 403
    assert api.post(f"/api/v1/inspections/conflicts/{pk}/end", {"ends_on": "2026-13-01"}).status_code == 422
    r = api.post(f"/api/v1/inspections/conflicts/{pk}/end", {"ends_on": "2026-12-31"})
    assert r.status_code == 200 and r.json()["ends_on"] == "2026-12-31"
    aux = api_as("aux1")
    assert aux.get("/api/v1/inspections/inspectors").status_code == 403
    assert aux.get("/api/v1/inspections/conflicts").status_code == 403


def test_r28_administrator_types_the_officer_when_there_are_too_many_to_list(world):
    """Over ``ConflictForm.SELECT_MAX`` officers to choose from (the administrator of a city of
    5,000): the officer is typed — staff number, name, or both when either alone is ambiguous —
    instead of a page carrying thousands of options."""
    from zhifa.inspections.forms import ConflictForm
    from zhifa.registry.models import Officer

    entity = make_entities(1)[0]
    Officer.objects.bulk_create(Officer(body=world.market, name=f"检查员{n}", staff_no=f"X{n:04d}") for n in range(ConflictForm.SELECT_MAX))
    Officer.objects.create(body=world.market, name="检查员7", staff_no="Y0007")  # a second 检查员7
    client = login("admin")
    page = client.get(URL).content.decode()
    assert page.count("<option") < 100 and 'placeholder="工号或姓名"' in page

    def typed(text):
        return client.post(URL, {"officer": text, "entity": entity.credit_code, "relation": "亲属", "starts_on": "2026-11-23"})

    assert "有多名人员匹配" in typed("检查员7").content.decode()
    assert "没有该工号或姓名的人员" in typed("无此人").content.decode()
    assert ConflictDeclaration.objects.count() == 0
    assert typed("X0012").status_code == 302 and ConflictDeclaration.objects.get().officer.staff_no == "X0012"
    assert typed("检查员7 Y0007").status_code == 302 and ConflictDeclaration.objects.filter(officer__staff_no="Y0007").exists()
    assert typed("检查员8").status_code == 302  # a unique name
    # an officer, who declares for themself only, still picks from the list
    assert 'name="officer"' in login("officer1").get(URL).content.decode().split("<select")[1]
