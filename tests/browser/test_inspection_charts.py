"""The charts of double random, one public in a real browser, on demo-like data: the plan page
(task progress, outcome distribution, problem rate, gauges) and the overview (joint share per body
against the 10% floor), on a desktop and on a phone; and the busy state of the draw button, with
and without JavaScript. Screenshots go to var/screenshots/."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, TODAY, login, shoot
from tests.factories import BodyFactory
from zhifa.inspections import services
from zhifa.inspections.demo import load_inspections_demo
from zhifa.inspections.models import Draw, InspectionItem, Plan, Task
from zhifa.registry.access import actor_for
from zhifa.registry.models import Body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def demo_city(world, settings, tmp_path) -> Plan:
    """The inspections demo on the busy world, plus a health and a culture bureau (the demo's joint
    partner and one more plan) and an urban plan with one joint task of four: a city where some
    bodies meet the 10% floor and some do not. Returns the market's plan."""
    settings.MEDIA_ROOT = tmp_path / "media"
    BodyFactory(code="SWJW", name="示例市卫生健康委员会", short_name="示卫健", jurisdiction=world.city, sector=Body.Sector.HEALTH)
    BodyFactory(code="SWLJ", name="示例市文化广电和旅游局", short_name="示文旅", jurisdiction=world.city, sector=Body.Sector.CULTURE)
    load_inspections_demo(entities=600, today=TODAY)
    admin = actor_for(world.users["admin"])
    item = InspectionItem.objects.create(code="CGJ-CC-001", name="市容环境卫生责任区检查", body=world.urban,
                                         legal_basis="《城市市容和环境卫生管理条例》第三十六条")
    transport = Body.objects.get(code="SJTYSJ")
    plan = services.create_plan(body_id=world.urban.pk, year=TODAY.year, title="示例市城市管理局2026年度抽查计划", actor=admin)
    for n, title in enumerate(("沿街商户门前三包检查", "户外广告设施检查", "渣土运输车辆联合检查", "建筑工地扬尘检查")):
        services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title=title, starts_on=dt.date(TODAY.year, 1, 1), ends_on=dt.date(TODAY.year, 12, 31), item_ids=[item.pk],
            ratio_percent=1, partner_ids=[transport.pk] if n == 2 else []), actor=admin)
    return Plan.objects.get(body=world.market, year=TODAY.year)


def no_sideways_scroll(page, width: int) -> None:
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
        .filter(e => !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide[:12]


def test_r27_plan_page_charts_on_desktop_and_phone(chromium, served, busy_world, settings, tmp_path):
    plan = demo_city(busy_world, settings, tmp_path)
    for name, viewport, options in (("desktop", DESKTOP, {}), ("phone", PHONE, {"is_mobile": True, "has_touch": True, "device_scale_factor": 2})):
        context, page = login(chromium, served, "head1", viewport, **options)
        page.goto(f"{served.url}/inspections/plans/{plan.pk}/")
        charts = page.get_by_test_id("plan-charts")
        expect(charts.get_by_role("img", name="各任务抽取、录入与公示")).to_be_visible()
        expect(charts.get_by_role("img", name="检查结果分布")).to_be_visible()
        expect(charts).to_contain_text("未发现问题")
        expect(charts).to_contain_text("待检查")
        expect(page.get_by_role("img", name=re.compile("^覆盖率"))).to_be_visible()
        # every bar inside its card, every label on screen
        boxes = page.evaluate("""() => [...document.querySelectorAll('[data-testid=plan-charts] svg')].map(svg => {
            const card = svg.closest('.card-body').getBoundingClientRect(), box = svg.getBoundingClientRect();
            const texts = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect()).filter(t => t.width > 0);
            return {left: box.left >= card.left - 1, right: box.right <= card.right + 1,
                    textsInside: texts.every(t => t.left >= card.left - 1 && t.right <= card.right + 1)};
        })""")
        assert boxes and all(b["left"] and b["right"] and b["textsInside"] for b in boxes), boxes
        # text keeps the page's size on a phone (no viewBox scaling)
        size = page.evaluate("getComputedStyle(document.querySelector('[data-testid=plan-charts] svg text')).fontSize")
        assert size == "13px"
        # long task names: the longer label in a wide card, the short one on a phone
        shown = charts.locator("text.chart-label-wide").evaluate_all("ts => ts.filter(t => t.getBoundingClientRect().width > 0).length")
        assert (shown > 0) == (name == "desktop")
        no_sideways_scroll(page, viewport["width"])
        shoot(page, f"inspection-plan-charts-{name}")
        context.close()


def test_r29_overview_joint_shares_on_desktop_and_phone(chromium, served, busy_world, settings, tmp_path):
    demo_city(busy_world, settings, tmp_path)
    for name, viewport, options in (("desktop", DESKTOP, {}), ("phone", PHONE, {"is_mobile": True, "has_touch": True, "device_scale_factor": 2})):
        context, page = login(chromium, served, "supervisor", viewport, **options)
        page.goto(f"{served.url}/inspections/")
        card = page.get_by_test_id("joint-shares")
        chart = card.get_by_role("img", name=re.compile("^各主体联合抽查占比"))
        expect(chart).to_be_visible()
        expect(card).to_contain_text("底线 10%")
        expect(card).to_contain_text("未达标")
        assert card.locator("rect.chart-track.is-danger").count() >= 1  # below the floor: a red track, even at 0%
        # the floor ticks stand at the same x on every bar
        xs = {round(b["x"]) for b in card.locator("line.chart-ref").evaluate_all("ls => ls.map(l => l.getBoundingClientRect())")}
        assert len(xs) == 1
        no_sideways_scroll(page, viewport["width"])
        shoot(page, f"inspection-overview-joint-shares-{name}")
        context.close()


RECORD_BUSY = """() => {
    // Write down what the submit button shows once the form is sent; the page is gone afterwards.
    document.querySelectorAll('form[data-busy] button').forEach(button => new MutationObserver(() => sessionStorage.setItem('busy', JSON.stringify({
        disabled: button.disabled, text: button.textContent, spinner: !!button.querySelector('.spinner')}))
    ).observe(button, {attributes: true, childList: true, subtree: true}));
}"""


def busy_seen(page) -> dict:
    import json

    return json.loads(page.evaluate("sessionStorage.getItem('busy')") or "{}")


def test_r28_draw_buttons_show_a_busy_state_and_still_post_without_javascript(chromium, served, busy_world, settings, tmp_path):
    plan = demo_city(busy_world, settings, tmp_path)
    undrawn = list(Task.objects.filter(plan=plan, draw__isnull=True).order_by("id"))
    assert len(undrawn) >= 2
    context, page = login(chromium, served, "head1", DESKTOP)
    url = f"{served.url}/inspections/plans/{plan.pk}/"
    page.goto(url)
    # the busy state, held on screen: a later listener keeps the form from leaving the page
    page.evaluate("window.addEventListener('submit', e => e.preventDefault())")
    row = page.get_by_test_id("task-table").locator("tr", has_text=undrawn[0].title)
    row.get_by_role("button", name="冻结名单并公布承诺").click()
    busy = row.locator("button.is-busy")
    expect(busy).to_be_disabled()
    expect(busy).to_have_text("正在冻结名单…")
    expect(busy.locator(".spinner")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section.card", has=page.get_by_test_id("task-table")).screenshot(path=str(SCREENSHOTS / "inspection-draw-busy.png"))
    # for real: the button goes busy, the form posts, the draw page follows
    page.goto(url)
    page.evaluate(RECORD_BUSY)
    page.get_by_test_id("task-table").locator("tr", has_text=undrawn[0].title).get_by_role("button", name="冻结名单并公布承诺").click()
    page.wait_for_url(re.compile(r"/inspections/draws/\d+/$"))
    expect(page.get_by_text("已冻结候选名单并公布种子承诺")).to_be_visible()
    assert busy_seen(page) == {"disabled": True, "text": "正在冻结名单…", "spinner": True}
    # the reveal form: busy while drawing, then the result
    page.evaluate("sessionStorage.clear()")
    page.evaluate(RECORD_BUSY)
    page.fill("#witness", "27182")
    page.get_by_role("button", name="抽取并公开种子").click()
    expect(page.get_by_text("抽取完成，种子已公开")).to_be_visible()
    assert busy_seen(page) == {"disabled": True, "text": "正在抽取…", "spinner": True}
    assert Draw.objects.filter(task=undrawn[0], status=Draw.Status.REVEALED).exists()
    # the required witness field empty: the browser refuses, nothing goes busy
    context.close()
    # without JavaScript the same button is a plain form post
    context, page = login(chromium, served, "head1", DESKTOP, java_script_enabled=False)
    page.goto(url)
    page.get_by_test_id("task-table").locator("tr", has_text=undrawn[1].title).get_by_role("button", name="冻结名单并公布承诺").click()
    page.wait_for_url(re.compile(r"/inspections/draws/\d+/$"))
    assert Draw.objects.filter(task=undrawn[1]).exists()
    context.close()
