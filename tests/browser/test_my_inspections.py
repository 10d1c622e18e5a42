"""我的检查 in a real browser on a phone (390×844): an inspector opens it from the navigation, sees
their drawn inspections as cards without sideways scrolling, and follows the button to the results
page. The screenshot goes to var/screenshots/my-inspections-phone.png (and ZHIFA_MINE_SHOT, if set)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.test_inspection_pages import PHONE, a_revealed_draw, login
from zhifa.inspections.models import Inspection
from zhifa.registry.models import Officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r28_my_inspections_on_a_phone_lead_to_the_results_page(chromium, served, world):
    draw = a_revealed_draw(world)
    officers = Officer.objects.filter(user__isnull=False, is_auxiliary=False).select_related("user")
    inspector = max(officers, key=lambda o: (sum(o.pk in i.inspector_ids for i in Inspection.objects.filter(draw=draw)), o.pk))
    mine = [i for i in Inspection.objects.filter(draw=draw).select_related("entity").order_by("rank") if inspector.pk in i.inspector_ids]
    assert mine
    context, page = login(chromium, served, inspector.user.username, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.get_by_test_id("nav-toggle").click()  # on a phone the navigation is behind the menu button
    link = page.get_by_test_id("nav-mine")
    expect(link).to_contain_text("我的检查")
    expect(page.get_by_test_id("nav-mine-count")).to_contain_text(str(len(mine)))
    link.click()
    expect(page).to_have_url(re.compile(r"/inspections/mine/$"))
    rows = page.get_by_test_id("mine-row")
    expect(rows).to_have_count(len(mine))
    for inspection in mine:
        expect(page.get_by_test_id("mine-table")).to_contain_text(inspection.entity.name)
    expect(rows.first.get_by_test_id("mine-status")).to_contain_text("待录入")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling on a phone
    button = rows.first.get_by_role("link", name="录入结果")
    box = button.bounding_box()
    assert box and box["height"] >= 40 and box["width"] > PHONE["width"] / 2  # a full-width button for a thumb
    path = shoot(page, "my-inspections-phone")
    if os.environ.get("ZHIFA_MINE_SHOT"):
        Path(os.environ["ZHIFA_MINE_SHOT"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, os.environ["ZHIFA_MINE_SHOT"])
    first = Inspection.objects.select_related("entity").get(pk=int(re.search(r"/results/(\d+)/", button.get_attribute("href")).group(1)))
    button.click()
    expect(page).to_have_url(re.compile(rf"/inspections/results/{first.pk}/$"))
    expect(page.locator("h1")).to_have_text("录入检查结果")
    expect(page.locator(".breadcrumbs")).to_contain_text(first.entity.name)
    context.close()
