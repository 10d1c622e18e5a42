"""Issue 15 quality bar: the role × body × resource matrix, generated from the URL configuration
(every page) and the generated OpenAPI document (every API operation), so that a new endpoint is
in it the day it is added.

Another city's body (邻市市场监督管理局) holds "canary" data: a case whose party is a natural person,
its officer and a complaint against it, each with personal data found nowhere else. Every staff
role of the first city (officer, auxiliary, head, legal reviewer of a body; the city's supervisor)
and the anonymous public call every page and every API operation, with every path parameter
filled with the canary objects' ids (or ids of nothing), reading (GET) and writing (POST with an
empty body). Asserted:

- denials: no answer to them ever carries a canary value; no write leaves a record entry (every
  change of state appends one: docs/architecture.md) or changes a canary object; the anonymous
  public is sent to the login page (pages) or answered 401 (API) everywhere but the public site;
- grants: the canary body's own officer and the administrator read the canary case, officer and
  complaint (200, the party's name in the answer);
- never a 5xx, for anyone.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.conftest import TODAY
from tests.factories import ItemFactory, staff
from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.core.ledger import RecordEntry

pytestmark = pytest.mark.django_db

CANARY_ID, CANARY_PHONE, CANARY_NAME = "650100199909099991", "13999999991", "欧阳金雀"
CANARY_STREET = "金雀巷99号"
CANARY_OFFICER_ID, CANARY_OFFICER_PHONE = "650100198808088882", "13888888882"
CANARY_REPORTER_PHONE = "13777777773"
CANARIES = (CANARY_ID, CANARY_PHONE, CANARY_NAME, CANARY_STREET, CANARY_OFFICER_ID, CANARY_OFFICER_PHONE,
            CANARY_REPORTER_PHONE)
OUTSIDERS = ("officer1", "aux1", "head1", "reviewer1", "supervisor")
# Pages for everyone: the public site, the login, the offline service worker (a static script) and
# the alert rule catalogue (public: code, name, legal basis, thresholds).
PUBLIC_PAGES = ("public/", "accounts/login/", "accounts/logout/", "inspections/sw.js", "cases/sw.js", "supervision/alert-rules/")
NOTHING = 987654  # an id of nothing


def _pages() -> list[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            pattern = prefix + str(p.pattern)
            if pattern.startswith(("admin/", "api/")):
                continue
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, pattern)
            else:
                yield pattern
    return sorted(set(walk(get_resolver().url_patterns)))


def _operations() -> list[tuple[str, str]]:
    from zhifa.api import api

    return sorted((path, method) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops)


@pytest.fixture
def canary(world):
    body = world.foreign_body
    officer = staff("foreign1", body, "钱邻", today=TODAY)
    type(officer).objects.filter(pk=officer.pk).update(id_number=CANARY_OFFICER_ID, phone=CANARY_OFFICER_PHONE)
    case = Case.objects.create(
        body=body, item=ItemFactory(body=body), clue_received_on=TODAY - dt.timedelta(days=5),
        party_kind=Case.PartyKind.PERSON, party_name=CANARY_NAME, party_id_code=CANARY_ID,
        party_address=f"邻市某区{CANARY_STREET}", party_phone=CANARY_PHONE, act_date=TODAY - dt.timedelta(days=6),
        clue=f"{CANARY_NAME}无照经营", facts=f"当事人{CANARY_NAME}")
    case.officers.add(officer)
    from zhifa.portal.models import Complaint

    complaint = Complaint.objects.create(
        body=body, kind="complaint", reporter_name="邻市投诉人", reporter_phone=CANARY_REPORTER_PHONE,
        reporter_address=f"邻市{CANARY_STREET}", subject=f"投诉{CANARY_NAME}", facts="执法人员态度恶劣", known_on=TODAY,
        source_hash="1" * 64, received_at=dt.datetime.combine(TODAY, dt.time(9), tzinfo=clock.SHANGHAI),
        received_on=TODAY, accept_due=TODAY + dt.timedelta(days=5), tracking_code="TCANARY000001")
    ids = {"case": case.pk, "officer": officer.pk, "body": body.pk, "complaint": complaint.pk}
    return {"ids": ids, "user": officer.user, "case": case, "tracking": complaint.tracking_code,
            "item": case.item.code, "stream": case.stream}


def _kind(prefix: str, name: str) -> str | None:
    name = name.split(":")[-1]
    if name in ("case_id", "act_id") or (name == "pk" and prefix.startswith("cases/")):
        return "case"
    if name == "officer_id" or (name == "pk" and prefix.startswith(("officers/", "inspections/inspectors/"))):
        return "officer"
    if name == "body_id" or (name == "pk" and prefix.startswith("bodies/")):
        return "body"
    if name == "complaint_id":
        return "complaint"
    return None


def _fill(path: str, canary) -> str:
    """Every parameter of ``path`` (``<conv:name>`` or ``{name}``) with a canary value."""
    def value(match):
        raw = match.group(1) or match.group(2)
        name = raw.split(":")[-1]
        kind = _kind(path[:match.start()], raw)
        if kind is not None:
            return str(canary["ids"][kind])
        return {
            "stream": canary["stream"], "tracking_code": canary["tracking"], "lookup_code": canary["tracking"],
            "code": canary["item"], "action": "file", "kind": "items", "day": TODAY.isoformat(),
            "year": str(TODAY.year),
        }.get(name, str(NOTHING))
    return re.sub(r"<([^>]+)>|\{([^}]+)\}", value, path)


def _calls(canary):
    for page in _pages():
        url = "/" + _fill(page, canary)
        yield "page", page, "get", url
        yield "page", page, "post", url
    for path, method in _operations():
        if path in ("/api/v1/auth/token", "/api/v1/auth/logout"):
            continue
        yield "api", path, method, _fill(path, canary)


def _client(world, username) -> Client:
    client = Client()
    if username is not None:
        client.force_login(world.users[username])
    return client


def _request(client, method, url):
    with clock.frozen(TODAY):
        if method == "get":
            return client.get(url, secure=True)
        return getattr(client, method)(url, data="{}" if url.startswith("/api/") else {},
                                       **({"content_type": "application/json"} if url.startswith("/api/") else {}),
                                       secure=True)


@pytest.mark.parametrize("username", OUTSIDERS + (None,))
def test_r15_matrix_other_body_denied_everywhere(world, canary, username):
    client = _client(world, username)
    records = RecordEntry.objects.count()
    case_before = Case.objects.filter(pk=canary["case"].pk).values().get()
    calls = leaks = 0
    problems = []
    for where, route, method, url in _calls(canary):
        answer = _request(client, method, url)
        calls += 1
        if answer.status_code >= 500:
            problems.append(f"{answer.status_code} {method.upper()} {url}")
        if not getattr(answer, "streaming", False):
            body = answer.content.decode(errors="replace")
            found = [c for c in CANARIES if c in body]
            if found:
                leaks += 1
                problems.append(f"leak {found} {method.upper()} {url} ({answer.status_code})")
        if username is None and not route.startswith(PUBLIC_PAGES) and "/public/" not in route and method == "get":
            denied = answer.status_code in (401, 404) if where == "api" else (
                answer.status_code in (302, 404) and (answer.status_code == 404 or "/accounts/login/" in answer["Location"]))
            if not denied and not (where == "api" and route in _ANONYMOUS_API):
                problems.append(f"anonymous {answer.status_code} {method.upper()} {url}")
    assert RecordEntry.objects.count() == records, "a denied write left a record entry"
    assert Case.objects.filter(pk=canary["case"].pk).values().get() == case_before
    assert calls > 300
    assert problems == [], "\n".join(problems[:40])


def _public_operations() -> set[str]:
    """The API paths declared public: no authentication, or the anonymous public among their
    authentications (``OPTIONAL_AUTH``: public fields only, contract.md) — read from the API."""
    from zhifa.api import api
    from zhifa.core.api_auth import anonymous

    return {
        f"/api/v1{path}"
        for _prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        if not operation.auth_callbacks or anonymous in operation.auth_callbacks
    }


_ANONYMOUS_API = _public_operations()


def test_r15_matrix_own_body_and_administrator_granted(world, canary):
    ids = canary["ids"]
    reads = [f"/cases/{ids['case']}/", f"/api/v1/cases/{ids['case']}", f"/officers/{ids['officer']}/",
             f"/api/v1/officers/{ids['officer']}", f"/api/v1/cases/{ids['case']}/record"]
    for username, client in (("foreign1", _client(world, None)), ("admin", _client(world, "admin"))):
        if username == "foreign1":
            client.force_login(canary["user"])
        for url in reads:
            answer = _request(client, "get", url)
            assert answer.status_code == 200, (username, url, answer.status_code)
        assert CANARY_NAME in _request(client, "get", f"/cases/{ids['case']}/").content.decode()
    admin = _client(world, "admin")
    assert CANARY_NAME in _request(admin, "get", f"/complaints/{ids['complaint']}/").content.decode()


def test_r15_matrix_covers_every_route():
    """The matrix is generated: every page and API operation is in it (nothing listed by hand)."""
    pages, operations = _pages(), _operations()
    assert len(pages) >= 100 and len(operations) >= 150
    assert "cases/<int:pk>/" in pages and ("/api/v1/cases/{case_id}", "get") in operations
