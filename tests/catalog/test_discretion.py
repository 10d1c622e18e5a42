"""R10–R13 services: assess with database data, publish a benchmark version, the list queries."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.catalog import discretion, services
from zhifa.catalog import rules as r
from zhifa.catalog.models import Benchmark, BenchmarkGrade, ExemptionEntry, Factor, LegalReviewRule, RecordingRule
from zhifa.core.violations import Refused
from zhifa.registry.access import PUBLIC, actor_for
from tests.factories import ItemFactory

ACT = dt.date(2025, 6, 1)


def make_benchmark(item, *, version="2024版", status=Benchmark.Status.PUBLISHED, valid_from=dt.date(2024, 1, 1),
                   valid_to=None, factors=0, grades=((0, 10000), (10000, 20000), (20000, 50000))) -> Benchmark:
    b = Benchmark.objects.create(
        item=item, body=item.body, version=version, status=status, valid_from=valid_from, valid_to=valid_to,
        published_on=valid_from if status == Benchmark.Status.PUBLISHED else None,
        title=f"示例市市场监管局行政处罚裁量基准（{version}）第1项",
        legal_basis="《中华人民共和国产品质量法》第四十九条（示范数据）",
    )
    names = ["轻微", "一般", "较重", "严重"]
    for i, (lo, hi) in enumerate(grades, 1):
        BenchmarkGrade.objects.create(benchmark=b, order=i, name=names[i - 1], conditions=f"情节{i}",
                                      penalty_kinds=["fine"], amount_min=D(lo), amount_max=D(hi),
                                      standard_text=f"处{lo}元以上{hi}元以下罚款")
    for i in range(factors):
        Factor.objects.create(benchmark=b, kind="aggravating", code=f"agg{i}", description=f"从重情节{i}",
                              effect="heavier", citation="示范基准第五条", mandatory=True)
    return b


@pytest.fixture
def item(world):
    return ItemFactory(body=world.market, code="SJJ-CF-001", name="生产、销售不符合保障人体健康的国家标准的产品",
                       valid_from=dt.date(2020, 1, 1))


def officer(world, name="officer1"):
    return actor_for(world.officers[name].user)


def facts(**kw):
    kw.setdefault("item_code", "SJJ-CF-001")
    kw.setdefault("act_date", ACT)
    return r.Facts(**kw)


def test_r10_assess_uses_the_published_version_in_force_on_the_act_date(world, item):
    make_benchmark(item, version="2020版", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2023, 12, 31),
                   grades=((0, 5000), (5000, 8000)))
    make_benchmark(item, version="2024版")
    make_benchmark(item, version="2025草稿", status=Benchmark.Status.DRAFT, valid_from=dt.date(2025, 1, 1),
                   grades=((0, 1), (1, 2)))
    old = discretion.assess_item(item.code, facts(act_date=dt.date(2022, 5, 1), grades=(2,)), actor=PUBLIC)
    assert old.benchmark.version == "2020版" and old.assessment.amount.max_yuan == D("8000.00")
    new = discretion.assess_item(item.code, facts(grades=(2,)), actor=officer(world))
    assert new.benchmark.version == "2024版"  # the draft never applies (APL art.34)
    assert "2024版" in new.assessment.explanation


def test_r10_no_published_benchmark_is_404(world, item):
    make_benchmark(item, status=Benchmark.Status.DRAFT)
    with pytest.raises(Http404):
        discretion.assess_item(item.code, facts(), actor=officer(world))
    with pytest.raises(Http404):
        discretion.assess_item("NOPE", facts(), actor=officer(world))


def test_r10_act_before_the_item_took_effect_is_bad_facts(world, item):
    make_benchmark(item)
    with pytest.raises(r.FactsError) as err:
        discretion.assess_item(item.code, facts(act_date=dt.date(2019, 1, 1)), actor=officer(world))
    assert err.value.errors[0][0] == "act_date"


@pytest.mark.parametrize("n_factors", [1, 30])
def test_r10_assess_costs_a_bounded_number_of_queries(world, item, n_factors, django_assert_num_queries):
    make_benchmark(item, factors=n_factors)
    ExemptionEntry.objects.create(body=world.market, item=item, act="x", kind="first_offence", conditions="首违",
                                  citation="清单第1项", requires_first_offence=True)
    actor = officer(world)
    # visible bodies (subquery, inlined) + item, benchmark, grades, factors, exemption entries
    with django_assert_num_queries(5):
        result = discretion.assess_item(item.code, facts(grades=(2,), factors=("agg0",)), actor=actor)
    assert result.assessment.outcome is r.Outcome.HEAVIER


def test_r11_exemption_entry_in_the_database_decides_no_penalty(world, item):
    make_benchmark(item)
    ExemptionEntry.objects.create(body=world.market, item=item, act="首次违法", kind="first_offence",
                                  conditions="首次违法，危害后果轻微并及时改正", citation="示例市市场监管免罚清单第1项（示范数据）",
                                  requires_first_offence=True)
    f = facts(grades=(1,), first_offence=True, harm=r.Harm.SLIGHT, corrected_promptly=True)
    result = discretion.assess_item(item.code, f, actor=PUBLIC)
    assert result.assessment.outcome is r.Outcome.NO_PENALTY
    assert [e.kind for e in discretion.exemption_for_item(item.code, f, actor=PUBLIC)] == [r.ExemptionKind.FIRST_OFFENCE]
    ExemptionEntry.objects.update(is_published=False)
    assert discretion.exemption_for_item(item.code, f, actor=PUBLIC) == []


def test_r10_drafts_are_visible_to_their_body_only(world, item):
    make_benchmark(item, version="草稿", status=Benchmark.Status.DRAFT)
    make_benchmark(item, version="2024版")
    versions = lambda actor: [b.version for b in discretion.benchmarks_of_item(item.code, actor=actor)[1]]  # noqa: E731
    assert versions(officer(world)) == ["草稿", "2024版"] or set(versions(officer(world))) == {"草稿", "2024版"}
    assert versions(officer(world, "officer_other")) == ["2024版"]
    assert versions(PUBLIC) == ["2024版"]


def test_r10_publish_by_the_head_closes_the_previous_version(world, item):
    old = make_benchmark(item, version="2024版")
    draft = make_benchmark(item, version="2026版", status=Benchmark.Status.DRAFT, valid_from=dt.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        discretion.publish_benchmark(draft.pk, actor=officer(world))
    with pytest.raises(Http404):
        discretion.publish_benchmark(draft.pk, actor=officer(world, "officer_other"))
    published = discretion.publish_benchmark(draft.pk, actor=officer(world, "head1"), published_on=dt.date(2025, 12, 1))
    assert published.status == Benchmark.Status.PUBLISHED and published.published_on == dt.date(2025, 12, 1)
    old.refresh_from_db()
    assert old.valid_to == dt.date(2025, 12, 31)
    with pytest.raises(Refused) as err:
        discretion.publish_benchmark(draft.pk, actor=officer(world, "head1"))
    assert err.value.violations[0].code == "WRONG_STATE"


def test_r10_a_draft_without_grades_cannot_be_published(world, item):
    draft = make_benchmark(item, status=Benchmark.Status.DRAFT, grades=())
    with pytest.raises(Refused) as err:
        discretion.publish_benchmark(draft.pk, actor=officer(world, "head1"))
    assert {v.code for v in err.value.violations} == {"BENCHMARK_NOT_PUBLISHABLE"}
    draft.refresh_from_db()
    assert draft.status == Benchmark.Status.DRAFT


def test_r12_legal_review_with_the_body_list(world, item):
    LegalReviewRule.objects.create(body=world.market, description="较大数额罚款", threshold_person=D(10000),
                                   threshold_organisation=D(100000), citation="示例市市场监管局法制审核清单第2项（示范数据）")
    LegalReviewRule.objects.create(body=world.market, item=item, description="该事项全部决定",
                                   citation="示例市市场监管局法制审核清单第5项（示范数据）", is_published=False)
    small = r.DecisionFacts(item.code, r.PartyKind.ORGANISATION, frozenset({r.PenaltyKind.FINE}), fine=D(50000))
    assert discretion.needs_legal_review(world.market.pk, small) == (False, [])
    big = r.DecisionFacts(item.code, r.PartyKind.ORGANISATION, frozenset({r.PenaltyKind.FINE}), fine=D(100000))
    needed, reasons = discretion.needs_legal_review(world.market.pk, big)
    assert needed and "清单第2项" in reasons[0]
    assert not discretion.needs_legal_review(world.urban.pk, big)[0]


def test_r13_recording_with_body_rules(world):
    assert discretion.must_record(world.market.pk, "seizure")[0] is r.RecordingLevel.MUST
    assert discretion.must_record(world.market.pk, "hearing")[0] is r.RecordingLevel.SHOULD
    RecordingRule.objects.create(body=world.market, act_kind="hearing", level="must", citation="示例市市场监管局音像记录目录第3项（示范数据）")
    level, citation = discretion.must_record(world.market.pk, "hearing")
    assert level is r.RecordingLevel.MUST and "第3项" in citation
    assert discretion.must_record(world.urban.pk, "hearing")[0] is r.RecordingLevel.SHOULD


def test_r10_publishing_records_on_the_benchmark_stream(world, item):
    from zhifa.core.models import RecordEntry

    old = make_benchmark(item, version="2024版")
    draft = make_benchmark(item, version="2026版", status=Benchmark.Status.DRAFT, valid_from=dt.date(2026, 1, 1))
    services.publish_benchmark(draft.pk, actor=officer(world, "head1"), published_on=dt.date(2025, 12, 1))
    entry = RecordEntry.objects.get(stream=f"benchmark:{draft.pk}")
    assert entry.action == "publish" and entry.actor_id == world.users["head1"].pk
    assert entry.payload["ended"] == [old.pk] and entry.payload["published_on"] == "2025-12-01"
    assert entry.payload["item_code"] == item.code and entry.payload["version"] == "2026版"
