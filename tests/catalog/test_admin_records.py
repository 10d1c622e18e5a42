"""Every write leaves a record (issue 13 §5): the catalogue's admin pages save and delete through
``catalog.services.save_by_admin`` / ``delete_by_admin``, recorded on the row's stream."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import ItemFactory
from zhifa.catalog import services
from zhifa.catalog.models import Delegation, Item
from zhifa.core.ledger import RecordEntry
from zhifa.registry import access


def test_an_item_changed_in_the_admin_is_recorded_on_its_stream(world, client):
    item = ItemFactory(body=world.market, code="SJJ-CF-9001", name="对某违法行为的处罚")
    client.force_login(world.users["admin"])
    url = f"/admin/catalog/item/{item.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (bool, list))}
    data.update({k: "on" for k, v in form.initial.items() if v is True})
    data.update({"level": "市级、区级", "item_provisions-TOTAL_FORMS": "0", "item_provisions-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = RecordEntry.objects.get(stream="item:SJJ-CF-9001")
    assert entry.action == "admin_change_item" and entry.payload["changed"] == {"level": "市级、区级"}
    assert entry.actor_name == "admin" and Item.objects.get(pk=item.pk).level == "市级、区级"


def test_a_delegation_created_and_deleted_in_the_admin_is_recorded(world):
    admin = access.actor_for(world.users["admin"])
    item = ItemFactory(body=world.county_body)
    delegation = services.save_by_admin(
        Delegation(kind="delegation", from_body=world.county_body, to_body=world.township_bureau, item=item,
                   valid_from=dt.date(2026, 1, 1)), changed=[], created=True, actor=admin)
    stream = f"delegation:{delegation.pk}"
    services.delete_by_admin([delegation], actor=admin)
    assert list(RecordEntry.objects.filter(stream=stream).order_by("seq").values_list("action", flat=True)) == [
        "admin_create_delegation", "admin_delete_delegation"]


def test_staff_without_the_admin_site_may_not_write_through_it(world):
    item = ItemFactory(body=world.market)
    with pytest.raises(PermissionDenied):
        services.save_by_admin(item, changed=["name"], created=False, actor=access.actor_for(world.users["officer1"]))
    assert not RecordEntry.objects.filter(stream=f"item:{item.code}").exists()
