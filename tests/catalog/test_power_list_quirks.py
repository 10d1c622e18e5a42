"""R09: real power lists (权责清单) read as a clerk would read them (issue 14, finding 6).

Each test reproduces one quirk found in real published lists that the importer used to refuse
whole: what is unambiguous is read, what was inferred is listed as a warning (row, what was
inferred), and what is really broken is still refused row by row, all or nothing.
"""
from __future__ import annotations

import io

import openpyxl
import pytest

from zhifa.catalog.models import Item
from zhifa.core.importing import run_import
from zhifa.core.ledger import RecordEntry

HEADER = "序号,事项名称,子项名称,权力类型,实施依据,承办机构,实施层级"
BASIS = "《城市道路管理条例》第四十二条"


def csv_list(*lines: str) -> bytes:
    return "\n".join(["示例市城市管理局2024年权责清单,,,,,,", HEADER, *lines]).encode("utf-8")


def import_csv(data: bytes, **kwargs):
    return run_import("items", data, "list.csv", body_code="CGJ", **kwargs)


def codes() -> set[str]:
    return set(Item.objects.values_list("code", flat=True))


def three_penalties(second_serial: str, third_serial: str) -> bytes:
    """Three penalty items, serial 1 and the two given (``""`` for none)."""
    names = ("对擅自占用城市道路的处罚", "对擅自挖掘城市道路的处罚", "对损坏城市道路的处罚")
    serials = ("1", second_serial, third_serial)
    return csv_list(*(f"{serial},{name},,行政处罚,{BASIS},执法一科,市级" for serial, name in zip(serials, names)))


def test_r09_continuation_row_names_a_second_level_of_the_item_above(world):
    data = csv_list(
        f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",
        ",,,,,,区级",  # 序号 and 事项名称 merged above: the item's second implementing level
        f"2,对擅自挖掘城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",
    )
    result = import_csv(data)
    assert result.ok, result.errors
    assert (result.total_rows, result.created) == (3, 2)
    assert Item.objects.get(code="CGJ-CF-0001").level == "市级、区级"
    assert Item.objects.get(code="CGJ-CF-0002").level == "市级"
    [warning] = result.warnings
    assert (warning.row, warning.column) == (4, "实施层级及权限")
    assert "第3行" in warning.message and "区级" in warning.message


def test_r09_continuation_row_with_its_own_unit_joins_the_units_too(world):
    data = csv_list(
        f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",
        f",,,行政处罚,{BASIS},各区执法大队,区级",
    )
    result = import_csv(data)
    assert result.ok, result.errors
    item = Item.objects.get(code="CGJ-CF-0001")
    assert (item.level, item.handling_unit) == ("市级、区级", "执法一科、各区执法大队")
    assert len(result.warnings) == 1


@pytest.mark.parametrize("next_serial, inferred", [
    ("3", 2),  # the number after the one above
    ("2", 3),  # never a number the list uses further down
])
def test_r09_item_without_serial_is_numbered_by_position(world, next_serial, inferred):
    result = import_csv(three_penalties("", next_serial))
    assert result.ok, result.errors
    assert codes() == {"CGJ-CF-0001", "CGJ-CF-0002", "CGJ-CF-0003"}
    item = Item.objects.get(code=f"CGJ-CF-000{inferred}")
    assert (item.name, item.source_seq) == ("对擅自挖掘城市道路的处罚", "")
    [warning] = result.warnings
    assert (warning.row, warning.column) == (4, "序号") and f"按所在位置编为 {inferred}" in warning.message


def test_r09_sub_items_of_an_item_without_serial_share_its_inferred_number(world):
    data = csv_list(
        f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",
        f",城市管理监督检查,1.对市容环境卫生的监督检查,行政检查,{BASIS},执法二科,市级",
        ",,2.对园林绿化的监督检查,,,,",
    )
    result = import_csv(data)
    assert result.ok, result.errors
    assert codes() == {"CGJ-CF-0001", "CGJ-JC-0002-1", "CGJ-JC-0002-2"}
    sub = Item.objects.get(code="CGJ-JC-0002-2")
    assert (sub.name, sub.sub_name, sub.level, sub.source_seq) == ("城市管理监督检查", "对园林绿化的监督检查", "市级", "")
    assert [w.row for w in result.warnings] == [4]


def test_r09_first_row_without_serial_is_number_one(world):
    result = import_csv(csv_list(f",对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级"))
    assert result.ok, result.errors
    assert codes() == {"CGJ-CF-0001"}
    assert len(result.warnings) == 1


@pytest.mark.parametrize("serial", ['"2,3"', "2，3", "2、3", "2;3"])
def test_r09_merged_rows_serial_takes_the_first_number_with_a_warning(world, serial):
    result = import_csv(three_penalties(serial, "4"))
    assert result.ok, result.errors
    assert codes() == {"CGJ-CF-0001", "CGJ-CF-0002", "CGJ-CF-0004"}
    assert Item.objects.get(code="CGJ-CF-0002").source_seq == serial.strip('"')
    [warning] = result.warnings
    assert (warning.row, warning.column) == (4, "序号")
    assert "取第一个编号 2" in warning.message


@pytest.mark.parametrize("serial", ["2、", "2.", "（2）", "(2)", " 2 "])
def test_r09_serial_with_punctuation_reads_as_its_number(world, serial):
    result = import_csv(three_penalties(serial, "3"))
    assert result.ok, result.errors
    assert codes() == {"CGJ-CF-0001", "CGJ-CF-0002", "CGJ-CF-0003"}
    assert Item.objects.get(code="CGJ-CF-0002").source_seq == "2"
    assert result.warnings == []


def test_r09_level_text_longer_than_60_characters_is_kept_whole(world):
    level = "市级：负责全市范围内跨区域、重大复杂案件的查处；区级：负责本辖区内案件的查处；乡镇（街道）：依法赋权的事项由乡镇人民政府（街道办事处）实施"
    assert len(level) > 60
    result = import_csv(csv_list(f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,{level}"))
    assert result.ok, result.errors
    assert Item.objects.get(code="CGJ-CF-0001").level == level
    assert result.warnings == []


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("seq_header", ["序  号", "序　号", " 序号\u200b"])
def test_r09_header_spellings_inner_spaces_xiangmu_and_zhiquan_leixing(world, seq_header):
    data = _xlsx([
        ["示例市城市管理局2024年权责清单"],
        [seq_header, "项目", "职权类型", "实施依据", "实施层级"],
        [1, "对擅自占用城市道路的处罚", "行政处罚", BASIS, "市级"],
        [2, "城市道路占用挖掘许可", "行政许可", "《城市道路管理条例》第三十条", "市级"],
    ])
    result = run_import("items", data, "list.xlsx", body_code="CGJ")
    assert result.ok, result.errors
    assert codes() == {"CGJ-CF-0001", "CGJ-XK-0002"}
    assert Item.objects.get(code="CGJ-CF-0001").name == "对擅自占用城市道路的处罚"


def test_r09_really_broken_rows_are_still_refused_all_or_nothing_with_the_warnings(world):
    data = csv_list(
        f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",
        ",,,,,,区级",  # inferred: a warning, not an error
        f"第二项,对擅自挖掘城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",  # not a number
        f"3,对损坏城市道路的处罚,,,{BASIS},执法一科,市级",  # no 权力类型
        f",,,行政许可,{BASIS},,",  # neither serial, name, sub-item nor level: really broken
    )
    result = import_csv(data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(5, "序号"), (6, "权力类型"), (7, "序号"), (7, "事项名称")]
    assert [w.row for w in result.warnings] == [4]
    assert Item.objects.count() == 0
    assert (result.created, result.updated) == (0, 0)


def test_r09_warnings_are_in_the_summary_and_the_result_data(world):
    data = csv_list(
        f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",
        ",,,,,,区级",
    )
    result = import_csv(data, dry_run=True)
    assert result.ok and result.dry_run
    assert "1 处推断" in result.summary()
    assert result.as_dict()["warnings"] == [result.warnings[0].as_dict()]


def test_r09_a_real_run_with_warnings_records_one_entry_with_their_count(world):
    data = csv_list(
        f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级",
        ",,,,,,区级",
    )
    assert import_csv(data).ok
    [entry] = RecordEntry.objects.filter(stream="import:items")
    assert entry.action == "import"
    assert (entry.payload["created"], entry.payload["warnings"]) == (1, 1)


def test_r09_merged_serial_warns_once_not_again_on_its_sub_items(world):
    data = csv_list(
        f'"2,3",城市管理监督检查,1.对市容环境卫生的监督检查,行政检查,{BASIS},执法二科,市级',
        f",,2.对园林绿化的监督检查,行政检查,{BASIS},执法二科,市级",
    )
    result = import_csv(data)
    assert result.ok, result.errors
    assert codes() == {"CGJ-JC-0002-1", "CGJ-JC-0002-2"}
    assert [w.row for w in result.warnings] == [3]


@pytest.mark.parametrize("row, errors", [
    (f",,,行政许可,{BASIS},执法一科,区级", [(4, "序号"), (4, "事项名称")]),  # another 权力类型
    (",,,,《另一部法规》第一条,执法一科,区级", [(4, "序号"), (4, "事项名称"), (4, "权力类型")]),  # another 实施依据
])
def test_r09_row_without_serial_or_name_that_contradicts_the_item_above_is_refused(world, row, errors):
    result = import_csv(csv_list(f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级", row))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == errors
    assert result.warnings == [] and Item.objects.count() == 0


def test_r09_continuation_row_below_a_refused_row_is_refused_too(world):
    data = csv_list(
        f"1,对擅自占用城市道路的处罚,,,{BASIS},执法一科,市级",  # no 权力类型
        ",,,,,,区级",
    )
    result = import_csv(data)
    assert [(e.row, e.column) for e in result.errors] == [(3, "权力类型"), (4, "序号")]
    assert "上方事项有错误" in result.errors[1].message
    assert Item.objects.count() == 0


def test_r09_a_clerks_list_with_merged_cells_and_every_quirk_reads_with_warnings(world):
    """An .xlsx as a body publishes it: a title row, a two-row header (实施层级及权限 over two
    columns), merged 序号/事项名称 cells over a continuation row, and the quirks of real lists."""
    book = openpyxl.Workbook()
    sheet = book.active
    level = "市级：负责全市范围内跨区域、重大复杂案件的查处；区级：负责本辖区内案件的查处；乡镇（街道）：依法赋权的事项由乡镇人民政府实施"
    for row in [
        ["示例市城市管理局2024年权责清单"],
        ["序  号", "项目", "子项名称", "职权类型", "实施依据", "承办机构", "实施层级及权限", None],
        [None, None, None, None, None, None, "实施层级", "权限"],
        [1, "对擅自占用城市道路的处罚", None, "行政处罚", BASIS, "执法一科", "市级", "全市"],
        [None, None, None, None, None, "各区执法大队", "区级", "本区"],  # continuation (merged cells above)
        ["2,3", "城市道路占用挖掘许可", None, "行政许可", "《城市道路管理条例》第三十条", "审批科", "市级", "全市"],
        [None, "对损坏城市道路的处罚", None, "行政处罚", BASIS, "执法一科", level, "全市"],  # no 序号
        [4, "城市管理监督检查", "1.对市容环境卫生的监督检查", "行政检查", BASIS, "执法二科", "市级", "全市"],
        [None, None, "2.对园林绿化的监督检查", "行政检查", BASIS, "执法二科", "市级", "全市"],
    ]:
        sheet.append(row)
    sheet.merge_cells("G2:H2")
    for column in "ABCDE":
        sheet.merge_cells(f"{column}4:{column}5")
    out = io.BytesIO()
    book.save(out)
    result = run_import("items", out.getvalue(), "示例市城市管理局2024年权责清单.xlsx", body_code="CGJ")
    assert result.ok, result.errors
    assert (result.total_rows, result.created) == (6, 5)
    assert codes() == {"CGJ-CF-0001", "CGJ-XK-0002", "CGJ-CF-0004", "CGJ-JC-0004-1", "CGJ-JC-0004-2"}
    first = Item.objects.get(code="CGJ-CF-0001")
    assert (first.level, first.handling_unit) == ("市级、区级", "执法一科、各区执法大队")
    assert Item.objects.get(code="CGJ-CF-0004").level == level
    assert [(w.row, w.column) for w in result.warnings] == [(5, "实施层级及权限"), (6, "序号"), (7, "序号")]


def test_r09_the_import_job_page_lists_the_warnings(world, client):
    from tests.factories import PASSWORD
    from zhifa.core import clock
    from zhifa.core.models import ImportJob

    warning = {"row": 4, "column": "实施层级及权限", "message": "无序号和事项名称，视为第3行事项的另一实施层级「区级」"}
    job = ImportJob.objects.create(
        kind="items", label="权责清单事项", filename="清单.xlsx", status="done", phase="完成", done_rows=3, total_rows=3,
        created_by=world.users["head1"], created_at=clock.now(), heartbeat_at=clock.now(), dry_run=True,
        result={"ok": True, "dry_run": True, "written": False, "total_rows": 3, "created": 2, "updated": 0, "skipped": 0,
                "error_count": 0, "errors": [], "errors_truncated": False, "summary": "", "warning_count": 1,
                "warnings": [warning]},
    )
    assert client.login(username="head1", password=PASSWORD)
    html = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert 'data-testid="import-warnings"' in html and "1</strong> 处推断" in html
    assert "视为第3行事项的另一实施层级「区级」" in html



def test_r09_the_import_job_and_its_api_show_the_warnings(world, api_as, settings, tmp_path):
    """An import job (the page and ``GET /api/v1/imports/{id}``) keeps what was inferred."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhifa.core import imports

    settings.MEDIA_ROOT = tmp_path / "media"
    admin = get_user_model().objects.get(username="admin")
    data = csv_list(f"1,对擅自占用城市道路的处罚,,行政处罚,{BASIS},执法一科,市级", ",,,,,,区级")
    job = imports.submit(kind="items", upload=SimpleUploadedFile("list.csv", data), body_code="CGJ", dry_run=True, user=admin)
    job.refresh_from_db()
    assert job.result["ok"] and job.result["warning_count"] == 1
    result = api_as("admin").get(f"/api/v1/imports/{job.pk}").json()["result"]
    assert result["warning_count"] == 1 and "区级" in result["warnings"][0]["message"]
