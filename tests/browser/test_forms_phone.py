"""Forms that help, the to-do list and the phone in a real browser (issue 20 points 1–3): typing
narrows the item picker and a case is registered and decided without typing a code; the to-do
list's links open their forms; the field officer's pages do not scroll sideways at 390 × 844.
Screenshots: docs/screenshots/form-register*.png, form-decision*.png, todo*.png."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import action_panel, login, shoot
from tests.cases.conftest import CaseWorld, food_safety_provisions
from tests.catalog.test_discretion import make_benchmark
from tests.conftest import TODAY
from tests.factories import CertificateFactory, ItemFactory, OfficerFactory
from zhifa.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)  # a shared, busy machine: htmx answers may take seconds
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def cw(world):
    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条", valid_from=dt.date(2020, 1, 1))
    food_safety_provisions(item)
    for i in range(30):
        ItemFactory(body=world.market, code=f"SJJ-CF-{100 + i}", name=f"对违反广告管理规定第{i}项的处罚")
    ItemFactory(body=world.market, code="SJJ-CF-200", name="对无证经营的处罚")
    make_benchmark(item, factors=2, valid_from=dt.date(2020, 1, 1))
    for n, name in enumerate(("赵建国", "钱海燕", "孙志强", "李丽娟", "周文博", "吴晓东", "郑春梅", "冯国栋", "陈雪莲")):
        officer = OfficerFactory(body=world.market, name=name, position="执法科员")
        CertificateFactory(officer=officer, issued_on=TODAY - dt.timedelta(days=400), expires_on=TODAY + dt.timedelta(days=300 + n))
    return CaseWorld(world, item)


def _ready_to_decide(cw, case) -> None:
    """Walked to the notice, the party waiving defence and hearing (as ``CaseWorld.walk`` does)."""
    from zhifa.cases import services as s

    cw.walk(case, "notified", amount=15000)
    s.waive_defence(case.pk, actor=cw.actor("officer1"))
    if Case.objects.get(pk=case.pk).hearing_due:
        s.waive_hearing(case.pk, actor=cw.actor("officer1"))


def _shoot(page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the sticky bars where they belong in a full-page picture
    shoot(page, name)


def _no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} > {inner}"


def test_r14_register_and_decide_without_typing_a_code(cw, chromium, served):
    context, page = login(chromium, served, "officer1", DESKTOP)
    page.goto(f"{served.url}/cases/new/")
    form = page.get_by_test_id("register-form")
    search = form.get_by_label("执法事项")
    search.fill("wzjy")  # pinyin initials of 无证经营
    results = form.locator("[data-picker-results] label")
    expect(results).to_have_count(1)
    search.fill("广告")
    expect(form.locator(".picker-pages")).to_contain_text("共 30 项")
    search.fill("过期食品")
    form.locator("[data-picker-results] label", has_text="SJJ-CF-001").click()
    expect(form.locator("[data-picker-chosen]")).to_contain_text("SJJ-CF-001")
    form.get_by_label("当事人类型").select_option("organisation")
    form.locator("#id_party_name").fill("示例市惠民超市有限公司")
    form.get_by_label("身份证号码或统一社会信用代码").fill("91650200MA0000001X")
    form.locator("#id_party_address").fill("示例市人民路2号")
    form.get_by_label("法定代表人（负责人）").fill("周惠民")
    form.get_by_label("违法行为地点").fill("示例市人民路2号惠民超市")
    form.get_by_label("违法行为发生日期").fill((TODAY - dt.timedelta(days=6)).isoformat())
    form.get_by_test_id("filter-officers").fill("孙")
    expect(form.locator(".choices label:visible")).to_have_count(1)
    form.locator(".choices label", has_text="孙志强").locator("input").check()
    expect(form.locator("[data-picked-names]")).to_contain_text("孙志强")
    _shoot(page, "form-register")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记案源")).to_be_visible()
    case = Case.objects.get(party_name="示例市惠民超市有限公司")
    assert case.item.code == "SJJ-CF-001"
    context.close()

    _ready_to_decide(cw, case)
    context, page = login(chromium, served, "head1", DESKTOP)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{served.url}/cases/{case.pk}/")
    panel = action_panel(page, "decide")
    panel.get_by_label("处理结果").select_option("penalty")
    panel.get_by_label("一般：情节2").check()
    expect(panel.get_by_test_id("assess-side")).to_contain_text("一般")
    panel.get_by_label("罚款金额（元）").fill("15000")
    panel.get_by_label("说理").fill("当事人销售过期食品，情节一般，依法应予处罚。")
    _shoot(page, "form-decision")
    panel.get_by_role("button", name="作出处理决定").click()
    expect(page.locator(".case-head .badge-state")).to_have_text("已作出决定")
    case.refresh_from_db()
    assert case.state == "decided"
    context.close()


def test_r14_todo_links_open_their_forms_and_phone_pages_fit(cw, chromium, served):
    cases = [cw.walk(cw.register(party_name=f"示例市第{n}商店"), "investigating") for n in range(3)]
    decided = cw.walk(cw.register(party_name="示例市待送达商店"), "decided")
    context, page = login(chromium, served, "officer1", DESKTOP)
    todo = page.get_by_test_id("todo")
    expect(todo.get_by_test_id("todo-link")).to_have_count(4)
    expect(page.get_by_test_id("nav-home-count")).to_contain_text("4")
    _shoot(page, "todo")
    todo.locator("a", has_text="示例市待送达商店").click()
    expect(page).to_have_url(f"{served.url}/cases/{decided.pk}/#action-serve")
    context.close()

    context, page = login(chromium, served, "officer1", PHONE)
    expect(page.locator("#side-nav")).to_be_hidden()
    toggle = page.get_by_test_id("nav-toggle")
    box = toggle.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    toggle.click()
    expect(page.locator("#side-nav")).to_be_visible()
    _shoot(page, "todo-phone")
    nav = [href for href in page.locator("#side-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
           if href.startswith("/") and not href.startswith("/admin")]
    assert len(nav) >= 10
    for path in (*nav, "/cases/new/", f"/cases/{cases[0].pk}/", "/account/"):
        page.goto(f"{served.url}{path}")
        page.wait_for_load_state("networkidle")
        _no_sideways_scroll(page)
        if path == "/cases/new/":
            page.get_by_label("执法事项").fill("过期")
            expect(page.locator("[data-picker-results] label")).to_have_count(1)
            _shoot(page, "form-register-phone")
    row = page.goto(f"{served.url}/cases/") and page.locator("[data-case]").first
    expect(row.locator("td[data-label=状态]")).to_be_visible()
    expect(row.locator("td[data-label=下一期限]")).to_be_visible()
    context.close()

    waiting = cw.register(party_name="示例市待决定商店", party_id_code="", act_date=TODAY - dt.timedelta(days=12))
    _ready_to_decide(cw, waiting)
    context, page = login(chromium, served, "head1", PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{served.url}/cases/{waiting.pk}/")
    panel = action_panel(page, "decide")
    panel.get_by_label("较重：情节3").check()
    expect(panel.get_by_test_id("assess-side")).to_contain_text("较重")
    _no_sideways_scroll(page)
    _shoot(page, "form-decision-phone")
    context.close()
