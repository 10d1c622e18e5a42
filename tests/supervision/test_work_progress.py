"""Progress on long work (issue 20 point 5): the congress report's PDF/Word and a bound case file's
PDF are made off the request; the page shows the job's progress (polled) and then the link."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from zhifa.core.models import WorkJob
from zhifa.supervision.models import CaseFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_r37_congress_report_generated_as_a_job_with_progress_then_downloaded(cw, client, media):
    cw.walk(cw.register(), "decided", amount=Decimal("800"))
    client.force_login(cw.world.users["supervisor"])
    page = client.get("/supervision/reports/congress/?year=2026").content.decode()
    assert 'data-testid="congress-pdf"' in page and 'name="format" value="docx"' in page
    posted = client.post("/supervision/reports/congress/", {"year": "2026", "format": "pdf"})
    assert posted.status_code == 302
    job = WorkJob.objects.get()
    assert posted["Location"] == f"/supervision/reports/congress/?year=2026&job={job.pk}"
    assert job.status == "done" and (job.done, job.total) == (2, 2)
    shown = client.get(posted["Location"]).content.decode()
    assert 'data-testid="work-job"' in shown and "生成2026年度人大报告（PDF）" in shown and f"/work/{job.pk}/file" in shown
    pdf = client.get(f"/work/{job.pk}/file")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.force_login(cw.world.users["officer1"])  # the office's page and job only
    assert client.post("/supervision/reports/congress/", {"year": "2026", "format": "pdf"}).status_code == 403
    assert client.get(f"/work/{job.pk}/file").status_code == 404
    assert WorkJob.objects.count() == 1


def test_r31_case_file_pdf_generated_as_a_job_with_its_page_count(cw, client, media, settings):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "deferred"}
    case = cw.walk(cw.register(), "archived")
    cf = CaseFile.objects.get(case=case)
    assert not cf.pdf
    client.force_login(cw.world.users["head1"])
    page = client.get(f"/supervision/case-files/{case.pk}/").content.decode()
    assert 'data-testid="render-case-file"' in page
    posted = client.post(f"/supervision/case-files/{case.pk}/", {"step": "render_pdf"})
    assert posted.status_code == 302 and re.search(r"job=(\d+)$", posted["Location"])
    job = WorkJob.objects.get()
    cf.refresh_from_db()
    assert job.status == "done" and cf.pdf and job.result["pages"] == cf.page_count > 0
    shown = client.get(posted["Location"]).content.decode()
    assert f"/api/v1/case-files/{case.pk}/pdf?version={cf.version}" in shown and "打开卷宗 PDF" in shown
    assert 'data-testid="render-case-file"' not in shown  # made once
