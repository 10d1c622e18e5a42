"""R09 with the database: loading the law texts, versions, linking items' legal basis to articles,
APL art.37 over loaded versions, the load_laws command and the admin screens."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.test_laws import DRUG_BASIS, FOOD_BASIS
from tests.factories import BodyFactory, ItemFactory
from zhifa.catalog.models import Item, ItemProvision, Law, Provision
from zhifa.catalog.provisions import applicable_version, link_items, load_all_laws

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    return load_all_laws()


def test_r09_load_all_laws(loaded):
    assert loaded.laws == Law.objects.count() == 28
    assert loaded.provisions == Provision.objects.count() == 1826
    apl = Law.objects.get(short_title="行政处罚法")
    assert apl.title == "中华人民共和国行政处罚法"
    assert apl.level == Law.Level.LAW
    assert (apl.version_date, apl.effective_from, apl.repealed_on) == (dt.date(2021, 1, 22), dt.date(2021, 7, 15), None)
    assert apl.provisions.count() == 86
    art29 = apl.provisions.get(number=29)
    assert "同一个违法行为" in art29.text
    assert art29.label == "第二十九条" and art29.citation == "《中华人民共和国行政处罚法》第二十九条"
    assert art29.effective_from == dt.date(2021, 7, 15)
    assert Law.objects.filter(level=Law.Level.RULE).count() == 6
    assert Law.objects.get(short_title="明码标价和禁止价格欺诈规定").issuing_organ == "国家市场监督管理总局"


def test_r09_load_is_idempotent_and_bulk(loaded):
    with CaptureQueriesContext(connection) as queries:
        again = load_all_laws()
    assert (again.laws_created, again.laws_updated, again.provisions_created, again.provisions_updated) == (0, 0, 0, 0)
    assert again.provisions_deleted == 0 and Provision.objects.count() == 1826
    assert len(queries) < 20  # a bounded number of queries, not one per article


def test_r09_reload_refreshes_a_corrected_text(loaded):
    art = Provision.objects.get(law__short_title="行政处罚法", number=29)
    art.text = "被改动的条文"
    art.save()
    report = load_all_laws()
    assert report.provisions_updated == 1
    art.refresh_from_db()
    assert "同一个违法行为" in art.text


SAMPLE_OLD = "# 中华人民共和国示例法\n\n<!-- INFO END -->\n\n## 第一章 法律责任\n\n第一条 违反本法的，处一千元以上一万元以下罚款。\n"
SAMPLE_NEW = (
    "# 中华人民共和国示例法\n\n2019年1月1日 修订\n\n<!-- INFO END -->\n\n## 第一章 法律责任\n\n"
    "第一条 违反本法的，处五百元以上五千元以下罚款。\n\n第二条 本法自2020年1月1日起施行。\n"
)


@pytest.fixture
def two_versions(db, tmp_path):
    (tmp_path / "行政法").mkdir()
    (tmp_path / "行政法" / "示例法(2010-01-01).md").write_text(SAMPLE_OLD, encoding="utf-8")
    (tmp_path / "行政法" / "示例法(2019-01-01).md").write_text(SAMPLE_NEW, encoding="utf-8")
    load_all_laws(tmp_path)
    return Law.objects.get(version_date=dt.date(2010, 1, 1)), Law.objects.get(version_date=dt.date(2019, 1, 1))


def test_r09_versions_coexist_and_chain(two_versions):
    old, new = two_versions
    assert new.effective_from == dt.date(2020, 1, 1)  # the revision's own 施行 date
    assert old.superseded_by == new and old.repealed_on == dt.date(2020, 1, 1)
    assert new.superseded_by is None and new.repealed_on is None
    old_art = old.provisions.get(number=1)
    assert (old_art.effective_from, old_art.repealed_on) == (dt.date(2010, 1, 1), dt.date(2020, 1, 1))
    assert old.in_force_on(dt.date(2019, 12, 31)) and not old.in_force_on(dt.date(2020, 1, 1))


def test_r09_applicable_version_apl37(two_versions):
    old, new = two_versions
    act, decision = dt.date(2019, 6, 1), dt.date(2020, 3, 1)

    def fine_cap_lower(candidate, current):  # stands in for the discretion engine's comparison
        return "五千元以下" in candidate.provisions.get(number=1).text

    lighter = applicable_version("示例法", act, decision, is_lighter=fine_cap_lower)
    assert (lighter.at_act, lighter.at_decision, lighter.chosen) == (old, new, new)
    heavier = applicable_version("中华人民共和国示例法", act, decision, is_lighter=lambda n, o: False)
    assert heavier.chosen == old
    undecided = applicable_version("示例法", act, decision)
    assert undecided.chosen is None and undecided.needs_comparison
    same = applicable_version("示例法", dt.date(2021, 1, 1), dt.date(2021, 2, 1))
    assert same.chosen == new
    assert applicable_version("未收录法", act, decision).chosen is None


def test_r09_link_real_legal_basis(loaded):
    body = BodyFactory()
    food = ItemFactory(body=body, legal_basis=FOOD_BASIS)
    drug = ItemFactory(body=body, legal_basis=DRUG_BASIS)
    licence = ItemFactory(body=body, kind=Item.Kind.LICENSING, legal_basis="《中华人民共和国行政许可法》\n第二十九条、第三十条")
    report = link_items(Item.objects.filter(body=body))
    assert report.items == 3 and report.items_linked == 3
    assert report.references == 6 and report.resolved == 5
    assert report.unknown_laws == {"药品注册管理办法": 1}  # not shipped: stays as text
    [food_link] = food.item_provisions.select_related("provision__law")
    assert food_link.provision.law.short_title == "食品安全法" and food_link.provision.number == 126
    assert (food_link.role, food_link.paragraph, food_link.cited_as) == ("penalty", 1, "第一百二十六条第一款")
    drug_roles = {ip.provision.number: ip.role for ip in drug.item_provisions.select_related("provision")}
    assert drug_roles == {123: ItemProvision.Role.PENALTY, 139: ItemProvision.Role.OTHER}
    assert set(licence.item_provisions.values_list("role", flat=True)) == {ItemProvision.Role.OTHER}


def test_r09_violated_provision_outside_liability_chapter(loaded):
    item = ItemFactory(legal_basis="【法律】《药品管理法》（…）\n第五十七条：……\n第一百三十条：……")
    link_items(Item.objects.filter(pk=item.pk))
    roles = dict(item.item_provisions.values_list("provision__number", "role"))
    assert roles == {57: ItemProvision.Role.VIOLATED, 130: ItemProvision.Role.PENALTY}


def test_r09_link_is_idempotent_and_keeps_manual_links(loaded):
    item = ItemFactory(legal_basis=FOOD_BASIS)
    link_items(Item.objects.filter(pk=item.pk))
    manual = ItemProvision.objects.create(
        item=item, provision=Provision.objects.get(law__short_title="行政处罚法", number=32), role="other"
    )
    again = link_items(Item.objects.filter(pk=item.pk))
    assert again.links == 2 and ItemProvision.objects.filter(pk=manual.pk).exists()
    item.legal_basis = "《中华人民共和国食品安全法》第一百二十五条第一款"
    item.save()
    link_items(Item.objects.filter(pk=item.pk))
    assert sorted(item.item_provisions.values_list("provision__number", flat=True)) == [32, 125]


def test_r09_link_query_count_does_not_grow_with_items(loaded):
    body = BodyFactory()
    ItemFactory.create_batch(2, body=body, legal_basis=FOOD_BASIS)
    with CaptureQueriesContext(connection) as few:
        link_items(Item.objects.filter(body=body))
    ItemFactory.create_batch(30, body=body, legal_basis=DRUG_BASIS)
    with CaptureQueriesContext(connection) as many:
        link_items(Item.objects.filter(body=body))
    assert len(many) <= len(few) + 1  # +1: the obsolete-link delete may appear


def test_r09_load_laws_command(db):
    ItemFactory(legal_basis=FOOD_BASIS)
    out = StringIO()
    call_command("load_laws", stdout=out)
    text = out.getvalue()
    assert "法律规范 28 部" in text and "条款 1826 条" in text
    assert "已解析 1 处" in text
    call_command("load_laws", stdout=StringIO())
    assert Law.objects.count() == 28 and ItemProvision.objects.count() == 1


@pytest.mark.parametrize("url", [
    "/admin/catalog/item/", "/admin/catalog/item/?kind__exact=penalty&q=食品", "/admin/catalog/law/",
    "/admin/catalog/provision/?q=同一个违法行为",
])
def test_r09_admin_screens(world, client, loaded, url):
    ItemFactory(body=world.market, legal_basis=FOOD_BASIS)
    link_items()
    client.force_login(world.users["admin"])
    response = client.get(url, secure=True)
    assert response.status_code == 200


def test_r09_admin_item_change_page(world, client, loaded):
    item = ItemFactory(body=world.market, legal_basis=FOOD_BASIS)
    link_items()
    client.force_login(world.users["admin"])
    response = client.get(f"/admin/catalog/item/{item.pk}/change/", secure=True)
    assert response.status_code == 200
    assert "第一百二十六条" in response.content.decode()



def test_r09_admin_item_list_has_no_n_plus_one(world, client, loaded):
    client.force_login(world.users["admin"])
    ItemFactory.create_batch(2, body=world.market, legal_basis=FOOD_BASIS)
    link_items()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/catalog/item/", secure=True).status_code == 200
    ItemFactory.create_batch(20, legal_basis=DRUG_BASIS)
    link_items()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/admin/catalog/item/", secure=True).status_code == 200
    assert len(many) <= len(few) + 2  # the body filter lists the new bodies once, not per row


def test_r09_load_laws_records_one_entry_per_run(db, tmp_path):
    from zhifa.catalog import services
    from zhifa.core.models import RecordEntry

    (tmp_path / "行政法").mkdir()
    (tmp_path / "行政法" / "示例法(2010-01-01).md").write_text(SAMPLE_OLD, encoding="utf-8")
    run = services.load_laws(tmp_path)
    entry = RecordEntry.objects.get(stream="import:laws")
    assert entry.action == "load" and entry.payload["laws_created"] == run.loaded.laws_created == 1
    assert entry.payload["provisions_created"] == 1 and len(entry.payload["sha256"]) == 64
    assert entry.payload["items_linked"] == run.linked.items_linked
    services.load_laws(tmp_path, link=False)  # a second run: its own entry, nothing created
    second = RecordEntry.objects.get(stream="import:laws", seq=2)
    assert second.payload["laws_created"] == 0 and second.payload["sha256"] == entry.payload["sha256"]
