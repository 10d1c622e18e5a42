"""Catalog API (R09): enforcement items, searchable by name, code and legal basis."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY
from tests.factories import BodyFactory, ItemFactory
from zhifa.catalog.models import Item
from zhifa.core import clock


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def items(world):
    made = {
        "food": ItemFactory(
            code="330217001000", name="对生产经营不符合食品安全标准的食品的处罚", body=world.market,
            legal_basis="《中华人民共和国食品安全法》第一百二十四条", sub_name="生产经营超范围使用食品添加剂",
        ),
        "price": ItemFactory(code="330217002000", name="对不明码标价的处罚", body=world.market,
                             legal_basis="《中华人民共和国价格法》第四十二条"),
        "seal": ItemFactory(code="330217003000", name="查封扣押", kind=Item.Kind.COERCION, body=world.market,
                            legal_basis="《中华人民共和国行政强制法》第二十二条"),
        "old": ItemFactory(code="330217004000", name="对旧规定的处罚", body=world.market,
                           valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2025, 12, 31)),
        "urban": ItemFactory(code="330219001000", name="对擅自占用城市道路的处罚", body=world.urban,
                             legal_basis="《城市道路管理条例》第四十二条"),
    }
    hidden = BodyFactory(code="NBJ", name="示例市内部执法队", jurisdiction=world.city, is_published=False)
    made["hidden"] = ItemFactory(code="330299001000", name="内部事项", body=hidden)
    return made


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["items"]}


def test_r09_search_items_by_name_code_and_legal_basis(items, api_as):
    client = api_as(None)
    assert codes(client.get("/api/v1/items", q="明码标价")) == {"330217002000"}
    assert codes(client.get("/api/v1/items", q="食品安全法》第一百二十四条")) == {"330217001000"}
    assert codes(client.get("/api/v1/items", q="超范围使用")) == {"330217001000"}  # sub-item name
    assert codes(client.get("/api/v1/items", q="330219")) == {"330219001000"}
    assert codes(client.get("/api/v1/items", q="  价格法 ")) == {"330217002000"}


def test_r09_filter_by_body_kind_and_validity(items, world, api_as):
    client = api_as(None)
    assert codes(client.get("/api/v1/items", body=world.urban.pk)) == {"330219001000"}
    assert codes(client.get("/api/v1/items", kind="coercion")) == {"330217003000"}
    assert "330217004000" not in codes(client.get("/api/v1/items", valid_on=TODAY.isoformat()))
    assert "330217004000" in codes(client.get("/api/v1/items", valid_on="2025-12-31"))
    assert "330217002000" not in codes(client.get("/api/v1/items", valid_on="2023-12-31"))


def test_r09_item_detail_by_code(items, api_as):
    response = api_as(None).get("/api/v1/items/330217001000")
    assert response.status_code == 200
    item = response.json()
    assert item["full_name"] == "对生产经营不符合食品安全标准的食品的处罚（生产经营超范围使用食品添加剂）"
    assert item["kind"] == "penalty" and item["kind_label"] == "行政处罚"
    assert item["body_name"] == "示例市市场监督管理局"
    assert item["valid_from"] == "2024-01-01" and item["valid_to"] is None and item["is_valid_today"] is True
    old = api_as(None).get("/api/v1/items/330217004000").json()
    assert old["valid_to"] == "2025-12-31" and old["is_valid_today"] is False
    missing = api_as(None).get("/api/v1/items/NOPE")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_items_of_unpublished_body_are_hidden_from_outsiders(items, api_as):
    assert "330299001000" not in codes(api_as(None).get("/api/v1/items"))
    assert api_as(None).get("/api/v1/items/330299001000").status_code == 404
    assert api_as("officer1").get("/api/v1/items/330299001000").status_code == 404
    assert api_as("supervisor").get("/api/v1/items/330299001000").status_code == 200
    assert "330299001000" in codes(api_as("admin").get("/api/v1/items"))


def test_items_sort_and_page(items, api_as):
    client = api_as(None)
    rows = client.get("/api/v1/items", sort="-code", page_size=2).json()
    assert rows["count"] == 5 and rows["page_size"] == 2
    assert [r["code"] for r in rows["items"]] == ["330219001000", "330217004000"]
    assert client.get("/api/v1/items", sort="legal_basis").status_code == 422


@pytest.mark.parametrize("username", ["officer1", "supervisor", None])
def test_items_no_n_plus_one(world, api_as, username):
    for body in (world.market, world.urban, world.township_bureau, world.county_body):
        ItemFactory.create_batch(8, body=body)
    client = api_as(username)
    client.get("/api/v1/items")
    sizes = {}
    for page_size in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/items", page_size=page_size, q="处罚")
        assert response.status_code == 200
        sizes[page_size] = (len(ctx), len(response.json()["items"]))
    assert sizes[5][0] == sizes[50][0]
    assert sizes[5][1] == 5 and sizes[50][1] == 32


def test_openapi_documents_item_endpoints(world, api_as):
    spec = api_as(None).get("/api/v1/openapi.json").json()
    for path in ("/api/v1/items", "/api/v1/items/{code}"):
        operation = spec["paths"][path]["get"]
        assert operation["tags"] == ["执法事项"] and operation["summary"]
    params = {p["name"] for p in spec["paths"]["/api/v1/items"]["get"]["parameters"]}
    assert {"q", "body", "kind", "valid_on", "sort", "page", "page_size"} <= params
