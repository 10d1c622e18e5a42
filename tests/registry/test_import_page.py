"""数据导入 page (issue 6): every kind the actor may import, uploads become import jobs with a
progress panel polled by htmx, then counts and the row errors (paged); grants and denials."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import TODAY, page_queries
from tests.factories import staff
from tests.inspections.test_importers import csv_of, good_rows
from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.core.models import ImportJob
from zhifa.inspections.models import Entity
from zhifa.registry.models import Officer

pytestmark = pytest.mark.django_db

MARKET_LIST = "tests/fixtures/imports/items.csv"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.SECURE_SSL_REDIRECT = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "inline"}
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def head2(world):
    """The head of the urban management bureau (another body)."""
    return staff("head2", world.urban, "城管局长", is_head=True, today=TODAY)


def entities_csv(n: int = 3, name: str = "名录.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_of(*good_rows(n)), content_type="text/csv")


def kinds_of(response) -> list[str]:
    return [value for value, _ in response.context["form"].fields["kind"].choices]


# --- who may import what ---------------------------------------------------------------------

def test_page_offers_each_actor_the_kinds_they_may_import(client_as):
    # The administrator may import every registered kind, the supervision's evaluation sheets too.
    assert kinds_of(client_as("admin").get("/imports/")) == ["officers", "items", "benchmarks", "entities", "evaluation_sheet"]
    assert kinds_of(client_as("head1").get("/imports/")) == ["officers", "items", "benchmarks", "entities"]
    supervisor = client_as("supervisor").get("/imports/")
    assert supervisor.status_code == 200 and kinds_of(supervisor) == ["entities"]
    for username in ("officer1", "reviewer1", "aux1"):
        denied = client_as(username).get("/imports/")
        assert denied.status_code == 403


def test_officer_cannot_post_an_import(world, client_as):
    response = client_as("officer1").post("/imports/", {"kind": "entities", "file": entities_csv(), "dry_run": "on"})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_supervisor_cannot_import_a_bodys_data(world, client_as):
    response = client_as("supervisor").post("/imports/", {"kind": "items", "body": world.market.pk, "file": entities_csv()})
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_another_bodys_head_cannot_import_into_your_body(world, client_as, head2):
    client = client_as("head2")
    response = client.post("/imports/", {"kind": "items", "body": world.market.pk, "file": SimpleUploadedFile("清单.csv", open(MARKET_LIST, "rb").read())})
    assert response.status_code == 200
    assert "所选主体不存在或您无权维护" in response.content.decode()
    assert [b.code for b in response.context["form"].fields["body"].queryset] == ["CGJ"]
    assert not ImportJob.objects.exists() and not Item.objects.filter(body=world.market).exists()


def test_officer_rows_of_another_body_are_refused_by_the_importer(world, client_as, head2):
    """Officer lists name their body per row: the importer checks each row's body again."""
    data = "姓名,工号,所属主体编码,人员类别\n张三,X1,SJJ,执法人员\n".encode()
    response = client_as("head2").post("/imports/", {"kind": "officers", "body": world.urban.pk, "file": SimpleUploadedFile("名册.csv", data)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.ok is False
    assert "无权导入" in job.result["errors"][0]["message"]
    assert not Officer.objects.filter(name="张三").exists()


def test_required_body_and_file_errors_are_next_to_the_fields(world, client_as):
    client = client_as("head1")
    response = client.post("/imports/", {"kind": "items", "file": SimpleUploadedFile("a.pdf", b"x")})
    form = response.context["form"]
    assert form.errors["body"] == ["请选择所属主体。"] and "文件格式不支持" in form.errors["file"][0]
    html = response.content.decode()
    assert html.count('class="field-error"') >= 2
    missing = client.post("/imports/", {"kind": "entities"})
    assert missing.context["form"].errors["file"] == ["请选择要上传的文件。"]
    assert not ImportJob.objects.exists()


def test_kind_is_preselected_from_the_query_and_the_body_field_hidden_for_entities(client_as):
    response = client_as("head1").get("/imports/?kind=entities")
    assert response.context["form"]["kind"].value() == "entities"
    html = response.content.decode()
    assert 'input[name=kind][value="entities"]:checked) [data-body-field]' in html
    assert client_as("supervisor").get("/imports/?kind=items").context["form"]["kind"].value() == "entities"
    assert client_as("head1").get("/imports/").context["form"]["kind"].value() == "officers"


# --- the job page ----------------------------------------------------------------------------

def test_upload_goes_to_the_job_page_with_counts(world, client_as):
    client = client_as("head1")
    response = client.post("/imports/", {"kind": "entities", "file": entities_csv(7), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/jobs/{job.pk}/"
    assert job.dry_run and job.created_by == world.users["head1"] and job.body_code == ""
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "试运行通过，未写入任何数据" in html and "将新增 <strong>7</strong> 条" in html
    assert "正式导入此文件" in html and 'hx-trigger="every 1s"' not in html
    assert job.sha256 in html
    assert not Entity.objects.exists()


def test_dry_run_then_import_for_real_without_uploading_again(world, client_as):
    client = client_as("head1")
    client.post("/imports/", {"kind": "entities", "file": entities_csv(4), "dry_run": "on"})
    dry = ImportJob.objects.get()
    response = client.post(f"/imports/jobs/{dry.pk}/run/")
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert response["Location"] == f"/imports/jobs/{real.pk}/"
    assert not real.dry_run and real.sha256 == dry.sha256 and real.result["created"] == 4
    assert Entity.objects.count() == 4
    html = client.get(response["Location"]).content.decode()
    assert "导入完成" in html and "正式导入此文件" not in html


def test_import_for_real_is_refused_for_a_job_with_errors_or_of_someone_else(world, client_as):
    client = client_as("head1")
    client.post("/imports/", {"kind": "entities", "file": SimpleUploadedFile("坏.csv", csv_of("1,店,企业,,,,,,,,")), "dry_run": "on"})
    bad = ImportJob.objects.get()
    response = client.post(f"/imports/jobs/{bad.pk}/run/", follow=True)
    assert "只有通过试运行且没有错误的任务" in response.content.decode()
    assert ImportJob.objects.count() == 1
    assert client_as("supervisor").post(f"/imports/jobs/{bad.pk}/run/").status_code == 404
    assert client.get(f"/imports/jobs/{bad.pk}/run/").status_code == 405


def test_row_errors_are_listed_and_paged(world, client_as):
    bad = [f"{i:018d},店{i},企业,餐饮,地址,650203001,A,A,否,0,0" for i in range(1, 61)]
    client = client_as("admin")
    response = client.post("/imports/", {"kind": "entities", "file": SimpleUploadedFile("名录.csv", csv_of(*bad)), "dry_run": ""}, follow=True)
    html = response.content.decode()
    assert "发现 <strong>60</strong> 处错误，本次未导入任何数据" in html
    assert html.count("<tr><td class=\"num\">") == 50 and "第 1–50 条" in html and "page=2" in html
    second = client.get(response.redirect_chain[-1][0], {"page": 2}).content.decode()
    assert second.count("<tr><td class=\"num\">") == 10 and "不是有效的统一社会信用代码" in second
    assert not Entity.objects.exists()


def test_running_job_panel_polls_every_second_until_done(world, client_as):
    job = ImportJob.objects.create(kind="entities", label="检查对象", filename="名录.csv", status="running", phase="校验",
                                   done_rows=120000, total_rows=500000, seconds=2.5, created_by=world.users["head1"],
                                   created_at=clock.now(), heartbeat_at=clock.now())
    client = client_as("head1")
    panel = client.get(f"/imports/jobs/{job.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="job-panel")
    html = panel.content.decode()
    assert "<html" not in html and 'id="job-panel"' in html and 'hx-trigger="every 1s"' in html
    assert "正在校验" in html and "120000" in html and "500000" in html and "24%" in html and "2.5 秒" in html
    ImportJob.objects.filter(pk=job.pk).update(status="done", phase="完成", done_rows=500000, result={
        "ok": True, "dry_run": True, "written": False, "total_rows": 500000, "created": 500000, "updated": 0, "skipped": 0,
        "error_count": 0, "errors": [], "errors_truncated": False, "summary": ""})
    done = client.get(f"/imports/jobs/{job.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="job-panel").content.decode()
    assert 'hx-trigger="every 1s"' not in done and "试运行通过" in done and "500000" in done


def test_failed_and_stale_jobs_say_why(world, client_as):
    import datetime as dt

    old = clock.now() - dt.timedelta(hours=1)
    job = ImportJob.objects.create(kind="entities", filename="名录.csv", status="running", created_by=world.users["head1"],
                                   created_at=old, heartbeat_at=old)
    html = client_as("head1").get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "导入任务中断" in html and "失败" in html


def test_jobs_are_seen_by_their_owner_and_the_admin_only(world, client_as, head2):
    client_as("head1").post("/imports/", {"kind": "entities", "file": entities_csv(name="陈局的名录.csv"), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert client_as("head2").get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert client_as("supervisor").get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert client_as("officer1").get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert client_as("admin").get(f"/imports/jobs/{job.pk}/").status_code == 200
    assert client_as(None).get(f"/imports/jobs/{job.pk}/").status_code == 302
    assert job.filename in client_as("head1").get("/imports/").content.decode()
    assert job.filename not in client_as("head2").get("/imports/").content.decode()


def test_htmx_upload_navigates_to_the_job(world, client_as):
    response = client_as("head1").post("/imports/", {"kind": "entities", "file": entities_csv(), "dry_run": "on"},
                                       HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-panel")
    job = ImportJob.objects.get()
    assert response.status_code == 204 and response["HX-Location"] == f"/imports/jobs/{job.pk}/"
    invalid = client_as("head1").post("/imports/", {"kind": "entities"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-panel")
    assert invalid.status_code == 200 and "<html" not in invalid.content.decode() and "请选择要上传的文件" in invalid.content.decode()


def test_officers_and_items_import_through_the_page(world, client_as):
    client = client_as("head1")
    data = open(MARKET_LIST, "rb").read()
    client.post("/imports/", {"kind": "items", "body": world.market.pk, "file": SimpleUploadedFile("清单.csv", data)})
    job = ImportJob.objects.get()
    assert job.body_code == "SJJ" and job.ok, job.result
    assert Item.objects.filter(body=world.market).count() == job.result["created"] > 0


def test_recent_jobs_list_has_a_constant_query_count(world, client_as):
    client = client_as("head1")
    client.post("/imports/", {"kind": "entities", "file": entities_csv(), "dry_run": "on"})
    before = page_queries(client, "/imports/")
    for i in range(8):
        client.post("/imports/", {"kind": "entities", "file": entities_csv(2, f"名录{i}.csv"), "dry_run": "on"})
    assert page_queries(client, "/imports/") == before
    html = client.get("/imports/").content.decode()
    assert html.count('href="/imports/jobs/') == 9 and "名录7.csv" in html


def test_unreadable_file_lists_the_error_and_writes_nothing(world, client_as):
    """Through the real ``core.importing.run_import``: bad input is a row error, never a 500."""
    before = Officer.objects.count()
    response = client_as("head1").post(
        "/imports/", {"kind": "officers", "body": world.market.pk, "file": SimpleUploadedFile("名册.xlsx", b"not a spreadsheet")}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "本次未导入任何数据" in html and "整个文件" in html
    assert Officer.objects.count() == before
