"""R09: importing published power lists (权责清单) into enforcement items."""
from __future__ import annotations

import collections
import datetime as dt
import time
from pathlib import Path

import pytest

from zhifa.catalog.importers import item_code, kind_of
from zhifa.catalog.models import Item
from zhifa.core.importing import run_import
from zhifa.registry.access import actor_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
POWER_LISTS = FIXTURES / "power-lists"
MARKET = POWER_LISTS / "附件：克拉玛依市市场监督管理局2024年权责清单.xls"
ECOLOGY = POWER_LISTS / "克拉玛依市生态环境局2024年权责清单.xls"
TRANSPORT = POWER_LISTS / "附件：克拉玛依市交通运输局2024年权责清单.xlsx"
EMERGENCY = POWER_LISTS / "克拉玛依市应急管理局2024年权责清单.xls"


def import_file(path: Path, body_code: str = "SJJ", **kwargs):
    return run_import("items", path.read_bytes(), path.name, body_code=body_code, **kwargs)


def kinds(body) -> dict[str, int]:
    return dict(collections.Counter(Item.objects.filter(body=body).values_list("kind", flat=True)))


def test_r09_kind_labels_map_to_item_kinds():
    assert kind_of("行政处罚") == Item.Kind.PENALTY
    assert kind_of("行政\n强制") == Item.Kind.COERCION
    assert kind_of("其他行政权力") == Item.Kind.OTHER
    assert kind_of("行政备案") == Item.Kind.OTHER
    assert kind_of("  ") is None
    assert item_code("SJJ", Item.Kind.PENALTY, 42) == "SJJ-CF-0042"
    assert item_code("SJJ", Item.Kind.INSPECTION, 115, 2) == "SJJ-JC-0115-2"


def test_r09_market_regulation_list_yields_442_items_353_penalties(world):
    started = time.perf_counter()
    result = import_file(MARKET)
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors
    assert (result.total_rows, result.created, result.updated, result.skipped) == (442, 442, 0, 0)
    assert kinds(world.market) == {
        "penalty": 353, "inspection": 33, "coercion": 19, "other": 16, "licensing": 12,
        "adjudication": 4, "reward": 3, "confirmation": 2,
    }
    assert elapsed < 2.0, f"442 items took {elapsed:.2f}s"
    first = Item.objects.get(code="SJJ-XK-0001")
    assert first.name == "特种设备使用登记"
    assert first.source_seq == "1"
    assert first.handling_unit == "登记注册科"
    assert first.level == "地州市级"
    assert first.source == "附件：克拉玛依市市场监督管理局2024年权责清单.xls 第3行"
    # The title has no year; the file name has: 1 January 2024.
    assert first.valid_from == dt.date(2024, 1, 1)
    assert "《中华人民共和国特种设备安全法》" in first.legal_basis
    assert Item.objects.get(code="SJJ-CF-0442").source == "附件：克拉玛依市市场监督管理局2024年权责清单.xls 第444行"


def test_r09_reimporting_the_same_list_updates_instead_of_duplicating(world):
    assert import_file(MARKET).created == 442
    again = import_file(MARKET)
    assert again.ok
    assert (again.created, again.updated, again.skipped) == (0, 0, 442)
    assert Item.objects.filter(body=world.market).count() == 442
    # A changed name in the stored catalogue is put back by the list.
    Item.objects.filter(code="SJJ-XK-0001").update(name="旧名称")
    third = import_file(MARKET)
    assert (third.created, third.updated, third.skipped) == (0, 1, 441)
    assert Item.objects.get(code="SJJ-XK-0001").name == "特种设备使用登记"


def test_r09_ecology_list_yields_217_items(world):
    result = import_file(ECOLOGY, "CGJ")
    assert result.ok, result.errors
    assert result.created == 217
    assert kinds(world.urban) == {
        "penalty": 185, "coercion": 15, "licensing": 9, "other": 4, "inspection": 2, "confirmation": 1, "reward": 1,
    }
    assert Item.objects.get(code="CGJ-XK-0001").valid_from == dt.date(2024, 1, 1)


def test_r09_transport_list_xlsx_with_spacer_rows_yields_360_items(world):
    result = import_file(TRANSPORT, "CGJ")
    assert result.ok, result.errors
    assert result.created == 360  # 415 blank spacer rows (continuations of merged cells) skipped
    assert kinds(world.urban)["penalty"] == 270
    item = Item.objects.get(code="CGJ-XK-0012-1")
    assert item.name == "道路危险货物运输许可"
    assert item.sub_name == "道路危险货物运输经营、非经营性道路危险货物运输"


def test_r09_emergency_list_sub_items_under_one_serial(world):
    result = import_file(EMERGENCY, "CGJ")
    assert result.ok, result.errors
    assert result.created == 149  # 137 serial numbers, 21 rows are sub-items of 9 of them
    assert kinds(world.urban) == {
        "penalty": 92, "coercion": 14, "other": 12, "licensing": 11, "inspection": 11, "reward": 6,
        "confirmation": 2, "payment": 1,
    }
    subs = Item.objects.filter(code__startswith="CGJ-XK-0002-").order_by("code")
    assert [(i.code, i.name, i.sub_name) for i in subs] == [
        ("CGJ-XK-0002-1", "矿山建设项目安全设施设计审查", "煤矿建设项目安全设施设计审查"),
        ("CGJ-XK-0002-2", "矿山建设项目安全设施设计审查", subs[1].sub_name),
    ]
    assert subs[1].sub_name.startswith("非煤矿山建设项目安全设施设")
    # A list whose only sub-item is numbered 2 keeps its number.
    assert Item.objects.filter(code__startswith="CGJ-QT-0131-").values_list("code", flat=True).get() == "CGJ-QT-0131-2"


@pytest.mark.parametrize("name", ["items.xlsx", "items.ods", "items.csv"])
def test_r09_small_list_with_title_two_row_header_and_merged_cells(world, name):
    path = FIXTURES / name
    result = run_import("items", path.read_bytes(), name, body_code="CGJ")
    assert result.ok, result.errors
    assert (result.total_rows, result.created) == (6, 6)
    items = {i.code: i for i in Item.objects.filter(body=world.urban)}
    assert sorted(items) == ["CGJ-CF-0001", "CGJ-JC-0002-1", "CGJ-JC-0002-2", "CGJ-QT-0005", "CGJ-QZ-0003", "CGJ-XK-0004"]
    sub = items["CGJ-JC-0002-2"]
    assert (sub.name, sub.sub_name, sub.level) == ("城市管理监督检查", "对园林绿化的监督检查", "市级")
    assert items["CGJ-CF-0001"].legal_basis.count("【") == 2  # several laws in one cell, kept whole
    assert items["CGJ-CF-0001"].valid_from == dt.date(2023, 1, 1)  # year of the title row


def test_r09_valid_from_option_wins(world):
    path = FIXTURES / "items.xlsx"
    result = run_import("items", path.read_bytes(), path.name, body_code="CGJ", options={"valid_from": "2025-03-01"})
    assert result.ok
    assert set(Item.objects.values_list("valid_from", flat=True)) == {dt.date(2025, 3, 1)}


def test_r09_bad_rows_import_nothing_and_list_row_column_reason(world):
    path = FIXTURES / "items-bad.csv"
    result = run_import("items", path.read_bytes(), path.name, body_code="CGJ")
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(5, "事项名称"), (6, "权力类型"), (7, "序号")]
    assert "缺少事项名称" in result.errors[0].message
    assert "重复" in result.errors[2].message and "第4行" in result.errors[2].message
    assert str(result.errors[0]) == "第5行「事项名称」：缺少事项名称"
    assert Item.objects.count() == 0
    assert (result.created, result.updated) == (0, 0)


def test_r09_dry_run_writes_nothing(world):
    result = import_file(MARKET, dry_run=True)
    assert result.ok and result.dry_run
    assert result.created == 442
    assert Item.objects.count() == 0


def test_r09_items_need_a_known_body(world):
    assert "须指定" in str(import_file(MARKET, body_code=None).errors[0])
    result = import_file(MARKET, body_code="NOPE")
    assert not result.ok and "未知的执法主体编码「NOPE」" in result.errors[0].message


def test_r09_only_the_head_or_admin_may_import_a_body_list(world):
    path = FIXTURES / "items.xlsx"
    for username, ok in (("officer1", False), ("officer_other", False), ("head1", True), ("admin", True)):
        result = run_import("items", path.read_bytes(), path.name, body_code="SJJ", actor=actor_for(world.users[username]))
        assert result.ok is ok, username
    assert "无权导入" in run_import(
        "items", path.read_bytes(), path.name, body_code="SJJ", actor=actor_for(world.users["officer_other"])
    ).errors[0].message


def test_r09_import_query_count_is_constant(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        assert import_file(MARKET).created == 442


def test_r09_section_title_rows_are_skipped(world):
    data = "\n".join([
        "序号,事项名称,子项名称,权力类型,实施依据",
        "一、行政许可（1项）,,,,",
        "1,城市道路占用挖掘许可,,行政许可,《城市道路管理条例》第三十条",
        "二、行政处罚（1项）,,,,",
        "1,对擅自占用城市道路的处罚,,行政处罚,《城市道路管理条例》第四十二条",
    ]).encode("gb18030")
    result = run_import("items", data, "list.csv", body_code="CGJ")
    assert result.ok, result.errors
    assert (result.total_rows, result.created) == (2, 2)
    assert set(Item.objects.values_list("code", flat=True)) == {"CGJ-XK-0001", "CGJ-CF-0001"}


#: The real published lists (copied unchanged from ../shared/data/power-lists): rows read, items
#: planned, warnings. Every one reads cleanly (issue 14, finding 6: at least with warnings only).
REAL_LISTS = {
    MARKET.name: (442, 442, 0),
    ECOLOGY.name: (217, 217, 0),
    TRANSPORT.name: (360, 360, 0),
    EMERGENCY.name: (149, 149, 0),
}
SHARED_POWER_LISTS = Path("/work/shared/data/power-lists")


def test_r09_the_fixtures_are_every_shared_real_list():
    fixtures = {path.name for path in POWER_LISTS.glob("*.xls*")}
    assert fixtures == set(REAL_LISTS)
    if SHARED_POWER_LISTS.is_dir():
        shared = {path.name: path.read_bytes() for path in SHARED_POWER_LISTS.glob("*.xls*")}
        assert shared == {name: (POWER_LISTS / name).read_bytes() for name in fixtures}


@pytest.mark.parametrize("name", sorted(REAL_LISTS))
def test_r09_every_real_list_dry_runs_cleanly_or_with_warnings_only(world, name):
    result = import_file(POWER_LISTS / name, "CGJ", dry_run=True)
    assert result.ok, result.errors[:5]
    assert (result.total_rows, result.created, len(result.warnings)) == REAL_LISTS[name], result.warnings[:5]
    assert Item.objects.count() == 0
