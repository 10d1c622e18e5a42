"""The annual assessment and the workload pages in a real browser (R36, R38): the office computes
the year, sees the ranking with each component's points, opens the list behind a figure, enters
a manual item (a Chinese error first); the workload page shows flags. Screenshots for the docs."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.cases.conftest import cw, deferred_documents  # noqa: F401 — the case world and deferred rendering
from tests.conftest import TODAY
from tests.factories import ItemFactory
from tests.supervision.test_assessment import complaint, evaluation
from zhifa.cases import services as s
from zhifa.cases.models import Case, RemedyPeriod
from zhifa.registry.models import Body
from zhifa.supervision import assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = TODAY.year


def city_year(cw, busy_world):  # noqa: F811
    """Cases, evaluations, remedies, publications and complaints across the bodies."""
    head = cw.actor("head1")
    ids = [cw.officer("officer1").pk, cw.officer("officer2").pk]
    cases = []
    for n, name in enumerate(("甲商贸有限公司", "乙食品店", "丙超市", "丁餐饮店")):
        case = cw.register(party_name=name)
        s.file_case(case.pk, officer_ids=ids, actor=head)
        cases.append(case)
        Case.objects.filter(pk=case.pk).update(next_due=TODAY + dt.timedelta(days=(-3 if n < 2 else 4)),
                                               publication_due=dt.date(YEAR, 5, 10 + n),
                                               published_on=dt.date(YEAR, 5, 9 + 3 * n))
    for case, score, grade in zip(cases, (92, 85, 55, 78), ("excellent", "pass", "fail", "pass")):
        evaluation(cw, case, score, grade=grade, on=dt.date(YEAR, 6, 1))
    RemedyPeriod.objects.create(case=cases[0], kind="reconsideration", start=dt.date(YEAR, 2, 1), end=dt.date(YEAR, 4, 1),
                                result="复议机关决定撤销原处罚决定")
    RemedyPeriod.objects.create(case=cases[1], kind="litigation", start=dt.date(YEAR, 2, 1), end=dt.date(YEAR, 6, 1), result="判决驳回诉讼请求")
    for k, body in enumerate(Body.objects.filter(code__in=["CGJ", "SSTHJJ", "SJTYSJ", "QSJJ"]).order_by("code")):
        complaint(body)
        item = ItemFactory(body=body)
        for j, score in enumerate((95 - 6 * k, 88 - 4 * k)):
            other = Case.objects.create(body=body, item=item, state="closed", clue_received_on=dt.date(YEAR, 3, 1), party_kind="organisation",
                                        party_name=f"示例企业{k}{j}", act_date=dt.date(YEAR, 2, 1), publication_due=dt.date(YEAR, 6, 1),
                                        published_on=dt.date(YEAR, 5, 28) + dt.timedelta(days=3 * (j + k % 2)))
            evaluation(cw, other, score, grade="excellent" if score >= 90 else "pass", on=dt.date(YEAR, 7, 1))
    complaint(cw.world.market)


def test_r36_the_office_ranks_the_year_and_drills_down(cw, busy_world, page_as):  # noqa: F811
    city_year(cw, busy_world)
    assessment.compute_assessment(YEAR - 1, actor=cw.actor("supervisor"))
    assessment.compute_assessment(YEAR, actor=cw.actor("supervisor"))
    page = page_as("supervisor")
    base = page.url.rstrip("/")
    page.goto(f"{base}/supervision/assessments/?year={YEAR}")
    table = page.get_by_test_id("assessment-table")
    expect(table).to_contain_text("示例市市场监督管理局")
    form = page.get_by_test_id("manual-form")
    form.locator("select[name=body_id]").select_option(str(cw.world.market.pk))
    form.locator("input[name=title]").fill("创新执法方式")
    form.locator("input[name=points]").fill("3")
    form.get_by_role("button").click()
    expect(page.locator(".field-error")).to_contain_text("请填写理由。")
    page.get_by_test_id("manual-form").locator("textarea[name=reason]").fill("推行非现场执法，经市政府通报表扬")
    page.get_by_test_id("manual-form").get_by_role("button").click()
    expect(page.get_by_test_id("manual-items")).to_contain_text("创新执法方式")
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("assessment-table")).to_contain_text("上年")
    shoot(page, "assessment")
    page.get_by_test_id("assessment-table").locator("tbody tr", has_text="示例市市场监督管理局").locator("a").first.click()
    expect(page.get_by_test_id("detail-table")).to_contain_text("优秀")


def test_r38_the_workload_page_flags_risk(cw, busy_world, page_as):  # noqa: F811
    city_year(cw, busy_world)
    page = page_as("supervisor")
    base = page.url.rstrip("/")
    page.goto(f"{base}/supervision/workload/?body={cw.world.market.pk}&sort=open")
    expect(page.get_by_test_id("workload-officers")).to_contain_text("评查不合格")
    expect(page.locator("[data-flag=risk]").first).to_be_visible()
    shoot(page, "workload")
