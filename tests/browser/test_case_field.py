"""A case's field work without network (现场取证离线, B9) in a real browser on a phone (390×844):
the investigating officer opens the case online (its field page is kept on the phone), the
network goes (``context.set_offline(True)``), and they still open the field page, take a site
photo and write the on-site record (现场笔录) signed by the party on the screen — all
"已保存在本机，尚未发送", still there after a reload without network. Back online, everything is
sent, registered as the case's evidence, and the case's record chain verifies. Screenshots (phone
and desktop): ``case-field-before-sync`` and ``case-field-after-sync``."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, login
from tests.browser.test_inspection_pages import PHONE
from tests.browser.test_offline import site_photo
from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.cases import services as s
from zhifa.cases.models import Evidence, FieldCapture
from zhifa.core import clock, ledger
from zhifa.registry import access

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CAPTURED = dt.datetime.combine(TODAY, dt.time(8, 50), tzinfo=clock.SHANGHAI)


def an_investigated_case(world):
    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售超过保质期的食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条第一款第五项")
    officer, head = access.actor_for(world.users["officer1"]), access.actor_for(world.users["head1"])
    case = s.register_source(item_code=item.code, party_kind="organisation", party_name="示例市老街副食店",
                             party_address="示例市人民路2号", act_date=TODAY - dt.timedelta(days=5), source="complaint", actor=officer)
    s.file_case(case.pk, officer_ids=[world.officers["officer1"].pk, world.officers["officer2"].pk], actor=head)
    return case


def shots(page, name: str) -> None:
    """The phone's screen at the 本机记录 card, and the same page on a desktop (1440 px, whole page)."""
    page.evaluate("() => document.getElementById('offline').scrollIntoView({block: 'start'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"))
    page.set_viewport_size({"width": 1440, "height": 900})
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_b9_case_evidence_and_onsite_record_offline_then_synced_and_the_chain_verified(chromium, served, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = an_investigated_case(world)
    evidence_before = Evidence.objects.filter(case=case).count()
    context, page = login(chromium, served, "officer1", PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                          permissions=["geolocation"], geolocation={"latitude": 43.825592, "longitude": 87.616848, "accuracy": 15})
    context.clock.set_fixed_time(CAPTURED)
    page.goto(f"{served.url}/cases/{case.pk}/")
    # the service worker of /cases/ is active and the case's field page is in the phone's cache
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1", timeout=20_000)
    link = page.get_by_test_id("field-link")

    context.set_offline(True)
    link.click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/field/$"))
    expect(page.locator("h1")).to_have_text("证据与现场笔录")
    # a site photo, resized on the phone
    photos = page.get_by_test_id("photo-form")
    photos.locator("#photos").set_input_files({"name": "site.jpg", "mimeType": "image/jpeg", "buffer": site_photo()})
    photos.locator("#caption").fill("货架上超过保质期的食品")
    photos.get_by_role("button", name="保存照片").click()
    expect(page.get_by_test_id("offline-item")).to_have_count(1)
    # the on-site record, signed by the party on the screen
    onsite = page.get_by_test_id("onsite-form")
    onsite.locator("#record_kind").select_option("scene")
    onsite.locator("#onsite_text").fill("现场检查：货架上有超过保质期的食品 12 箱，当事人在场，对检查情况无异议。")
    onsite.locator("#party_name").fill("王经理")
    onsite.get_by_test_id("signature-pad").scroll_into_view_if_needed()
    box = onsite.get_by_test_id("signature-pad").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + box["height"] * (0.6 - 0.3 * (step % 2)))
    page.mouse.up()
    onsite.get_by_role("button", name="保存笔录").click()
    items = page.get_by_test_id("offline-item")
    expect(items).to_have_count(2)
    expect(page.get_by_test_id("offline-state")).to_contain_text("已保存在本机，尚未发送（2 项）")
    expect(items.filter(has_text="当事人 王经理 · 已签名")).to_have_count(1)
    assert not FieldCapture.objects.exists()  # nothing sent yet

    page.reload()  # still without network: the page from the phone's cache, the captures from its storage
    expect(page.locator("h1")).to_have_text("证据与现场笔录")
    expect(page.get_by_test_id("offline-item")).to_have_count(2)
    for n in range(2):
        expect(page.get_by_test_id("offline-item").nth(n)).to_contain_text("已保存在本机，尚未发送")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no horizontal scroll
    shots(page, "case-field-before-sync")

    context.set_offline(False)  # back in coverage: everything is sent
    expect(page.get_by_test_id("offline-state")).to_contain_text("本机记录已全部发送", timeout=20_000)
    expect(page.locator("[data-testid=offline-item][data-status=sent]")).to_have_count(2)
    shots(page, "case-field-after-sync")
    page.get_by_test_id("offline-reload").click()  # the page from the server: the evidence as registered
    expect(page.get_by_test_id("field-evidence-item")).to_have_count(evidence_before + 2)
    expect(page.get_by_test_id("field-capture-times").first).to_contain_text("手机保存 2026-11-23 08:50")

    receipts = list(FieldCapture.objects.filter(case=case).select_related("evidence").order_by("captured_at", "pk"))
    assert sorted(r.kind for r in receipts) == ["photo", "scene"]
    assert all(r.captured_at == CAPTURED for r in receipts)
    assert all((str(r.latitude), str(r.longitude), r.accuracy_m) == ("43.825592", "87.616848", 15) for r in receipts)
    photo = next(r for r in receipts if r.kind == "photo").evidence
    assert photo.kind == "photo" and photo.title == "货架上超过保质期的食品" and photo.size < len(site_photo())  # resized on the phone
    scene = next(r for r in receipts if r.kind == "scene")
    assert scene.party_name == "王经理" and scene.signature_sha256 and scene.evidence.title == "现场笔录（当事人 王经理 签名）"
    actions = [e.action for e in ledger.RecordEntry.objects.filter(stream=f"case:{case.pk}").order_by("seq")]
    assert actions.count("field_capture") == 2 and actions.count("record_evidence") >= 2
    call_command("verify_records")  # `zhifa verify-records`: exits 1 when a chain is broken
    assert ledger.verify(f"case:{case.pk}") is None

    context.close()
