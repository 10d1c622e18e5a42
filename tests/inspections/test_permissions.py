"""Who may see and do what in double random, one public (``inspections.permissions``): the one
set of predicates the services, the API and the pages share."""
from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core import clock, ledger
from zhifa.core.violations import Refused
from zhifa.inspections import permissions, services
from zhifa.inspections.models import Inspection
from zhifa.registry.access import PUBLIC, actor_for

from .conftest import TODAY
from .drawing import (
    first_inspection,
    image_bytes,
    inspection_with_finding,
    login,
    revealed_draw,
    upload,
)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_r05_auxiliary_staff_and_the_public_never_use_the_inspector_pages(world):
    assert permissions.auxiliary_only(actor_for(world.users["aux1"]))
    assert not permissions.may_use_inspector_pages(actor_for(world.users["aux1"]))
    assert not permissions.may_use_inspector_pages(PUBLIC)
    for name in ("officer1", "head1", "supervisor", "admin"):
        assert permissions.may_use_inspector_pages(actor_for(world.users[name])), name


def test_r28_conflicts_are_declared_by_the_officer_their_head_or_the_administrator(world):
    officer = world.officers["officer1"]
    assert permissions.may_declare_for(actor_for(world.users["officer1"]), officer)
    assert permissions.may_declare_for(actor_for(world.users["head1"]), officer)
    assert permissions.may_declare_for(actor_for(world.users["admin"]), officer)
    assert not permissions.may_declare_for(actor_for(world.users["officer2"]), officer)
    assert not permissions.may_declare_for(actor_for(world.users["officer_other"]), officer)


def test_r28_only_the_drawn_inspectors_record_and_insiders_see_photos(world, head, item):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    inspection, officers = first_inspection(draw)
    drawn = actor_for(officers[0].user)
    assert permissions.is_assigned(drawn, inspection.inspector_ids)
    assert permissions.is_assigned(actor_for(world.users["admin"]), inspection.inspector_ids)
    assert not permissions.is_assigned(head, inspection.inspector_ids) or head.officer.pk in inspection.inspector_ids
    assert permissions.may_see_task(head, inspection.task) and permissions.may_see_photos(head, inspection)
    outsider = actor_for(world.users["officer_other"])  # another body's officer
    assert not permissions.may_see_task(outsider, inspection.task) and not permissions.may_see_photos(outsider, inspection)
    assert not permissions.may_see_photos(PUBLIC, inspection)
    assert not permissions.may_see_photos(actor_for(world.users["aux1"]), inspection)
    assert permissions.insider_task_ids(PUBLIC, [inspection.task_id]) == set()


# --- R04 (APL art.42): the acting officer's own certificate, on the act's date ------------------

def _expire(officer, on=None):
    """The officer's certificate expired the day before ``on`` (default: the frozen today)."""
    from zhifa.registry.models import Certificate

    Certificate.objects.filter(officer=officer).update(expires_on=(on or TODAY) - dt.timedelta(days=1))


def _codes(call) -> list[str]:
    with pytest.raises(Refused) as exc:
        call()
    return [v.code for v in exc.value.violations]


def _answers():
    return [{"point": p, "ok": True, "note": ""} for p in ("持证经营", "从业人员健康证明", "进货查验记录")]


def test_r04_certificate_violations_of_the_actor_on_the_acts_date(world):
    officer1 = actor_for(world.users["officer1"])
    assert permissions.certificate_violations(officer1, TODAY) == []
    assert [v.code for v in permissions.certificate_violations(actor_for(world.users["officer3"]), TODAY)] == ["CERTIFICATE_INVALID"]
    assert [v.code for v in permissions.certificate_violations(officer1, TODAY + dt.timedelta(days=5000))] == ["CERTIFICATE_INVALID"]
    assert permissions.certificate_violations(actor_for(world.users["admin"]), TODAY) == []  # no officer: the administrator


def test_r04_an_inspector_whose_certificate_expired_records_no_result_and_nothing_is_written(world, head, item):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    inspection, officers = first_inspection(draw)
    _expire(officers[0])
    entries = ledger.RecordEntry.objects.count()
    data = services.ResultInput(inspected_on=TODAY, outcome="no_problem", answers=_answers())
    assert _codes(lambda: services.record_result(inspection_id=inspection.pk, data=data, actor=actor_for(officers[0].user))) == ["CERTIFICATE_INVALID"]
    inspection.refresh_from_db()
    assert inspection.outcome == "" and ledger.RecordEntry.objects.count() == entries
    # the other drawn inspector, certificate valid, records it
    services.record_result(inspection_id=inspection.pk, data=data, actor=actor_for(officers[1].user))


def test_r04_an_inspector_whose_certificate_expired_adds_and_removes_no_photo(world, head, item):
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    inspection, officers = first_inspection(draw)
    photo = services.add_photos(inspection_id=inspection.pk, uploads=[upload("a.jpg", image_bytes())], actor=actor_for(officers[0].user))[0]
    _expire(officers[0])
    actor = actor_for(officers[0].user)
    assert _codes(lambda: services.add_photos(inspection_id=inspection.pk, uploads=[upload("b.jpg", image_bytes(color=(1, 2, 3)))],
                                              actor=actor)) == ["CERTIFICATE_INVALID"]
    assert _codes(lambda: services.remove_photo(photo_id=photo.pk, actor=actor)) == ["CERTIFICATE_INVALID"]
    assert inspection.photos.count() == 1


def test_r04_no_case_is_opened_from_a_finding_by_an_inspector_whose_certificate_expired(world, head, item):
    from tests.factories import ItemFactory

    ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚", legal_basis="《中华人民共和国食品安全法》第一百二十四条")
    inspection, inspector = inspection_with_finding(world, head, item)
    _expire(inspector)
    assert _codes(lambda: services.open_case_from_inspection(
        inspection.pk, item_code="SJJ-CF-001", act_date=TODAY, actor=actor_for(inspector.user))) == ["CERTIFICATE_INVALID"]
    inspection.refresh_from_db()
    assert inspection.case_id is None


def test_r04_a_head_whose_certificate_expired_publishes_no_result(world, head, item):
    inspection, _ = inspection_with_finding(world, head, item)
    _expire(world.officers["head1"])
    assert _codes(lambda: services.publish_results(task_id=inspection.task_id, actor=actor_for(world.users["head1"]))) == ["CERTIFICATE_INVALID"]
    inspection.refresh_from_db()
    assert inspection.published_on is None


def test_r04_inspectors_drawn_hold_a_certificate_valid_on_the_draw_date(world, head, item):
    """The commitment is published before the draw: an inspector whose certificate lapses before
    the scheduled day is not in the frozen pool."""
    from .conftest import make_entities

    make_entities(10)
    officer2 = world.officers["officer2"]
    _expire(officer2, TODAY + dt.timedelta(days=3))  # valid today, expired on the 3rd day
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="抽查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk], sample_count=2), actor=head)
    assert officer2.pk in services.inspector_pool_ids([world.market.pk], TODAY)
    assert officer2.pk not in services.inspector_pool_ids([world.market.pk], TODAY, TODAY + dt.timedelta(days=3))
    scheduled = dt.datetime(2026, 11, 26, 10, 0, tzinfo=clock.SHANGHAI)
    draw = services.commit_draw(task_id=task.pk, scheduled_at=scheduled, actor=head)
    assert f"\n{officer2.pk}\n" not in "\n" + draw.document_bytes().decode() + "\n"
    with clock.frozen(scheduled):
        services.reveal_draw(draw_id=draw.pk, witness="7", actor=head)
    drawn = {o for ids in Inspection.objects.filter(draw=draw).values_list("inspector_ids", flat=True) for o in ids}
    assert drawn and officer2.pk not in drawn


def _officer3_drawn(world, head, item):
    """officer3 (demo: expired certificate) on an inspection — as if drawn before it expired."""
    draw = revealed_draw(world, head, item, entities=10, sample=3)
    inspection, officers = first_inspection(draw)
    officer3 = world.officers["officer3"]
    Inspection.objects.filter(pk=inspection.pk).update(inspector_ids=[officer3.pk, officers[1].pk])
    return inspection


def test_r04_officer3_is_refused_by_the_api(world, head, item, api_as):
    inspection = _officer3_drawn(world, head, item)
    r = api_as("officer3").post(f"/api/v1/inspections/inspections/{inspection.pk}/result",
                                {"inspected_on": "2026-11-23", "outcome": "no_problem", "answers": _answers()})
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["CERTIFICATE_INVALID"]


def test_r04_officer3_is_refused_by_the_page_which_says_why(world, head, item):
    inspection = _officer3_drawn(world, head, item)
    client = login("officer3")
    page = client.get(f"/inspections/results/{inspection.pk}/").content.decode()
    assert "行政执法证" in page and "CERTIFICATE_INVALID" in page
    post = {"inspected_on": "2026-11-23", "outcome": "no_problem", "point_0": "ok", "point_1": "ok", "point_2": "ok"}
    page = client.post(f"/inspections/results/{inspection.pk}/", post).content.decode()
    assert "CERTIFICATE_INVALID" in page
    assert Inspection.objects.get(pk=inspection.pk).outcome == ""
