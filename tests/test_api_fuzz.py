"""Fuzzing the public surface of the API: whatever the query string or JSON body, the answer is
a deliberate status (200, 401, 404, 422; 400 for a body that is not JSON), never a 500
(contract.md: "never a 500")."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.core import clock

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ALLOWED = {200, 401, 404, 422}

LIST_PATHS = ["/api/v1/bodies", "/api/v1/officers", "/api/v1/items", "/api/v1/jurisdictions"]
PARAM_NAMES = [
    "page", "page_size", "sort", "q", "body", "kind", "sector", "jurisdiction", "published", "role",
    "certificate_state", "status", "valid_on", "level", "parent",
]
TRICKY = [
    "", " ", "0", "-1", "1", "200", "201", "1e3", "0x10", "1.5", "true", "false", "null", "[]", "{}",
    "name", "-name", "--name", "code", "-certificate_expires_on", "officer", "head", "valid", "none", "market",
    "2026-02-29", "2024-02-29", "9999-12-31", "0001-01-01", "2026-13-01", str(2**31), str(2**63), str(2**64), "-0",
    "%", "_", "\\", "'", '"', "' OR 1=1 --", "\x00", "李明", "示例市", "🙂", "a" * 101,
]

values = st.one_of(st.sampled_from(TRICKY), st.text(max_size=30), st.integers().map(str), st.dates().map(str))
params = st.dictionaries(st.one_of(st.sampled_from(PARAM_NAMES), st.text(min_size=1, max_size=8)), values, max_size=6)


@pytest.fixture
def clients(world, api_as):
    ItemFactory(code="330217001000", body=world.market)
    return {name: api_as(name) for name in (None, "officer1", "supervisor", "admin")}


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY):
        yield


@FUZZ
@given(path=st.sampled_from(LIST_PATHS), query=params, who=st.sampled_from([None, "officer1", "supervisor", "admin"]))
def test_list_endpoints_never_fail_on_any_query(clients, path, query, who):
    response = clients[who].get(path, **query)
    assert response.status_code in ALLOWED, (path, query, response.content)
    body = response.json()
    if response.status_code == 200:
        assert {"items", "count", "page", "page_size"} <= set(body)
        assert 1 <= body["page_size"] <= 200
    elif response.status_code == 422:
        assert body["errors"] and all(e["message"] for e in body["errors"])


@FUZZ
@given(
    prefix=st.sampled_from(["/api/v1/bodies/", "/api/v1/officers/", "/api/v1/items/"]),
    segment=st.one_of(st.sampled_from(TRICKY), st.text(max_size=30), st.integers().map(str)),
    who=st.sampled_from([None, "officer1", "supervisor"]),
)
def test_detail_endpoints_never_fail_on_any_id(clients, prefix, segment, who):
    response = clients[who].get(prefix + quote(segment, safe=""))
    assert response.status_code in ALLOWED, (prefix, segment, response.content)


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
credentials = st.fixed_dictionaries(
    {},
    optional={
        "username": st.one_of(st.sampled_from(["officer1", "admin", "", "\x00", "officer1\x00"]), json_values),
        "password": st.one_of(st.sampled_from(["zhifa-demo", "", "x" * 1000]), json_values),
    },
)


@FUZZ
@given(payload=st.one_of(credentials, json_values, st.text(max_size=40).map(lambda t: ("raw", t))))
def test_token_endpoint_never_fails_on_any_body(clients, payload):
    client = clients[None].client
    if isinstance(payload, tuple):  # not JSON at all
        response = client.post("/api/v1/auth/token", payload[1], content_type="application/json")
    else:
        response = client.post("/api/v1/auth/token", json.dumps(payload), content_type="application/json")
    # 400: the body is not JSON at all (ninja's ParseError); 422: JSON of the wrong shape.
    assert response.status_code in {200, 400, 401, 422}, (payload, response.content)
    if response.status_code == 200:
        assert payload == {"username": payload["username"], "password": "zhifa-demo"}
        assert response.json()["token"]
    else:
        assert response.json()["detail"]
