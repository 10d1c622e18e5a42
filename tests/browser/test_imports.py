"""数据导入 in a real browser (issue 6): head1 opens the page from the entity list's link
(``?kind=entities``), uploads a CSV of entities, watches the progress bar of the import job
(the background thread runner, polled every second by htmx) and reads the result; then a file
with bad rows gives the row-level error table and writes nothing. Screenshots go to var/screenshots/."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.inspections.test_importers import csv_of, good_rows
from zhifa.core import imports
from zhifa.core.models import ImportJob
from zhifa.inspections.models import Entity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_thread_runner(settings, tmp_path, monkeypatch):
    """The real runner (a background thread), each progress report held back a little so that the
    browser sees the job running."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHIFA = {**settings.ZHIFA, "IMPORT_RUNNER": "thread"}
    real = imports.run_import

    def slowed(*args, progress=None, **kwargs):
        def report(done, total, phase):
            progress(done, total, phase)
            if phase == "校验":
                time.sleep(0.6)
        return real(*args, progress=report if progress else None, **kwargs)

    monkeypatch.setattr(imports, "run_import", slowed)


def test_head_imports_entities_and_watches_the_progress(world, page_as, served, slow_thread_runner, tmp_path):
    n = 45_000
    good = tmp_path / "示例市市场主体名录.csv"
    good.write_bytes(csv_of(*good_rows(n)))
    page = page_as("head1")
    page.goto(f"{served.url}/imports/?kind=entities")
    expect(page.get_by_role("heading", name="数据导入")).to_be_visible()
    expect(page.get_by_label("检查对象")).to_be_checked()
    expect(page.get_by_label("所属主体")).to_be_hidden()  # a city-wide list: no body
    expect(page.get_by_label("试运行：只检查，不写入")).to_be_checked()
    page.get_by_label("执法人员").check()
    expect(page.get_by_label("所属主体")).to_be_visible()
    page.get_by_label("检查对象").check()
    shoot(page, "imports-form")

    page.get_by_label("文件").set_input_files(str(good))
    page.get_by_label("试运行：只检查，不写入").uncheck()
    page.get_by_role("button", name="上传并开始").click()
    page.wait_for_url(f"{served.url}/imports/jobs/*/")
    panel = page.locator("#job-panel")
    expect(panel.get_by_test_id("job-progress")).to_contain_text(f"/ {n + 1} 行")  # estimated from the lines
    expect(panel.get_by_test_id("job-phase")).to_contain_text("正在校验")
    expect(panel.get_by_test_id("job-progress")).to_contain_text("已处理 20000")
    shoot(page, "import-job-running")
    expect(panel).to_have_attribute("data-status", "done", timeout=60_000)
    expect(panel.get_by_test_id("import-ok")).to_contain_text(f"导入完成：共 {n} 行，新增 {n} 条")
    shoot(page, "import-job-done")
    assert Entity.objects.count() == n
    job = ImportJob.objects.get()
    assert job.status == "done" and not job.dry_run and job.done_rows == job.total_rows == n

    # A file with bad rows: the row errors, nothing written.
    bad = tmp_path / "有错误的名录.csv"
    rows = good_rows(3, start=n + 1) + ["91650203MA0000000X,坏代码店,企业,餐饮,地址,650203001,A,A,否,0,0",
                                         f"{good_rows(1, start=n + 9)[0].split(',')[0]},,外星企业,餐饮,地址,火星镇,E,A,也许,-1,0"]
    bad.write_bytes(csv_of(*rows))
    page.get_by_role("link", name="再导入一个文件").click()
    expect(page.get_by_label("检查对象")).to_be_checked()
    page.get_by_label("文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并开始").click()
    page.wait_for_url(f"{served.url}/imports/jobs/*/")
    expect(page.locator("#job-panel")).to_have_attribute("data-status", "done", timeout=30_000)
    errors = page.get_by_test_id("import-errors")
    expect(page.get_by_test_id("import-refused")).to_contain_text("本次未导入任何数据")
    expect(errors.get_by_role("row")).to_have_count(1 + 6)
    expect(errors).to_contain_text("不是有效的统一社会信用代码")
    expect(errors).to_contain_text("「火星镇」不是已登记的乡镇（街道）名称或区划代码")
    shoot(page, "import-job-errors")
    assert Entity.objects.count() == n

    page.goto(f"{served.url}/imports/")
    expect(page.get_by_test_id("import-jobs").get_by_role("row")).to_have_count(3)
    shoot(page, "imports-jobs")
