"""The statistics pages (R34): the office's dashboard, a body's, the congress report page;
chart data in a JSON block (CSP), drill-down links, denials, and a bounded number of queries."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


@pytest.fixture
def decided(cw):
    return cw.walk(cw.register(), "decided", amount=Decimal("800"))


def test_r34_office_dashboard_shows_figures_with_their_basis_charts_and_drill_down(cw, decided, client):
    client.force_login(cw.world.users["supervisor"])
    page = client.get("/supervision/statistics/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="statistics-data" type="application/json"' in html and "zhifa/statistics.js" in html
    assert "按立案日期" in html and "按决定日期" in html and "按抽取日期" in html
    assert "/cases/?" in html and "decided_from=" in html and "outcome=penalty" in html
    assert "零案件事项" in html and "<script>" not in html
    assert 'value="2026-01-01"' in html and 'value="2026-11-23"' in html  # the period shown in the form


def test_r34_body_dashboard_for_its_staff_and_the_office_not_for_another_body(cw, decided, client):
    market = cw.world.market.pk
    client.force_login(cw.world.users["head1"])
    assert client.get(f"/supervision/statistics/bodies/{market}/?by=month").status_code == 200
    client.force_login(cw.world.users["officer_other"])
    assert client.get(f"/supervision/statistics/bodies/{market}/").status_code == 404
    client.force_login(cw.world.users["supervisor"])
    assert client.get(f"/supervision/statistics/bodies/{market}/").status_code == 200


@pytest.mark.parametrize("by", ["body", "item", "level", "month"])
def test_r34_dashboard_queries_do_not_grow_with_the_cases(cw, decided, client, django_assert_max_num_queries, by):
    client.force_login(cw.world.users["supervisor"])
    client.get("/supervision/statistics/")  # first refresh
    cw.walk(cw.register(party_name="另一商户", party_id_code="91650200MA0000002X"), "decided")
    client.get("/supervision/statistics/")
    with django_assert_max_num_queries(26):  # session, nav, refresh, sums (months + edges), labels, zero-case items
        assert client.get(f"/supervision/statistics/?by={by}").status_code == 200


def test_r37_congress_page_is_for_the_office(cw, decided, client):
    client.force_login(cw.world.users["supervisor"])
    page = client.get("/supervision/reports/congress/?year=2026")
    assert page.status_code == 200 and "行政执法总体情况" in page.content.decode()
    client.force_login(cw.world.users["officer1"])
    assert client.get("/supervision/reports/congress/").status_code == 403
