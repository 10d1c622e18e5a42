"""Import jobs over the API (issue 6): POST /api/v1/imports → 202 with the job, GET the job's
status, progress and result, GET the caller's jobs; grants and denials."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import TODAY, page_queries
from tests.factories import staff
from tests.inspections.test_importers import csv_of, good_rows
from zhifa.core.models import ImportJob
from zhifa.inspections.models import Entity

MARKET_LIST = "tests/fixtures/imports/items.csv"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "inline"}


def post(client, **data):
    return client.client.post("/api/v1/imports", data, **client.headers)


def entities(n: int = 3, name: str = "名录.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_of(*good_rows(n)), content_type="text/csv")


def test_submit_returns_202_with_the_job_and_its_result(world, api_as):
    client = api_as("head1")
    response = post(client, kind="entities", file=entities(5), dry_run="false")
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "done" and job["status_label"] == "已完成" and job["phase"] == "完成"
    assert (job["done_rows"], job["total_rows"], job["percent"]) == (5, 5, 100)
    assert job["result"]["ok"] and job["result"]["created"] == 5 and job["result"]["written"]
    assert job["created_by"] == "head1" and not job["dry_run"] and len(job["sha256"]) == 64
    assert job["url"] == f"/imports/jobs/{job['id']}/"
    assert Entity.objects.count() == 5
    again = client.get(f"/api/v1/imports/{job['id']}")
    assert again.status_code == 200 and again.json()["result"]["created"] == 5


def test_dry_run_is_the_default(world, api_as):
    job = post(api_as("supervisor"), kind="entities", file=entities(2)).json()
    assert job["dry_run"] and job["result"]["ok"] and not job["result"]["written"]
    assert not Entity.objects.exists()


def test_row_errors_come_back_with_row_column_reason(world, api_as):
    data = csv_of(*good_rows(2), "1,店,企业,餐饮,地址,火星镇,A,A,否,0,0")
    job = post(api_as("admin"), kind="entities", file=SimpleUploadedFile("名录.csv", data), dry_run="false").json()
    assert job["status"] == "done" and not job["result"]["ok"] and job["result"]["error_count"] == 2
    assert {(e["row"], e["column"]) for e in job["result"]["errors"]} == {(5, "统一社会信用代码"), (5, "所属乡镇")}
    assert not Entity.objects.exists()


def test_items_need_a_body_the_caller_manages(world, api_as):
    client = api_as("head1")
    data = open(MARKET_LIST, "rb").read()
    missing = post(client, kind="items", file=SimpleUploadedFile("清单.csv", data))
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body"
    unknown = post(client, kind="items", body="NOPE", file=SimpleUploadedFile("清单.csv", data))
    assert unknown.status_code == 422 and "NOPE" in unknown.json()["errors"][0]["message"]
    other = post(client, kind="items", body="CGJ", file=SimpleUploadedFile("清单.csv", data))
    assert other.status_code == 403 and "示例市城市管理局" in other.json()["detail"]
    ok = post(client, kind="items", body="SJJ", file=SimpleUploadedFile("清单.csv", data), dry_run="true")
    assert ok.status_code == 202 and ok.json()["body_code"] == "SJJ" and ok.json()["result"]["ok"]


def test_another_bodys_head_cannot_import_into_your_body(world, api_as):
    staff("head2", world.urban, "城管局长", is_head=True, today=TODAY)
    response = post(api_as("head2"), kind="items", body="SJJ", file=SimpleUploadedFile("清单.csv", open(MARKET_LIST, "rb").read()))
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("username", ["officer1", "aux1", "reviewer1"])
def test_officers_cannot_import(world, api_as, username):
    response = post(api_as(username), kind="entities", file=entities())
    assert response.status_code == 403 and "仅向" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_supervisor_may_import_entities_only(world, api_as):
    response = post(api_as("supervisor"), kind="officers", file=entities())
    assert response.status_code == 403 and response.json()["detail"] == "无权导入执法人员。"


def test_the_public_gets_401(world, api_as):
    anonymous = api_as(None)
    assert post(anonymous, kind="entities", file=entities()).status_code == 401
    assert anonymous.get("/api/v1/imports").status_code == 401
    assert anonymous.get("/api/v1/imports/1").status_code == 401


def test_bad_input_is_422_in_chinese(world, api_as):
    client = api_as("admin")
    unknown = post(client, kind="nope", file=entities())
    assert unknown.status_code == 422 and "未知的导入类型" in unknown.json()["errors"][0]["message"]
    no_file = post(client, kind="entities")
    assert no_file.status_code == 422 and no_file.json()["errors"][0] == {"field": "file", "message": "请选择要上传的文件", "type": "value_error"}
    pdf = post(client, kind="entities", file=SimpleUploadedFile("a.pdf", b"%PDF"))
    assert pdf.status_code == 422 and "文件格式不支持" in pdf.json()["errors"][0]["message"]
    empty = post(client, kind="entities", file=SimpleUploadedFile("a.csv", b""))
    assert empty.status_code == 422
    no_kind = client.client.post("/api/v1/imports", {"file": entities()}, **client.headers)
    assert no_kind.status_code == 422 and no_kind.json()["errors"][0]["field"] == "kind"
    assert not ImportJob.objects.exists()


def test_jobs_of_others_are_404_and_the_list_is_the_callers(world, api_as):
    head = api_as("head1")
    job = post(head, kind="entities", file=entities()).json()
    assert api_as("supervisor").get(f"/api/v1/imports/{job['id']}").status_code == 404
    assert api_as("officer1").get(f"/api/v1/imports/{job['id']}").status_code == 404
    assert api_as("admin").get(f"/api/v1/imports/{job['id']}").status_code == 200
    post(api_as("supervisor"), kind="entities", file=entities(2, "监督.csv"))
    listed = head.get("/api/v1/imports").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == job["id"] and listed["items"][0]["result"] is None
    assert api_as("officer1").get("/api/v1/imports").json()["count"] == 0


def test_list_is_paginated_with_a_constant_query_count(world, api_as):
    client = api_as("head1")
    post(client, kind="entities", file=entities())
    before = page_queries(client, "/api/v1/imports", page_size=5)
    for i in range(7):
        post(client, kind="entities", file=entities(1, f"名录{i}.csv"))
    assert page_queries(client, "/api/v1/imports", page_size=5) == before
    page2 = client.get("/api/v1/imports", page=2, page_size=5).json()
    assert page2["count"] == 8 and len(page2["items"]) == 3
