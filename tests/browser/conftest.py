"""Playwright in Debian's Chromium against pytest-django's live server.

Skipped cleanly when ``/usr/bin/chromium`` is missing. The sync Playwright API runs an event loop
in the test thread, so Django's async-safety guard is relaxed for these tests only.
"""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import TODAY  # noqa: E402
from tests.factories import PASSWORD, BodyFactory, CertificateFactory, ItemFactory, OfficerFactory  # noqa: E402
from zhifa.core import clock  # noqa: E402
from zhifa.registry.models import Assignment, Body, TrainingRecord  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Screenshots go under var/ (not committed); ZHIFA_SCREENSHOTS=docs/screenshots refreshes the docs' pictures.
SCREENSHOTS = Path(os.environ.get("ZHIFA_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots"))


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip("未安装 /usr/bin/chromium，跳过浏览器测试")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def plain_http_server(request):
    """pytest-django's live server, started with the HTTPS redirect off: the server builds its
    middleware once, at start, so the setting must be off then (and only then)."""
    from django.conf import settings

    previous = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    # The project-wide static folder (src/zhifa/static) belongs to no app, so it must be listed
    # in STATICFILES_DIRS; until settings.py does so, list it here.
    static_dir = Path(settings.BASE_DIR) / "static"
    if static_dir not in [Path(d) for d in settings.STATICFILES_DIRS]:
        from django.contrib.staticfiles.finders import get_finder

        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static_dir]
        get_finder.cache_clear()
    try:
        server = request.getfixturevalue("live_server")
    finally:
        settings.SECURE_SSL_REDIRECT = previous
    return server


@pytest.fixture
def served(settings, plain_http_server, world):
    """The live server over plain HTTP, with the clock frozen on the world's day."""
    live_server = plain_http_server
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    with clock.frozen(TODAY):
        yield live_server


def login(chromium, served, username: str, viewport: dict, **options):
    """A new browser context of ``viewport`` (``options`` go to ``new_context``: mobile, no
    JavaScript …), logged in as ``username`` through the login form → ``(context, page)``."""
    context = chromium.new_context(viewport=viewport, locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{served.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{served.url}/")
    return context, page


def action_panel(page, code: str):
    """The ``code`` action panel of the page (``#action-<code>``), visible and opened."""
    from playwright.sync_api import expect

    panel = page.locator(f"#action-{code}")
    expect(panel).to_be_visible()
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return panel


@pytest.fixture
def page_as(chromium, served):
    """``page_as("officer1")`` → a Playwright page logged in through the login form."""
    contexts = []

    def make(username: str):
        context, page = login(chromium, served, username, {"width": 1440, "height": 900})
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def busy_world(world):
    """The small world plus what makes pages look like a working city: more bodies and people,
    training records, a secondment, items."""
    market = world.market
    for name, hours in (("李明", 64), ("王芳", 36), ("周律", 60), ("陈局", 72)):
        officer = next(o for o in world.officers.values() if o.name == name)
        TrainingRecord.objects.create(officer=officer, title="行政执法人员公共法律知识培训", provider="示例市司法局", held_on=TODAY - dt.timedelta(days=120), hours=Decimal(hours) / 2)
        TrainingRecord.objects.create(officer=officer, title="市场监管业务专题培训", provider="示例市市场监督管理局", held_on=TODAY - dt.timedelta(days=40), hours=Decimal(hours) / 2)
    Assignment.objects.create(officer=world.officers["officer2"], kind=Assignment.Kind.SECONDMENT, organization="示例市创建全国文明城市指挥部", reason="创城专项工作", starts_on=TODAY - dt.timedelta(days=20), approved_by="示例市市场监督管理局党组")
    ecology = BodyFactory(code="SSTHJJ", name="示例市生态环境局", short_name="示环", jurisdiction=world.city, sector=Body.Sector.ECOLOGY)
    transport = BodyFactory(code="SJTYSJ", name="示例市交通运输局", short_name="示交", jurisdiction=world.city, sector=Body.Sector.TRANSPORT)
    surnames = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林罗高"
    given = ["建国", "海燕", "志强", "丽娟", "文博", "晓东", "春梅", "国栋", "雪莲", "俊杰"]
    n = 0
    for body in (ecology, transport, world.urban, world.county_body):
        for i in range(6):
            officer = OfficerFactory(body=body, name=surnames[n % len(surnames)] + given[n % len(given)], position="执法科员" if i else "科长",
                                     is_legal_reviewer=(i == 0 and body is ecology), has_legal_qualification=(i == 0 and body is ecology))
            days = 30 + 200 * i if i != 5 else -15
            CertificateFactory(officer=officer, issued_on=TODAY - dt.timedelta(days=1500), expires_on=TODAY + dt.timedelta(days=days))
            TrainingRecord.objects.create(officer=officer, title="综合执法业务培训", held_on=TODAY - dt.timedelta(days=60), hours=Decimal(20 + 10 * i))
            n += 1
    for code, name, kind in (
        ("SJJ-CF-0001", "对生产经营不符合食品安全标准的食品的处罚", "penalty"),
        ("SJJ-CF-0002", "对未取得食品生产经营许可从事食品生产经营活动的处罚", "penalty"),
        ("SJJ-QZ-0001", "查封、扣押不符合食品安全标准的食品", "coercion"),
        ("SJJ-JC-0001", "对食品生产经营者的监督检查", "inspection"),
    ):
        ItemFactory(body=market, code=code, name=name, kind=kind, legal_basis="《中华人民共和国食品安全法》第一百二十二条、第一百二十四条")
    return world


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
