"""R30 pages: opening a case from an inspection's finding with the enforcement item searched as you
type and chosen from the results (no code to type, no list to scroll), and the 公示结果 / 抽取 buttons of the plan page naming a task that is not
the plan's (the site's 404 page, also with DEBUG off)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.factories import ItemFactory
from zhifa.cases.models import Case
from zhifa.catalog.models import Item
from zhifa.core import ledger
from zhifa.inspections import services
from zhifa.inspections.models import Draw, Inspection
from zhifa.registry.access import actor_for
from zhifa.registry.models import Officer

from .conftest import make_entities
from .drawing import answers_for, inspection_with_finding, login
from .test_services import make_task

pytestmark = pytest.mark.usefixtures("frozen_clock")



@pytest.fixture
def items(world):
    """A penalty item and a licensing item of the market bureau (the task's body), and a penalty
    item of the urban management bureau."""
    return {
        "penalty": ItemFactory(body=world.market, code="SJJ-CF-101", name="对销售过期食品的处罚", sub_name="食品经营者"),
        "licence": ItemFactory(body=world.market, code="SJJ-XK-101", name="食品经营许可", kind=Item.Kind.LICENSING),
        "foreign": ItemFactory(body=world.urban, code="CG-CF-101", name="对占道经营的处罚"),
    }


@pytest.fixture
def finding(world, head, item, items):
    return inspection_with_finding(world, head, item)


def _options(client: Client, html: str, q: str = "") -> dict[str, str]:
    """The items the open-case form's picker offers (searched as you type, issue 20): value → label,
    every page of its results for the search ``q``."""
    form = html.split('data-testid="open-case-form"', 1)[1].split("</form>", 1)[0]
    picker = re.search(r'<input type="search"[^>]*name="item_q"[^>]*hx-get="([^"]+)"', form, re.S)
    assert picker, "the open-case form has no item picker"
    assert '<select name="item"' not in form  # no list of a few hundred items to scroll
    url, found, page = picker.group(1).replace("&amp;", "&"), {}, 1
    while True:
        sep = "&" if "?" in url else "?"
        part = client.get(f"{url}{sep}field=item&item_q={q}&page={page}").content.decode()
        found.update(dict(re.findall(r'<input type="radio" name="item" value="(\d+)"> <span><strong class="mono">[^<]*</strong> ([^<]*)</span>', part)))
        if "下一页" not in part:
            return found
        page += 1


def _item_error(html: str) -> str:
    """The error shown next to the item field (``partials/field.html``: inside its .field block)."""
    block = re.search(r'<div class="field has-error[^"]*">\s*<label for="id_item(?:_q)?">.*?<p class="field-error" id="id_item_error">([^<]*)</p>', html, re.S)
    return block.group(1) if block else ""


def test_r30_open_case_picker_offers_the_body_penalty_items_only(world, finding, items):
    inspection, inspector = finding
    client = login(inspector.user.username)
    html = client.get(f"/inspections/results/{inspection.pk}/").content.decode()
    options = _options(client, html)
    body_penalty = set(Item.objects.filter(body=world.market, kind=Item.Kind.PENALTY).values_list("pk", flat=True))
    assert {int(v) for v in options} == body_penalty  # every penalty item of the body, nothing else
    assert options[str(items["penalty"].pk)] == "对销售过期食品的处罚（食品经营者）"  # shown after its code
    assert set(_options(client, html, "SJJ-CF-101")) == {str(items["penalty"].pk)}  # typing narrows: by code
    assert str(items["penalty"].pk) in _options(client, html, "xsgq")  # … and by pinyin initials (销售过期)
    assert str(items["foreign"].pk) not in options and str(items["licence"].pk) not in options
    assert 'name="item_code"' not in html  # no bare code to type any more
    assert 'name="act_date" value="2026-11-23"' in html  # the inspection date as the default


def test_r30_administrator_is_offered_the_task_body_items_not_every_body(world, finding, items):
    inspection, _ = finding
    client = login("admin")
    options = _options(client, client.get(f"/inspections/results/{inspection.pk}/").content.decode())
    assert str(items["penalty"].pk) in options and str(items["foreign"].pk) not in options


def test_r30_choosing_an_item_opens_the_case_linked_to_the_task(world, finding, items):
    inspection, inspector = finding
    url = f"/inspections/results/{inspection.pk}/"
    r = login(inspector.user.username).post(url, {"action": "open_case", "item": items["penalty"].pk,
                                                  "act_date": "2026-11-19", "facts": "货架上销售过期食品"})
    assert r.status_code == 302
    case = Case.objects.get()
    assert r["Location"] == f"/cases/{case.pk}/"
    assert case.item_id == items["penalty"].pk and case.act_date == dt.date(2026, 11, 19)
    assert case.act_description == "货架上销售过期食品" and case.party_name == inspection.entity.name
    assert f"任务「{inspection.task.title}」" in case.clue and f"抽取 #{inspection.draw_id}" in case.clue
    inspection.refresh_from_db()
    assert inspection.case_id == case.pk and inspection.case_number == case.number and inspection.outcome == "case"


@pytest.mark.parametrize("chosen, error", [
    ("", "请选择执法事项"),
    ("foreign", "所选执法事项不是本主体的行政处罚事项"),
    ("licence", "所选执法事项不是本主体的行政处罚事项"),
    ("abc", "所选执法事项不是本主体的行政处罚事项"),
    ("99999999999999999999999", "所选执法事项不是本主体的行政处罚事项"),
])
def test_r30_a_wrong_or_missing_item_is_refused_next_to_the_field_and_changes_nothing(world, finding, items, chosen, error):
    inspection, inspector = finding
    entries = ledger.RecordEntry.objects.count()
    value = str(items[chosen].pk) if chosen in items else chosen
    r = login(inspector.user.username).post(f"/inspections/results/{inspection.pk}/",
                                            {"action": "open_case", "item": value, "act_date": "2026-11-18", "facts": "过期食品"})
    assert r.status_code == 200
    html = r.content.decode()
    assert error in _item_error(html)  # next to the field, not only on top
    assert 'name="act_date" value="2026-11-18"' in html and "过期食品</textarea>" in html  # the answers are kept
    assert Case.objects.count() == 0 and ledger.RecordEntry.objects.count() == entries
    inspection.refresh_from_db()
    assert inspection.case_id is None and inspection.outcome == "rectify"


def test_r30_a_bad_act_date_is_refused_next_to_its_field(world, finding, items):
    inspection, inspector = finding
    r = login(inspector.user.username).post(f"/inspections/results/{inspection.pk}/",
                                            {"action": "open_case", "item": items["penalty"].pk, "act_date": "昨天"})
    assert r.status_code == 200 and 'id="id_act_date_error">日期格式应为 YYYY-MM-DD' in r.content.decode()
    assert Case.objects.count() == 0


def test_r30_service_refusal_still_shown_on_top(world, finding, items, head):
    inspection, inspector = finding
    services.open_case_from_inspection(inspection.pk, item_code=items["penalty"].code, act_date=dt.date(2026, 11, 20), actor=head)
    r = login(inspector.user.username).post(f"/inspections/results/{inspection.pk}/",
                                            {"action": "open_case", "item": items["penalty"].pk, "act_date": "2026-11-20"})
    assert r.status_code == 200 and "不得重复登记" in r.content.decode() and Case.objects.count() == 1


# --- 公示结果 / 抽取 of a task that is not the plan's: the site's 404 page --------------------------

@pytest.fixture
def plan_page(world, head, item):
    make_entities(5)
    task = make_task(world, head, item, sample_count=2, ratio_percent=None)
    services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="7", actor=head)
    return task, f"/inspections/plans/{task.plan_id}/"


@pytest.mark.parametrize("action", ["publish", "draw"])
@pytest.mark.parametrize("task_id", ["999999", "abc", "", "other-plan"])
def test_r30_publish_or_draw_of_an_unknown_task_shows_the_404_page(world, head, item, plan_page, settings, action, task_id):
    settings.DEBUG = False
    task, url = plan_page
    if task_id == "other-plan":  # a task of another plan of the same body is not this page's
        task_id = str(make_task(world, head, item, title="另一任务", sample_count=1, ratio_percent=None).pk)
    entries = ledger.RecordEntry.objects.count()
    client = Client(raise_request_exception=False)
    assert client.login(username="head1", password="zhifa-demo")
    r = client.post(url, {"action": action, "task": task_id})
    assert r.status_code == 404
    html = r.content.decode()
    assert "页面不存在或不在您的管辖范围内" in html and "返回工作台" in html  # src/zhifa/templates/404.html
    assert '<html lang="zh-CN">' in html and "陈局" in html  # inside the site's layout, signed in
    assert ledger.RecordEntry.objects.count() == entries and Draw.objects.count() == 1
    assert not Inspection.objects.filter(published_on__isnull=False).exists()


def test_r30_publish_of_the_plan_task_still_works(world, head, plan_page):
    task, url = plan_page
    inspection = Inspection.objects.filter(task=task).first()
    officer = Officer.objects.get(pk=inspection.inspector_ids[0])
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
        inspected_on=dt.date(2026, 11, 23), outcome="no_problem", answers=answers_for(inspection)), actor=actor_for(officer.user))
    r = login("head1").post(url, {"action": "publish", "task": task.pk})
    assert r.status_code == 302 and Inspection.objects.get(pk=inspection.pk).published_on == dt.date(2026, 11, 23)


def test_r30_the_open_case_form_is_offered_only_to_those_who_may_open_the_case(world, finding, items):
    """A colleague of the same body who sees the result but was not drawn for it (nor heads the
    body) is not offered a form that would end in a 403; the drawn inspector is."""
    inspection, inspector = finding
    url = f"/inspections/results/{inspection.pk}/"
    colleague = next(name for name in ("officer1", "officer2", "reviewer1") if world.officers[name].pk not in inspection.inspector_ids)
    page = login(colleague).get(url)
    assert page.status_code == 200 and 'data-testid="open-case-form"' not in page.content.decode()
    assert 'data-testid="open-case-form"' in login(inspector.user.username).get(url).content.decode()
    assert login(colleague).post(url, {"action": "open_case", "item": items["penalty"].pk, "act_date": "2026-11-20"}).status_code == 403
    assert not Case.objects.exists()
