"""registry/public.py: published bodies and the public certificate check (R01, R40), public
fields only, a constant number of queries."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from tests.factories import BodyFactory, CertificateFactory, OfficerFactory
from zhifa.core import clock
from zhifa.core.pagination import Paging
from zhifa.registry import public
from zhifa.registry.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def test_r01_public_bodies_are_the_published_ones_with_powers_and_contacts(world):
    hidden = BodyFactory(code="HIDDEN", name="未公示主体", jurisdiction=world.city, is_published=False)
    page = public.bodies()
    codes = {row["code"] for row in page["items"]}
    assert hidden.code not in codes and world.market.code in codes
    market = next(row for row in page["items"] if row["code"] == world.market.code)
    assert {"powers", "supervision_phone", "supervision_email", "address", "officer_count"} <= set(market)
    assert public.body(hidden.pk) is None and public.body(world.market.pk)["name"] == world.market.name


def test_r01_public_bodies_query_count_is_constant(world, django_assert_num_queries):
    for i in range(20):
        BodyFactory(code=f"B{i:03d}", name=f"主体{i}", jurisdiction=world.city)
    for size in (1, 50):
        with django_assert_num_queries(2):
            page = public.bodies(Paging(1, size))
        assert len(page["items"]) == min(size, page["count"])


def _officer_with(world, number: str, **cert):
    officer = OfficerFactory(body=world.market, name="王小明", id_number="650203199001011234", phone="13912345678")
    CertificateFactory(officer=officer, number=number, **cert)
    return officer


@pytest.mark.parametrize("cert, state", [
    ({"issued_on": TODAY - dt.timedelta(days=10), "expires_on": TODAY + dt.timedelta(days=10)}, "valid"),
    ({"issued_on": TODAY - dt.timedelta(days=900), "expires_on": TODAY - dt.timedelta(days=1)}, "expired"),
    ({"issued_on": TODAY - dt.timedelta(days=10), "expires_on": TODAY + dt.timedelta(days=10),
      "status": Certificate.Status.SUSPENDED, "status_changed_on": TODAY}, "suspended"),
    ({"issued_on": TODAY - dt.timedelta(days=10), "expires_on": TODAY + dt.timedelta(days=10),
      "status": Certificate.Status.REVOKED, "status_changed_on": TODAY}, "revoked"),
])
def test_r40_certificate_check_by_number_says_the_state_without_personal_data(world, cert, state, django_assert_num_queries):
    officer = _officer_with(world, "65020099001", **cert)
    with django_assert_num_queries(1):
        found = public.certificate_check("65020099001")
    assert found["state"] == state and found["officer_name"] == "王小明" and found["body_name"] == world.market.name
    text = repr(found)
    assert officer.id_number not in text and officer.phone not in text


def test_r40_certificate_check_refuses_unknown_numbers_and_unpublished_bodies(world):
    assert public.certificate_check("") is None and public.certificate_check("nope") is None
    assert public.certificate_check("x" * 100) is None
    hidden = BodyFactory(code="HIDDEN", name="未公示主体", jurisdiction=world.city, is_published=False)
    CertificateFactory(officer=OfficerFactory(body=hidden), number="65029999999",
                       issued_on=TODAY - dt.timedelta(days=1), expires_on=TODAY + dt.timedelta(days=1))
    assert public.certificate_check("65029999999") is None
