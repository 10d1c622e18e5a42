"""The portal's publications on a phone (issue #19): the party rates its act with the code printed
on its decision; the plans, articles, ratings and contacts pages stay inside 390 px, label their
fields, declare the language and load nothing from another host. Screenshots: portal-rating*.png,
portal-articles.png, portal-plans.png, portal-contacts.png."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.portal.conftest import frozen, public_data  # noqa: F401 — fixtures
from tests.portal.test_ratings import decided_case
from zhifa.core import act_codes
from zhifa.portal.models import ActRating, Article, WorkPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def unlabelled(page) -> list[str]:
    """Visible form controls without a label (a <label for>, a wrapping label or aria-label)."""
    return page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.offsetParent !== null && e.name !== 'csrfmiddlewaretoken')
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.name)""")


def test_r19_party_rates_its_act_on_a_phone_and_the_new_pages_fit(chromium, served, world, public_data):
    case = decided_case(world)
    code = act_codes.act_code("case", case.pk)
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2)
    hosts: set[str] = set()
    context.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = served.url

    page.goto(f"{base}/public/ratings/")
    page.get_by_test_id("act-code").fill(code.lower())
    page.get_by_role("button", name="查询并评议").click()
    expect(page.get_by_test_id("act-code-shown")).to_have_text(code)
    page.get_by_label("不满意").check()
    page.get_by_label("告知权利").check()
    page.get_by_label("理由").fill("检查时没有告知陈述申辩的权利。")
    assert fits(page) and unlabelled(page) == []
    shoot(page, "portal-rating")
    page.get_by_test_id("rating-submit").click()
    expect(page.get_by_test_id("rated")).to_contain_text("已评议：不满意")
    assert ActRating.objects.filter(act_id=case.pk).exists()
    shoot(page, "portal-rating-done")

    plan = WorkPlan.objects.filter(state="accepted").first()
    article = Article.objects.filter(state="published").first()
    for path, name in (("/public/ratings/", "portal-ratings"), ("/public/plans/", "portal-plans"),
                       (f"/public/plans/{plan.pk}/", None), ("/public/articles/?q=食品", "portal-articles"),
                       (f"/public/articles/{article.pk}/", None), ("/public/contacts/", "portal-contacts"),
                       (f"/public/bodies/{world.market.pk}/", None), ("/public/complaints/new/", None)):
        page.goto(base + path)
        assert fits(page), path
        assert page.evaluate("document.documentElement.lang") == "zh-CN", path
        assert unlabelled(page) == [], path
        if name:
            shoot(page, name)
    assert hosts == {urlparse(base).netloc}, hosts
    context.close()
