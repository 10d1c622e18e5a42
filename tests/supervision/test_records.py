"""The records audit view (issue 13 §5): the supervision office reads the record streams of the
bodies in its jurisdiction subtree, the city-level office and the administrator also those of no
body; staff and the public are refused (403)."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import BodyFactory, ItemFactory, OfficerFactory, make_user
from tests.conftest import TODAY
from zhifa.core import ledger
from zhifa.core.ledger import RecordEntry
from zhifa.registry import access
from zhifa.registry.models import SupervisionPost
from zhifa.supervision import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def streams(world):
    """Records on the market bureau (city), a county body's officer, another city's body, an import."""
    county_officer = OfficerFactory(body=world.county_body)
    foreign = BodyFactory(code="FOREIGN-X", jurisdiction=world.other_city)
    ledger.append(f"body:{world.market.pk}", "publish", {"published": True})
    ledger.append(f"officer:{county_officer.pk}", "issue_certificate", {"number": "1"})
    ledger.append(f"officer:{county_officer.pk}", "revoke", {"number": "1"})
    ledger.append(f"body:{foreign.pk}", "publish", {"published": True})
    ledger.append("import:officers", "import", {"sha256": "0" * 64})
    ledger.append(f"jurisdiction:{world.county.pk}", "rename", {"name": "示例区"})
    return {"market": f"body:{world.market.pk}", "county_officer": f"officer:{county_officer.pk}",
            "foreign": f"body:{foreign.pk}", "import": "import:officers", "county": f"jurisdiction:{world.county.pk}"}


def _county_supervisor(world):
    user = make_user("county_supervisor")
    SupervisionPost.objects.create(user=user, jurisdiction=world.county, office="示例区司法局执法监督科", name="区监")
    return user


def _names(actor) -> set[str]:
    return {row["stream"] for row in selectors.streams(actor)}


def test_the_city_supervisor_reads_its_subtree_and_the_streams_of_no_body(world, streams):
    names = _names(access.actor_for(world.users["supervisor"]))
    assert names == {streams["market"], streams["county_officer"], streams["import"], streams["county"]}


def test_a_county_supervisor_reads_only_its_subtree(world, streams):
    names = _names(access.actor_for(_county_supervisor(world)))
    assert names == {streams["county_officer"], streams["county"]}


def test_the_administrator_reads_everything(world, streams):
    assert _names(access.actor_for(world.users["admin"])) == set(streams.values())


def test_the_stream_list_filters_by_kind_and_key(world, streams):
    admin = access.actor_for(world.users["admin"])
    rows = list(selectors.streams(admin, selectors.StreamFilters(kind="officer")))
    assert [(r["stream"], r["entries"], r["last_seq"]) for r in rows] == [(streams["county_officer"], 2, 2)]
    key = streams["market"].split(":")[1]
    assert [r["stream"] for r in selectors.streams(admin, selectors.StreamFilters(kind="body", key=key))] == [streams["market"]]


def test_the_scope_is_a_constant_number_of_queries(world, streams, django_assert_max_num_queries):
    for i in range(10):
        ledger.append(f"officer:{OfficerFactory(body=world.market).pk}", "register", {"i": i})
    supervisor = access.actor_for(world.users["supervisor"])
    with django_assert_max_num_queries(3):
        assert len(list(selectors.streams(supervisor))) == 14


def test_staff_and_the_public_are_refused(world, streams, api_as, client):
    for who in ("officer1", "head1"):
        assert api_as(who).get("/api/v1/records").status_code == 403
        assert api_as(who).get(f"/api/v1/records/{streams['market']}").status_code == 403
        assert api_as(who).get(f"/api/v1/records/{streams['market']}/verify").status_code == 403
    assert api_as(None).get("/api/v1/records").status_code == 401
    client.force_login(world.users["officer1"])
    assert client.get("/supervision/records/", secure=True).status_code == 403
    assert Client().get("/supervision/records/", secure=True).status_code == 302  # to the login page


def test_the_api_lists_streams_entries_and_verifies_the_chain(world, streams, api_as):
    supervisor = api_as("supervisor")
    page = supervisor.get("/api/v1/records", kind="officer").json()
    assert page["count"] == 1 and page["items"][0]["entries"] == 2
    entries = supervisor.get(f"/api/v1/records/{streams['county_officer']}").json()
    assert [e["action"] for e in entries["items"]] == ["issue_certificate", "revoke"]
    assert supervisor.get(f"/api/v1/records/{streams['county_officer']}/verify").json()["ok"] is True
    assert supervisor.get(f"/api/v1/records/{streams['foreign']}").status_code == 404  # another city: out of scope
    RecordEntry.objects.filter(stream=streams["county_officer"], seq=1).update(payload={"number": "2"})
    broken = supervisor.get(f"/api/v1/records/{streams['county_officer']}/verify").json()
    assert broken["ok"] is False and broken["seq"] == 1


def test_the_pages_list_streams_and_show_a_verified_stream(world, streams, client):
    client.force_login(world.users["supervisor"])
    listing = client.get("/supervision/records/", {"kind": "officer"}, secure=True)
    assert listing.status_code == 200 and streams["county_officer"] in listing.content.decode()
    page = client.get(f"/supervision/records/{streams['county_officer']}/", secure=True).content.decode()
    assert 'data-testid="chain-ok"' in page and "revoke" in page
    assert client.get(f"/supervision/records/{streams['foreign']}/", secure=True).status_code == 404
    RecordEntry.objects.filter(stream=streams["county_officer"], seq=2).update(action="restore")
    page = client.get(f"/supervision/records/{streams['county_officer']}/", secure=True).content.decode()
    assert 'data-testid="chain-broken"' in page and "第 2 条" in page


def test_streams_of_items_and_delegations_follow_their_body(world):
    from zhifa.catalog.models import Delegation

    county_item = ItemFactory(body=world.county_body, code="COUNTY-1")
    foreign_item = ItemFactory(body=BodyFactory(code="FOREIGN-Y", jurisdiction=world.other_city), code="FOREIGN-1")
    delegation = Delegation.objects.create(kind=Delegation.Kind.DELEGATION, from_body=world.county_body,
                                           to_body=world.township_bureau, item=county_item, valid_from=TODAY)
    for stream in (f"item:{county_item.code}", f"item:{foreign_item.code}", f"delegation:{delegation.pk}",
                   "calendar:2027"):
        ledger.append(stream, "test", {})
    county = access.actor_for(_county_supervisor(world))
    assert _names(county) == {f"item:{county_item.code}", f"delegation:{delegation.pk}"}
    assert _names(access.actor_for(world.users["supervisor"])) == {f"item:{county_item.code}", f"delegation:{delegation.pk}",
                                                                   "calendar:2027"}


def test_the_navigation_shows_the_records_to_supervisors_only(world, client):
    client.force_login(world.users["supervisor"])
    page = client.get("/supervision/records/", secure=True).content.decode()
    assert 'data-testid="nav-records"' in page and 'aria-current="page"' in page
    client.force_login(world.users["officer1"])
    home = client.get("/", secure=True)
    assert home.status_code == 200 and 'data-testid="nav-' in home.content.decode()
    assert 'data-testid="nav-records"' not in home.content.decode()


def test_r39_a_records_page_reads_as_fields_with_the_acts_chinese_name():
    from zhifa.supervision.views import PAYLOAD_VALUE_CHARS, payload_lines

    lines = payload_lines({"label": "立案", "officers": [5, 22], "opinion": "同意", "long": "字" * 400})
    assert lines[:2] == [("officers", "[5,22]"), ("opinion", "同意")]
    assert len(lines[2][1]) == PAYLOAD_VALUE_CHARS and lines[2][1].endswith("…")
    assert all(key != "label" for key, _ in lines)
