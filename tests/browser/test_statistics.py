"""The statistics dashboard in a real browser (R34): ECharts draws both charts from the JSON
block under the CSP (no inline script), a bar opens the case list behind it, the page fits a
phone. Screenshots go to var/screenshots/ (ZHIFA_SCREENSHOTS=docs/screenshots for the docs)."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TODAY, login, shoot
from tests.factories import ItemFactory
from zhifa.cases.models import Case
from zhifa.catalog.models import Item
from zhifa.supervision.services import statistics as refreshing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def city_cases(world, n: int = 1500) -> None:
    """``n`` cases over the year across the bodies and items (bulk, like the bench), and items
    nobody enforces."""
    for body, names in ((world.urban, ("对违法搭建的处罚", "对占道经营的处罚", "对乱倒垃圾的处罚")),
                        (world.county_body, ("对无证经营的处罚", "对虚假宣传的处罚"))):
        for i, name in enumerate(names):
            ItemFactory(body=body, code=f"{body.code}-CF-{i:03d}", name=name, kind="penalty")
    ItemFactory(body=world.urban, code="CGJ-CF-IDLE", name="对擅自砍伐城市树木的处罚", kind="penalty")  # nobody enforces it
    rng = random.Random(34)
    pairs = list(Item.objects.exclude(code="CGJ-CF-IDLE").values_list("body_id", "pk"))
    rows = []
    for i in range(n):
        body, item = rng.choices(pairs, [1 / (k + 1) for k in range(len(pairs))])[0]
        filed = TODAY.replace(month=1, day=1) + dt.timedelta(days=rng.randrange((TODAY - TODAY.replace(month=1, day=1)).days))
        decided = filed + dt.timedelta(days=rng.randrange(10, 60)) if rng.random() < .6 else None
        decided = decided if decided and decided <= TODAY else None
        rows.append(Case(body_id=body, item_id=item, state="decided" if decided else "investigating", clue_received_on=filed,
                         filed_on=filed, party_kind="organisation", party_name=f"示例商户{i}", act_date=filed - dt.timedelta(days=2),
                         outcome="penalty" if decided else "", decided_on=decided,
                         decision_amount=Decimal(rng.randrange(500, 50000, 100)) if decided else None))
    Case.objects.bulk_create(rows)
    refreshing.rebuild()


def test_r34_dashboard_draws_its_charts_and_drills_down_on_desktop_and_phone(chromium, served, busy_world):
    city_cases(busy_world)
    errors: list[str] = []
    for name, viewport, options in (("statistics-dashboard", DESKTOP, {}),
                                    ("statistics-dashboard-phone", PHONE, {"is_mobile": True, "has_touch": True})):
        context, page = login(chromium, served, "supervisor", viewport, **options)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{served.url}/supervision/statistics/")
        expect(page.locator("[data-echart=groups] svg")).to_be_visible()
        expect(page.locator("[data-echart=trend] svg")).to_be_visible()
        expect(page.get_by_test_id("statistics-table")).to_contain_text("合计")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shoot(page, name)
        if name == "statistics-dashboard":
            page.get_by_test_id("statistics-table").locator("tbody tr").first.locator("td.num a").first.click()
            page.wait_for_url("**/cases/?*")
            assert "filed_from=" in page.url
        context.close()
    assert not [e for e in errors if "Content Security Policy" in e or "echarts" in e.lower()], errors


def test_r37_congress_report_renders_and_its_first_pages_as_a_picture(busy_world, settings):
    """The demo-like year's report as a PDF; its pages (up to three) pictured (pypdfium2, when
    installed) for the docs. Timing printed, never asserted."""
    import io
    import time

    from zhifa.core import clock
    from zhifa.registry.access import actor_for
    from zhifa.supervision import congress, congress_render

    city_cases(busy_world)
    with clock.frozen(TODAY):
        started = time.perf_counter()
        pdf = congress_render.render_pdf(congress.build(actor_for(busy_world.users["supervisor"]), TODAY.year))
        print(f"congress report PDF: {time.perf_counter() - started:.2f} s, {len(pdf):,} bytes")
    assert pdf.startswith(b"%PDF")
    pdfium = pytest.importorskip("pypdfium2")
    from PIL import Image

    from tests.browser.conftest import SCREENSHOTS

    document = pdfium.PdfDocument(io.BytesIO(pdf))
    pages = [document[i].render(scale=1.4).to_pil() for i in range(min(3, len(document)))]  # nine sections: all pages
    sheet = Image.new("RGB", (sum(p.width for p in pages) + 20 * (len(pages) + 1), max(p.height for p in pages) + 40), "#c6cfda")
    x = 20
    for p in pages:
        sheet.paste(p, (x, 20))
        x += p.width + 20
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sheet.save(SCREENSHOTS / "congress-report.png")
