"""Staff pages of the item catalogue (R09): scope, filters, sorting, detail, query counts."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import page_queries
from tests.factories import PASSWORD, ItemFactory
from zhifa.catalog.models import Delegation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


@pytest.fixture
def items(world):
    return {
        "food": ItemFactory(body=world.market, code="SJJ-001", name="对生产经营不符合食品安全标准食品的处罚", legal_basis="《中华人民共和国食品安全法》第一百二十四条"),
        "seize": ItemFactory(body=world.market, code="SJJ-002", name="查封、扣押不符合食品安全标准的食品", kind="coercion"),
        "old": ItemFactory(body=world.market, code="SJJ-000", name="已废止的事项", valid_to=dt.date(2025, 1, 1)),
        "urban": ItemFactory(body=world.urban, code="CGJ-001", name="对擅自占用城市道路的处罚"),
        "hidden": ItemFactory(body=world.foreign_body, code="LSJJ-001", name="邻市未公示事项"),
    }


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def codes(response) -> list[str]:
    return [i.code for i in response.context["page"].object_list]


def test_anonymous_is_redirected(world):
    assert Client().get("/catalog/items/").status_code == 302


def test_r09_item_list_shows_items_of_visible_bodies(world, items, unpublished_foreign_body):
    response = login("officer1").get("/catalog/items/")
    assert response.status_code == 200
    assert set(codes(response)) == {"SJJ-001", "SJJ-002", "CGJ-001"}  # current items; the unpublished body is hidden
    assert "对生产经营不符合食品安全标准食品的处罚" in response.content.decode()


def test_item_list_filters(world, items):
    client = login("supervisor")
    assert codes(client.get("/catalog/items/", {"kind": "coercion"})) == ["SJJ-002"]
    assert codes(client.get("/catalog/items/", {"q": "食品安全法"})) == ["SJJ-001"]
    assert set(codes(client.get("/catalog/items/", {"body": world.urban.pk}))) == {"CGJ-001"}
    assert codes(client.get("/catalog/items/", {"validity": "expired", "body": world.market.pk})) == ["SJJ-000"]


def test_item_list_sorts(world, items):
    client = login("supervisor")
    ordered = codes(client.get("/catalog/items/", {"sort": "-code", "body": world.market.pk}))
    assert ordered == ["SJJ-002", "SJJ-001"]
    assert client.get("/catalog/items/", {"sort": "nonsense"}).status_code == 200


def test_item_list_htmx_returns_the_table_only(world, items):
    response = login("officer1").get("/catalog/items/", {"q": "查封"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "SJJ-002" in html and "<html" not in html


def test_r03_item_detail_shows_basis_and_delegations(world, items):
    Delegation.objects.create(kind="delegation", from_body=world.county_body, to_body=world.township_bureau,
                              item=ItemFactory(body=world.county_body, code="QSJJ-001", name="对无照经营的处罚"),
                              valid_from=dt.date(2025, 1, 1), document_ref="省政府令第1号")
    client = login("supervisor")
    response = client.get(f"/catalog/items/{items['food'].pk}/")
    html = response.content.decode()
    assert "《中华人民共和国食品安全法》第一百二十四条" in html and "现行有效" in html
    from zhifa.catalog.models import Item

    delegated = Item.objects.get(code="QSJJ-001")
    html = client.get(f"/catalog/items/{delegated.pk}/").content.decode()
    assert "示例镇综合行政执法队" in html and "省政府令第1号" in html


def test_item_of_unpublished_foreign_body_is_404(world, items, unpublished_foreign_body):
    assert login("officer1").get(f"/catalog/items/{items['hidden'].pk}/").status_code == 404
    assert login("admin").get(f"/catalog/items/{items['hidden'].pk}/").status_code == 200


def test_item_list_query_count_is_constant(world, items):
    client = login("officer1")
    before = page_queries(client, "/catalog/items/")
    ItemFactory.create_batch(40, body=world.market)
    ItemFactory.create_batch(10, body=world.urban)
    assert page_queries(client, "/catalog/items/") == before
