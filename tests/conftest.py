"""Shared fixtures: a small city with the demo accounts of contract.md, and an API client."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("ZHIFA_TESTING", "1")

import pytest  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from tests.factories import World, build_world  # noqa: E402
from zhifa.core import clock  # noqa: E402

TODAY = dt.date(2026, 11, 23)

# Examples are generated on a machine that may be busy (CI runs two suites, helpers run beside):
# no deadline per example and no "too slow" health check, so that load never fails a property.
settings.register_profile("zhifa", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("zhifa")


@pytest.fixture
def world(db) -> World:
    """A city, a county and a township; the market regulation bureau with officer1–3, aux1,
    reviewer1, head1; the urban management bureau with officer_other; a township bureau; the
    city supervision office user ``supervisor``; ``admin``. Password ``zhifa-demo``."""
    return build_world(TODAY)


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files (documents, imports, photos) go to a temporary folder, returned."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unpublished_foreign_body(world):
    """The neighbouring city's body (``world.foreign_body``), no longer published: hidden from
    everyone but the administrator."""
    world.foreign_body.is_published = False
    world.foreign_body.save()
    return world.foreign_body


@pytest.fixture
def pages_today(settings):
    """Staff pages on the world's day: served over plain HTTP in tests (production redirects to
    HTTPS), the clock frozen on TODAY. Page tests use it with ``pytest.mark.usefixtures``."""
    settings.SECURE_SSL_REDIRECT = False
    with clock.frozen(TODAY):
        yield


def page_queries(client, path: str, /, **params) -> int:
    """How many queries serving the page ``path`` (with status 200) takes; ``params``: the query
    string of an ``ApiClient``'s request."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, **params).status_code == 200
    return len(ctx.captured_queries)


class ApiClient:
    """A Django test client speaking JSON with a bearer token."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, /, **params):  # positional-only: a query key may be "self" or "path"
        return self.client.get(path, params, **self.headers)

    def post(self, path, data=None):
        import json

        return self.client.post(path, json.dumps(data or {}), content_type="application/json", **self.headers)


@pytest.fixture
def api_as(world):
    """``api_as("officer1")`` → an ``ApiClient`` authenticated with a fresh token; ``api_as(None)``
    is anonymous."""

    def make(username: str | None) -> ApiClient:
        if username is None:
            return ApiClient()
        response = ApiClient().post("/api/v1/auth/token", {"username": username, "password": "zhifa-demo"})
        assert response.status_code == 200, response.content
        return ApiClient(response.json()["token"])

    return make


@pytest.fixture(autouse=True)
def _holidays_after_flush(request):
    """Transactional tests (live_server, transactional_db) flush the database, which removes the
    holiday table seeded by migration core 0003; reload it so deadlines stay exact."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.core.management import call_command

    from zhifa.core.models import HolidayYear

    request.getfixturevalue("transactional_db")
    if not HolidayYear.objects.exists():
        call_command("load_holidays", verbosity=0)
    yield
