"""API authentication and input errors (contract.md "HTTP API"): 401 for bad credentials or
tokens on staff endpoints and on public ones (a request without a token is the public), 422 with Chinese field
messages for bad paging and sorting."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ApiClient
from zhifa.core.models import ApiToken


def test_token_endpoint_refuses_bad_password(world):
    response = ApiClient().post("/api/v1/auth/token", {"username": "officer1", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码错误。"
    assert ApiClient().post("/api/v1/auth/token", {"username": "nobody", "password": "zhifa-demo"}).status_code == 401
    assert not ApiToken.objects.exists()


def test_token_endpoint_issues_a_working_token(world):
    response = ApiClient().post("/api/v1/auth/token", {"username": "officer1", "password": "zhifa-demo"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiClient(token).get("/api/v1/me").json()["username"] == "officer1"


@pytest.mark.parametrize("username", ["officer1\x00", "\x00"])
def test_token_endpoint_nul_character_is_not_a_500(world, username):
    """PostgreSQL refuses NUL in text (DataError): the endpoint must answer 401/422, not 500."""
    response = ApiClient().post("/api/v1/auth/token", {"username": username, "password": "zhifa-demo"})
    assert response.status_code in {401, 422}


def test_token_endpoint_422_on_missing_fields(world):
    response = ApiClient().post("/api/v1/auth/token", {"username": "officer1"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "password", "message": "必填项", "type": "missing"}]


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Bearer ", "Basic b2ZmaWNlcjE6emhpZmEtZGVtbw=="])
def test_me_is_401_without_a_valid_token(world, header):
    client = ApiClient()
    if header is not None:
        client.headers = {"HTTP_AUTHORIZATION": header}
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "未登录或令牌无效。"


def test_expired_token_is_401(world, api_as):
    client = api_as("officer1")
    ApiToken.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    assert client.get("/api/v1/me").status_code == 401


def test_inactive_user_token_is_401(world, api_as):
    client = api_as("officer1")
    world.users["officer1"].is_active = False
    world.users["officer1"].save()
    assert client.get("/api/v1/me").status_code == 401


def test_session_login_works_for_staff_endpoints(world):
    client = ApiClient()
    client.client.force_login(world.users["supervisor"])
    assert client.get("/api/v1/me").json()["username"] == "supervisor"


def test_no_token_on_public_endpoint_gets_public_view(world):
    response = ApiClient().get("/api/v1/officers")
    assert response.status_code == 200
    assert all(row["private"] is None for row in response.json()["items"])


def _anonymous_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation that answers the anonymous public (``OPTIONAL_AUTH``)."""
    from zhifa.api import api
    from zhifa.core.api_auth import anonymous

    return sorted(
        (method, f"/api/v1{path}")
        for _prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        if anonymous in operation.auth_callbacks
        for method in operation.methods
    )


ANONYMOUS_OPERATIONS = _anonymous_operations()


def _call(client, method: str, path: str, token: str | None):
    import re

    url = re.sub(r"\{[^}]+\}", "1", path)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    if method == "GET":
        return client.get(url, **headers)
    return client.generic(method, url, "{}", content_type="application/json", **headers)


def test_anonymous_operations_are_the_openapi_paths():
    from zhifa.api import api

    paths = api.get_openapi_schema()["paths"]
    assert len(ANONYMOUS_OPERATIONS) >= 20
    assert all(method.lower() in paths[path] for method, path in ANONYMOUS_OPERATIONS)


@pytest.mark.parametrize("method, path", ANONYMOUS_OPERATIONS)
def test_rfc6750_bad_bearer_token_on_public_endpoint_is_401(world, method, path):
    """RFC 6750 §3.1: a bearer token that is not valid is refused with ``invalid_token``, even
    where the public may come without one; no header at all stays the anonymous public."""
    from django.test import Client

    client = Client()
    assert _call(client, method, path, None).status_code != 401
    for token in ("not-a-token", ""):
        response = _call(client, method, path, token)
        assert response.status_code == 401, (token, response.content)
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
        assert response.json()["detail"] == "未登录或令牌无效。"


def test_rfc6750_expired_token_on_public_endpoint_is_401(world, api_as):
    client = api_as("officer1")
    assert client.get("/api/v1/officers").status_code == 200
    ApiToken.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = client.get("/api/v1/officers")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_rfc6750_staff_endpoint_without_credentials_challenges_without_error(world):
    """RFC 6750 §3: a request without any credential gets the bare challenge, no error code."""
    response = ApiClient().get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"page_size": 0}, "page_size", "不得小于1"),
        ({"page_size": 201}, "page_size", "不得大于200"),
        ({"page": "abc"}, "page", "应为整数"),
        ({"page": 0}, "page", "不得小于1"),
        ({"sort": "id_number"}, "sort", "取值不在允许范围内"),
        ({"sort": "--name"}, "sort", "取值不在允许范围内"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/bodies", "/api/v1/officers", "/api/v1/items", "/api/v1/jurisdictions"])
def test_422_on_bad_paging_and_sorting(world, api_as, path, params, field, message):
    response = api_as("officer1").get(path, **params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "输入有误"
    assert {"field": field, "message": message} in [{k: e[k] for k in ("field", "message")} for e in body["errors"]]


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/api/v1/officers", {"certificate_state": "lost"}, "certificate_state"),
        ("/api/v1/officers", {"role": "boss"}, "role"),
        ("/api/v1/officers", {"body": "x"}, "body"),
        ("/api/v1/bodies", {"sector": "space"}, "sector"),
        ("/api/v1/bodies", {"published": "maybe"}, "published"),
        ("/api/v1/bodies", {"q": "x" * 101}, "q"),
        ("/api/v1/items", {"valid_on": "2026-13-01"}, "valid_on"),
        ("/api/v1/items", {"q": "a\x00b"}, "q"),
        ("/api/v1/items", {"body": str(2**70)}, "body"),
        ("/api/v1/items", {"kind": "x"}, "kind"),
    ],
)
def test_422_on_bad_filters(world, api_as, path, params, field):
    response = api_as(None).get(path, **params)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert all(e["message"] for e in response.json()["errors"])


def test_nul_character_is_bad_input_in_chinese(world, api_as):
    response = api_as(None).get("/api/v1/items", q="a\x00b")
    assert response.json()["errors"] == [{"field": "q", "message": "不得包含空字符", "type": "nul_character"}]


def test_422_on_bad_path_ids(world, api_as):
    assert api_as(None).get("/api/v1/bodies/0").status_code == 422
    assert api_as(None).get(f"/api/v1/officers/{2**70}").status_code == 422


def test_malformed_json_is_a_chinese_400(world):
    from django.test import Client

    response = Client().post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


def test_chinese_is_not_escaped(world, api_as):
    response = api_as(None).post("/api/v1/auth/token", {"username": "nobody", "password": "x"})
    assert response.status_code == 401 and "用户名或密码错误" in response.content.decode()
