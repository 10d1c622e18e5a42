"""Pages: overview, item list, entity database, plan editor, draw page, results entry."""
from __future__ import annotations

import pytest
from django.test import Client

from zhifa.inspections import services
from zhifa.inspections.models import Draw, Inspection, Task

from .conftest import make_entities

pytestmark = pytest.mark.usefixtures("frozen_clock")


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="zhifa-demo")
    return client


def test_pages_plan_editor_draw_and_record(world, item):
    make_entities(30)
    head = login("head1")
    for url in ("/inspections/", "/inspections/items/", "/inspections/entities/", "/inspections/entities/?q=示例&risk=B"):
        r = head.get(url)
        assert r.status_code == 200, url
    r = head.post("/inspections/", {"title": "2026年度计划", "year": "2026"})
    assert r.status_code == 302
    plan_url = r["Location"]
    r = head.post(plan_url, {"title": "餐饮抽查", "kind": "random", "items": [item.pk], "sample_count": "3",
                             "inspectors_per_entity": "2", "starts_on": "2026-11-01", "ends_on": "2026-12-31"})
    assert r.status_code == 302, r.content.decode()[:2000]
    task = Task.objects.get()
    r = head.post(plan_url, {"title": "", "items": [], "starts_on": "2026-12-01", "ends_on": "2026-11-01", "inspectors_per_entity": "1"})
    assert r.status_code == 200 and "操作未通过" in r.content.decode()
    r = head.post(plan_url, {"action": "draw", "task": task.pk})
    assert r.status_code == 302
    draw = Draw.objects.get()
    r = head.post(f"/inspections/draws/{draw.pk}/", {"witness": "31415", "witness_name": "见证人"})
    assert r.status_code == 302
    page = Client().get(f"/inspections/draws/{draw.pk}/?verify=1")  # public
    assert page.status_code == 200 and "核对一致" in page.content.decode()
    inspection = Inspection.objects.filter(draw=draw).first()
    officer = inspection.assignments.first().officer
    inspector = login(officer.user.username)
    assert inspector.get(f"/inspections/results/{inspection.pk}/").status_code == 200
    r = inspector.post(f"/inspections/results/{inspection.pk}/", {"inspected_on": "2026-11-23", "outcome": "no_problem", "point_0": "ok"})
    assert r.status_code == 302
    inspection.refresh_from_db()
    assert inspection.outcome == "no_problem" and inspection.answers[0]["ok"]
    assert head.get(plan_url).status_code == 200
    draw.refresh_from_db()
    assert services.verify_draw(draw).ok


def test_public_cannot_see_staff_pages(world):
    assert Client().get("/inspections/entities/").status_code == 302


def test_r28_results_page_and_surprise_draw_page_denied_to_outsiders(world, item):
    """Another body's officer gets 404 on a results page; the public draw page of a surprise
    inspection shows neither the seed nor the drawn list before the task ends."""
    import datetime as dt

    from django.test import Client

    from zhifa.core import clock
    from zhifa.inspections import services
    from zhifa.inspections.models import Inspection
    from zhifa.registry.access import actor_for

    from .conftest import make_entities

    make_entities(10)
    head = actor_for(world.users["head1"])
    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.SHANGHAI)):
        plan = services.create_plan(body_id=world.market.pk, year=2026, title="飞行检查计划", actor=head)
        task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title="特种设备飞行检查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), kind="surprise",
            item_ids=[item.pk], sample_count=2), actor=head)
        draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="3", actor=head)
        inspection = Inspection.objects.filter(draw=draw).first()
        other = Client()
        other.force_login(world.users["officer_other"])
        assert other.get(f"/inspections/results/{inspection.pk}/").status_code == 404
        page = Client().get(f"/inspections/draws/{draw.pk}/").content.decode()
        assert "draw-withheld" in page and draw.seed not in page and inspection.entity.credit_code not in page
        own = Client()
        own.force_login(world.users["officer1"])
        assert own.get(f"/inspections/results/{inspection.pk}/").status_code == 200
        assert draw.seed in own.get(f"/inspections/draws/{draw.pk}/").content.decode()
