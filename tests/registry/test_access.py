from zhifa.registry import access
from zhifa.registry.access import Role


def test_roles_are_derived_from_officer_and_posts(world):
    assert access.actor_for(world.users["officer1"]).roles == {Role.OFFICER}
    assert access.actor_for(world.users["aux1"]).roles == {Role.AUXILIARY}
    assert access.actor_for(world.users["head1"]).roles == {Role.OFFICER, Role.HEAD}
    assert access.actor_for(world.users["supervisor"]).roles == {Role.SUPERVISOR}
    assert access.actor_for(world.users["admin"]).roles == {Role.ADMIN}
    assert access.actor_for(None).is_public


def test_officer_sees_only_own_body_private_data(world):
    actor = access.actor_for(world.users["officer1"])
    visible = set(access.staff_officers(actor).values_list("body_id", flat=True))
    assert visible == {world.market.pk}
    assert not access.can_see_private(actor, world.urban)


def test_supervisor_sees_subtree_not_other_city(world):
    actor = access.actor_for(world.users["supervisor"])
    assert access.can_see_private(actor, world.township_bureau)
    assert not access.can_see_private(actor, world.foreign_body)
