"""Long work off the request (core/work.py, issue 20 point 5): a job row, its phase and count polled
by the page (htmx every second) instead of a frozen page, then the link to its result; only its
submitter sees it; a failure is a Chinese message, never a 500."""
from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from zhifa.core import clock, work
from zhifa.core.models import WorkJob
from zhifa.core.violations import Refused, Violation

pytestmark = pytest.mark.django_db
SEEN: list[tuple] = []


@work.work
def make_file(params: dict, progress) -> dict:
    for n in range(params["steps"]):
        progress("汇总", n, params["steps"])
        SEEN.append(tuple(WorkJob.objects.filter(status="running").values_list("phase", "done", "total")))
    name = default_storage.save("work/test.txt", ContentFile("结果".encode()))
    return {"name": name, "filename": "result.txt", "content_type": "text/plain; charset=utf-8"}


@work.work
def refused(params: dict, progress) -> dict:
    raise Refused([Violation("WRONG_STATE", "案件尚未装订，不能生成卷宗 PDF")])


def not_marked(params, progress) -> dict:  # pragma: no cover - never run
    return {}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_issue20_work_runs_reports_its_phase_and_count_and_serves_its_file(world, client, media):
    SEEN.clear()
    job = work.submit(make_file, {"steps": 3}, user=world.users["supervisor"], label="生成测试文件")
    assert job.status == "done" and job.result["filename"] == "result.txt" and job.finished_at >= job.started_at
    assert SEEN[-1] == (("汇总", 2, 3),)  # the phase and the count, written while it ran
    client.force_login(world.users["supervisor"])
    panel = client.get(f"/work/{job.pk}/").content.decode()
    assert 'data-testid="work-job-done"' in panel and "hx-trigger" not in panel and f"/work/{job.pk}/file" in panel
    got = client.get(f"/work/{job.pk}/file")
    assert got.status_code == 200 and b"".join(got.streaming_content).decode() == "结果"
    client.force_login(world.users["officer1"])  # not theirs: not disclosed
    assert client.get(f"/work/{job.pk}/").status_code == 404 and client.get(f"/work/{job.pk}/file").status_code == 404


def test_issue20_a_running_job_is_polled_every_second_with_its_progress(world, client):
    job = WorkJob.objects.create(kind=f"{make_file.__module__}.make_file", label="生成人大报告", created_by=world.users["supervisor"],
                                 created_at=clock.now(), started_at=clock.now(), status="running", phase="排版 PDF", done=1, total=2)
    client.force_login(world.users["supervisor"])
    panel = client.get(f"/work/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in panel and f'hx-get="/work/{job.pk}/"' in panel
    assert "正在排版 PDF…" in panel and "已完成 1 / 2（50%）" in panel and 'aria-valuenow="50"' in panel
    assert client.get(f"/work/{job.pk}/file").status_code == 404  # nothing to download yet


def test_issue20_a_refused_work_fails_with_its_chinese_reason(world, client):
    job = work.submit(refused, {}, user=world.users["supervisor"], label="生成卷宗 PDF")
    assert job.status == "failed" and job.message == "案件尚未装订，不能生成卷宗 PDF"
    client.force_login(world.users["supervisor"])
    assert "案件尚未装订" in client.get(f"/work/{job.pk}/").content.decode()


def test_issue20_only_marked_work_may_be_submitted(world):
    with pytest.raises(ValueError):
        work.submit(not_marked, {}, user=world.users["supervisor"], label="x")
    assert not WorkJob.objects.exists()
