"""The spreadsheet import machinery: formats, headers, cells, all-or-nothing runs and the
``zhifa import`` command (contract.md)."""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from zhifa.catalog.models import Item
from zhifa.core.importing import (
    Column,
    ImportResult,
    RowError,
    SpreadsheetError,
    cell_text,
    find_header,
    importer_kinds,
    normalize_header,
    parse_bool,
    parse_date,
    parse_int,
    read_sheets,
    read_table,
    records,
    run_import,
    sniff_format,
)
from zhifa.registry.models import Officer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
MARKET = FIXTURES / "power-lists" / "附件：克拉玛依市市场监督管理局2024年权责清单.xls"
TRANSPORT = FIXTURES / "power-lists" / "附件：克拉玛依市交通运输局2024年权责清单.xlsx"
ROOT = Path(__file__).resolve().parents[2]


# --- formats -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, fmt",
    [
        ("power-lists/附件：克拉玛依市市场监督管理局2024年权责清单.xls", "xls"),
        ("power-lists/附件：克拉玛依市交通运输局2024年权责清单.xlsx", "xlsx"),
        ("officers.xlsx", "xlsx"),
        ("officers-xlsx-named.xls", "xlsx"),  # wrong extension: the bytes decide
        ("officers.ods", "ods"),
        ("officers-gbk.csv", "csv"),
    ],
)
def test_format_is_sniffed_from_the_bytes(name, fmt):
    assert sniff_format((FIXTURES / name).read_bytes()) == fmt


def test_every_format_reads_the_same_rows():
    expected = read_table((FIXTURES / "officers.xlsx").read_bytes(), "officers.xlsx")
    for name in ("officers.ods", "officers-utf8.csv", "officers-utf8-bom.csv", "officers-gbk.csv", "officers-xlsx-named.xls"):
        assert read_table((FIXTURES / name).read_bytes(), name) == expected, name
    assert expected[2][:5] == ["1", "马建国", "650200198001150018", "13899001001", "SJJ-101"]  # 1.0 → '1'
    assert expected[2][11:13] == ["88.5", "2022-03-01"]  # dates → ISO


def test_real_xls_reads_title_header_and_serials():
    rows = read_table(MARKET.read_bytes(), "whatever.csv")  # the extension lies; the bytes say OLE2
    assert rows[0][0] == "克拉玛依市市场监督管理局权责清单"
    assert rows[1][:4] == ["序号", "事项名称", "子项名称", "权力类型"]
    assert [row[0] for row in rows[2:5]] == ["1", "2", "3"]


def test_csv_encodings_and_delimiters():
    text = "姓名\t工号\n张三\t1\n"
    assert read_table(text.encode("utf-16"), "a.txt") == [["姓名", "工号"], ["张三", "1"]]
    assert read_table(text.encode("gb18030"), "a.csv") == [["姓名", "工号"], ["张三", "1"]]
    assert read_table("\ufeff姓名,工号\n张三,1\n".encode("utf-8"), "a.csv") == [["姓名", "工号"], ["张三", "1"]]
    assert read_table("姓名;工号\n张三;1\n".encode("utf-8"), "a.csv") == [["姓名", "工号"], ["张三", "1"]]


def test_html_table_saved_as_xls_is_read():
    html = '<html><meta charset="utf-8"><table><tr><th>姓名</th><th colspan="2">证件</th></tr><tr><td>张三</td><td>1</td><td>2</td></tr></table></html>'
    assert read_table(html.encode("utf-8"), "export.xls") == [["姓名", "证件", ""], ["张三", "1", "2"]]


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "文件为空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "无法读取Excel 97-2003"),
        (b"PK\x03\x04garbage", "已损坏"),
        (_zip({"word/document.xml": "<w/>", "[Content_Types].xml": ""}), "Word 文档"),
        (_zip({"xl/workbook.xml": "not xml"}), "无法读取"),
        (b"%PDF-1.7\n...", "PDF"),
        (bytes(range(256)) * 20, "无法识别"),
    ],
)
def test_unreadable_files_give_a_chinese_error_not_a_traceback(data, words):
    with pytest.raises(SpreadsheetError) as raised:
        read_table(data, "x.xlsx")
    assert words in raised.value.message


def test_read_sheets_returns_every_sheet():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "一"
    wb.active.append(["a"])
    wb.create_sheet("二").append(["b", 2.0])
    buffer = io.BytesIO()
    wb.save(buffer)
    sheets = read_sheets(buffer.getvalue(), "x.xlsx")
    assert [(s.name, s.rows) for s in sheets] == [("一", [["a"]]), ("二", [["b", "2"]])]


# --- cells ---------------------------------------------------------------------------------

def test_cell_text():
    assert cell_text(1.0) == "1"
    assert cell_text(442.0) == "442"
    assert cell_text(88.5) == "88.5"
    assert cell_text(13899001001.0) == "13899001001"
    assert cell_text(dt.date(2024, 1, 2)) == "2024-01-02"
    assert cell_text(dt.datetime(2024, 1, 2)) == "2024-01-02"
    assert cell_text(dt.datetime(2024, 1, 2, 8, 30)) == "2024-01-02 08:30:00"
    assert cell_text(True) == "是"
    assert cell_text("  文本\u3000") == "文本"
    assert cell_text(None) == ""


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_integral_floats_never_show_a_decimal_point(n):
    assert cell_text(float(n)) == str(n)


@pytest.mark.parametrize("text", ["2024-01-31", "2024/1/31", "2024.1.31", "2024年1月31日", "20240131", "2024-01-31 00:00:00"])
def test_parse_date_accepts_what_officials_type(text):
    assert parse_date(text) == dt.date(2024, 1, 31)


@pytest.mark.parametrize("text", ["2024-02-30", "31/01/2024", "明天"])
def test_parse_date_refuses_in_chinese(text):
    with pytest.raises(ValueError, match="无法识别"):
        parse_date(text)


def test_parse_bool_and_int():
    assert (parse_bool("是"), parse_bool("否"), parse_bool(""), parse_bool("Y")) == (True, False, None, True)
    with pytest.raises(ValueError, match="是"):
        parse_bool("也许")
    assert parse_int("3.0") == 3 and parse_int("") is None
    with pytest.raises(ValueError, match="整数"):
        parse_int("3.5")


# --- headers -------------------------------------------------------------------------------

COLUMNS = [Column("序号", required=True), Column("事项名称", required=True), Column("实施层级", ("实施层级及权限",)), Column("权限")]


def test_header_below_title_rows_with_newlines_in_names():
    rows = [["某局2024年权责清单", "", ""], ["", "", ""], ["序 号", "事项\n名称", "实施层级及权限"], ["1", "甲", "市级"]]
    header = find_header(rows, COLUMNS)
    assert (header.row, header.data_start) == (2, 3)
    assert header.index == {"序号": 0, "事项名称": 1, "实施层级": 2}
    assert normalize_header("事项\n名称（必填）*") == "事项名称"


def test_two_row_header_with_spanning_parent():
    rows = [
        ["序号", "事项名称", "实施层级及权限", "", "备注"],
        ["", "", "实施层级", "权限", ""],
        ["1", "甲", "市级", "全市", ""],
    ]
    header = find_header(rows, COLUMNS)
    assert (header.row, header.data_start) == (0, 2)
    assert header.index == {"序号": 0, "事项名称": 1, "实施层级": 2, "权限": 3}


def test_a_data_row_is_never_taken_for_a_sub_header():
    rows = [["序号", "事项名称", "实施层级及权限", ""], ["1", "甲", "市级", "全市"]]
    assert find_header(rows, COLUMNS).data_start == 1


def test_missing_required_column_is_named():
    with pytest.raises(SpreadsheetError, match="「事项名称」"):
        find_header([["序号", "名字"], ["1", "甲"]], COLUMNS)


def test_records_skip_blank_rows_and_number_rows_from_one():
    rows = [["标题", ""], ["序号", "事项名称"], ["1", "甲"], ["", ""], ["2", "乙"]]
    found = list(records(rows, find_header(rows, COLUMNS)))
    assert [(r.number, r["序号"], r["事项名称"]) for r in found] == [(3, "1", "甲"), (5, "2", "乙")]


# --- results and runs ----------------------------------------------------------------------

def test_row_error_text():
    assert str(RowError(5, "身份证号", "校验码错误")) == "第5行「身份证号」：校验码错误"
    assert str(RowError(5, "", "空行")) == "第5行：空行"
    assert str(RowError(0, "", "文件为空")) == "文件为空"
    result = ImportResult("items", total_rows=3, created=2, updated=1, label="事项")
    assert result.ok and "新增 2 条" in result.summary()
    assert result.as_dict()["errors"] == []


def test_importers_are_registered():
    kinds = dict(importer_kinds())
    assert kinds["officers"] == "执法人员"
    assert kinds["items"] == "权责清单事项"


def test_run_import_refuses_unknown_kind_and_unreadable_file(db):
    unknown = run_import("nope", b"a,b", "x.csv")
    assert not unknown.ok and "未知的导入类型「nope」" in unknown.errors[0].message
    broken = run_import("officers", b"PK\x03\x04broken", "x.xlsx")
    assert not broken.ok and broken.errors[0].row == 0 and "已损坏" in broken.errors[0].message
    headerless = run_import("officers", "甲,乙\n1,2".encode(), "x.csv")
    assert "未找到表头" in headerless.errors[0].message


# --- the command ---------------------------------------------------------------------------

def test_command_imports_and_prints_counts(world, capsys):
    call_command("import", "items", str(MARKET), "--body", "SJJ")
    out = capsys.readouterr().out
    assert "共 442 行" in out and "新增 442 条" in out
    assert Item.objects.count() == 442


def test_command_dry_run(world, capsys):
    call_command("import", "officers", str(FIXTURES / "officers.xlsx"), "--dry-run")
    assert "试导入" in capsys.readouterr().out
    assert not Officer.objects.filter(staff_no="SJJ-101").exists()


def test_command_lists_every_bad_row_and_exits_1(world, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("import", "officers", str(FIXTURES / "officers-bad.xlsx"))
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "未导入任何数据" in err
    assert "第3行「身份证号」：校验码错误（GB 11643）" in err
    assert err.count("第") >= 7


@pytest.mark.parametrize(
    "args, words",
    [
        (["nope", str(MARKET)], "未知的导入类型"),
        (["items", "/no/such/file.xls"], "文件不存在"),
        (["items", str(MARKET), "--body", "NOPE"], "未知的执法主体编码「NOPE」"),
        (["items", str(MARKET)], "须指定"),
        (["items", str(MARKET), "--body", "SJJ", "--valid-from", "明年"], "无法识别"),
    ],
)
def test_command_rejected_input_exits_1(world, capsys, args, words):
    with pytest.raises(SystemExit) as exited:
        call_command("import", *args)
    assert exited.value.code == 1
    assert words in capsys.readouterr().err


def test_command_line_exit_codes_without_traceback(tmp_path):
    env = {**os.environ, "ZHIFA_TESTING": "1", "ZHIFA_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)

    def zhifa(*args):
        return subprocess.run([sys.executable, "-m", "zhifa", *args], capture_output=True, text=True, env=env, timeout=120)

    missing = zhifa("import", "officers", str(tmp_path / "none.xlsx"))
    assert missing.returncode == 1 and "文件不存在" in missing.stderr and "Traceback" not in missing.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")
    unreadable = zhifa("import", "officers", str(broken))
    assert unreadable.returncode == 1 and "已损坏" in unreadable.stderr and "Traceback" not in unreadable.stderr
    unknown = zhifa("import", "nope", str(MARKET))
    assert unknown.returncode == 1 and "未知的导入类型" in unknown.stderr


# --- progress (导入进度) -------------------------------------------------------------------

def _recorder():
    calls: list[tuple[int, int | None, str]] = []
    return calls, lambda done, total, phase: calls.append((done, total, phase))


def _check_progress(calls, total_rows: int) -> None:
    from zhifa.core.importing import PHASES

    assert calls, "the progress callback was never called"
    assert calls[0] == (0, None, "读取")
    done = [d for d, _, _ in calls]
    assert done == sorted(done), "done_rows went down"
    assert all(phase in PHASES for _, _, phase in calls)
    assert all(total is None or total >= d for d, total, _ in calls)
    assert calls[-1] == (total_rows, total_rows, "完成")
    assert [p for _, _, p in calls].count("完成") == 1


def test_progress_of_a_spreadsheet_import_is_monotone_and_ends_at_the_total(world):
    calls, progress = _recorder()
    result = run_import("items", MARKET.read_bytes(), MARKET.name, body_code="SJJ", progress=progress)
    assert result.ok and result.total_rows == 442
    _check_progress(calls, 442)
    phases = [p for _, _, p in calls]
    assert phases.index("读取") < phases.index("校验") < phases.index("写入") < phases.index("完成")


def test_progress_is_reported_per_chunk_of_records_not_per_row(world):
    from zhifa.core import importing
    from zhifa.core.importing import PROGRESS_EVERY, Header, records

    calls, progress = _recorder()
    rows = [["名称"]] + [[f"第{i}项"] for i in range(2500)]
    token = importing._reporter.set(importing.ProgressReporter(progress))
    try:
        assert len(list(records(rows, Header(row=0, data_start=1, index={"名称": 0})))) == 2500
    finally:
        importing._reporter.reset(token)
    assert [d for d, _, _ in calls] == [PROGRESS_EVERY, 2 * PROGRESS_EVERY, 2500]


def test_progress_of_a_dry_run_and_of_refused_rows(world):
    calls, progress = _recorder()
    result = run_import("officers", (FIXTURES / "officers-bad.xlsx").read_bytes(), "officers-bad.xlsx", progress=progress)
    assert not result.ok
    _check_progress(calls, result.total_rows)
    assert "写入" not in [p for _, _, p in calls]  # nothing is written
    calls, progress = _recorder()
    unreadable = run_import("officers", b"PK\x03\x04broken", "x.xlsx", progress=progress)
    assert not unreadable.ok and calls[-1] == (0, 0, "完成")


def test_progress_of_the_bulk_entity_import_per_chunk(world):
    """The raw (streamed CSV) path: one report per chunk of 20,000 rows, never per row; the total
    is estimated from the lines of the file until the end."""
    from tests.inspections.test_importers import csv_of, good_rows
    from zhifa.inspections.importers import CHUNK

    n = 2 * CHUNK + 500
    calls, progress = _recorder()
    result = run_import("entities", csv_of(*good_rows(n)), "entities.csv", dry_run=True, progress=progress)
    assert result.ok and result.total_rows == n
    _check_progress(calls, n)
    validating = [(d, t) for d, t, p in calls if p == "校验"]
    assert (CHUNK, n + 1) in validating and (2 * CHUNK, n + 1) in validating  # estimate: the lines but the title
    assert len(calls) < 12


def test_no_progress_callback_costs_nothing(world):
    from zhifa.core import importing

    result = run_import("items", MARKET.read_bytes(), MARKET.name, body_code="SJJ", dry_run=True)
    assert result.ok and importing._reporter.get() is None


def test_command_shows_progress_on_a_terminal_only(world, capsys, monkeypatch):
    """Standard output is the same; the counter goes to standard error, and only on a terminal."""
    from django.core.management.base import OutputWrapper

    call_command("import", "items", str(MARKET), "--body", "SJJ", "--dry-run")
    quiet = capsys.readouterr()
    assert "\r" not in quiet.err
    monkeypatch.setattr(OutputWrapper, "isatty", lambda self: True)
    call_command("import", "items", str(MARKET), "--body", "SJJ", "--dry-run")
    shown = capsys.readouterr()
    assert shown.out == quiet.out
    assert "\r" in shown.err and "完成：442 / 442 行（100%）" in shown.err


# --- every real run leaves one record entry (issue 13 §5) ----------------------------------

def _import_entries(kind: str):
    from zhifa.core.ledger import RecordEntry

    return list(RecordEntry.objects.filter(stream=f"import:{kind}").order_by("seq"))


def test_a_real_import_run_records_one_entry_with_the_file_hash_and_counts(world):
    import hashlib

    from zhifa.core import ledger

    data = MARKET.read_bytes()
    result = run_import("items", data, MARKET.name, body_code="SJJ")
    assert result.ok and result.created == 442
    [entry] = _import_entries("items")
    assert entry.action == "import"
    assert entry.payload["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry.payload["file"] == MARKET.name and entry.payload["body"] == "SJJ"
    assert (entry.payload["total_rows"], entry.payload["created"], entry.payload["updated"]) == (442, 442, 0)
    assert entry.payload["dry_run"] is False
    assert ledger.verify("import:items") is None


def test_a_dry_run_or_a_refused_file_records_nothing(world):
    assert run_import("items", MARKET.read_bytes(), MARKET.name, body_code="SJJ", dry_run=True).ok
    bad = run_import("officers", (FIXTURES / "officers-bad.xlsx").read_bytes(), "officers-bad.xlsx")
    assert not bad.ok
    unreadable = run_import("officers", b"PK\x03\x04broken", "x.xlsx")
    assert not unreadable.ok
    assert _import_entries("items") == [] and _import_entries("officers") == []


def test_each_real_run_records_again_and_names_the_actor(world):
    from zhifa.registry import access

    admin = access.actor_for(world.users["admin"])
    data = (FIXTURES / "officers.xlsx").read_bytes()
    assert run_import("officers", data, "officers.xlsx", actor=admin).ok
    assert run_import("officers", data, "officers.xlsx", actor=admin).ok  # the same file again: all unchanged
    first, second = _import_entries("officers")
    assert (first.seq, second.seq) == (1, 2) and second.previous_hash == first.hash
    assert second.payload["skipped"] == second.payload["total_rows"] and second.payload["created"] == 0
    assert first.actor_id == world.users["admin"].pk


def test_the_bulk_entity_import_records_its_run_in_the_write_transaction(world):
    from tests.inspections.test_importers import csv_of, good_rows

    assert run_import("entities", csv_of(*good_rows(30)), "entities.csv", dry_run=True).ok
    assert _import_entries("entities") == []
    result = run_import("entities", csv_of(*good_rows(30)), "entities.csv")
    assert result.ok and result.created == 30
    [entry] = _import_entries("entities")
    assert entry.payload["created"] == 30 and entry.payload["total_rows"] == 30


@pytest.mark.parametrize("text", ["序号", "序  号", "序　号", "\ufeff序号\u200b", " 序\n号 ", "序号（必填）", "＊序号"])
def test_header_spellings_compare_without_any_kind_of_space(text):
    assert normalize_header(text) == "序号"
    assert normalize_header("ＩＤ号码") == "ID号码"  # full-width letters folded (NFKC)


def test_warnings_never_refuse_and_are_summarised_and_listed():
    from zhifa.core.importing import RowWarning

    warning = RowWarning(4, "序号", "缺少序号，按所在位置编为 2")
    result = ImportResult(kind="items", total_rows=3, created=3, warnings=[warning], label="权责清单事项")
    assert result.ok and result.written
    assert result.summary().endswith("另有 1 处推断（警告），请核对。")
    assert result.as_dict()["warnings"] == [{"row": 4, "column": "序号", "message": "缺少序号，按所在位置编为 2"}]
    assert ImportResult(kind="items").as_dict()["warnings"] == []
    assert "推断" not in ImportResult(kind="items").summary()


def test_run_import_returns_the_plans_warnings_sorted_and_records_their_count(world, monkeypatch):
    from zhifa.core.importing import Plan, RowWarning, plans

    def importer(request):
        warnings = [RowWarning(5, "序号", "第二处"), RowWarning(3, "序号", "第一处")]
        return Plan(total_rows=2, created=0, write=lambda: None, warnings=warnings)

    plans.load_importers()
    monkeypatch.setitem(plans._REGISTRY, "warned", plans.ImporterSpec("warned", importer, "测试"))
    dry = run_import("warned", b"a,b\n1,2\n", "w.csv", dry_run=True)
    assert dry.ok and [w.message for w in dry.warnings] == ["第一处", "第二处"]
    assert not _import_entries("warned")
    real = run_import("warned", b"a,b\n1,2\n", "w.csv")
    assert real.ok and len(real.warnings) == 2
    [entry] = _import_entries("warned")
    assert entry.payload["warnings"] == 2
