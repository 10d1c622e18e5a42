"""R10–R13 API: POST /api/v1/items/{code}/assess and the list endpoints."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhifa.catalog.models import Benchmark, ExemptionEntry, LegalReviewRule
from tests.catalog.test_discretion import make_benchmark
from tests.factories import ItemFactory


URL = "/api/v1/items/SJJ-CF-001/assess"


@pytest.fixture
def item(world):
    return ItemFactory(body=world.market, code="SJJ-CF-001", name="生产、销售不符合保障人体健康的国家标准的产品",
                       valid_from=dt.date(2020, 1, 1))


def test_r10_assess_returns_outcome_kinds_range_and_explanation(api_as, item):
    make_benchmark(item)
    response = api_as("officer1").post(URL, {"act_date": "2025-06-01", "grades": [2], "factors": ["coerced"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "lighter" and body["outcome_label"] == "从轻处罚"
    assert body["penalty_kinds"] == [{"code": "fine", "label": "罚款"}]
    assert body["amount"]["min"] == "10000.00" and body["amount"]["max"] == "13000.00"
    assert body["grade"]["name"] == "一般"
    assert body["benchmark"]["version"] == "2024版"
    assert body["explanation"].splitlines()[0].startswith("1. 适用已公布的")
    assert any("第三十二条" in s["citation"] for s in body["steps"])


def test_r10_the_public_may_assess_against_published_benchmarks(api_as, item):
    make_benchmark(item)
    response = api_as(None).post(URL, {"act_date": "2025-06-01", "party_kind": "person", "age": 13})
    assert response.status_code == 200
    assert response.json()["outcome"] == "no_penalty" and response.json()["amount"] is None


def test_r10_multiples_come_back_in_yuan_and_in_multiples(api_as, world):
    from zhifa.catalog.models import BenchmarkGrade

    item = ItemFactory(body=world.market, code="SJJ-CF-002", valid_from=dt.date(2020, 1, 1))
    b = make_benchmark(item, grades=())
    BenchmarkGrade.objects.create(benchmark=b, order=1, name="一般", penalty_kinds=["fine", "confiscate_gains"],
                                  amount_basis="illegal_gains", amount_min=D(1), amount_max=D(3), confiscate_gains=True)
    response = api_as("officer1").post("/api/v1/items/SJJ-CF-002/assess", {"act_date": "2025-06-01", "illegal_gains": "2500.50"})
    amount = response.json()["amount"]
    assert (amount["min"], amount["max"], amount["min_multiple"], amount["max_multiple"]) == ("2500.50", "7501.50", "1", "3")
    assert response.json()["confiscate_gains"] is True


def test_r10_unknown_item_or_no_published_benchmark_is_404(api_as, item):
    client = api_as("officer1")
    assert client.post("/api/v1/items/NOPE/assess", {"act_date": "2025-06-01"}).status_code == 404
    assert client.post(URL, {"act_date": "2025-06-01"}).status_code == 404
    make_benchmark(item, status=Benchmark.Status.DRAFT)
    response = client.post(URL, {"act_date": "2025-06-01"})
    assert response.status_code == 404 and "裁量基准" in response.json()["detail"] or response.status_code == 404


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"act_date": "2025-06-01", "illegal_gains": "-1"}, "illegal_gains"),
        ({"act_date": "2025-06-01", "factors": ["no_such_factor"]}, "factors"),
        ({"act_date": "2019-01-01"}, "act_date"),
        ({"act_date": "2025-13-01"}, "act_date"),
        ({"act_date": "2025-06-01", "grades": [9]}, "grades"),
        ({"act_date": "2025-06-01", "harm": "huge"}, "harm"),
        ({}, "act_date"),
    ],
)
def test_r10_bad_facts_are_422_with_field_messages(api_as, item, payload, field):
    make_benchmark(item)
    response = api_as("officer1").post(URL, payload)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field for e in errors), errors
    assert all(e["message"] for e in errors)


def test_r10_benchmark_versions_drafts_only_for_their_body(api_as, item):
    make_benchmark(item, version="2024版")
    make_benchmark(item, version="草稿", status=Benchmark.Status.DRAFT, valid_from=dt.date(2026, 1, 1))
    own = api_as("officer1").get("/api/v1/items/SJJ-CF-001/benchmarks").json()
    other = api_as("officer_other").get("/api/v1/items/SJJ-CF-001/benchmarks").json()
    assert {b["version"] for b in own} == {"2024版", "草稿"}
    assert [b["version"] for b in other] == ["2024版"]
    assert any(f["code"] == "coerced" and f["mandatory"] for f in other[0]["factors"])
    assert [g["name"] for g in other[0]["grades"]] == ["轻微", "一般", "较重"]


def test_r10_publish_endpoint(api_as, item):
    draft = make_benchmark(item, version="草稿", status=Benchmark.Status.DRAFT, valid_from=dt.date(2026, 1, 1))
    assert api_as("officer1").post(f"/api/v1/benchmarks/{draft.pk}/publish").status_code == 403
    assert api_as("officer_other").post(f"/api/v1/benchmarks/{draft.pk}/publish").status_code == 404
    assert api_as(None).post(f"/api/v1/benchmarks/{draft.pk}/publish").status_code == 401
    ok = api_as("head1").post(f"/api/v1/benchmarks/{draft.pk}/publish", {"published_on": "2025-12-01"})
    assert ok.status_code == 200 and ok.json()["status"] == "published"
    again = api_as("head1").post(f"/api/v1/benchmarks/{draft.pk}/publish")
    assert again.status_code == 409 and again.json()["violations"][0]["code"] == "WRONG_STATE"


def test_r11_exemption_list_and_query(api_as, world, item):
    ExemptionEntry.objects.create(body=world.market, item=item, act="首次违法", kind="first_offence",
                                  conditions="首次违法，危害后果轻微并及时改正", citation="免罚清单第1项（示范数据）",
                                  requires_first_offence=True)
    ExemptionEntry.objects.create(body=world.market, item=item, act="未公布", kind="minor", conditions="…",
                                  citation="…", is_published=False)
    public = api_as(None).get("/api/v1/exemptions").json()
    assert public["count"] == 1 and public["items"][0]["kind_label"] == "首违不罚"
    assert api_as("officer1").get("/api/v1/exemptions", item="SJJ-CF-001").json()["count"] == 2
    check = api_as("officer1").post("/api/v1/items/SJJ-CF-001/exemption", {
        "act_date": "2025-06-01", "first_offence": True, "harm": "slight", "corrected_promptly": True})
    assert check.json() == {"applies": True, "no_penalty": True, "entries": [
        {"kind": "first_offence", "kind_label": "首违不罚", "conditions": "首次违法，危害后果轻微并及时改正",
         "citation": "免罚清单第1项（示范数据）"}]}


def test_r12_legal_review_list_and_check(api_as, world, item):
    LegalReviewRule.objects.create(body=world.market, description="吊销许可证件", penalty_kinds=["permit_revocation"],
                                   citation="法制审核清单第4项（示范数据）")
    listed = api_as(None).get("/api/v1/legal-review-rules", body=world.market.pk).json()
    assert listed["count"] == 1 and listed["items"][0]["penalty_kinds"][0]["label"] == "吊销许可证件"
    client = api_as("officer1")
    check = client.post("/api/v1/legal-review/check", {"body": world.market.pk, "item_code": "SJJ-CF-001",
                                                        "penalty_kinds": ["permit_revocation"]})
    assert check.json()["needed"] is True and "第4项" in check.json()["reasons"][0]
    hearing = client.post("/api/v1/legal-review/check", {"body": world.market.pk, "item_code": "X", "hearing_held": True})
    assert hearing.json()["needed"] and "第五十八条" in hearing.json()["reasons"][0]
    bad = client.post("/api/v1/legal-review/check", {"body": world.market.pk, "item_code": "X", "penalty_kinds": ["caning"]})
    assert bad.status_code == 422
    assert api_as(None).post("/api/v1/legal-review/check", {"body": world.market.pk, "item_code": "X"}).status_code == 401


def test_r13_recording_catalogue(api_as, world):
    catalogue = api_as(None).get("/api/v1/recording-catalogue").json()
    assert {c["act_kind"] for c in catalogue if c["level"] == "must"} >= {"seizure", "detention", "forced_demolition"}
    check = api_as(None).get("/api/v1/recording-catalogue/check", act_kind="service_notice", body=world.market.pk)
    assert check.json()["level"] == "should" and "国办发〔2018〕118号" in check.json()["citation"]
    assert api_as(None).get("/api/v1/recording-catalogue/check", act_kind="dancing").status_code == 422


# --- The page -----------------------------------------------------------------------------

def _client(world, username="officer1"):
    from django.test import Client

    client = Client()
    client.force_login(world.officers[username].user if username in world.officers else world.users[username])
    return client


def test_r10_assess_page_lists_items_with_published_benchmarks(world, item):
    ItemFactory(body=world.market, code="SJJ-CF-009", name="没有基准的事项")
    make_benchmark(item)
    page = _client(world).get("/catalog/assess/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "SJJ-CF-001" in text and "SJJ-CF-009" not in text


def test_r10_assess_page_shows_range_and_reasoning(world, item):
    make_benchmark(item)
    client = _client(world)
    page = client.get("/catalog/items/SJJ-CF-001/assess/")
    assert page.status_code == 200 and "违法事实与裁量情节" in page.content.decode()
    response = client.post("/catalog/items/SJJ-CF-001/assess/", {
        "act_date": "2025-06-01", "party_kind": "organisation", "harm": "ordinary", "grades": ["3"], "factors": ["confessed"],
    })
    text = response.content.decode()
    assert response.status_code == 200
    assert "从轻处罚" in text and "罚款20000元以上29000元以下" in text
    assert "第三十二条第（三）项" in text


def test_r10_assess_page_reports_bad_facts_next_to_fields(world, item):
    make_benchmark(item)
    response = _client(world).post("/catalog/items/SJJ-CF-001/assess/", {
        "act_date": "2019-01-01", "party_kind": "organisation", "harm": "ordinary", "illegal_gains": "-5",
    })
    text = response.content.decode()
    assert response.status_code == 200 and 'id="assess-result"' not in text
    assert "field-error" in text


def test_r10_assess_page_is_404_for_unknown_items(world):
    assert _client(world).get("/catalog/items/NOPE/assess/").status_code == 404
