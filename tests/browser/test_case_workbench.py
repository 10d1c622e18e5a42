"""The officer's workbench in a real browser (issue 4 item 5): a normal-procedure case walked from
the clue to the served decision, each step by the right person (officer1, head1), with a refused
decision showing every violation next to its form. Screenshots: docs/screenshots/case-*.png."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import action_panel, shoot
from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.cases import services as s
from zhifa.cases.models import Case, Evidence
from zhifa.registry import access

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def item(world):
    return ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售超过保质期的食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条第一款第五项")


def _other_cases(world, item):
    """A few cases around the walked one, so the list shows its colours."""
    officer = access.actor_for(world.users["officer1"])
    head = access.actor_for(world.users["head1"])
    o1, o2 = world.officers["officer1"], world.officers["officer2"]
    base = dict(item_code=item.code, party_kind="organisation", act_date=TODAY - dt.timedelta(days=20), actor=officer)
    s.register_source(party_name="示例市老街副食店", clue_received_on=TODAY - dt.timedelta(days=40), source="complaint", **base)
    s.register_source(party_name="示例市东风菜市场经营部", clue_received_on=TODAY - dt.timedelta(days=19), **base)
    calm = s.register_source(party_name="示例市好邻居便利店", party_id_code="91650200MA0000009K", **base)
    s.file_case(calm.pk, officer_ids=[o1.pk, o2.pk], actor=head)
    s.register_source(item_code=item.code, party_kind="person", party_name="张某某", act_date=TODAY - dt.timedelta(days=2),
                      actor=officer)


def _state(page, label: str):
    expect(page.locator(".case-head .badge-state")).to_have_text(label)


def test_normal_procedure_case_walked_in_the_browser(world, item, page_as, served, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    _other_cases(world, item)

    # 1. officer1 registers the clue (案源登记).
    page = page_as("officer1")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".sidebar").get_by_role("link", name="案件办理").click()
    expect(page.get_by_role("heading", name="我的案件")).to_be_visible()
    page.get_by_role("link", name="＋ 登记案源").click()
    form = page.get_by_test_id("register-form")
    form.get_by_label("执法事项").fill(item.code)  # the search picker (issue 20): type, then pick
    form.locator("[data-picker-results] label", has_text=item.code).click()
    form.get_by_label("案件来源").select_option("complaint")
    form.get_by_label("当事人类型").select_option("organisation")
    form.locator("#id_party_name").fill("示例市惠民超市有限公司")
    form.get_by_label("身份证号码或统一社会信用代码").fill("91650200MA0000001X")
    form.locator("#id_party_address").fill("示例市人民路2号")
    form.get_by_label("法定代表人（负责人）").fill("周惠民")  # the decision's party block (APL art.59 (一))
    form.get_by_label("违法行为地点").fill("示例市人民路2号惠民超市")
    form.get_by_label("违法行为发生日期").fill((TODAY - dt.timedelta(days=6)).isoformat())
    form.get_by_label("案源情况").fill("消费者投诉该超市销售超过保质期的酸奶。")
    shoot(page, "case-register")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记案源")).to_be_visible()
    _state(page, "案源登记")
    case = Case.objects.get(party_name="示例市惠民超市有限公司")
    case_url = page.url
    expect(page.get_by_test_id("deadlines")).to_contain_text("立案期限")
    expect(page.locator(".waiting")).to_contain_text("立案")  # waits for the head

    # 2. head1 files the case with two certified officers (立案).
    head = page_as("head1")
    head.on("dialog", lambda dialog: dialog.accept())
    head.get_by_role("link", name="案件办理").first.click()
    head.get_by_role("link", name="待我审批").click()
    queue = head.get_by_test_id("approval-table")
    expect(queue.locator(f'tr[data-case="{case.pk}"]')).to_contain_text("立案审批")
    shoot(head, "case-approvals")
    head.goto(case_url)
    panel = action_panel(head, "file")
    panel.get_by_label("李明").check()
    panel.get_by_label("王芳").check()
    panel.get_by_label("审批意见").fill("同意立案，由李明、王芳承办。")
    panel.get_by_role("button", name="立案").click()
    expect(head.get_by_text("已完成：立案")).to_be_visible()
    _state(head, "调查取证")
    expect(head.get_by_test_id("deadlines")).to_contain_text("作出决定期限")

    # 3. officer1 shows the credentials (亮证, R15), uploads evidence (progress bar, SHA-256) and ends the investigation.
    page.goto(case_url)
    action_panel(page, "show_credentials").get_by_role("button", name="出示执法证件（亮证）").click()
    expect(page.get_by_text("已完成：出示执法证件（亮证）")).to_be_visible()
    page.goto(case_url)
    panel = action_panel(page, "record_evidence")
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 200_000)
    panel.get_by_label("种类").select_option("photo")
    panel.get_by_label("名称").fill("货架上过期酸奶的照片")
    panel.get_by_label("地点").fill("示例市人民路2号惠民超市")
    panel.get_by_label("文件").set_input_files(str(photo))
    expect(panel.locator("progress[data-upload-progress]")).to_have_count(1)
    panel.get_by_role("button", name=re.compile("登记证据")).click()
    expect(page.get_by_test_id("evidence-table")).to_contain_text("货架上过期酸奶的照片")
    assert Evidence.objects.get(case=case).size == 200_003

    panel = action_panel(page, "end_investigation")
    panel.get_by_label("调查终结报告").fill("经调查，当事人销售超过保质期的酸奶12盒，货值金额360元，事实清楚。")
    panel.get_by_role("checkbox", name="罚款", exact=True).check()
    panel.get_by_label("拟罚款金额（元）").fill("5000")
    panel.get_by_label(re.compile("违反的法律规定")).fill("《中华人民共和国食品安全法》第三十四条第（十）项")
    panel.get_by_role("button", name="调查终结").click()
    _state(page, "调查终结")

    # 4. head1 reviews the case (案件审核).
    head.goto(case_url)
    panel = action_panel(head, "review_case")
    panel.get_by_label("审核意见").fill("事实清楚，证据确凿，同意拟处理意见。")
    panel.get_by_role("button", name="案件审核").click()
    _state(head, "案件审核")

    # 5. officer1 serves the pre-decision notice (事先告知); the party waives defence.
    page.goto(case_url)
    panel = action_panel(page, "notify")
    expect(panel.get_by_role("checkbox", name="罚款", exact=True)).to_be_checked()
    panel.get_by_role("button", name="送达行政处罚告知书").click()
    _state(page, "告知陈述申辩")
    expect(page.get_by_test_id("deadlines")).to_contain_text("陈述申辩期限")
    action_panel(page, "waive_defence").get_by_role("button", name="当事人放弃陈述申辩").click()
    expect(page.get_by_text("已完成：当事人放弃陈述申辩")).to_be_visible()
    if Case.objects.get(pk=case.pk).hearing_due:
        action_panel(page, "waive_hearing").get_by_role("button", name="当事人放弃听证").click()
        expect(page.get_by_text("已完成：当事人放弃听证")).to_be_visible()

    # 6. head1 decides: above the notice is refused with every reason; then within it.
    head.goto(case_url)
    panel = action_panel(head, "decide")
    panel.get_by_label("罚款金额（元）").fill("8000")
    panel.get_by_label("说理").fill("当事人销售超过保质期的食品，违反食品安全法第三十四条第十项。")
    panel.get_by_role("button", name="作出处理决定").click()
    refused = head.locator("#action-decide .violations")
    # the clerk reads the Chinese reason; the stable code stays out of the text, in data-code
    expect(refused.locator('[data-code="PENALTY_ABOVE_NOTICE"]')).to_contain_text("不得重于告知的处罚")
    expect(refused).not_to_contain_text("PENALTY_ABOVE_NOTICE")
    expect(refused).to_contain_text("依据")
    head.evaluate("window.scrollTo(0, 0)")
    shoot(head, "case-refused")
    panel = head.locator("#action-decide")
    panel.get_by_label("罚款金额（元）").fill("5000")
    panel.get_by_role("button", name="作出处理决定").click()
    _state(head, "已作出决定")
    expect(head.get_by_test_id("deadlines")).to_contain_text("决定书送达期限")

    # 7. officer1 serves the decision (送达); the 15-day payment period starts.
    page.goto(case_url)
    panel = action_panel(page, "serve")
    panel.get_by_label("送达方式").select_option("direct")
    panel.get_by_role("button", name="送达处罚决定书").click()
    _state(page, "已送达待执行")
    expect(page.get_by_test_id("deadlines")).to_contain_text("缴纳罚款期限")
    timeline = page.get_by_test_id("timeline")
    for label in ("案源登记", "立案", "调查终结", "案件审核", "送达行政处罚告知书", "作出处理决定", "送达处罚决定书"):
        expect(timeline).to_contain_text(label)

    # The record verifies.
    page.get_by_test_id("verify-button").click()
    expect(page.get_by_test_id("verify-ok")).to_contain_text("摘要链逐条校验一致")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "case-page")

    # A document preview from the record.
    page.get_by_role("link", name=re.compile("行政处罚决定书")).first.click()
    expect(page.get_by_test_id("document-preview")).to_contain_text("5000")
    page.goto(case_url)

    # 8. The list: most urgent first, overdue red, soon amber.
    page.locator(".sidebar").get_by_role("link", name="案件办理").click()
    table = page.get_by_test_id("case-table")
    expect(table.locator("tbody tr").first).to_contain_text("示例市老街副食店")
    expect(table.locator("tr.urg-overdue")).to_have_count(1)
    expect(table.locator("tr.urg-soon")).to_have_count(1)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "case-list")
    page.select_option("#id_state", "served")
    expect(page).to_have_url(re.compile(r"state=served"))
    expect(page.get_by_test_id("case-table").locator("tbody tr")).to_have_count(1)


def test_other_body_gets_404_and_auxiliary_sees_no_action_forms(world, item, page_as, served):
    case = s.register_source(item_code=item.code, party_kind="person", party_name="李某", act_date=TODAY - dt.timedelta(days=1),
                             actor=access.actor_for(world.users["officer1"]))
    other = page_as("officer_other")
    response = other.goto(f"{served.url}/cases/{case.pk}/")
    assert response.status == 404
    aux = page_as("aux1")
    aux.goto(f"{served.url}/cases/{case.pk}/")
    expect(aux.get_by_test_id("auxiliary-notice")).to_be_visible()
    expect(aux.locator(".action-panel")).to_have_count(0)
