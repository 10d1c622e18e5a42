"""Evaluation sheets imported from Excel (R31, R43; issue 17): the versioned sheet's structure read
from an .xlsx (python-calamine), all or nothing with every bad row in Chinese, one record per
import run, saved as a new draft version and published like any draft; office only."""
from __future__ import annotations

import io
import tomllib

import pytest
from django.core.exceptions import PermissionDenied

from zhifa.core.importing import record_stream
from zhifa.core.ledger import RecordEntry
from zhifa.supervision import services
from zhifa.supervision.importers import KIND
from zhifa.supervision.models import EvaluationSheet
from zhifa.supervision.services.evaluation import DEFAULT_SHEET

pytestmark = pytest.mark.django_db
HEADER = ["类型", "评分组编号", "评分组名称", "编号", "评查内容", "分值", "每处扣分", "依据", "自动预检"]


def default_rows() -> list[list]:
    """The shipped default sheet written out as the office would keep it in Excel."""
    data = tomllib.loads(DEFAULT_SHEET.read_text(encoding="utf-8"))
    rows = [["评查表名称", "行政处罚案卷评查表（2027年版）"], ["总分", 100], ["优秀线", 90], ["合格线", 60], [], HEADER]
    rows += [["否决项", "", "", v["code"], v["text"], "", "", v.get("basis", ""), v.get("check", "")] for v in data["vetoes"]]
    for g in data["groups"]:
        for i, item in enumerate(g["items"]):
            rows.append(["评分项", g["code"] if i == 0 else "", g["name"] if i == 0 else "", item["code"], item["text"], item["points"],
                         item.get("deduction", ""), item.get("basis", ""), item.get("check", "")])
    return rows


def xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_r31_a_sheet_imported_from_excel_is_a_new_draft_version_with_the_tomls_structure(cw):
    services.load_default_sheet()
    office = cw.actor("supervisor")
    result = services.import_sheet_file(xlsx(default_rows()), "评查表2027.xlsx", code="default", actor=office)
    assert result.ok and result.written, result.errors
    draft = EvaluationSheet.objects.get(code="default", status="draft")
    assert draft.version == 2 and draft.name == "行政处罚案卷评查表（2027年版）"
    parsed = services.sheet_rules(draft)
    shipped = tomllib.loads(DEFAULT_SHEET.read_text(encoding="utf-8"))
    assert [v.code for v in parsed.vetoes] == [v["code"] for v in shipped["vetoes"]]
    assert [(i.code, i.group) for i in parsed.items] == [(i["code"], g["code"]) for g in shipped["groups"] for i in g["items"]]
    assert parsed.total == 100 and parsed.veto("V2").check == "two_officers"  # groups carried down, checks kept
    runs = RecordEntry.objects.filter(stream=record_stream(KIND))
    assert runs.count() == 1 and runs.get().payload["file"] == "评查表2027.xlsx"  # one record per import run
    published = services.publish_sheet(draft.pk, actor=office)
    assert published.status == "published"


def test_r31_a_bad_sheet_is_refused_whole_with_every_row_error_in_chinese(cw):
    services.load_default_sheet()
    rows = default_rows()
    header_at = rows.index(HEADER)
    rows[header_at + 1][0] = "加分项"  # unknown type
    rows[header_at + 10][5] = "十分"  # points not a number
    rows[header_at + 11][3] = rows[header_at + 12][3]  # duplicate code
    rows[header_at + 12][8] = "心情检查"  # unknown pre-check
    result = services.import_sheet_file(xlsx(rows), "bad.xlsx", code="default", actor=cw.actor("supervisor"))
    assert not result.ok and not result.written
    by_row = {(e.row, e.column) for e in result.errors}
    assert {(header_at + 2, "类型"), (header_at + 11, "分值"), (header_at + 13, "编号"), (header_at + 13, "自动预检")} <= by_row
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in result.errors)
    assert not EvaluationSheet.objects.filter(code="default", status="draft").exists()
    assert not RecordEntry.objects.filter(stream=record_stream(KIND)).exists()


def test_r31_points_not_summing_to_the_total_refuse_the_sheet(cw):
    rows = default_rows()
    rows[1][1] = 120
    result = services.import_sheet_file(xlsx(rows), "sum.xlsx", code="city2027", actor=cw.actor("supervisor"))
    assert not result.ok and any("总分" in e.message for e in result.errors)
    assert not EvaluationSheet.objects.filter(code="city2027").exists()


def test_r31_only_the_office_imports_sheets_and_the_api_answers_422_with_rows(cw, api_as):
    with pytest.raises(PermissionDenied):
        services.import_sheet_file(xlsx(default_rows()), "x.xlsx", code="default", actor=cw.actor("head1"))
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    def upload(username, rows, **form):
        token = api_as(username).headers["HTTP_AUTHORIZATION"]
        file = SimpleUploadedFile("sheet.xlsx", xlsx(rows))
        return Client().post("/api/v1/supervision/sheets/import", {"code": "city", "file": file, **form}, HTTP_AUTHORIZATION=token)

    assert upload("officer1", default_rows()).status_code == 403
    bad = default_rows()
    bad[-1][5] = -3
    refused = upload("supervisor", bad)
    assert refused.status_code == 422 and refused.json()["errors"][0]["column"] == "分值"
    assert upload("supervisor", default_rows(), dry_run="true").status_code == 200
    assert not EvaluationSheet.objects.filter(code="city").exists()
    created = upload("supervisor", default_rows())
    assert created.status_code == 201 and created.json()["sheet"]["status"] == "draft"
    published = api_as("supervisor").post(f"/api/v1/supervision/sheets/{created.json()['sheet']['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert api_as("supervisor").post(f"/api/v1/supervision/sheets/{created.json()['sheet']['id']}/publish").status_code == 409


def test_r31_the_sheets_page_imports_and_publishes(cw, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cw.world.users["supervisor"])
    page = client.post("/supervision/sheets/", {"code": "city", "file": SimpleUploadedFile("s.xlsx", xlsx(default_rows()))})
    assert page.status_code == 302
    draft = EvaluationSheet.objects.get(code="city")
    assert client.post("/supervision/sheets/", {"step": "publish", "sheet_id": draft.pk}).status_code == 302
    assert EvaluationSheet.objects.get(pk=draft.pk).status == "published"
    bad = default_rows()
    bad[-1][3] = ""
    shown = client.post("/supervision/sheets/", {"code": "city", "file": SimpleUploadedFile("s.xlsx", xlsx(bad))})
    assert shown.status_code == 200 and "导入被拒绝" in shown.content.decode()
    client.force_login(cw.world.users["officer1"])
    assert client.get("/supervision/sheets/").status_code == 403
