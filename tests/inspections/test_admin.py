"""The entity database in the admin (R26, R28): an entity is never deleted nor re-coded, because
published frozen lists name it by its credit code and a committed draw writes its inspections by
the entity ids kept beside its list."""
from __future__ import annotations

from zhifa.inspections.models import Entity

from .conftest import credit_code, make_entities


def test_r28_admin_cannot_delete_or_recode_an_entity(world, client):
    entity = make_entities(1)[0]
    client.force_login(world.users["admin"])
    change = client.get(f"/admin/inspections/entity/{entity.pk}/change/", secure=True)
    assert change.status_code == 200
    page = change.content.decode()
    assert entity.credit_code in page and 'name="credit_code"' not in page  # shown, not editable
    assert client.get(f"/admin/inspections/entity/{entity.pk}/delete/", secure=True).status_code == 403
    listing = client.post("/admin/inspections/entity/", {"action": "delete_selected", "_selected_action": [entity.pk]}, secure=True)
    assert listing.status_code in (200, 302)
    assert Entity.objects.filter(pk=entity.pk, credit_code=credit_code(1)).exists()


def test_r26_admin_still_adds_entities_with_their_code(world, client):
    client.force_login(world.users["admin"])
    page = client.get("/admin/inspections/entity/add/", secure=True).content.decode()
    assert 'name="credit_code"' in page


def test_r26_an_edit_in_the_admin_leaves_its_record_entry(world, client):
    """Every write records (issue 13 §5): the admin saves through ``services.registers``."""
    from zhifa.core import ledger

    entity = make_entities(1)[0]
    client.force_login(world.users["admin"])
    r = client.post(f"/admin/inspections/entity/{entity.pk}/change/", {
        "name": "改名后的公司", "kind": "enterprise", "industry": "餐饮", "address": "", "township": "",
        "risk_grade": "D", "credit_grade": "A", "complaint_count": "0", "violation_count": "0",
    }, secure=True)
    assert r.status_code == 302, r.content.decode()[:2000]
    (entry,) = ledger.RecordEntry.objects.filter(stream=f"entity:{entity.pk}")
    assert entry.action == "admin_change" and entry.payload["credit_code"] == credit_code(1)
    assert entry.payload["changed"] == {"name": "改名后的公司", "risk_grade": "D"}
    assert entry.actor_id == world.users["admin"].pk
