"""Import jobs (导入任务, issue 6): the upload is stored with its SHA-256, the import runs in the
background (or inline for tests), its progress and result are kept on the job, and a job never
stays running forever."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import threading

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.inspections.test_importers import csv_of, good_rows
from zhifa.core import clock, imports
from zhifa.core.models import ImportJob
from zhifa.inspections.models import Entity


@pytest.fixture
def inline(settings, media_root):
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "inline"}


def upload(data: bytes, name: str = "名录.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


JOB_SETTINGS = ("from django.conf import settings as s; import django; django.setup(); "
                "print(*(s.ZHIFA[k] for k in ('IMPORT_RUNNER', 'IMPORT_MAX_MB', 'IMPORT_STALE_MINUTES')))")


def job_settings(**env_extra: str) -> list[str]:
    """``ZHIFA``'s import job settings as a fresh process reads them from ``env_extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_VAR_DIR": "/tmp/zhifa-settings-test",
                "ZHIFA_SECRET_KEY": "Vq7-Lm2pXz9_Kd4rT8wYb3nHc6sFj1gQe5aUo0iRk-Nt7yWx2ZpMs4Ev", **env_extra})
    result = subprocess.run([sys.executable, "-c", JOB_SETTINGS], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_import_job_settings_default_in_zhifa_and_follow_the_environment():
    assert job_settings() == ["thread", "200", "10"]
    assert job_settings(ZHIFA_TESTING="1") == ["inline", "200", "10"]
    assert job_settings(ZHIFA_IMPORT_RUNNER="inline", ZHIFA_IMPORT_MAX_MB="50", ZHIFA_IMPORT_STALE_MINUTES="30") == ["inline", "50", "30"]


def test_the_import_functions_read_settings_zhifa(settings):
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "thread", "IMPORT_MAX_MB": 3, "IMPORT_STALE_MINUTES": 7}
    assert (imports.runner(), imports.max_upload_bytes(), imports.stale_minutes()) == ("thread", 3 * 1024 * 1024, 7)
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "inline"}
    assert imports.runner() == "inline"
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "threads"}  # a typo: never blocks a request
    assert imports.runner() == "thread"


def test_inline_job_imports_and_keeps_counts_file_and_digest(world, inline):
    data = csv_of(*good_rows(30))
    job = imports.submit(kind="entities", upload=upload(data), dry_run=False, user=world.users["admin"])
    assert job.status == ImportJob.Status.DONE and job.finished and job.ok
    assert (job.result["created"], job.result["updated"], job.result["skipped"]) == (30, 0, 0)
    assert job.result["written"] and job.result["error_count"] == 0 and "新增 30 条" in job.result["summary"]
    assert (job.done_rows, job.total_rows, job.phase, job.percent) == (30, 30, "完成", 100)
    assert Entity.objects.count() == 30
    assert job.sha256 == hashlib.sha256(data).hexdigest() and job.size == len(data)
    assert job.filename == "名录.csv" and job.label == "检查对象" and job.created_by == world.users["admin"]
    assert job.stored_name.startswith("imports/") and default_storage.open(job.stored_name).read() == data
    assert job.started_at and job.finished_at and job.seconds >= 0
    again = imports.resubmit(job, dry_run=True, user=world.users["admin"])
    assert again.pk != job.pk and again.stored_name == job.stored_name and again.result["skipped"] == 30


def test_dry_run_job_writes_nothing(world, inline):
    job = imports.submit(kind="entities", upload=upload(csv_of(*good_rows(5))), dry_run=True)
    assert job.ok and job.result["created"] == 5 and not job.result["written"]
    assert not Entity.objects.exists() and job.created_by is None


def test_bad_file_job_is_done_with_row_errors_and_nothing_written(world, inline):
    data = csv_of(*good_rows(3), "91650203000000000X,坏代码店,企业,餐饮,地址,650203001,A,A,否,0,0", *good_rows(2, start=10))
    job = imports.submit(kind="entities", upload=upload(data), dry_run=False)
    assert job.status == ImportJob.Status.DONE and job.ok is False
    assert job.result["error_count"] == 1 and not job.result["written"]
    assert job.result["errors"] == [{"row": 6, "column": "统一社会信用代码", "message": job.result["errors"][0]["message"]}]
    assert "不是有效的统一社会信用代码" in job.result["errors"][0]["message"]
    assert not Entity.objects.exists()
    unreadable = imports.submit(kind="entities", upload=upload(b"PK\x03\x04broken", "名录.xlsx"), dry_run=False)
    assert unreadable.status == "done" and unreadable.result["errors"][0]["row"] == 0


def test_result_keeps_the_first_thousand_errors_and_their_count(world, inline):
    bad = [f"{i:018d},店{i},企业,餐饮,地址,650203001,A,A,否,0,0" for i in range(1, 1201)]
    job = imports.submit(kind="entities", upload=upload(csv_of(*bad)), dry_run=True)
    assert job.result["error_count"] == 1200 and len(job.result["errors"]) == imports.MAX_ERRORS
    assert job.result["errors_truncated"] is True


def test_a_crash_is_recorded_as_failed_in_chinese_never_left_running(world, inline, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(imports, "run_import", boom)
    job = imports.submit(kind="entities", upload=upload(csv_of(*good_rows(2))), dry_run=False)
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert job.message == "导入失败（程序错误 RuntimeError：磁盘已满），未导入任何数据。"


def test_a_missing_stored_file_fails_the_job(world, inline):
    job = ImportJob.objects.create(kind="entities", filename="x.csv", stored_name="imports/none.csv", created_at=clock.now())
    imports.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "重新上传" in job.message


def test_a_job_no_longer_queued_is_left_alone(world, inline):
    job = ImportJob.objects.create(kind="entities", filename="x.csv", status="failed", message="已中断", created_at=clock.now())
    imports.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "已中断"


def test_unknown_kind_is_refused_before_anything_is_stored(world, inline, media_root):
    with pytest.raises(ValueError):
        imports.submit(kind="nope", upload=upload(b"a,b\n"))
    assert not ImportJob.objects.exists() and not (media_root / "imports").exists()


def test_progress_is_written_by_the_tracker_at_most_every_flush(world):
    job = ImportJob.objects.create(kind="entities", filename="x.csv", status="running", created_at=clock.now())
    tracker = imports._Tracker(job.pk, background=False)
    tracker(20000, 45000, "校验")
    tracker.flush()
    job.refresh_from_db()
    assert (job.done_rows, job.total_rows, job.phase, job.percent) == (20000, 45000, "校验", 44)
    ImportJob.objects.filter(pk=job.pk).update(done_rows=1)
    tracker.flush()  # unchanged and the heartbeat is not due: no write
    job.refresh_from_db()
    assert job.done_rows == 1


def test_stale_running_job_is_marked_failed(world, monkeypatch):
    now = clock.now()
    old = now - dt.timedelta(minutes=imports.stale_minutes() + 1)
    stale = ImportJob.objects.create(kind="entities", filename="a.csv", status="running", created_at=old, heartbeat_at=old)
    lost = ImportJob.objects.create(kind="entities", filename="b.csv", status="queued", created_at=old)
    fresh = ImportJob.objects.create(kind="entities", filename="c.csv", status="running", created_at=old, heartbeat_at=now)
    alive = ImportJob.objects.create(kind="entities", filename="d.csv", status="running", created_at=old, heartbeat_at=old)
    done = ImportJob.objects.create(kind="entities", filename="e.csv", status="done", created_at=old, heartbeat_at=old)
    thread = threading.Thread(target=threading.Event().wait, args=(5,), daemon=True)
    thread.start()
    monkeypatch.setitem(imports._LIVE, alive.pk, thread)
    assert imports.fail_stale(now) == 2
    status = dict(ImportJob.objects.values_list("pk", "status"))
    assert status == {stale.pk: "failed", lost.pk: "failed", fresh.pk: "running", alive.pk: "running", done.pk: "done"}
    stale.refresh_from_db()
    assert stale.message == imports.STALE_MESSAGE and stale.finished_at == now


@pytest.mark.django_db(transaction=True)
def test_thread_runner_finishes_in_the_background(settings, media_root):
    """The default runner: the request returns at once, a daemon thread imports and records."""
    from tests.factories import build_world
    from tests.conftest import TODAY

    build_world(TODAY)
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "thread"}
    job = imports.submit(kind="entities", upload=upload(csv_of(*good_rows(40))), dry_run=False)
    finished = imports.wait(job.pk, timeout=60)
    assert finished.status == "done", finished.message
    assert finished.result["created"] == 40 and finished.done_rows == 40 and finished.phase == "完成"
    assert Entity.objects.count() == 40
    assert not imports.is_live(job.pk)


def test_import_jobs_read_only_in_the_admin(admin_client):
    """Operators see every import job in the admin; nobody adds or edits one there."""
    from django.utils import timezone

    from zhifa.core.models import ImportJob

    job = ImportJob.objects.create(kind="entities", label="检查对象", filename="名录.csv", created_at=timezone.now())
    assert "名录.csv" in admin_client.get("/admin/core/importjob/", secure=True).content.decode()
    assert admin_client.get("/admin/core/importjob/add/", secure=True).status_code == 403
    assert admin_client.post(f"/admin/core/importjob/{job.pk}/change/", {"filename": "x"}, secure=True).status_code == 403
    assert ImportJob.objects.get(pk=job.pk).filename == "名录.csv"
