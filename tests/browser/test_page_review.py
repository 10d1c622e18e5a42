"""What a page review in a real browser found and fixed, kept fixed: an inspector finds and
records their own inspections on a phone (我的检查, one card per entity, answers kept on a refusal,
a recorded result shown to correct, file fields in Chinese), staff who may not record read the
result instead of a form that would refuse them, a refused new task keeps its choices beside the
form, checkbox fields line up, and no link a page shows its reader ends in an error or a refusal.
Screenshots go to var/screenshots/."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TODAY, shoot
from tests.browser.test_inspection_pages import a_revealed_draw, login, photo
from zhifa.inspections import services
from zhifa.inspections.models import Inspection, InspectionItem, Plan
from zhifa.registry.access import actor_for
from zhifa.registry.models import Officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def assigned(draw) -> tuple[Inspection, Officer, list[Inspection]]:
    """An inspection of the draw whose first inspector has a login, that officer, and all the
    inspections the draw sent that officer to."""
    for inspection in Inspection.objects.filter(draw=draw).order_by("rank"):
        officer = Officer.objects.filter(pk__in=inspection.inspector_ids, user__isnull=False).select_related("user").first()
        if officer is not None:
            mine = [i for i in Inspection.objects.filter(draw=draw).order_by("rank") if officer.pk in i.inspector_ids]
            return inspection, officer, mine
    raise AssertionError("no drawn inspector with a login")


def test_r28_inspector_finds_and_records_own_inspections_on_a_phone(chromium, served, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    draw = a_revealed_draw(world)
    inspection, officer, mine = assigned(draw)
    context, page = login(chromium, served, officer.user.username, PHONE, is_mobile=True, has_touch=True)

    # 抽查检查 lists what the officer must still inspect
    page.goto(f"{served.url}/inspections/")
    pending = page.get_by_test_id("my-pending")
    expect(pending).to_contain_text(f"共 {len(mine)} 户")
    expect(pending).to_contain_text(inspection.entity.name)

    # the draw page: 我的检查 keeps the officer's rows only, one card each, the button on screen
    page.goto(f"{served.url}/inspections/draws/{draw.pk}/")
    page.get_by_test_id("my-inspections-link").click()
    expect(page).to_have_url(re.compile(r"\?mine=1#drawn$"))
    table = page.get_by_test_id("drawn-table")
    expect(table.locator("tbody tr")).to_have_count(len(mine))
    expect(table.locator("thead")).to_be_hidden()
    button = table.locator("tbody tr").first.get_by_role("link", name="录入结果")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 40  # a thumb-sized button, no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "review-draw-mine-phone")
    button.click()
    expect(page).to_have_url(f"{served.url}/inspections/results/{inspection.pk}/")
    expect(page.locator(".breadcrumbs")).to_contain_text(f"抽取 #{draw.pk}")

    # the photo field speaks Chinese whatever the browser's language
    picker = page.get_by_test_id("photos").locator(".file-pick")
    expect(picker).to_contain_text("拍照或选择照片")
    expect(picker).to_contain_text("未选择文件")
    page.locator("#photos").set_input_files(photo(tmp_path, "门头.jpg", (120, 90, 30)))
    expect(picker).to_contain_text("门头.jpg")

    # nothing is pre-selected (issue 14, finding 5): the inspector answers each point
    form = page.get_by_test_id("record-form")
    expect(form.locator("input[type=radio]:checked")).to_have_count(0)
    expect(form.locator("#outcome")).to_have_value("")
    # a refusal keeps every answer given
    form.locator("label.check.bad").nth(1).click()
    for n in (0, 2):
        form.locator(f"input[name=point_{n}][value=ok]").check()
    form.locator("input[name=note_1]").fill("两名从业人员健康证明过期")
    form.locator("#outcome").select_option("case")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".violations")).to_contain_text("请填写发现的问题")
    expect(page.locator(".violations")).to_contain_text("请填写立案案号")
    form = page.get_by_test_id("record-form")
    expect(form.locator("input[name=point_1][value=bad]")).to_be_checked()
    expect(form.locator("input[name=point_0][value=ok]")).to_be_checked()
    expect(form.locator("input[name=note_1]")).to_have_value("两名从业人员健康证明过期")
    expect(form.locator("#outcome")).to_have_value("case")
    shoot(page, "review-result-refused-phone")
    inspection.refresh_from_db()
    assert inspection.outcome == ""

    form.locator("#findings").fill("从业人员健康证明过期")
    form.locator("#case_number").fill("示市监立字〔2026〕12号")
    form.get_by_role("button", name="保存").click()
    expect(page).to_have_url(f"{served.url}/inspections/draws/{draw.pk}/?mine=1#drawn")
    expect(page.get_by_text(f"检查结果已保存：{inspection.entity.name}")).to_be_visible()
    # by its link's exact name: 示例市鸿福超市有限公司 is also the start of …有限公司6 and …有限公司11
    row = page.get_by_test_id("drawn-table").locator("tr").filter(has=page.get_by_role("link", name=inspection.entity.name, exact=True))
    expect(row).to_contain_text("立案查处")
    row.get_by_role("link", name="修改结果").click()

    # the recorded result comes back to be corrected before publication
    expect(page.get_by_role("heading", name="修改检查结果")).to_be_visible()
    form = page.get_by_test_id("record-form")
    expect(form.locator("input[name=point_1][value=bad]")).to_be_checked()
    expect(form.locator("input[name=note_1]")).to_have_value("两名从业人员健康证明过期")
    expect(form.locator("#findings")).to_have_value("从业人员健康证明过期")
    expect(form.locator("#inspected_on")).to_have_value(TODAY.isoformat())
    context.close()


def test_r28_staff_who_may_not_record_read_the_result(chromium, served, world):
    draw = a_revealed_draw(world)
    inspection, officer, _ = assigned(draw)
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
        inspected_on=TODAY, outcome="rectify", findings="进货查验记录不全",
        answers=[{"point": "持证经营", "ok": True, "note": ""}, {"point": "从业人员健康证明", "ok": True, "note": ""},
                 {"point": "进货查验记录", "ok": False, "note": "缺少三月台账"}]), actor=actor_for(officer.user))
    context, page = login(chromium, served, "supervisor", DESKTOP)
    page.goto(f"{served.url}/inspections/draws/{draw.pk}/")
    expect(page.get_by_test_id("drawn-table")).to_be_visible()
    expect(page.get_by_test_id("drawn-table").get_by_role("link", name="录入结果")).to_have_count(0)  # the service would refuse them
    expect(page.get_by_test_id("my-inspections-link")).to_have_count(0)
    page.get_by_test_id("drawn-table").get_by_role("link", name=inspection.entity.name, exact=True).click()
    summary = page.get_by_test_id("result-summary")
    expect(summary).to_contain_text("责令限期整改")
    expect(summary).to_contain_text("进货查验记录不全")
    expect(summary).to_contain_text("缺少三月台账")
    expect(page.get_by_test_id("record-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="检查结果", exact=True).first).to_be_visible()
    context.close()


def test_r27_refused_new_task_keeps_its_choices_beside_the_form(chromium, served, world):
    a_revealed_draw(world)
    InspectionItem.objects.create(code="SJ-002", name="明码标价情况检查", body=world.market, legal_basis="《中华人民共和国价格法》第十三条")
    plan = Plan.objects.get(body=world.market)
    context, page = login(chromium, served, "head1", DESKTOP)
    page.goto(f"{served.url}/inspections/plans/{plan.pk}/")
    form = page.get_by_test_id("task-form")
    form.locator("#t-title").fill("明码标价专项检查")
    form.locator("#t-items").select_option(label=["食品经营者落实主体责任情况检查（示市监）", "明码标价情况检查（示市监）"])
    partner = form.locator("#t-partners option").first.inner_text()
    form.locator("#t-partners").select_option(label=partner)
    form.locator("#t-start").fill((TODAY + dt.timedelta(days=20)).isoformat())
    form.locator("#t-end").fill(TODAY.isoformat())
    form.get_by_role("button", name="新增任务").click()
    refused = page.locator("#new-task .violations")
    expect(refused).to_contain_text("结束日期早于开始日期")
    box = refused.bounding_box()
    assert 56 <= box["y"] < DESKTOP["height"]  # scrolled into view, below the sticky top bar
    chosen = page.locator("#t-items").evaluate("s => [...s.selectedOptions].map(o => o.text)")
    assert chosen == ["食品经营者落实主体责任情况检查（示市监）", "明码标价情况检查（示市监）"]
    assert page.locator("#t-partners").evaluate("s => [...s.selectedOptions].map(o => o.text)") == [partner]
    expect(page.locator("#t-title")).to_have_value("明码标价专项检查")
    shoot(page, "review-task-refused")
    context.close()


def test_checkbox_fields_line_up(busy_world, page_as, served):
    page = page_as("officer1")
    page.goto(f"{served.url}/cases/new/")
    label = page.locator(".field > label.check").first
    assert label.evaluate("l => getComputedStyle(l).display") == "flex"  # the text wraps beside the box, not under it
    box, text = label.locator("input").bounding_box(), label.bounding_box()
    assert box["y"] - text["y"] < 8  # the box beside the first line
    page.goto(f"{served.url}/inspections/inspectors/")
    check = page.get_by_label("显示不可抽取人员").bounding_box()
    select = page.locator(".filters select").first.bounding_box()
    assert abs((check["y"] + check["height"] / 2) - (select["y"] + select["height"] / 2)) <= 3  # level with the filter inputs


def _shape(url: str) -> str:
    """A page's kind: its path with every number or code replaced (/officers/12/ ≈ /officers/7/)."""
    return re.sub(r"/[^/]*\d[^/]*", "/N", urlparse(url).path) + "?" + "&".join(sorted(k.split("=")[0] for k in urlparse(url).query.split("&") if k))


def _is_download(url: str) -> bool:
    """An export or a file (Excel, PDF, CSV, JSON package): checked for its status, not opened as a page."""
    parts = urlparse(url)
    return "format=" in parts.query or parts.path.rstrip("/").endswith((".xlsx", ".pdf", ".csv", ".json", ".docx", ".zip"))


@pytest.mark.parametrize("username", ["officer1", "aux1", "head1", "supervisor"])
def test_no_link_shown_to_a_reader_fails(busy_world, page_as, served, username):
    """The pages of the navigation and one page of each kind they link to, as the reader who sees
    them: no link those pages show ends in a server error or a refusal (the entity list once
    linked everyone to 数据导入, a 403 for all but heads and supervisors)."""
    a_revealed_draw(busy_world)
    page = page_as(username)
    host = urlparse(served.url).netloc

    def links_of(url: str) -> list[str]:
        page.goto(url)
        hrefs = page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        found = (urljoin(url, h) for h in hrefs if h and not h.startswith(("#", "mailto:")))
        return [u for u in found if urlparse(u).netloc == host and not urlparse(u).path.startswith(("/admin/", "/accounts/logout", "/api/"))]

    nav = [urljoin(served.url, h) for h in page.locator("nav.nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")]
    pages, shapes = [u for u in nav if not urlparse(u).path.startswith("/admin/")], set()
    for url in list(pages):  # one page of each kind linked from the navigation's pages
        for link in links_of(url):
            if _shape(link) not in shapes and "page=" not in link and not _is_download(link):
                shapes.add(_shape(link))
                pages.append(link)
    seen, failures = set(), []
    for url in pages:
        if page.request.get(url, max_redirects=0).status >= 400:
            failures.append(("", url))
            continue
        for link in links_of(url):
            if link not in seen:
                seen.add(link)
                status = page.request.get(link, max_redirects=0).status
                if status >= 400:
                    failures.append((url, link, status))
    assert len(seen) > 20
    assert failures == []
