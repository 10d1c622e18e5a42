"""Issue 15 §3 (PIPL least privilege): ID numbers, phones and addresses of parties, colleagues and
complainants are masked on the staff pages by default; "显示完整信息" shows them in full only to
those acting on the matter, and every full view (and every refused one) is in the audit log."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.core.models import SecurityEvent
from zhifa.registry.models import Officer

pytestmark = pytest.mark.django_db

ID, ADDRESS, STREET = "650203198001011234", "示例市示例区和平路5号", "和平路5号"


@pytest.fixture
def case(world):
    made = Case.objects.create(
        body=world.market, item=ItemFactory(body=world.market), clue_received_on=TODAY - dt.timedelta(days=5),
        party_kind=Case.PartyKind.PERSON, party_name="赵小明", party_id_code=ID, party_address=ADDRESS,
        party_phone="13800138000", act_date=TODAY - dt.timedelta(days=6))
    made.officers.add(Officer.objects.get(user=world.users["officer1"]))
    return made


def _page(world, username, path):
    client = Client()
    client.force_login(world.users[username])
    with clock.frozen(TODAY):
        return client.get(path, secure=True)


def _party(html: str) -> str:
    start = html.index('data-testid="party"')
    return html[start:html.index("</dd>", start)]


def test_r15_case_party_is_masked_by_default_for_everyone(world, case):
    for username in ("officer1", "officer2", "aux1", "head1", "reviewer1"):
        page = _page(world, username, f"/cases/{case.pk}/")
        html = page.content.decode()
        assert page.status_code == 200, username
        party = _party(html)
        assert ID not in party and STREET not in party, username
        assert "6****************4" in party and "示例市示例区（详细地址已隐去）" in party, username
        if username in ("officer2", "aux1"):  # not acting on the case: nowhere on the page (no party form either)
            assert ID not in html and STREET not in html, username
    assert 'data-testid="show-personal"' in _page(world, "officer1", f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="show-personal"' not in _page(world, "officer2", f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="show-personal"' not in _page(world, "aux1", f"/cases/{case.pk}/").content.decode()
    assert not SecurityEvent.objects.filter(kind="personal_data_viewed").exists()


@pytest.mark.parametrize("username", ["officer1", "head1", "reviewer1"])
def test_r15_those_acting_on_the_case_show_the_party_in_full_and_it_is_logged(world, case, username):
    page = _page(world, username, f"/cases/{case.pk}/?show=personal")
    party = _party(page.content.decode())
    assert page.status_code == 200 and ID in party and ADDRESS in party
    entry = SecurityEvent.objects.get(kind="personal_data_viewed")
    assert entry.username == username and entry.object == f"case:{case.pk}" and entry.outcome == "success"
    assert entry.detail == {"fields": ["party_id_code", "party_address"]}


@pytest.mark.parametrize("username", ["officer2", "aux1", "supervisor", "admin"])
def test_r15_others_are_refused_the_full_view_and_it_is_logged(world, case, username):
    page = _page(world, username, f"/cases/{case.pk}/?show=personal")
    assert page.status_code == 403 and ID not in page.content.decode()
    assert not SecurityEvent.objects.filter(kind="personal_data_viewed").exists()
    assert SecurityEvent.objects.filter(kind="denied", username=username, object=f"/cases/{case.pk}/").exists()


def test_r15_an_organisation_is_not_masked(world, case):
    Case.objects.filter(pk=case.pk).update(party_kind=Case.PartyKind.ORGANISATION, party_id_code="91650200MA0000001X")
    html = _page(world, "officer2", f"/cases/{case.pk}/").content.decode()
    assert "91650200MA0000001X" in html and ADDRESS in html


def test_r15_colleagues_id_number_and_phone_are_masked(world):
    officer = Officer.objects.get(user=world.users["officer1"])
    path = f"/officers/{officer.pk}/"
    html = _page(world, "officer2", path).content.decode()
    assert officer.id_number not in html and officer.phone not in html
    assert officer.phone[:3] + "****" + officer.phone[-4:] in html
    assert _page(world, "officer2", path + "?show=personal").status_code == 403
    for username in ("officer1", "head1", "admin"):  # the person, the body's head, the administrator
        html = _page(world, username, path + "?show=personal").content.decode()
        assert officer.id_number in html and officer.phone in html, username
    assert SecurityEvent.objects.filter(kind="personal_data_viewed", object=f"officer:{officer.pk}").count() == 3


def test_r15_complainant_contact_is_masked_until_shown(world):
    from zhifa.portal.models import Complaint

    complaint = Complaint.objects.create(
        body=world.market, kind="complaint", reporter_name="钱多多", reporter_phone="13912345678",
        reporter_address="示例市示例区幸福路8号", subject="示例超市", facts="超市出售过期食品", known_on=TODAY,
        source_hash="0" * 64, received_at=dt.datetime.combine(TODAY, dt.time(9), tzinfo=clock.SHANGHAI),
        received_on=TODAY, accept_due=TODAY + dt.timedelta(days=5), tracking_code="T2026TEST0001")
    path = f"/complaints/{complaint.pk}/"
    html = _page(world, "supervisor", path).content.decode()
    assert "13912345678" not in html and "139****5678" in html and "幸福路8号" not in html
    html = _page(world, "supervisor", path + "?show=personal").content.decode()
    assert "13912345678" in html and "幸福路8号" in html
    assert SecurityEvent.objects.filter(kind="personal_data_viewed", object=f"complaint:{complaint.pk}").exists()
