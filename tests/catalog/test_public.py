"""catalog/public.py: the power lists of published bodies (R09) and published benchmarks only
(APL art.34), with a constant number of queries."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from tests.factories import BodyFactory, ItemFactory
from zhifa.catalog import public
from zhifa.catalog.models import Benchmark, BenchmarkGrade
from zhifa.core.pagination import Paging

pytestmark = pytest.mark.django_db


def test_r09_public_items_are_those_of_published_bodies(world):
    hidden = BodyFactory(code="HIDDEN", name="未公示主体", jurisdiction=world.city, is_published=False)
    ItemFactory(body=hidden, code="H-1")
    shown = ItemFactory(body=world.market, code="M-1", name="对销售过期食品的处罚")
    page = public.items()
    assert [row["code"] for row in page["items"]] == ["M-1"]
    assert page["items"][0]["body_name"] == world.market.name and page["items"][0]["is_valid_today"]
    assert public.item("H-1") is None and public.item(shown.code)["name"] == shown.name
    assert public.items(q="过期")["count"] == 1 and public.items(q="无此事项")["count"] == 0
    assert public.item("x" * 50) is None


def test_r09_public_items_query_count_is_constant(world, django_assert_num_queries):
    for i in range(30):
        ItemFactory(body=world.market, code=f"M-{i:03d}")
    for size in (1, 30):
        with django_assert_num_queries(2):
            page = public.items(Paging(1, size), valid_on=TODAY)
        assert len(page["items"]) == size


def _benchmark(item, status, version):
    benchmark = Benchmark.objects.create(
        item=item, body=item.body, version=version, status=status, valid_from=dt.date(2025, 1, 1),
        published_on=dt.date(2024, 12, 1) if status == Benchmark.Status.PUBLISHED else None,
        statutory_min=0, statutory_max=50000)
    for order in (1, 2):
        BenchmarkGrade.objects.create(benchmark=benchmark, order=order, name=f"第{order}档", penalty_kinds=["fine"],
                                      amount_min=1000 * order, amount_max=2000 * order)
    return benchmark


def test_r10_only_published_benchmarks_are_public_with_their_grades(world, django_assert_num_queries):
    item = ItemFactory(body=world.market, code="M-1")
    published = _benchmark(item, Benchmark.Status.PUBLISHED, "2025版")
    _benchmark(item, Benchmark.Status.DRAFT, "2026草稿")
    for i in range(5):
        _benchmark(ItemFactory(body=world.market, code=f"M-B{i}"), Benchmark.Status.PUBLISHED, "2025版")
    with django_assert_num_queries(3):
        page = public.benchmarks(item_code="M-1")
    assert [row["id"] for row in page["items"]] == [published.pk]
    assert [g["order"] for g in page["items"][0]["grades"]] == [1, 2]
    with django_assert_num_queries(3):
        assert public.benchmarks(Paging(1, 50), in_force_on=TODAY)["count"] == 6


def test_r11_r13_the_three_lists_as_published(world, django_assert_num_queries):
    from zhifa.catalog.models import ExemptionEntry, LegalReviewRule, RecordingRule

    hidden = BodyFactory(code="HIDDEN", name="未公示主体", jurisdiction=world.city, is_published=False)
    item = ItemFactory(body=world.market, code="M-1")
    ExemptionEntry.objects.create(body=world.market, item=item, act="首次轻微违法", kind="first_offence",
                                  conditions="首次违法且及时改正", citation="行政处罚法第三十三条")
    ExemptionEntry.objects.create(body=world.market, act="未公布", kind="first_offence", conditions="-", citation="-",
                                  is_published=False)
    ExemptionEntry.objects.create(body=hidden, act="未公示主体的", kind="first_offence", conditions="-", citation="-")
    LegalReviewRule.objects.create(body=world.market, description="罚款十万元以上", citation="行政处罚法第五十八条")
    RecordingRule.objects.create(body=world.market, act_kind=RecordingRule._meta.get_field("act_kind").choices[0][0],
                                 level=RecordingRule.Level.MUST, citation="国办发〔2018〕118号")
    with django_assert_num_queries(2):
        exemptions = public.exemption_list()
    assert [e["act"] for e in exemptions["items"]] == ["首次轻微违法"] and exemptions["items"][0]["item_code"] == "M-1"
    with django_assert_num_queries(2):
        assert [r["description"] for r in public.legal_review_list()["items"]] == ["罚款十万元以上"]
    with django_assert_num_queries(2):
        recordings = public.recording_list(body_id=world.market.pk)
    assert recordings["count"] >= 1 and all(r["body_id"] in (None, world.market.pk) for r in recordings["items"])


@pytest.mark.parametrize("params", [{}, {"q": "过期"}, {"kind": "coercion"}, {"valid_on": "2020-01-01"}, {"body": "market"}])
def test_r09_public_items_and_the_anonymous_api_filter_alike(world, api_as, params):
    """Both go through ``selectors.filter_items``: the same filter gives the same items."""
    ItemFactory(body=world.market, code="M-1", name="对销售过期食品的处罚")
    ItemFactory(body=world.market, code="M-2", kind="coercion", valid_from=dt.date(2019, 1, 1))
    ItemFactory(body=world.urban, code="U-1", valid_from=dt.date(2021, 1, 1))
    api_params = {k: world.market.pk if k == "body" else v for k, v in params.items()}
    public_params = {("body_id" if k == "body" else k): (dt.date.fromisoformat(v) if k == "valid_on" else v)
                     for k, v in api_params.items()}
    response = api_as(None).get("/api/v1/items", page_size=100, **api_params)
    assert response.status_code == 200, response.content
    expected = sorted(row["code"] for row in public.items(Paging(1, 100), **public_params)["items"])
    assert sorted(row["code"] for row in response.json()["items"]) == expected
