"""Pickers a person can use (issue 20 point 1): the item picker searches by code, name and pinyin
initials, 20 a page, only the actor's body's penalty items; the decision's grades and factors are
ticked from the item's benchmark, with the assessment beside the form."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.catalog.test_discretion import make_benchmark
from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.cases import forms, pickers

pytestmark = pytest.mark.django_db


def test_r09_initials_are_the_pinyin_first_letters():
    assert pickers.initials("无证经营") == "wzjy"
    assert pickers.initials("食品A类") == "spal"  # a Latin letter kept, each hanzi its first letter


def _login(client, world, username="officer1"):
    client.force_login(world.users[username])


def _items(world, n=25):
    for i in range(n):
        ItemFactory(body=world.market, code=f"SJJ-CF-{i:04d}", name=f"对销售过期食品第{i}类的处罚")
    ItemFactory(body=world.market, code="SJJ-CF-9999", name="对无证经营的处罚")
    ItemFactory(body=world.urban, code="CGJ-CF-0001", name="对无证经营占道的处罚")


def test_r09_item_picker_narrows_by_code_name_and_initials(client, world, django_assert_max_num_queries):
    _items(world)
    _login(client, world)
    url = reverse("cases:pick_items")
    with django_assert_max_num_queries(12):
        by_initials = client.get(url, {"field": "item", "item_q": "wzjy"}).content.decode()
    assert "SJJ-CF-9999" in by_initials and "SJJ-CF-0001" not in by_initials
    assert "CGJ-CF-0001" not in by_initials  # another body's item is never offered
    assert "SJJ-CF-0003" in client.get(url, {"field": "item", "item_q": "CF-0003"}).content.decode()
    assert "SJJ-CF-9999" in client.get(url, {"field": "item", "item_q": "无证"}).content.decode()


def test_r09_item_picker_pages_twenty_at_a_time(client, world):
    _items(world)
    _login(client, world)
    first = client.get(reverse("cases:pick_items"), {"field": "item", "item_q": "过期"}).content.decode()
    assert first.count('type="radio"') == pickers.PER_PAGE
    assert "第 1/2 页" in first and "下一页" in first
    second = client.get(reverse("cases:pick_items"), {"field": "item", "item_q": "过期", "page": 2}).content.decode()
    assert second.count('type="radio"') == 5


def test_r09_item_picker_refuses_a_user_without_a_body(client, world):
    _login(client, world, "supervisor")
    assert client.get(reverse("cases:pick_items"), {"item_q": "x"}).status_code == 403


def test_r09_registration_without_typing_a_code(client, world):
    """The picker posts the chosen item's id as the select did: registration works unchanged."""
    _items(world, 1)
    item = world.market.items.get(code="SJJ-CF-9999")
    _login(client, world)
    page = client.get(reverse("cases:register")).content.decode()
    assert 'data-picker="item"' in page and "<select name=\"item\"" not in page
    response = client.post(reverse("cases:register"), {
        "procedure": "normal", "item": item.pk, "source": "inspection", "party_kind": "organisation",
        "party_name": "示例市某某超市", "act_date": (TODAY - dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    chosen = forms.RegisterForm({"item": item.pk}, body_id=world.market.pk, items=world.market.items.all())
    assert "SJJ-CF-9999 对无证经营的处罚" in str(chosen["item"])  # the chosen item shown, checked


def test_r10_decision_grades_and_factors_come_from_the_benchmark(client, cw):
    make_benchmark(cw.item, factors=2, valid_from=dt.date(2020, 1, 1))
    case = cw.walk(cw.register(), "reviewed")
    form = forms.action_form("decide", case)
    assert form.from_benchmark == {"grades", "factors"}
    assert [v for v, _ in form.fields["grades"].choices] == ["1", "2", "3"]
    assert "agg0" in [v for v, _ in form.fields["factors"].choices]
    bound = forms.action_form("decide", case, {"decide-outcome": "penalty", "decide-kinds": ["fine"], "decide-amount": "5000",
                                               "decide-reasoning": "依法处罚", "decide-grades": ["2"], "decide-factors": ["agg1"]})
    assert bound.is_valid(), bound.errors
    assert bound.service_kwargs()["grades"] == [2] and bound.service_kwargs()["factors"] == ["agg1"]
    bad = forms.action_form("decide", case, {"decide-outcome": "penalty", "decide-reasoning": "x", "decide-grades": ["9"]})
    assert not bad.is_valid() and "grades" in bad.errors  # only the benchmark's grades may be ticked


def test_r10_the_assessment_is_shown_beside_the_decision(client, cw):
    make_benchmark(cw.item, valid_from=dt.date(2020, 1, 1))
    case = cw.walk(cw.register(), "reviewed")
    client.force_login(cw.world.users["head1"])
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:assess", args=[case.pk]) in detail and 'name="decide-grades"' in detail
    side = client.post(reverse("cases:assess", args=[case.pk]), {"prefix": "decide", "decide-grades": ["2"]}).content.decode()
    assert "裁量说明" in side and "10000" in side.replace(",", "")


def test_r10_assessment_of_another_bodys_case_is_not_found(client, cw):
    case = cw.walk(cw.register(), "reviewed")
    client.force_login(cw.world.users["officer_other"])
    assert client.post(reverse("cases:assess", args=[case.pk]), {"prefix": "decide"}).status_code == 404
