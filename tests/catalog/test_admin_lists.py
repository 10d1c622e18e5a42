"""R10–R13 admin: benchmarks (grades inline), factors, the three lists; publishing goes through
``discretion.publish_benchmark``; change lists cost a constant number of queries."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhifa.catalog import services
from zhifa.catalog.models import Benchmark, ExemptionEntry
from tests.catalog.test_discretion import make_benchmark
from tests.factories import PASSWORD, ItemFactory

CHANGELISTS = ["benchmark", "factor", "exemptionentry", "legalreviewrule", "recordingrule"]


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def fill(world, n: int) -> list[Benchmark]:
    made = []
    for i in range(n):
        item = ItemFactory(body=world.market if i % 2 else world.urban)
        made.append(make_benchmark(item, status=Benchmark.Status.DRAFT, factors=2))
        ExemptionEntry.objects.create(body=item.body, item=item, act=f"违法行为{i}", kind="minor", conditions="轻微",
                                      citation="示范清单（示范数据）")
    services.seed_default_lists(world.market)
    services.seed_default_lists(world.urban)
    return made


@pytest.mark.parametrize("model", CHANGELISTS)
def test_r10_r13_admin_changelists_cost_constant_queries(world, model):
    client = login("admin")
    fill(world, 2)
    url = f"/admin/catalog/{model}/"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    fill(world, 8)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_r10_admin_benchmark_page_has_grades_and_factors_inline_and_search(world):
    (b,) = fill(world, 1)
    client = login("admin")
    page = client.get(f"/admin/catalog/benchmark/{b.pk}/change/").content.decode()
    assert "裁量档次" in page and "裁量情节" in page and "情节1" in page
    found = client.get("/admin/catalog/benchmark/", {"q": b.item.code}).content.decode()
    assert b.item.code in found
    assert client.get("/admin/catalog/exemptionentry/", {"q": "违法行为0"}).status_code == 200
    assert client.get("/admin/catalog/legalreviewrule/", {"trigger__exact": "major_social_impact"}).status_code == 200


def test_r10_admin_action_publishes_through_the_service(world):
    item = ItemFactory(body=world.market)
    old = make_benchmark(item, version="2024版", valid_from=dt.date(2024, 1, 1))
    draft = make_benchmark(item, version="2026版", status=Benchmark.Status.DRAFT, valid_from=dt.date(2026, 1, 1))
    response = login("admin").post("/admin/catalog/benchmark/", {"action": "publish_benchmarks", "_selected_action": [draft.pk]},
                                   follow=True)
    assert "已公布 1 个裁量基准。" in response.content.decode()
    draft.refresh_from_db()
    old.refresh_from_db()
    assert draft.status == Benchmark.Status.PUBLISHED and draft.published_on is not None
    assert old.valid_to == dt.date(2025, 12, 31)  # the service closed the previous version


def test_r10_admin_action_reports_refusals_and_permissions(world):
    empty = Benchmark.objects.create(item=ItemFactory(body=world.market), body=world.market, version="空",
                                     valid_from=dt.date(2025, 1, 1))
    client = login("admin")
    page = client.post("/admin/catalog/benchmark/", {"action": "publish_benchmarks", "_selected_action": [empty.pk]},
                       follow=True).content.decode()
    assert "未公布：裁量基准至少应有一个裁量档次。" in page
    empty.refresh_from_db()
    assert empty.status == Benchmark.Status.DRAFT
    # A head of another body with admin access still cannot publish the market bureau's draft.
    other = make_benchmark(ItemFactory(body=world.urban), status=Benchmark.Status.DRAFT)
    head = world.users["head1"]
    head.is_staff = True
    head.save()
    head.user_permissions.add(*Permission.objects.filter(codename__in=["view_benchmark", "change_benchmark"]))
    page = login("head1").post("/admin/catalog/benchmark/", {"action": "publish_benchmarks", "_selected_action": [other.pk]},
                               follow=True).content.decode()
    assert "未公布：未找到该裁量基准，或您无权查看。" in page
    other.refresh_from_db()
    assert other.status == Benchmark.Status.DRAFT
