"""Who may see and do what in double random, one public (``inspections.permissions``): the one
set of predicates the services, the API and the pages share."""
from __future__ import annotations

import pytest

from zhifa.inspections import permissions
from zhifa.registry.access import PUBLIC, actor_for

from .drawing import first_inspection, revealed_draw

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
