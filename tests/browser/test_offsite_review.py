"""R22 in a real browser on a phone (390×844): an officer uploads a batch of captures on the
device's page, reviews them in the queue (one accepted, one rejected with a reason) and turns the
accepted one into a case, which gives the party's lookup code. No sideways scrolling."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.test_inspection_pages import PHONE, login
from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.catalog.models import Law
from zhifa.offsite import services
from zhifa.offsite.models import Capture
from zhifa.registry import access

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r22_capture_from_upload_to_review_and_case_on_a_phone(chromium, served, world, media_root, tmp_path):
    item = ItemFactory(body=world.market, code="SJJ-FXC-B01", name="对违反禁止标线指示的处罚")
    law = Law.objects.create(title="中华人民共和国道路交通安全法", short_title="道路交通安全法", level=Law.Level.LAW,
                             version_date=dt.date(2021, 4, 29), effective_from=dt.date(2021, 4, 29))
    device = services.register_device(
        code="CAM-B1", name="人民路口摄像机", kind="camera", item_code=item.code, location="人民路与解放路交叉口",
        basis_law_id=law.pk, basis_article="第一百一十四条", legal_review_on=TODAY - dt.timedelta(days=100),
        technical_review_on=TODAY - dt.timedelta(days=100), signage_on=TODAY - dt.timedelta(days=100),
        published_on=TODAY - dt.timedelta(days=100), actor=access.actor_for(world.users["head1"]))
    rows = [{"taken_at": f"{TODAY - dt.timedelta(days=2)}T08:0{n}:00", "subject": f"新A1234{n}", "file": f"p{n}.png",
             "description": "机动车违反禁止标线指示", "party_name": f"车主{n}"} for n in (1, 2)]
    (tmp_path / "batch.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cf"
                        "c0000003010100c9fe92ef0000000049454e44ae426082")
    for n in (1, 2):
        (tmp_path / f"p{n}.png").write_bytes(png + bytes([n]))
    context, page = login(chromium, served, "officer1", PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{served.url}/offsite/devices/{device.pk}/")
    form = page.get_by_test_id("batch-form")
    form.locator("#manifest").set_input_files(str(tmp_path / "batch.json"))
    form.locator("#files").set_input_files([str(tmp_path / "p1.png"), str(tmp_path / "p2.png")])
    form.get_by_role("button", name="导入").click()
    expect(page.locator("body")).to_contain_text("新增2条")
    page.goto(f"{served.url}/offsite/review/")
    cards = page.locator("[data-capture]")
    expect(cards).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first, second = Capture.objects.order_by("taken_at")
    page.locator(f"[data-capture='{first.pk}']").get_by_role("button", name="通过", exact=True).click()
    expect(page.locator("body")).to_contain_text("已审核通过")
    card = page.locator(f"[data-capture='{second.pk}']")
    card.locator("select").select_option("unclear")
    card.get_by_role("button", name="不通过", exact=True).click()
    expect(page.locator("body")).to_contain_text("已审核不通过")
    table = page.get_by_test_id("accepted-table")
    expect(table).to_contain_text("新A12341")
    table.get_by_role("button", name="立案/并案").click()
    expect(page.locator("body")).to_contain_text(re.compile(r"当事人查询码 [A-Z2-9]{10}"))
    first.refresh_from_db()
    assert first.case is not None and first.lookup_code
    shoot(page, "offsite-review-phone")
    context.close()
