"""R30: opening a case (案源登记) from an inspection's finding — grant, denials, refusals that
write nothing, and the case in the body's case list with the entity as the party."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.catalog.models import Item
from zhifa.core import ledger
from zhifa.core.violations import Refused
from zhifa.inspections import services
from zhifa.inspections.models import Inspection
from zhifa.registry.access import actor_for
from tests.factories import ItemFactory

from .drawing import inspection_with_finding

pytestmark = pytest.mark.usefixtures("frozen_clock")

ITEM = "SJJ-CF-001"


@pytest.fixture
def finding(world, head, item):
    ItemFactory(body=world.market, code=ITEM, name="对销售过期食品的处罚", legal_basis="《中华人民共和国食品安全法》第一百二十四条")
    return inspection_with_finding(world, head, item)


def _open(inspection, actor):
    return services.open_case_from_inspection(inspection.pk, item_code=ITEM, act_date=dt.date(2026, 11, 23),
                                              facts="货架上销售过期食品", actor=actor)


def test_r30_assigned_inspector_opens_case_with_entity_as_party(world, finding, head):
    inspection, inspector = finding
    case = _open(inspection, actor_for(inspector.user))
    entity = inspection.entity
    assert (case.party_kind, case.party_name, case.party_id_code, case.party_address) == (
        "organisation", entity.name, entity.credit_code, entity.address)
    assert case.source == "inspection" and f"检查记录 #{inspection.pk}" in case.clue
    assert case.body_id == world.market.pk and case.state == "source"
    inspection.refresh_from_db()
    assert inspection.case_id == case.pk and inspection.case_number == case.number and inspection.outcome == "case"
    assert case in case_services.visible_cases(head)
    actions = [e.action for e in ledger.RecordEntry.objects.filter(stream=f"draw:{inspection.draw_id}")]
    assert actions[-1] == "case"


def test_r30_head_may_open_case(finding, head):
    inspection, _ = finding
    assert _open(inspection, head).pk == Inspection.objects.get(pk=inspection.pk).case_id


@pytest.mark.parametrize("username", ["officer_other", "aux1", "supervisor"])
def test_r30_others_are_denied_and_nothing_written(world, finding, username):
    inspection, _ = finding
    actor = actor_for(world.users[username])
    if actor.officer is not None and actor.officer.pk in set(inspection.inspector_ids):
        pytest.skip("drawn as inspector")
    with pytest.raises(PermissionDenied):
        _open(inspection, actor)
    assert Case.objects.count() == 0


def test_r30_no_finding_or_existing_case_is_refused_and_writes_nothing(world, finding, head):
    inspection, inspector = finding
    other = Inspection.objects.filter(draw=inspection.draw).exclude(pk=inspection.pk).first()
    with pytest.raises(Refused) as exc:  # not recorded yet: no finding
        _open(other, head)
    assert [v.code for v in exc.value.violations] == ["NO_FINDING"]
    assert Case.objects.count() == 0
    _open(inspection, head)
    entries = ledger.RecordEntry.objects.count()
    with pytest.raises(Refused) as exc:
        _open(inspection, actor_for(inspector.user))
    assert [v.code for v in exc.value.violations] == ["CASE_EXISTS"]
    assert Case.objects.count() == 1 and ledger.RecordEntry.objects.count() == entries


def test_r30_bad_item_rolls_back(finding, head):
    inspection, _ = finding
    with pytest.raises(Exception):
        services.open_case_from_inspection(inspection.pk, item_code="NO-SUCH", act_date=dt.date(2026, 11, 23), actor=head)
    inspection.refresh_from_db()
    assert inspection.case_id is None and Case.objects.count() == 0


def test_r30_api_open_case(world, finding, api_as):
    inspection, inspector = finding
    url = f"/api/v1/inspections/inspections/{inspection.pk}/open-case"
    body = {"item_code": ITEM, "act_date": "2026-11-23", "facts": "货架上销售过期食品"}
    assert api_as("officer_other").post(url, body).status_code == 403
    assert api_as(inspector.user.username).post(url, {"item_code": ITEM, "act_date": "昨天"}).status_code == 422
    assert Case.objects.count() == 0
    r = api_as(inspector.user.username).post(url, body)
    assert r.status_code == 201, r.content
    assert r.json()["case_id"] == Inspection.objects.get(pk=inspection.pk).case_id
    r = api_as("head1").post(url, body)
    assert r.status_code == 409 and r.json()["violations"][0]["code"] == "CASE_EXISTS"
    assert api_as("head1").post("/api/v1/inspections/inspections/999999/open-case", body).status_code == 404


def test_r30_page_button_opens_case(world, finding):
    inspection, inspector = finding
    client = Client()
    assert client.login(username=inspector.user.username, password="zhifa-demo")
    url = f"/inspections/results/{inspection.pk}/"
    assert 'data-testid="open-case-form"' in client.get(url).content.decode()
    r = client.post(url, {"action": "open_case", "item": "", "act_date": "2026-11-23"})
    assert r.status_code == 200 and 'id="id_item_error">请选择执法事项' in r.content.decode() and Case.objects.count() == 0
    chosen = Item.objects.get(code=ITEM)  # the page offers a list of the body's items, not a code to type
    r = client.post(url, {"action": "open_case", "item": chosen.pk, "act_date": "2026-11-23", "facts": "过期食品"})
    assert r.status_code == 302
    case = Case.objects.get()
    assert r["Location"] == f"/cases/{case.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="open-case-form"' not in page and case.number in page
    head = Client()
    assert head.login(username="head1", password="zhifa-demo")
    assert case.party_name in head.get("/cases/").content.decode()
    other = Client()
    assert other.login(username="officer_other", password="zhifa-demo")
    r = other.post(url, {"action": "open_case", "item": chosen.pk, "act_date": "2026-11-23"})
    assert r.status_code == 404 and Case.objects.count() == 1  # another body's inspection is not visible
