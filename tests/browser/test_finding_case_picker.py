"""R30 in a real browser (issue 20 point 1): on an inspection's results page, the form that opens a
case from the finding names the enforcement item with the search picker — typing narrows the
results (code, name, pinyin initials), one click picks, and the case is registered without typing
a code or scrolling a list of items."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ItemFactory
from tests.inspections.drawing import inspection_with_finding
from zhifa.cases.models import Case
from zhifa.inspections.models import InspectionItem
from zhifa.registry.access import actor_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r30_finding_to_case_item_picked_by_typing(world, page_as, served):
    check = InspectionItem.objects.create(code="SJ-001", name="食品经营者落实主体责任情况检查", body=world.market,
                                          legal_basis="《中华人民共和国食品安全法》第一百一十条", checklist=["持证经营", "从业人员健康证明", "进货查验记录"])
    wanted = ItemFactory(body=world.market, code="SJJ-CF-101", name="对销售超过保质期的食品的处罚")
    for n in range(30):  # a body's few dozen penalty items: more than one page of results
        ItemFactory(body=world.market, code=f"SJJ-CF-{200 + n}", name=f"对违反广告管理规定行为的处罚（第{n + 1}项）")
    ItemFactory(body=world.urban, code="CG-CF-101", name="对销售超过保质期的食品的处罚（城管）")  # another body's: never offered
    inspection, inspector = inspection_with_finding(world, actor_for(world.users["head1"]), check)

    page = page_as(inspector.user.username)
    page.goto(f"{served.url}/inspections/results/{inspection.pk}/")
    form = page.get_by_test_id("open-case-form")
    expect(form.locator("select[name=item]")).to_have_count(0)  # no <select> of every item
    search = form.get_by_test_id("picker-item")
    results = form.locator("[data-picker-results] label")
    search.click()  # focus: the first page of the body's items
    expect(results).to_have_count(20)
    search.fill("xscg")  # pinyin initials of 销售超过
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("SJJ-CF-101")
    search.fill("广告")
    expect(results.first).to_contain_text("违反广告管理规定")
    expect(form.locator("[data-picker-results]")).not_to_contain_text("SJJ-CF-101")
    search.fill("CF-101")
    expect(results).to_have_count(1)  # the urban bureau's CG-CF-101 is not the inspector's body's
    results.first.click()
    expect(form.locator("[data-picker-chosen]")).to_contain_text("SJJ-CF-101 对销售超过保质期的食品的处罚")
    form.get_by_role("button", name="登记案源").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(pk=int(re.search(r"/cases/(\d+)/$", page.url).group(1)))
    assert case.item_id == wanted.pk and case.party_name == inspection.entity.name
