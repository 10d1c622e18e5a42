"""R03: delegations and entrustments (赋权 / 委托) and the competence they give — moved from
registry (the registry↔catalog seam): the model, its migration, the use case and the selector."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.catalog import rules, selectors, services
from zhifa.catalog.models import Delegation
from zhifa.core.models import RecordEntry
from zhifa.core.violations import INVALID_INPUT, OUTSIDE_COMPETENCE, Refused
from zhifa.registry.access import actor_for


def actor(world, name):
    return actor_for(world.users[name])


def test_r03_delegated_item_only_within_period():
    d = rules.DelegationFacts(to_body_id=2, item_id=7, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31))
    competence = rules.Competence(frozenset({1}), (d,))
    assert competence.covers(1, TODAY) and competence.covers(7, TODAY)
    assert not competence.covers(7, dt.date(2027, 1, 1)) and not competence.covers(8, TODAY)
    revoked = rules.DelegationFacts(2, 7, dt.date(2026, 1, 1), None, revoked_on=dt.date(2026, 6, 1))
    assert not rules.Competence(frozenset(), (revoked,)).covers(7, TODAY)


def test_r03_delegation_violations_are_values():
    ok = dict(kind="delegation", item_name="事项", item_body_id=1, from_body_id=1, from_body_name="甲局", to_body_id=2,
              valid_from=dt.date(2026, 1, 1), valid_to=None)
    assert rules.delegation_violations(**ok) == []
    codes = [v.code for v in rules.delegation_violations(**{**ok, "item_body_id": 3, "to_body_id": 1, "kind": "gift",
                                                             "valid_to": dt.date(2025, 1, 1)})]
    assert codes == [OUTSIDE_COMPETENCE, INVALID_INPUT, INVALID_INPUT, INVALID_INPUT]


def test_r03_delegation_creates_competence(world):
    item = ItemFactory(body=world.county_body)
    admin = actor(world, "admin")
    services.create_delegation(kind="delegation", from_body=world.county_body, to_body=world.township_bureau, item=item,
                               valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31), actor=admin)
    assert services.competence_of(world.township_bureau.pk).covers(item.pk, TODAY)
    assert not services.competence_of(world.township_bureau.pk).covers(item.pk, dt.date(2027, 1, 2))
    with pytest.raises(Refused) as refused:
        services.create_delegation(kind="delegation", from_body=world.market, to_body=world.township_bureau, item=item,
                                   valid_from=dt.date(2026, 1, 1), actor=admin)
    assert refused.value.violations[0].code == "OUTSIDE_COMPETENCE"
    with pytest.raises(PermissionDenied):
        services.create_delegation(kind="delegation", from_body=world.county_body, to_body=world.township_bureau, item=item,
                                   valid_from=dt.date(2026, 1, 1), actor=actor(world, "head1"))


def test_r03_delegation_records_its_entry(world):
    item = ItemFactory(body=world.county_body)
    d = services.create_delegation(kind="entrustment", from_body=world.county_body, to_body=world.township_bureau,
                                   item=item, valid_from=dt.date(2026, 1, 1), document_ref="示例府〔2026〕1号",
                                   actor=actor(world, "admin"))
    entry = RecordEntry.objects.get(stream=f"delegation:{d.pk}")
    assert entry.action == "create" and entry.actor_id == world.users["admin"].pk
    assert entry.payload["item_code"] == item.code and entry.payload["to_body_id"] == world.township_bureau.pk
    assert entry.payload["kind"] == "entrustment" and entry.payload["document_ref"] == "示例府〔2026〕1号"


def test_r03_competence_selector_runs_two_queries(world, django_assert_num_queries):
    own = ItemFactory(body=world.township_bureau)
    with django_assert_num_queries(2):
        competence = selectors.competence_of(world.township_bureau.pk)
    assert competence.covers(own.pk, TODAY)


def test_delegation_keeps_its_table():
    assert Delegation._meta.db_table == "registry_delegation"
    assert Delegation._meta.app_label == "catalog"


@pytest.mark.django_db(transaction=True)
def test_delegation_rows_survive_the_move_between_apps():
    """registry 0002 / catalog 0005 move the model in the state only: a row written before the
    move is read by catalog's model after it."""
    before = [("registry", "0001_initial"), ("catalog", "0004_benchmarks_lists")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Body, Item, OldDelegation = (old_apps.get_model("registry", "Body"), old_apps.get_model("catalog", "Item"),
                                 old_apps.get_model("registry", "Delegation"))
    jurisdiction = old_apps.get_model("registry", "Jurisdiction").objects.create(code="440000", name="省", level="province")
    bodies = [Body.objects.create(code=f"B{i}", name=f"主体{i}", jurisdiction=jurisdiction) for i in (1, 2)]
    item = Item.objects.create(code="B1-CF-1", name="事项", kind="penalty", legal_basis="法", body=bodies[0],
                               valid_from=dt.date(2026, 1, 1))
    row = OldDelegation.objects.create(kind="delegation", from_body=bodies[0], to_body=bodies[1], item=item,
                                       valid_from=dt.date(2026, 1, 1))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = Delegation.objects.get(pk=row.pk)
    assert (moved.from_body_id, moved.to_body_id, moved.item_id) == (bodies[0].pk, bodies[1].pk, item.pk)
