"""R09: the one item filter shared by the API and the pages (``catalog.selectors``)."""
from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.catalog import selectors
from zhifa.catalog.models import Item
from zhifa.registry.access import PUBLIC, actor_for


def test_r09_filter_items_by_keyword_body_kind_and_validity(world):
    current = ItemFactory(body=world.market, code="X-1", name="销售过期食品", kind="penalty", valid_from=dt.date(2020, 1, 1))
    ended = ItemFactory(body=world.market, code="X-2", name="旧事项", kind="inspection", legal_basis="《示例条例》第三条",
                        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2021, 1, 1))
    other = ItemFactory(body=world.urban, code="Y-1", name="占道经营", kind="penalty", valid_from=dt.date(2020, 1, 1))
    qs = Item.objects.filter(pk__in=[current.pk, ended.pk, other.pk])
    assert set(selectors.filter_items(qs, q=" 过期 ")) == {current}
    assert set(selectors.filter_items(qs, q="示例条例")) == {ended}
    assert set(selectors.filter_items(qs, body=world.urban)) == {other}
    assert set(selectors.filter_items(qs, body=world.urban.pk, kind="inspection")) == set()
    assert set(selectors.filter_items(qs, valid_on=TODAY)) == {current, other}
    assert set(selectors.filter_items(qs, expired_on=TODAY)) == {ended}
    assert set(selectors.filter_items(qs, q="   ")) == {current, ended, other}


def test_r09_visible_items_follow_the_visible_bodies(world):
    mine = ItemFactory(body=world.market, code="X-1")
    admin = actor_for(world.users["admin"])
    assert mine in selectors.visible_items(admin)
    assert set(selectors.visible_items(actor_for(world.users["officer1"]))) >= {mine}
    hidden = {i.body_id for i in selectors.visible_items(PUBLIC)}
    assert all(b.is_published for b in type(world.market).objects.filter(pk__in=hidden))


def test_r03_body_panel_lists_items_and_delegations(world):
    from zhifa.catalog import services

    item = ItemFactory(body=world.county_body, code="C-1")
    services.create_delegation(kind="delegation", from_body=world.county_body, to_body=world.township_bureau, item=item,
                               valid_from=dt.date(2026, 1, 1), actor=actor_for(world.users["admin"]))
    county, township = selectors.body_panel(world.county_body), selectors.body_panel(world.township_bureau)
    assert list(county["items"]) == [item] and county["n_items"] == 1
    assert [d.item_id for d in county["delegations_out"]] == [item.pk] and not county["delegations_in"].exists()
    assert [d.from_body_id for d in township["delegations_in"]] == [world.county_body.pk]
    assert selectors.items_of_bodies(type(world.market).objects.filter(pk=world.county_body.pk)).count() == 1
