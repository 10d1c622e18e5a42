"""R26: the entity database importer (zhifa import entities)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from django.core.management import call_command
from django.db import connection

from zhifa.core.importing import run_import
from zhifa.inspections.models import Entity
from zhifa.registry.access import actor_for

from .conftest import credit_code

HEADER = "统一社会信用代码,企业名称,主体类型,行业,住所（经营场所）,所属乡镇,风险等级,信用等级,经营异常名录,投诉次数,违法记录次数\n"


def csv_of(*lines: str) -> bytes:
    return ("示例市市场主体名录（2026年）\n" + HEADER + "".join(line + "\n" for line in lines)).encode()


def good_rows(n: int, start: int = 1, township: str = "650203001") -> list[str]:
    return [f"{credit_code(i)},示例餐饮店{i},个体工商户,餐饮,示例路{i}号,{township},C,B,{'是' if i % 5 == 0 else '否'},{i % 3},0"
            for i in range(start, start + n)]


def test_r26_import_creates_then_skips_unchanged_then_updates(world):
    data = csv_of(*good_rows(30))
    result = run_import("entities", data, "entities.csv")
    assert result.ok, result.errors
    assert (result.created, result.updated, result.skipped) == (30, 0, 0)
    e = Entity.objects.get(credit_code=credit_code(5))
    assert e.kind == "individual" and e.is_abnormal and e.township == world.township and e.risk_grade == "C"
    again = run_import("entities", data, "entities.csv")
    assert (again.created, again.updated, again.skipped) == (0, 0, 30)
    changed = csv_of(*good_rows(29), f"{credit_code(30)},改名后的餐饮店,企业,餐饮,新址,示例镇,D,D,是,9,2")
    third = run_import("entities", changed, "entities.csv")
    assert (third.created, third.updated, third.skipped) == (0, 1, 29)
    e = Entity.objects.get(credit_code=credit_code(30))
    assert (e.name, e.kind, e.risk_grade, e.complaint_count, e.violation_count) == ("改名后的餐饮店", "enterprise", "D", 9, 2)
    assert Entity.objects.count() == 30


def test_r26_bad_rows_reported_and_nothing_written(world):
    bad_code = credit_code(2)[:-1] + ("0" if credit_code(2)[-1] != "0" else "1")
    data = csv_of(
        *good_rows(1),
        f"{bad_code},错误代码店,企业,餐饮,地址,650203001,A,A,否,0,0",
        f"{credit_code(1)},重复店,企业,餐饮,地址,650203001,A,A,否,0,0",
        f"{credit_code(3)},,外星人,餐饮,地址,火星镇,E,A,也许,-1,0",
    )
    result = run_import("entities", data, "entities.csv")
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert (4, "统一社会信用代码") in found and (5, "统一社会信用代码") in found
    assert {(6, "名称"), (6, "主体类型"), (6, "所属乡镇"), (6, "风险等级"), (6, "经营异常名录"), (6, "投诉次数")} <= found
    assert "校验码错误" in next(e.message for e in result.errors if e.row == 4)
    assert not Entity.objects.exists()


def test_r26_import_command_and_permissions(world, tmp_path, capsys):
    path = tmp_path / "entities.csv"
    path.write_bytes(csv_of(*good_rows(3)))
    call_command("import", "entities", str(path))
    assert "导入完成" in capsys.readouterr().out
    assert Entity.objects.count() == 3
    result = run_import("entities", csv_of(*good_rows(3, start=10)), "e.csv", actor=actor_for(world.users["officer1"]))
    assert not result.ok and "无权" in result.errors[0].message


def test_r26_xlsx_import(world):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    for line in good_rows(5):
        ws.append(line.split(","))
    buffer = io.BytesIO()
    wb.save(buffer)
    result = run_import("entities", buffer.getvalue(), "entities.xlsx")
    assert result.ok and result.created == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY path: PostgreSQL only")
def test_r26_copy_path_on_postgresql(world):
    result = run_import("entities", csv_of(*good_rows(200)), "entities.csv")
    assert result.ok and result.created == 200
    changed = csv_of(*good_rows(199), f"{credit_code(200)},新名称,企业,餐饮,新址,650203001,D,D,是,1,1")
    result = run_import("entities", changed, "entities.csv")
    assert (result.created, result.updated, result.skipped) == (0, 1, 199)
    assert Entity.objects.get(credit_code=credit_code(200)).name == "新名称"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the register version is kept by a PostgreSQL trigger")
def test_r26_daily_sweep_stores_the_snapshot_of_the_imported_register(world):
    """The daily ``zhifa sweep`` stores the register's snapshot (``RegisterSnapshot``) when the
    register changed since the last one, so that the next draw of the whole register need not
    read it; on an unchanged register it stores nothing."""
    import io

    from zhifa.inspections import services
    from zhifa.inspections.models import RegisterSnapshot

    def sweep() -> str:
        out = io.StringIO()
        call_command("sweep", stdout=out)
        return out.getvalue()

    assert run_import("entities", csv_of(*good_rows(30)), "entities.csv").created == 30
    assert not RegisterSnapshot.objects.exists()  # the import itself stays as fast as it can
    assert f"检查对象名录快照：已更新（版本 {services.register_version()}，30 户）。" in sweep()
    snapshot = RegisterSnapshot.objects.get()
    assert (snapshot.version, snapshot.count) == (services.register_version(), 30)
    flagged = {i for i in range(1, 31) if i % 5 == 0 or i % 3}  # abnormal or complained of (good_rows)
    assert bytes(snapshot.block) == "".join(sorted(f"{credit_code(i)},{2 if i in flagged else 1}\n" for i in range(1, 31))).encode()
    assert "检查对象名录快照：无变化" in sweep() and RegisterSnapshot.objects.get() == snapshot
    assert run_import("entities", csv_of(*good_rows(31)), "entities.csv").created == 1
    assert "检查对象名录快照：已更新" in sweep() and RegisterSnapshot.objects.get().count == 31


def test_r26_fast_and_row_by_row_paths_store_the_same(world, monkeypatch):
    """A clean file takes the fast path; padded cells and a free-text kind take the row-by-row
    path; both store the same entities, so re-importing one after the other changes nothing."""
    from zhifa.inspections import importers

    calls = []
    fast = importers._Validator.fast
    monkeypatch.setattr(importers._Validator, "fast", lambda self, *a: calls.append(1) or fast(self, *a))
    clean = good_rows(12)
    assert run_import("entities", csv_of(*clean), "e.csv").created == 12
    padded = [line.replace(",个体工商户,", ", 个体工商户 ,").replace(f"示例餐饮店{i},", f" 示例餐饮店{i} ,")
              for i, line in enumerate(clean, 1)]
    again = run_import("entities", csv_of(*padded), "e.csv")
    assert (again.created, again.updated, again.skipped) == (0, 0, 12), again.errors
    assert len(calls) == 2  # tried twice; the padded file fell back to row by row
    company = run_import("entities", csv_of(f"{credit_code(99)},某某有限责任公司（自然人投资）,有限责任公司（自然人独资）,餐饮,地址,650203001,A,A,否,0,0"), "e.csv")
    assert company.ok and Entity.objects.get(credit_code=credit_code(99)).kind == "enterprise"


def test_r26_bad_row_late_in_a_large_file_writes_nothing(world, monkeypatch):
    from zhifa.inspections import importers

    monkeypatch.setattr(importers, "CHUNK", 10)  # many COPY chunks before the bad row
    rows = good_rows(40)
    rows[33] = rows[33].replace(",C,B,", ",Z,B,")
    result = run_import("entities", csv_of(*rows), "e.csv")
    assert not result.ok and [(e.row, e.column) for e in result.errors] == [(36, "风险等级")]
    assert not Entity.objects.exists()


def test_r26_dry_run_reports_progress_while_it_compares_with_stored_entities(world, monkeypatch):
    """A dry run (and any import on SQLite) compares each chunk with the stored entities as it
    comes: the counts reported rise chunk by chunk, and once the last count is reported no stored
    entity is left to read (before, every stored row was read after it, the counter standing still)."""
    from django.test.utils import CaptureQueriesContext

    from zhifa.inspections import importers

    assert run_import("entities", csv_of(*good_rows(3000)), "e.csv").created == 3000
    monkeypatch.setattr(importers, "CHUNK", 500)
    rows = good_rows(3200)  # 200 new
    rows[10] = rows[10].replace(",C,B,", ",D,B,")  # changed, in the first chunk
    rows[2999] = rows[2999].replace(",C,B,", ",A,B,")  # changed, in the last chunk of stored ones
    table = f'FROM "{Entity._meta.db_table}"'
    calls = []
    with CaptureQueriesContext(connection) as queries:
        def progress(done, total, phase):
            reads = sum(1 for q in queries.captured_queries if table in q["sql"] and "LIMIT 1" not in q["sql"])
            calls.append((done, phase, reads))

        result = run_import("entities", csv_of(*rows), "e.csv", dry_run=True, progress=progress)
    assert (result.created, result.updated, result.skipped) == (200, 2, 2998) and Entity.objects.count() == 3000
    validating = [(done, reads) for done, phase, reads in calls if phase == "校验" and done]
    assert [done for done, _ in validating] == list(range(500, 3201, 500)) + [3200]
    reads = [r for _, r in validating]
    assert reads == sorted(reads) and reads[0] > 0  # the first chunk was compared before its count was reported
    assert calls[-1][2] == reads[-1]  # nothing read after the last count: the comparison was done


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=17, max_size=19))
def test_r26_fast_credit_code_check_agrees_with_gb32100(text):
    from zhifa.inspections import importers, rules

    assert importers.credit_code_valid(text) == (rules.credit_code_problem(text) is None)
    if len(text) >= 17:
        valid = text[:17] + rules.credit_check_char(text[:17]) if all(c in rules.CREDIT_VALUE for c in text[:17]) else None
        if valid is not None:
            assert importers.credit_code_valid(valid) == (rules.credit_code_problem(valid) is None)
