"""The inspections pages in a real browser: the results page on a phone (390×844) taking site
photos, the inspector database with its inline editing, and the conflict declaration form with
its entity search. Screenshots go to var/screenshots/."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from zhifa.inspections import services
from zhifa.inspections.models import Entity, Inspection, InspectionItem, InspectionPhoto
from zhifa.inspections.rules import credit_check_char
from zhifa.registry.access import actor_for
from zhifa.registry.models import Officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def code(n: int) -> str:
    body = f"91650203{n:09d}"[:17]
    return body + credit_check_char(body)


def entities(n: int) -> None:
    names = ["示例市老街餐饮有限公司", "示例市鸿福超市有限公司", "示例市安康药房", "示例市金穗粮油商行", "示例市顺达汽车修理厂"]
    Entity.objects.bulk_create([
        Entity(credit_code=code(i), name=f"{names[i % len(names)]}{'' if i < len(names) else i}", industry="餐饮",
               address=f"示例市示例区人民路{i}号") for i in range(1, n + 1)
    ])


def a_revealed_draw(world):
    item = InspectionItem.objects.create(
        code="SJ-001", name="食品经营者落实主体责任情况检查", body=world.market,
        legal_basis="《中华人民共和国食品安全法》第一百一十条", checklist=["持证经营", "从业人员健康证明", "进货查验记录"],
    )
    entities(12)
    head = actor_for(world.users["head1"])
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="2026年度双随机抽查计划", actor=head)
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="餐饮服务单位抽查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk], sample_count=4,
    ), actor=head)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    return services.reveal_draw(draw_id=draw.pk, witness="31415", witness_name="人大代表张三", actor=head)


def photo(tmp_path, name: str, color) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), color)
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 100):
        draw.line([(x, 0), (x + 400, 1200)], fill=(255, 255, 255), width=12)
    path = tmp_path / name
    image.save(path, "JPEG", quality=85)
    return str(path)


def test_r28_results_page_on_a_phone_takes_photos(chromium, served, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    draw = a_revealed_draw(world)
    inspection = Inspection.objects.filter(draw=draw).order_by("rank").first()
    inspector = next(o for o in Officer.objects.filter(pk__in=inspection.inspector_ids).select_related("user") if o.user_id)
    context, page = login(chromium, served, inspector.user.username, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(f"{served.url}/inspections/results/{inspection.pk}/")
    photos = page.get_by_test_id("photos")
    expect(photos).to_contain_text("现场照片")
    file_input = page.locator("#photos")
    expect(file_input).to_have_attribute("accept", "image/*")
    expect(file_input).to_have_attribute("capture", "environment")
    # a non-image first: refused in Chinese next to the field, nothing stored
    bogus = tmp_path / "记录.jpg"
    bogus.write_bytes(b"this is not a photo")
    file_input.set_input_files(str(bogus))
    page.get_by_role("button", name="上传照片").click()
    expect(page.get_by_test_id("photo-errors")).to_contain_text("不是图片：只接受 JPEG、PNG、WebP 或 HEIC 格式的照片")
    assert not InspectionPhoto.objects.exists()
    shoot(page, "inspection-photos-refused-phone")
    # two real photos
    page.locator("#photos").set_input_files([photo(tmp_path, "kitchen.jpg", (180, 70, 40)), photo(tmp_path, "ledger.jpg", (30, 110, 160))])
    page.fill("#id_caption", "后厨操作间与进货台账")
    page.get_by_role("button", name="上传照片").click()
    expect(page.get_by_text("已上传 2 张现场照片")).to_be_visible()
    thumbs = page.get_by_test_id("photo-list").locator("img")
    expect(thumbs).to_have_count(2)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=photo-list] img')].every(i => i.complete && i.naturalWidth > 0)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling on a phone
    shoot(page, "inspection-photos-phone")
    assert InspectionPhoto.objects.filter(inspection=inspection).count() == 2
    context.close()


def test_r26_inspector_database_inline_edit(chromium, served, world, page_as):
    draw = a_revealed_draw(world)
    page = page_as("head1")
    page.get_by_role("link", name="检查人员名录").click()
    expect(page).to_have_url(re.compile(r"/inspections/inspectors/$"))
    table = page.get_by_test_id("inspector-table")
    expect(table).to_contain_text("李明")
    expect(table).not_to_contain_text("赵强")
    shoot(page, "inspector-database")
    page.get_by_label("显示不可抽取人员").check()
    expect(page).to_have_url(re.compile(r"ineligible=on"))
    expect(page.get_by_test_id("inspector-table")).to_contain_text("执法证已于")
    expect(page.get_by_test_id("inspector-table")).to_contain_text("执法辅助人员，不得独立执法，不参加抽取")
    shoot(page, "inspector-database-ineligible")
    row = page.locator("tr", has_text="王芳")
    row.get_by_role("link", name="编辑").click()
    edit = page.get_by_test_id("inspector-edit-row")
    expect(edit).to_be_visible()
    edit.locator("input[name=expertise]").fill("食品安全、特种设备")
    edit.locator("input[name=is_available]").uncheck()
    edit.locator("input[name=note]").fill("借调至年底")
    shoot(page, "inspector-database-editing")
    edit.get_by_role("button", name="保存").click()
    row = page.locator("tr", has_text="王芳")
    expect(row).to_contain_text("食品安全、特种设备")
    expect(row).to_contain_text("暂不参加")
    expect(row).to_contain_text("已保存")
    assert draw.pk


def test_r28_conflict_declaration_with_entity_search(chromium, served, world, page_as):
    entities(12)
    page = page_as("officer1")
    page.goto(f"{served.url}/inspections/conflicts/")
    form = page.get_by_test_id("declare-form")
    form.locator("#id_entity").press_sequentially("示例市鸿福", delay=30)
    matches = page.get_by_test_id("entity-matches")
    expect(matches).to_contain_text("示例市鸿福超市有限公司")
    shoot(page, "conflict-entity-search")
    matches.get_by_role("button").first.click()
    expect(form.locator("#id_entity")).to_have_value(re.compile(r"^91650203"))
    expect(form).to_contain_text("已选择：示例市鸿福超市有限公司")
    form.get_by_label("利害关系").fill("配偶任该企业法定代表人")
    shoot(page, "conflict-declare")
    form.get_by_role("button", name="申报").click()
    expect(page.get_by_text("抽取时将回避")).to_be_visible()
    table = page.get_by_test_id("conflict-table")
    expect(table).to_contain_text("示例市鸿福超市有限公司")
    expect(table).to_contain_text("在效")
    shoot(page, "conflict-list")
