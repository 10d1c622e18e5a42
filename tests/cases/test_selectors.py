"""One case-list filter (``selectors.filter_cases``) behind both ``GET /api/v1/cases`` and the case
list page (我的案件): the same filter gives the same cases."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import TODAY
from zhifa.cases import selectors
from zhifa.cases.selectors import CaseFilter

PASSWORD = "zhifa-demo"


@pytest.fixture
def cases(cw):
    """Five cases of the market bureau: two filed (officer1 and officer2 handle them), one with an
    overdue filing period, one with another party and ID code, one simple-procedure case."""
    filed = cw.walk(cw.register(party_name="甲商店", party_id_code="91650200MA0000001X"), "investigating")
    filed2 = cw.walk(cw.register(party_name="乙超市", party_id_code="91650200MA0000002X"), "investigating")
    late = cw.register(party_name="丙餐馆", party_id_code="91650200MA0000003X", clue_received_on=TODAY - dt.timedelta(days=60))
    other = cw.register(party_name="丁药房", party_id_code="91650200MA0000004X")
    simple = cw.register(party_name="戊摊贩", party_kind="person", party_id_code="", procedure="simple",
                         officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk])
    return {"filed": filed, "filed2": filed2, "late": late, "other": other, "simple": simple}


def _page_ids(client: Client, params: dict) -> set[int]:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return {c.pk for c in response.context["page"].object_list}


def _api_ids(api, params: dict) -> set[int]:
    response = api.get("/api/v1/cases?" + "&".join(f"{k}={v}" for k, v in params.items()))
    assert response.status_code == 200, response.content
    return {c["id"] for c in response.json()["items"]}


FILTERS = [
    ({}, {}),
    ({"q": "甲"}, {"q": "甲"}),
    ({"q": "91650200MA0000004X"}, {"q": "91650200MA0000004X"}),  # the ID code, exact (the page did it, the API did not)
    ({"state": "investigating"}, {"state": "investigating"}),
    ({"procedure": "simple"}, {"procedure": "simple"}),
    ({"scope": "mine"}, {"mine": "true"}),
    ({"overdue": "on"}, {"overdue": "true"}),
    ({"state": "source", "q": "丙"}, {"state": "source", "q": "丙"}),
]


@pytest.mark.parametrize(("page_params", "api_params"), FILTERS, ids=[str(f[1]) or "all" for f in FILTERS])
def test_r14_the_api_and_the_page_list_the_same_cases_for_the_same_filter(cases, world, api_as, page_params, api_params):
    page = Client()
    assert page.login(username="officer1", password=PASSWORD)
    assert _page_ids(page, page_params) == _api_ids(api_as("officer1"), api_params)


def test_r14_filter_cases_selects_by_each_criterion(cases, cw):
    officer = cw.actor("officer1")

    def ids(**kw):
        return set(selectors.filter_cases(officer, CaseFilter(**kw)).values_list("pk", flat=True))

    every = {c.pk for c in cases.values()}
    assert ids() == every
    assert ids(q=" 甲商店 ") == {cases["filed"].pk}
    assert ids(q=cases["other"].number) == {cases["other"].pk}
    assert ids(q="91650200MA0000004X") == {cases["other"].pk}
    assert ids(q="91650200MA000000") == set()  # the ID code matches only whole
    assert ids(state="investigating") == {cases["filed"].pk, cases["filed2"].pk}
    assert ids(procedure="simple") == {cases["simple"].pk}
    assert ids(mine=True) == {cases["filed"].pk, cases["filed2"].pk, cases["simple"].pk}
    assert ids(overdue=True) == {cases["late"].pk}
    assert ids(mine=True, state="investigating", q="乙") == {cases["filed2"].pk}


def test_r14_filter_cases_stays_in_scope(cases, cw):
    assert not selectors.filter_cases(cw.actor("officer_other"), CaseFilter()).exists()
    assert not selectors.filter_cases(cw.actor("officer_other"), CaseFilter(mine=True)).exists()
    assert selectors.filter_cases(cw.actor("supervisor"), CaseFilter()).count() == len(cases)
