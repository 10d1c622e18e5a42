"""R04–R07: importing officers and their certificates from a spreadsheet."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core.importing import run_import
from zhifa.registry.access import actor_for
from zhifa.registry.importers import ID_CHECK, ID_WEIGHTS, id_number_problem
from zhifa.registry.models import Certificate, Officer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"

HEADER = "姓名,身份证号,手机号,工号,职务,所属主体编码,人员类别,法律职业资格,执法工作年限,执法证号,考试成绩,发证日期,有效期至,证件状态"


def with_check(first17: str) -> str:
    return first17 + ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def csv_bytes(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode("utf-8")


def import_file(path: Path, **kwargs):
    return run_import("officers", path.read_bytes(), path.name, **kwargs)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_r04_id_number_check_digit_gb11643(first17):
    number = with_check(first17)
    birth_ok = True
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth_ok = False
    assert (id_number_problem(number) is None) == birth_ok
    if birth_ok:
        wrong = number[:17] + next(c for c in ID_CHECK if c != number[17])
        assert "校验码" in id_number_problem(wrong)


def test_r04_known_id_numbers():
    assert id_number_problem("11010519491231002X") is None  # the GB 11643 example
    assert id_number_problem("110105194912310021") == "校验码错误（GB 11643）"
    assert "18 位" in id_number_problem("1.10105194912310E+17")


@pytest.mark.parametrize(
    "name", ["officers.xlsx", "officers.ods", "officers-utf8.csv", "officers-utf8-bom.csv", "officers-gbk.csv", "officers-xlsx-named.xls"],
)
def test_r04_officers_import_from_every_format(world, name):
    result = import_file(FIXTURES / name)
    assert result.ok, result.errors
    assert (result.total_rows, result.created, result.updated) == (3, 3, 0)
    ma = Officer.objects.get(staff_no="SJJ-101")
    assert ma.body == world.market
    assert (ma.name, ma.phone, ma.position, ma.enforcement_experience_years) == ("马建国", "13899001001", "科员", 6)
    assert ma.id_number == with_check("65020019800115001")
    assert not (ma.is_auxiliary or ma.is_legal_reviewer or ma.is_head or ma.has_legal_qualification)
    cert = ma.certificates.get()
    assert (cert.number, cert.issued_on, cert.expires_on, cert.exam_score, cert.status) == (
        "65020100101", dt.date(2022, 3, 1), dt.date(2027, 2, 28), Decimal("88.5"), Certificate.Status.VALID,
    )
    gu = Officer.objects.get(staff_no="SJJ-102")
    assert gu.is_legal_reviewer and gu.has_legal_qualification and gu.phone == "0990-6231234"
    aux = Officer.objects.get(staff_no="SJJ-103")
    assert aux.is_auxiliary and not aux.certificates.exists()


def test_r04_reimport_updates_by_staff_number(world):
    assert import_file(FIXTURES / "officers.xlsx").created == 3
    again = import_file(FIXTURES / "officers.xlsx")
    assert (again.created, again.updated, again.skipped) == (0, 0, 3)
    data = csv_bytes("马建国,,13899009999,SJJ-101,科长,SJJ,,,,65020100101,88.5,2022-03-01,2027-02-28,暂扣")
    result = run_import("officers", data, "update.csv")
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    ma = Officer.objects.get(staff_no="SJJ-101")
    assert (ma.phone, ma.position) == ("13899009999", "科长")
    assert ma.id_number == with_check("65020019800115001")  # empty cell: stored value kept
    cert = ma.certificates.get()
    assert cert.status == Certificate.Status.SUSPENDED and cert.status_changed_on is not None
    assert Officer.objects.filter(body=world.market).count() == 7 + 3 - 1  # world has 6 in market


def test_r04_upsert_by_id_number_when_no_staff_number(world):
    number = with_check("65020019880808001")
    first = run_import("officers", csv_bytes(f"林一,{number},,,,SJJ,,,,,,,,"), "a.csv")
    assert first.created == 1
    second = run_import("officers", csv_bytes(f"林一,{number},13700001111,,科员,SJJ,,,,,,,,"), "a.csv")
    assert (second.created, second.updated) == (0, 1)
    assert Officer.objects.get(id_number=number).phone == "13700001111"


def test_r04_body_from_option(world):
    lines = "\n".join(["姓名,工号", "张甲,U-1"]).encode()
    result = run_import("officers", lines, "u.csv", body_code="CGJ")
    assert result.ok, result.errors
    assert Officer.objects.get(staff_no="U-1").body == world.urban
    no_body = run_import("officers", lines, "u.csv")
    assert [(e.row, e.column) for e in no_body.errors] == [(2, "所属主体编码")]


def test_r04_bad_rows_import_nothing_and_list_every_reason(world):
    before = Officer.objects.count()
    result = import_file(FIXTURES / "officers-bad.xlsx")
    assert not result.ok
    got = [(e.row, e.column) for e in result.errors]
    assert got == [
        (3, "身份证号"),  # check digit
        (4, "手机号"),
        (5, "有效期至"),  # expiry before issue
        (6, "执法证号"),  # auxiliary staff with a certificate
        (7, "所属主体编码"),  # unknown body
        (8, "发证日期"),  # impossible date
        (9, "执法证号"),  # same certificate number as row 8
    ], [str(e) for e in result.errors]
    messages = {e.row: e.message for e in result.errors}
    assert "校验码" in messages[3]
    assert "晚于发证日期" in messages[5]
    assert "辅助人员不得持有" in messages[6]
    assert "未知的执法主体编码「NOPE」" in messages[7]
    assert "与第8行重复" in messages[9]
    assert Officer.objects.count() == before
    assert not Certificate.objects.filter(number__startswith="650201990").exists()


def test_r04_certificate_number_unique_against_database(world):
    taken = world.officers["officer1"].certificates.get().number
    data = csv_bytes(f"新人,{with_check('65020019900101001')},,N-1,,SJJ,,,,{taken},80,2024-01-01,2029-01-01,")
    result = run_import("officers", data, "n.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "执法证号")]
    assert "已登记给「李明」" in result.errors[0].message


def test_r04_dry_run_writes_nothing(world):
    before = Officer.objects.count()
    result = import_file(FIXTURES / "officers.xlsx", dry_run=True)
    assert result.ok and result.dry_run and result.created == 3
    assert Officer.objects.count() == before


def test_r04_head_imports_own_body_officer_of_another_body_is_refused(world):
    head = actor_for(world.users["head1"])
    assert import_file(FIXTURES / "officers.xlsx", actor=head).ok
    other = actor_for(world.users["officer_other"])
    refused = import_file(FIXTURES / "officers.xlsx", actor=other, dry_run=True)
    assert not refused.ok
    assert {(e.row, e.column) for e in refused.errors} == {(3, "所属主体编码"), (4, "所属主体编码"), (5, "所属主体编码")}
    assert "无权导入「示例市市场监督管理局」的人员" in refused.errors[0].message
    # An ordinary officer of the same body may not import either; the administrator may.
    assert not import_file(FIXTURES / "officers.xlsx", actor=actor_for(world.users["officer1"])).ok
    assert import_file(FIXTURES / "officers.xlsx", actor=actor_for(world.users["admin"])).ok


def test_r05_auxiliary_category_refused_for_officer_holding_valid_certificate(world):
    officer = world.officers["officer1"]
    officer.staff_no = "M-1"
    officer.save()
    result = run_import("officers", csv_bytes("李明,,,M-1,,SJJ,执法辅助人员,,,,,,,"), "x.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "人员类别")]


def test_r04_active_officer_of_another_body_cannot_be_imported_twice(world):
    number = with_check("65020019700101001")
    Officer.objects.filter(pk=world.officers["officer_other"].pk).update(id_number=number)
    result = run_import("officers", csv_bytes(f"吴城,{number},,Z-1,,SJJ,,,,,,,,"), "x.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    assert "示例市城市管理局" in result.errors[0].message


def test_r04_officer_import_query_count_is_constant(world, django_assert_max_num_queries):
    lines = [
        f"人员{i},{with_check(f'65020019900101{i:03d}')},139{i:08d},Q-{i},,SJJ,执法人员,否,2,6502Q{i:05d},80,2024-01-01,2029-01-01,"
        for i in range(200)
    ]
    with django_assert_max_num_queries(15):
        result = run_import("officers", csv_bytes(*lines), "many.csv")
    assert result.ok, result.errors[:3]
    assert result.created == 200
    assert Certificate.objects.filter(number__startswith="6502Q").count() == 200
