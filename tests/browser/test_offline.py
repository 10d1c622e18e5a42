"""Field work without network (离线现场执法, B9) in a real browser on a phone (390×844): the
inspector opens 我的检查 online, the network goes (``context.set_offline(True)``), and they still
open the inspection, record its result, take a photo, write the on-site record (现场笔录) and have
the party sign on the screen — all "已保存在本机，尚未发送", still there after a reload without
network. Back online, everything is sent, the result is on the server, and the record chain
verifies. Screenshots: ``offline-before-sync.png`` and ``offline-after-sync.png`` (ZHIFA_SCREENSHOTS
=docs/screenshots refreshes the docs' pictures)."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, shoot
from tests.browser.test_inspection_pages import PHONE, a_revealed_draw, login
from tests.conftest import TODAY
from zhifa.core import clock, ledger
from zhifa.inspections.models import Inspection, InspectionPhoto, OfflineReceipt, OnsiteRecord
from zhifa.registry.models import Officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def site_photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (2400, 1800), (90, 120, 160))  # a phone camera's size: resized on the phone
    ImageDraw.Draw(image).rectangle([600, 400, 1800, 1400], fill=(230, 200, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def phone_shot(page, name: str) -> None:
    """The phone's screen (390×844) showing the captures of this phone, and the whole page."""
    page.get_by_test_id("offline-panel").scroll_into_view_if_needed()
    page.evaluate("() => document.getElementById('offline').scrollIntoView({block: 'start'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    shoot(page, f"{name}-full")


def test_b9_offline_inspection_saved_on_the_phone_then_synced_and_the_chain_verified(chromium, served, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draw = a_revealed_draw(world)
    officers = Officer.objects.filter(user__isnull=False, is_auxiliary=False).select_related("user")
    inspector = next(o for o in officers.order_by("pk") if any(o.pk in i.inspector_ids for i in Inspection.objects.filter(draw=draw))
                     and o.user.username != "officer3")
    # the inspector allows the position (where allowed, each capture carries it)
    context, page = login(chromium, served, inspector.user.username, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                          permissions=["geolocation"], geolocation={"latitude": 43.825592, "longitude": 87.616848, "accuracy": 15})
    # the phone's clock on the served day (the server's clock is frozen on TODAY, 09:00 in Shanghai; a few minutes of drift are allowed)
    context.clock.set_fixed_time(dt.datetime.combine(TODAY, dt.time(8, 50), tzinfo=clock.SHANGHAI))
    page.goto(f"{served.url}/inspections/mine/")
    # the service worker is active and the day's inspections are in the phone's cache
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20_000)
    rows = page.get_by_test_id("mine-row")
    link = rows.first.get_by_role("link", name="录入结果")
    inspection = Inspection.objects.select_related("entity").get(pk=int(re.search(r"/results/(\d+)/", link.get_attribute("href")).group(1)))

    context.set_offline(True)
    link.click()
    expect(page).to_have_url(re.compile(rf"/inspections/results/{inspection.pk}/$"))
    expect(page.locator("h1")).to_have_text("录入检查结果")
    # the result, from the cached page's check points
    form = page.get_by_test_id("record-form")
    form.locator("#inspected_on").fill(TODAY.isoformat())
    for n in range(3):
        form.get_by_test_id(f"point-{n}").get_by_label("符合", exact=True).check()
    form.locator("#outcome").select_option("no_problem")
    form.get_by_role("button", name="保存").click()
    panel = page.get_by_test_id("offline-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("offline-item")).to_have_count(1)
    # a site photo, resized on the phone
    photos = page.get_by_test_id("photo-form")
    photos.locator("#photos").set_input_files({"name": "site.jpg", "mimeType": "image/jpeg", "buffer": site_photo()})
    photos.get_by_role("button", name="上传照片").click()
    expect(page.get_by_test_id("offline-item")).to_have_count(2)
    # the on-site record, signed by the party on the screen
    onsite = page.get_by_test_id("onsite-form")
    onsite.locator("#onsite_text").fill("现场检查：后厨卫生良好，进货查验记录齐全，从业人员健康证明在有效期内。")
    onsite.locator("#party_name").fill("王经理")
    box = onsite.get_by_test_id("signature-pad").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + box["height"] * (0.6 - 0.3 * (step % 2)))
    page.mouse.up()
    onsite.get_by_role("button", name="保存现场笔录").click()
    items = page.get_by_test_id("offline-item")
    expect(items).to_have_count(3)
    expect(page.get_by_test_id("offline-state")).to_contain_text("已保存在本机，尚未发送（3 项）")
    expect(items.filter(has_text="当事人 王经理 · 已签名")).to_have_count(1)
    assert not Inspection.objects.get(pk=inspection.pk).outcome and not OfflineReceipt.objects.exists()  # nothing sent yet

    page.reload()  # still without network: the page from the phone's cache, the captures from its storage
    expect(page.locator("h1")).to_have_text("录入检查结果")
    expect(page.get_by_test_id("offline-item")).to_have_count(3)
    for n in range(3):
        expect(page.get_by_test_id("offline-item").nth(n)).to_contain_text("已保存在本机，尚未发送")
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.get_by_role("button", name="立即发送")).to_be_hidden()  # nothing can be sent without network
    wide = page.evaluate("() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 390).map(e => e.tagName + '.' + e.className + '#' + e.getAttribute('data-testid') + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 15)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    phone_shot(page, "offline-before-sync")

    context.set_offline(False)  # back in coverage: everything is sent
    expect(page.get_by_test_id("offline-state")).to_contain_text("本机记录已全部发送", timeout=20_000)
    expect(page.locator("[data-testid=offline-item][data-status=sent]")).to_have_count(3)
    expect(page.get_by_test_id("offline-item").first).to_contain_text("服务器于")
    phone_shot(page, "offline-after-sync")
    page.get_by_test_id("offline-reload").click()  # the page from the server: the result as recorded
    expect(page.get_by_test_id("recorded-note")).to_contain_text("已于 2026-11-23 录入")
    expect(page.get_by_test_id("photo-list").locator("li")).to_have_count(1)

    inspection.refresh_from_db()
    assert inspection.outcome == "no_problem" and inspection.recorded_by == inspector and inspection.inspected_on == TODAY
    assert len(inspection.answers) == 3 and all(a["ok"] for a in inspection.answers)
    photo = InspectionPhoto.objects.get(inspection=inspection)
    assert photo.content_type == "image/jpeg" and photo.size < len(site_photo())  # resized on the phone
    record = OnsiteRecord.objects.get(inspection=inspection)
    assert record.party_name == "王经理" and record.signature_sha256 and record.recorded_by == inspector
    receipts = list(OfflineReceipt.objects.filter(inspection=inspection).order_by("captured_at"))
    assert sorted(r.kind for r in receipts) == ["onsite", "photo", "result"]
    assert all(r.captured_at == dt.datetime.combine(TODAY, dt.time(8, 50), tzinfo=clock.SHANGHAI) for r in receipts)
    assert all((str(r.latitude), str(r.longitude), r.accuracy_m) == ("43.825592", "87.616848", 15) for r in receipts)
    actions = [e.action for e in ledger.RecordEntry.objects.filter(stream=f"draw:{draw.pk}").order_by("seq")]
    assert actions.count("offline_receipt") == 3 and {"result", "photo", "onsite_record"} <= set(actions)
    call_command("verify_records")  # `zhifa verify-records`: exits 1 when a chain is broken
    assert ledger.verify(f"draw:{draw.pk}") is None
    context.close()


def test_b9_a_capture_refused_after_reassignment_stays_on_the_phone_until_discarded(chromium, served, world, settings, tmp_path):
    """The inspection is reassigned (改派) while the inspector is offline: back online, the server
    refuses the result in Chinese; the phone keeps it with the reason, offers to send again or to
    discard it, and only a confirmed discard removes it."""
    settings.MEDIA_ROOT = tmp_path
    draw = a_revealed_draw(world)
    officers = Officer.objects.filter(user__isnull=False, is_auxiliary=False).select_related("user")
    inspector = next(o for o in officers.order_by("pk") if any(o.pk in i.inspector_ids for i in Inspection.objects.filter(draw=draw))
                     and o.user.username != "officer3")
    context, page = login(chromium, served, inspector.user.username, PHONE, is_mobile=True, has_touch=True)
    context.clock.set_fixed_time(dt.datetime.combine(TODAY, dt.time(8, 50), tzinfo=clock.SHANGHAI))
    page.goto(f"{served.url}/inspections/mine/")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20_000)
    link = page.get_by_test_id("mine-row").first.get_by_role("link", name="录入结果")
    inspection = Inspection.objects.get(pk=int(re.search(r"/results/(\d+)/", link.get_attribute("href")).group(1)))
    context.set_offline(True)
    link.click()
    form = page.get_by_test_id("record-form")
    form.locator("#inspected_on").fill(TODAY.isoformat())
    form.locator("#outcome").select_option("not_found")  # 无法联系: no check point to answer
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("offline-item")).to_have_count(1)
    # meanwhile, at the office, the inspection is given to other inspectors
    Inspection.objects.filter(pk=inspection.pk).update(inspector_ids=[o.pk for o in officers if o.pk not in inspection.inspector_ids][:2])
    context.set_offline(False)
    item = page.get_by_test_id("offline-item")
    expect(item).to_have_attribute("data-status", "conflict", timeout=20_000)
    expect(item).to_contain_text("该检查已改派")
    expect(item).to_contain_text("未被接收，仍保存在本机")
    expect(page.get_by_test_id("offline-state")).to_contain_text("已保存在本机，尚未发送（1 项）")
    assert not OfflineReceipt.objects.exists() and not Inspection.objects.get(pk=inspection.pk).outcome
    page.reload()  # still there after a reload, with its reason
    expect(page.get_by_test_id("offline-item")).to_contain_text("该检查已改派")
    page.goto(f"{served.url}/inspections/mine/")  # the inspection is no longer listed; its capture is
    summary = page.get_by_test_id("offline-summary")
    expect(summary).to_contain_text("本机有 1 项记录已保存在本机，尚未发送")
    expect(summary.get_by_test_id("offline-item")).to_contain_text("该检查已改派")
    page.once("dialog", lambda dialog: dialog.dismiss())  # "cancel": kept
    page.get_by_role("button", name="放弃本机记录").click()
    expect(page.get_by_test_id("offline-item")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="放弃本机记录").click()
    expect(page.get_by_test_id("offline-item")).to_have_count(0)
    expect(summary).to_be_hidden()
    context.close()
