"""Registry selectors: the scoped queries shared by the API and the pages, so that one filter
gives the same rows on both (architecture.md, "selectors.py")."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import TODAY
from zhifa.core import clock
from zhifa.registry import access, rules, selectors, services
from zhifa.registry.models import Body, Officer


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(TODAY):
        yield


def page_ids(username: str, path: str, **params) -> list[int]:
    client = Client()
    assert client.login(username=username, password="zhifa-demo")
    response = client.get(path, params)
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["page"].object_list)


def api_ids(api, path: str, **params) -> list[int]:
    response = api.get(path, page_size=100, **params)
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["items"])


@pytest.mark.parametrize("params", [
    {}, {"q": "市场"}, {"sector": "market"}, {"kind": "statutory"}, {"jurisdiction": "county"},
])
def test_r01_api_and_page_list_the_same_bodies_for_the_same_filter(world, api_as, params):
    params = {k: getattr(world, v).pk if k == "jurisdiction" else v for k, v in params.items()}
    page = page_ids("supervisor", "/bodies/", **params)
    assert page == api_ids(api_as("supervisor"), "/api/v1/bodies", **params)
    assert page or params  # the unfiltered list is not empty


@pytest.mark.parametrize("state", [s.value for s in rules.CertificateState])
def test_r04_api_and_page_list_the_same_officers_by_certificate_state(world, api_as, state):
    body = world.market.pk
    page = page_ids("head1", "/officers/", body=body, cert=state)
    api = api_ids(api_as("head1"), "/api/v1/officers", body=body, certificate_state=state, status="active")
    assert page == api


@pytest.mark.parametrize("state", [s.value for s in rules.CertificateState])
def test_r04_certificate_state_query_agrees_with_the_rule(world, state):
    officers = services.with_current_certificate(Officer.objects.all())
    by_query = {o.pk for o in officers.filter(selectors.certificate_state_q(state, TODAY))}
    by_rule = {o.pk for o in officers if services.certificate_state_of(o, TODAY).value == state}
    assert by_query == by_rule


def test_r02_command_tree_totals_its_subtree(world):
    from zhifa.registry.models import Jurisdiction

    admin = access.actor_for(world.users["admin"])
    roots, n_bodies = selectors.command_tree(admin, list(Jurisdiction.objects.all()))
    assert n_bodies == Body.objects.filter(is_active=True).count()
    assert sum(r.total_bodies for r in roots) == n_bodies


def test_r01_body_search_by_jurisdiction_id_takes_the_subtree(world):
    admin = access.actor_for(world.users["admin"])
    bodies = selectors.bodies_with_officer_count(admin)
    by_id = set(selectors.search_bodies(bodies, jurisdiction_id=world.county.pk))
    by_path = set(selectors.search_bodies(bodies, jurisdiction_path=world.county.path))
    assert by_id == by_path and by_id
    assert not selectors.search_bodies(bodies, jurisdiction_id=10**9).exists()


@pytest.mark.parametrize("params", [
    {}, {"q": "李"}, {"role": "auxiliary"}, {"role": "head"}, {"certificate_state": "expired"}, {"status": "active"},
])
@pytest.mark.parametrize("username", [None, "officer1", "supervisor"])
def test_r04_officer_lookup_selector_gives_the_api_rows(world, api_as, params, username):
    """The lookup filter is the API's (its public endpoint can call it as it is)."""
    actor = access.actor_for(world.users[username]) if username else access.PUBLIC
    expected = sorted(o.pk for o in selectors.search_looked_up(selectors.looked_up_officers(actor), today=TODAY, **params))
    assert api_ids(api_as(username), "/api/v1/officers", **params) == expected


@pytest.mark.parametrize("params", [{}, {"q": "市场"}, {"published": True}, {"jurisdiction": "county"}])
def test_r01_body_selector_gives_the_api_rows(world, api_as, params):
    filters = {("jurisdiction_id" if k == "jurisdiction" else k): (getattr(world, v).pk if k == "jurisdiction" else v)
               for k, v in params.items()}
    query = {k: (getattr(world, v).pk if k == "jurisdiction" else v) for k, v in params.items()}
    actor = access.actor_for(world.users["supervisor"])
    expected = sorted(b.pk for b in selectors.search_bodies(selectors.bodies_with_officer_count(actor), **filters))
    assert api_ids(api_as("supervisor"), "/api/v1/bodies", **query) == expected


def test_bodies_in_scope_are_the_active_bodies_the_actor_may_see_in_tree_order(world):
    """The body choices of the roster and health filters (``selectors.bodies_in_scope``)."""
    officer = access.actor_for(world.users["officer1"])
    assert list(selectors.bodies_in_scope(officer)) == [world.market]
    world.urban.is_active = False
    world.urban.save()
    rows = list(selectors.bodies_in_scope(access.actor_for(world.users["supervisor"])))
    assert world.market in rows and world.urban not in rows
    assert [(b.jurisdiction.path, b.code) for b in rows] == sorted((b.jurisdiction.path, b.code) for b in rows)
    assert list(selectors.health_bodies(access.actor_for(world.users["supervisor"]))) == rows
