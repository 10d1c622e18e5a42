"""Open data (contract.md "Public portal"): GET /api/v1/public/{decisions,inspections,bodies,items}
and their .csv, no login, answered through the apps' public.py — redacted."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.cases.test_public import people
from tests.conftest import TODAY
from tests.factories import BodyFactory, ItemFactory
from zhifa.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(world):
    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚")
    return Case.objects.create(
        body=world.market, item=item, clue_received_on=TODAY - dt.timedelta(days=60), party_kind=Case.PartyKind.PERSON,
        party_name="王小明", party_id_code="650203199001011234", party_address="示例市示例区人民路18号",
        party_phone="13912345678", act_date=TODAY - dt.timedelta(days=70), number="示市监罚〔2026〕1号",
        act_description="王小明销售过期食品", facts="王小明（电话13912345678）销售过期食品", decision_kinds=["fine"],
        decision_amount=Decimal("5000"), decided_on=TODAY - dt.timedelta(days=10), published_on=TODAY - dt.timedelta(days=5))


def test_open_data_decisions_are_redacted_json_and_csv(decision):
    client = Client()
    page = client.get("/api/v1/public/decisions").json()
    assert page["count"] == 1 and page["items"][0]["party_name"] == "王某"
    response = client.get("/api/v1/public/decisions.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffid,number,") and "示市监罚〔2026〕1号" in text
    for secret in ("王小明", "650203199001011234", "13912345678"):
        assert secret not in text and secret not in repr(page)


def test_open_data_bodies_and_items_are_the_published_ones(world):
    hidden = BodyFactory(code="HIDDEN", name="未公示主体", jurisdiction=world.city, is_published=False)
    ItemFactory(body=hidden, code="H-1")
    ItemFactory(body=world.market, code="M-1")
    client = Client()
    bodies = client.get("/api/v1/public/bodies", {"page_size": 200}).json()
    assert "HIDDEN" not in {b["code"] for b in bodies["items"]} and bodies["count"] >= 1
    assert [i["code"] for i in client.get("/api/v1/public/items").json()["items"]] == ["M-1"]
    text = b"".join(client.get("/api/v1/public/items.csv").streaming_content).decode("utf-8")
    assert "M-1" in text and "H-1" not in text
    csv_bodies = b"".join(client.get("/api/v1/public/bodies.csv").streaming_content).decode("utf-8")
    assert world.market.name in csv_bodies and "未公示主体" not in csv_bodies


def test_open_data_inspections_answer_without_login(world):
    client = Client()
    assert client.get("/api/v1/public/inspections").json() == {"items": [], "count": 0, "page": 1, "page_size": 50}
    assert client.get("/api/v1/public/inspections.csv").status_code == 200
    assert client.get("/api/v1/public/inspections", {"page_size": 999}).status_code == 422


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=people)
def test_no_natural_persons_data_in_the_open_data_json_or_csv(decision, person):
    name, id_number, phone = person
    Case.objects.filter(pk=decision.pk).update(
        party_name=name, party_id_code=id_number, party_phone=phone,
        act_description=f"{name}于人民路销售过期食品，电话{phone}", facts=f"当事人{name}，公民身份号码{id_number}，手机{phone}。")
    client = Client()
    output = json.dumps(client.get("/api/v1/public/decisions").json(), ensure_ascii=False)
    assert "某" in output  # the masked name is there
    output += b"".join(client.get("/api/v1/public/decisions.csv").streaming_content).decode("utf-8")
    assert name not in output and id_number not in output and phone not in output
