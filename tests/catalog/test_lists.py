"""R11–R13: the lists as data per body — default content from the law, the demo lists, the page."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhifa.catalog import discretion, services
from zhifa.catalog import rules as r
from zhifa.catalog.models import ExemptionEntry, LegalReviewRule, RecordingRule
from zhifa.registry.models import Body
from tests.factories import PASSWORD, BodyFactory, ItemFactory


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def decision(**kw) -> r.DecisionFacts:
    kw.setdefault("item_code", "X")
    kw.setdefault("party_kind", r.PartyKind.ORGANISATION)
    return r.DecisionFacts(**kw)


# --- seed_default_lists -------------------------------------------------------------------------

def test_r12_r13_seed_default_lists_is_idempotent_and_keeps_edits(world):
    body = world.market
    first = services.seed_default_lists(body)
    assert (first.review_rules, first.recording_rules) == (4, 12)
    rule = LegalReviewRule.objects.get(body=body, threshold_organisation__isnull=False)
    rule.citation = "本局修改后的依据"
    rule.save()
    RecordingRule.objects.filter(body=body, act_kind="evidence").update(level=RecordingRule.Level.MUST)
    again = services.seed_default_lists(body)
    assert (again.review_rules, again.recording_rules) == (0, 0)
    assert LegalReviewRule.objects.filter(body=body).count() == 4
    assert LegalReviewRule.objects.get(pk=rule.pk).citation == "本局修改后的依据"
    assert discretion.must_record(body.pk, "evidence")[0] is r.RecordingLevel.MUST


def test_r12_default_review_list_decides_with_thresholds_and_kinds(world):
    body = world.market
    services.seed_default_lists(body)
    # 较大数额 (APL art.63 ¶1(1); 《市场监督管理行政处罚听证办法》第五条): organisation 100,000, person 10,000.
    needed, reasons = discretion.needs_legal_review(body.pk, decision(fine=D("100000")))
    assert needed and "市场监督管理行政处罚听证办法" in reasons[0]
    assert discretion.needs_legal_review(body.pk, decision(fine=D("99999.99")))[0] is False
    assert discretion.needs_legal_review(body.pk, decision(party_kind=r.PartyKind.PERSON, fine=D("6000"),
                                                           confiscation_value=D("4000")))[0] is True
    assert discretion.needs_legal_review(body.pk, decision(party_kind=r.PartyKind.PERSON, fine=D("9999")))[0] is False
    # Revocation and closure: by kind, whatever the amount.
    revoke = decision(penalty_kinds=frozenset({r.PenaltyKind.PERMIT_REVOCATION}))
    needed, reasons = discretion.needs_legal_review(body.pk, revoke)
    assert needed and reasons[0].startswith("拟作出吊销许可证件")
    assert discretion.needs_legal_review(body.pk, decision(penalty_kinds=frozenset({r.PenaltyKind.CLOSURE})))[0]
    assert discretion.needs_legal_review(body.pk, decision(penalty_kinds=frozenset({r.PenaltyKind.WARNING})))[0] is False
    # 3S: major social impact.
    social = decision(triggers=frozenset({r.ReviewTrigger.MAJOR_SOCIAL_IMPACT}))
    assert discretion.needs_legal_review(body.pk, social)[0]


def test_r12_other_sectors_say_their_amounts_are_provisional(world):
    services.seed_default_lists(world.urban)
    rule = LegalReviewRule.objects.get(body=world.urban, threshold_organisation__isnull=False)
    assert "应按本领域、本地规定调整" in rule.citation
    assert "市场监督管理行政处罚听证办法" not in rule.citation


def test_r13_default_catalogue_must_and_should(world):
    services.seed_default_lists(world.market)
    for act in ("seizure", "detention", "forced_demolition", "handling_site"):
        level, citation = discretion.must_record(world.market.pk, act)
        assert level is r.RecordingLevel.MUST and "国办发〔2018〕118号" in citation
    for act in ("on_site", "evidence", "hearing", "service_leaving", "service_notice"):
        assert discretion.must_record(world.market.pk, act)[0] is r.RecordingLevel.SHOULD
    assert RecordingRule.objects.filter(body=world.market, level="must").count() == 5


# --- load_demo_lists ----------------------------------------------------------------------------

def test_r11_r13_demo_lists_for_every_body_and_the_ecology_bureau(world):
    shj = BodyFactory(code="SHJ", name="示例市生态环境局", sector=Body.Sector.ECOLOGY, jurisdiction=world.city)
    item = ItemFactory(body=shj, code="SHJ-CL-6-17", name="未按照规定进行土壤污染状况调查的", valid_from=dt.date(2020, 3, 1))
    result = services.load_demo_lists()
    n_bodies = Body.objects.count()
    assert result.seeded.review_rules == 4 * n_bodies and result.seeded.recording_rules == 12 * n_bodies
    assert result.exemptions is not None and result.exemptions.created == 40
    entry = ExemptionEntry.objects.get(body=shj, item=item)
    assert entry.valid_to is None  # kept in force, marked as demo data
    assert "示范数据" in entry.source
    ids = set(ExemptionEntry.objects.values_list("pk", flat=True))
    again = services.load_demo_lists()
    assert again.seeded.review_rules == 0 and again.seeded.recording_rules == 0 and again.exemptions is None
    assert set(ExemptionEntry.objects.values_list("pk", flat=True)) == ids


# --- The page -----------------------------------------------------------------------------------

@pytest.fixture
def listed(world):
    services.seed_default_lists(world.market)
    services.seed_default_lists(world.urban)
    item = ItemFactory(body=world.market, name="未按规定公示信息的")
    for n in range(60):
        ExemptionEntry.objects.create(body=world.market, item=item if n % 2 else None, act=f"示例违法行为{n}",
                                      kind="first_offence", conditions="同时满足：首次违法；及时改正", citation="示范清单（示范数据）")
    ExemptionEntry.objects.create(body=world.market, act="草稿中的清单事项", kind="minor", conditions="—",
                                  citation="—", is_published=False)
    return item


def test_r11_page_lists_exemptions_paged_and_filtered(world, listed):
    client = login("officer_other")  # urban bureau: sees the market bureau's published list only
    page = client.get("/catalog/lists/", {"body": world.market.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="exemption-table"' in html and "共 <strong>60</strong> 条" in html
    assert "草稿中的清单事项" not in client.get("/catalog/lists/", {"q": "草稿"}).content.decode()
    assert client.get("/catalog/lists/", {"body": world.market.pk, "page": 2}).content.decode().count("示例违法行为") == 10
    found = client.get("/catalog/lists/", {"q": "示例违法行为7"}).content.decode()
    assert "共 <strong>1</strong> 条" in found
    assert "共 <strong>0</strong> 条" not in client.get("/catalog/lists/", {"kind": "first_offence"}).content.decode()
    assert "该清单暂无内容" in client.get("/catalog/lists/", {"kind": "no_fault"}).content.decode()
    own = login("officer1").get("/catalog/lists/", {"body": world.market.pk, "q": "草稿"}).content.decode()
    assert "草稿中的清单事项" in own and "未公布" in own


def test_r11_page_costs_constant_queries(world, listed):
    client = login("officer1")
    with CaptureQueriesContext(connection) as few:
        client.get("/catalog/lists/", {"body": world.market.pk, "q": "示例违法行为1"})
    with CaptureQueriesContext(connection) as many:
        client.get("/catalog/lists/", {"body": world.market.pk})
    assert len(many) == len(few)


def test_r12_r13_pages_show_the_review_list_and_the_catalogue(world, listed):
    client = login("officer1")
    review = client.get("/catalog/lists/", {"list": "review", "body": world.market.pk}).content.decode()
    assert 'data-testid="review-table"' in review and "拟作出降低资质等级、吊销许可证件" in review
    assert 'data-testid="statutory-review"' in review and "第五十八条第一款第（二）项" in review
    assert "自然人 10000 元" in review
    recording = client.get("/catalog/lists/", {"list": "recording", "body": world.market.pk}).content.decode()
    assert 'data-testid="recording-table"' in recording and "应当全程音像记录" in recording
    assert "共 <strong>12</strong> 条" in recording
    assert "共 <strong>24</strong> 条" in client.get("/catalog/lists/", {"list": "recording"}).content.decode()
    searched = client.get("/catalog/lists/", {"list": "recording", "body": world.market.pk, "q": "扣押"}).content.decode()
    assert "共 <strong>1</strong> 条" in searched


def test_r11_page_htmx_returns_only_the_results_and_bad_input_is_not_an_error(world, listed):
    client = login("officer1")
    partial = client.get("/catalog/lists/", {"list": "review"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    for params in ({"list": "nonsense"}, {"body": "abc"}, {"body": 999999}, {"page": "x"}):
        assert client.get("/catalog/lists/", params).status_code == 200
    # a NUL character is refused before the page (issue 15 §5: a Chinese 400 everywhere)
    refused = client.get("/catalog/lists/", {"q": "\x00"})
    assert refused.status_code == 400 and "空字符" in refused.content.decode()
    assert Client().get("/catalog/lists/").status_code == 302  # staff page


# --- Records ------------------------------------------------------------------------------------

def test_r12_r13_seeding_records_one_entry_per_list_and_run(world):
    from zhifa.core.models import RecordEntry
    from zhifa.registry.access import actor_for

    services.seed_default_lists(world.market, actor=actor_for(world.users["admin"]))
    review = RecordEntry.objects.get(stream="list:review")
    recording = RecordEntry.objects.get(stream="list:recording")
    assert (review.action, review.payload) == ("seed_defaults", {"bodies": [world.market.pk], "created": 4})
    assert recording.payload["created"] == 12 and review.actor_id == world.users["admin"].pk
    services.seed_default_lists(world.market)  # nothing new: nothing written, nothing recorded
    assert RecordEntry.objects.filter(stream__startswith="list:").count() == 2


def test_r11_exemption_list_load_records_its_file(world):
    from zhifa.core.models import RecordEntry

    shj = BodyFactory(code="SHJ", name="示例市生态环境局", sector=Body.Sector.ECOLOGY, jurisdiction=world.city)
    result = services.load_exemption_list(shj)
    entry = RecordEntry.objects.get(stream="import:exemption_list")
    assert entry.action == "load" and entry.payload["created"] == result.created == 40
    assert len(entry.payload["sha256"]) == 64 and entry.payload["body_id"] == shj.pk
