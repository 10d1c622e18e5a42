"""R09: items are versioned, adjusted as laws change (``catalog.services.revise_item``)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from zhifa.catalog import discretion, services
from zhifa.catalog import rules as r
from zhifa.catalog.models import Benchmark, ExemptionEntry, Item, ItemProvision, LegalReviewRule, Law, Provision
from zhifa.core.violations import Refused
from zhifa.registry.access import PUBLIC, actor_for
from zhifa.catalog.models import Delegation
from tests.catalog.test_discretion import make_benchmark
from tests.factories import ItemFactory

NEW = dt.date(2025, 1, 1)


@pytest.fixture
def item(world):
    return ItemFactory(body=world.market, code="SJJ-CF-001", name="生产、销售不符合保障人体健康的国家标准的产品",
                       legal_basis="《中华人民共和国产品质量法》第四十九条", valid_from=dt.date(2020, 1, 1))


def head(world):
    return actor_for(world.users["head1"])


def test_r09_revision_is_a_new_version_under_the_canonical_code(world, item):
    new = services.revise_item(item, changes={"name": "生产、销售不符合强制性国家标准的产品"}, valid_from=NEW, actor=head(world))
    old = Item.objects.get(pk=item.pk)
    assert (new.code, new.version, new.supersedes_id, new.valid_from) == ("SJJ-CF-001", 2, old.pk, NEW)
    assert new.name == "生产、销售不符合强制性国家标准的产品" and new.body_id == old.body_id
    assert new.legal_basis == old.legal_basis and new.kind == old.kind
    assert (old.code, old.version, old.valid_to) == ("SJJ-CF-001@v1", 1, dt.date(2024, 12, 31))
    # Every lookup by code gets the current version.
    assert Item.objects.get(code="SJJ-CF-001") == new
    assert list(services.versions_of("SJJ-CF-001@v1")) == [new, old]
    # The version in force on the day of the act (APL art.37).
    assert services.item_version_on("SJJ-CF-001", dt.date(2023, 5, 1)) == old
    assert services.item_version_on("SJJ-CF-001", NEW) == new
    assert services.item_version_on("SJJ-CF-001", dt.date(2019, 1, 1)) is None
    third = services.revise_item(new, changes={"level": "市级"}, valid_from=dt.date(2026, 1, 1), actor=head(world))
    assert third.code == "SJJ-CF-001" and third.version == 3
    assert Item.objects.get(pk=new.pk).code == "SJJ-CF-001@v2"
    assert services.item_version_on("SJJ-CF-001", dt.date(2025, 6, 1)).pk == new.pk


def test_r09_only_the_head_or_the_administrator_revises(world, item):
    with pytest.raises(PermissionDenied):
        services.revise_item(item, changes={}, valid_from=NEW, actor=actor_for(world.users["officer1"]))
    with pytest.raises(PermissionDenied):
        services.revise_item(item, changes={}, valid_from=NEW, actor=actor_for(world.users["officer_other"]))
    assert services.revise_item(item, changes={}, valid_from=NEW, actor=actor_for(world.users["admin"])).version == 2


def test_r09_bad_revisions_are_refused_and_write_nothing(world, item):
    actor = head(world)
    with pytest.raises(ValidationError) as bad:
        services.revise_item(item, changes={"code": "X", "body": world.urban, "kind": "nonsense", "name": " "},
                             valid_from=NEW, actor=actor)
    assert set(bad.value.message_dict) == {"code", "body", "kind", "name"}
    with pytest.raises(Refused) as early:
        services.revise_item(item, changes={}, valid_from=dt.date(2020, 1, 1), actor=actor)
    assert [v.code for v in early.value.violations] == ["ITEM_VERSION_DATE"]
    assert Item.objects.get(pk=item.pk).code == "SJJ-CF-001" and Item.objects.count() == 1
    services.revise_item(item, changes={}, valid_from=NEW, actor=actor)
    with pytest.raises(Refused) as stale:
        services.revise_item(Item.objects.get(pk=item.pk), changes={}, valid_from=dt.date(2026, 1, 1), actor=actor)
    assert stale.value.violations[0].code == "ITEM_NOT_CURRENT"
    long = ItemFactory(body=world.market, code="X" * 39, valid_from=dt.date(2020, 1, 1))
    with pytest.raises(Refused) as too_long:
        services.revise_item(long, changes={}, valid_from=NEW, actor=actor)
    assert too_long.value.violations[0].code == "ITEM_CODE_TAKEN"
    assert Item.objects.get(pk=long.pk).code == "X" * 39


def test_r09_r10_benchmark_copied_as_draft_and_assess_applies_the_version_of_the_act(world, item):
    make_benchmark(item, version="2020版", valid_from=dt.date(2020, 1, 1))
    new = services.revise_item(item, changes={"legal_basis": "《中华人民共和国产品质量法》第四十九条（修订后）"},
                               valid_from=NEW, actor=head(world))
    draft = Benchmark.objects.get(item=new)
    assert draft.status == Benchmark.Status.DRAFT and draft.valid_from == NEW and draft.published_on is None
    assert draft.grades.count() == 3 and draft.version == "2020版"
    # An act before the revision: the old version and its published benchmark.
    before = r.Facts(item_code="SJJ-CF-001", act_date=dt.date(2024, 6, 1), grades=(2,))
    result = discretion.assess_item("SJJ-CF-001", before, actor=PUBLIC)
    assert result.item.pk == item.pk and result.assessment.amount.max_yuan == D("20000")
    # An act after it: the new version, whose benchmark is not yet published (APL art.34).
    after = r.Facts(item_code="SJJ-CF-001", act_date=dt.date(2025, 6, 1), grades=(2,))
    with pytest.raises(Http404) as missing:
        discretion.assess_item("SJJ-CF-001", after, actor=PUBLIC)
    assert "没有已公布施行的裁量基准" in str(missing.value)
    discretion.publish_benchmark(draft.pk, actor=head(world))
    assert discretion.assess_item("SJJ-CF-001", after, actor=PUBLIC).item.pk == new.pk


def test_r09_lists_and_delegations_continue_on_the_new_version(world, item):
    running = ExemptionEntry.objects.create(body=world.market, item=item, act="首次违法", kind="first_offence",
                                            conditions="首次违法且及时改正", citation="示范清单（示范数据）",
                                            requires_first_offence=True, valid_from=dt.date(2022, 1, 1))
    ended = ExemptionEntry.objects.create(body=world.market, item=item, act="旧清单", kind="minor", conditions="—",
                                          citation="—", valid_to=dt.date(2023, 12, 31))
    rule = LegalReviewRule.objects.create(body=world.market, item=item, description="该事项须法制审核", citation="示范清单")
    delegation = Delegation.objects.create(kind="entrust", from_body=world.market, to_body=world.township_bureau, item=item,
                                           valid_from=dt.date(2021, 1, 1), document_ref="示委〔2021〕1号")
    new = services.revise_item(item, changes={}, valid_from=NEW, actor=head(world))
    running.refresh_from_db()
    assert running.item_id == item.pk and running.valid_to == dt.date(2024, 12, 31)
    copy = ExemptionEntry.objects.get(item=new)
    assert copy.act == "首次违法" and copy.valid_from == NEW and copy.valid_to is None and copy.requires_first_offence
    assert ExemptionEntry.objects.get(pk=ended.pk).item_id == item.pk
    assert LegalReviewRule.objects.get(pk=rule.pk).item_id == new.pk
    delegation.refresh_from_db()
    assert delegation.valid_to == dt.date(2024, 12, 31)
    continued = Delegation.objects.get(item=new)
    assert (continued.valid_from, continued.to_body_id, continued.document_ref) == (NEW, world.township_bureau.pk, "示委〔2021〕1号")
    # The list query follows the version of the act.
    facts = dict(item_code="SJJ-CF-001", first_offence=True, corrected_promptly=True, harm=r.Harm.SLIGHT)
    assert discretion.exemption_for_item("SJJ-CF-001", r.Facts(act_date=dt.date(2025, 3, 1), **facts), actor=PUBLIC)
    assert discretion.exemption_for_item("SJJ-CF-001", r.Facts(act_date=dt.date(2024, 3, 1), **facts), actor=PUBLIC)


def test_r09_hand_made_provision_links_are_carried_over(world, item):
    law = Law.objects.create(title="中华人民共和国产品质量法", short_title="产品质量法", level="law",
                             version_date=dt.date(2018, 12, 29), effective_from=dt.date(2018, 12, 29))
    article = Provision.objects.create(law=law, number=49, label="第四十九条", text="……", effective_from=law.effective_from)
    other = Provision.objects.create(law=law, number=50, label="第五十条", text="……", effective_from=law.effective_from)
    ItemProvision.objects.create(item=item, provision=other, role="penalty")  # by hand: no cited_as
    new = services.revise_item(item, changes={}, valid_from=NEW, actor=head(world))
    links = {(p.provision_id, p.role) for p in new.item_provisions.all()}
    assert (other.pk, "penalty") in links
    assert any(pid == article.pk for pid, _ in links)  # re-derived from the legal basis text


def test_r09_canonical_code_helpers():
    assert services.archived_code("SHJ-CF-0042", 1) == "SHJ-CF-0042@v1"
    assert services.canonical_code("SHJ-CF-0042@v12") == "SHJ-CF-0042"
    assert services.canonical_code("SHJ-CF-0042") == "SHJ-CF-0042"


def test_r09_revision_records_on_the_item_and_the_continued_delegation(world, item):
    from zhifa.core.models import RecordEntry

    delegation = Delegation.objects.create(kind="entrustment", from_body=world.market, to_body=world.township_bureau,
                                           item=item, valid_from=dt.date(2021, 1, 1))
    new = services.revise_item(item, changes={"name": "新名称"}, valid_from=NEW, actor=head(world))
    entry = RecordEntry.objects.get(stream="item:SJJ-CF-001")
    assert entry.action == "revise" and entry.actor_id == world.users["head1"].pk
    assert (entry.payload["old_id"], entry.payload["new_id"], entry.payload["archived_code"]) == (item.pk, new.pk, "SJJ-CF-001@v1")
    assert entry.payload["changes"] == {"name": "新名称"} and entry.payload["valid_from"] == "2025-01-01"
    continued = Delegation.objects.get(item=new)
    assert entry.payload["delegations"] == [continued.pk]
    follow = RecordEntry.objects.get(stream=f"delegation:{continued.pk}")
    assert follow.action == "continue" and follow.payload["previous_id"] == delegation.pk
