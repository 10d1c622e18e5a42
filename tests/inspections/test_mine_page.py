"""我的检查 (``/inspections/mine/``, views.mine): an inspector finds the inspections the draws sent
them to and opens the results page (R28); other officers do not see them; staff who are never
drawn get a sentence instead of a list; a page costs the same number of queries whatever it holds."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhifa.core import clock
from zhifa.inspections import services
from zhifa.inspections.models import Inspection
from zhifa.registry.models import Officer

from .drawing import answers_for, revealed_draw

pytestmark = pytest.mark.usefixtures("frozen_clock")

RESULT_LINK = re.compile(r'href="/inspections/results/(\d+)/"')


def client_of(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def linked(html: str) -> set[int]:
    """The inspections whose results page the list links to."""
    return {int(pk) for pk in RESULT_LINK.findall(html)}


def assigned_to(officer: Officer) -> set[int]:
    return {i.pk for i in Inspection.objects.all() if officer.pk in i.inspector_ids}


def busiest(world) -> tuple[str, Officer]:
    """The market officer (with a login) the draw sent to the most inspections."""
    officers = [(name, world.officers[name]) for name in ("officer1", "officer2", "reviewer1", "head1")]
    return max(officers, key=lambda pair: (len(assigned_to(pair[1])), pair[0]))


def record(inspection: Inspection, admin, outcome: str = "no_problem") -> None:
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
        inspected_on=dt.date(2026, 11, 23), outcome=outcome, findings="" if outcome == "no_problem" else "进货查验记录不全",
        answers=answers_for(inspection, outcome)), actor=admin)


def test_r28_an_officer_sees_exactly_the_inspections_drawn_for_them(world, head, item):
    revealed_draw(world, head, item, entities=12, sample=6)
    username, officer = busiest(world)
    mine = assigned_to(officer)
    assert mine and mine != set(Inspection.objects.values_list("pk", flat=True))  # not everything: the test can fail
    r = client_of(world, username).get("/inspections/mine/?status=all")
    assert r.status_code == 200
    html = r.content.decode()
    assert linked(html) == mine
    shown = Inspection.objects.select_related("entity", "task").get(pk=min(mine))
    assert shown.entity.name in html and shown.entity.credit_code in html and shown.task.title in html
    assert "2026-11-01 至" in html and "2026-12-31" in html
    # the co-inspectors are named, the officer is not listed as their own partner
    partners = Officer.objects.filter(pk__in=shown.inspector_ids).exclude(pk=officer.pk)
    assert all(p.name in html for p in partners)
    # every other market officer sees their own rows, never this officer's others
    for other in ("officer1", "officer2", "reviewer1", "head1"):
        if other != username:
            theirs = linked(client_of(world, other).get("/inspections/mine/?status=all").content.decode())
            assert theirs == assigned_to(world.officers[other])


def test_r28_an_officer_of_another_body_sees_none_of_them(world, head, item):
    revealed_draw(world, head, item)
    r = client_of(world, "officer_other").get("/inspections/mine/")
    assert r.status_code == 200
    html = r.content.decode()
    assert linked(html) == set()
    assert "暂无待录入的检查" in html
    assert "暂无选派给您的检查" in client_of(world, "officer_other").get("/inspections/mine/?status=all").content.decode()


@pytest.mark.parametrize("username, message", [
    ("supervisor", "您的账号未登记为执法人员"),
    ("admin", "您的账号未登记为执法人员"),
    ("aux1", "执法辅助人员不参加随机抽取"),
])
def test_staff_who_are_never_drawn_get_a_sentence_not_an_error(world, head, item, username, message):
    revealed_draw(world, head, item)
    r = client_of(world, username).get("/inspections/mine/?status=all&page=abc")
    assert r.status_code == 200
    html = r.content.decode()
    assert message in html and 'data-testid="mine-not-drawn"' in html
    assert linked(html) == set()
    assert 'data-testid="nav-mine"' not in html  # the nav has no 我的检查 for them


def test_the_public_is_sent_to_the_login_page(world):
    r = Client().get("/inspections/mine/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_filter_pending_recorded_all_and_the_state_of_each_row(world, head, admin, item):
    draw = revealed_draw(world, head, item, entities=12, sample=6)
    username, officer = busiest(world)
    rows = sorted(assigned_to(officer))
    assert len(rows) >= 2
    done = Inspection.objects.get(pk=rows[0])
    record(done, admin, "rectify")
    client = client_of(world, username)
    pending = client.get("/inspections/mine/").content.decode()  # 待录入 by default
    assert linked(pending) == set(rows[1:])
    assert "待录入" in pending and "录入结果" in pending
    assert 'aria-current="page" data-testid="mine-tab-pending">待录入 %d<' % (len(rows) - 1) in pending
    recorded = client.get("/inspections/mine/?status=recorded").content.decode()
    assert linked(recorded) == {done.pk}
    assert "责令限期整改" in recorded and "修改结果" in recorded and "2026-11-23 检查，待公示" in recorded
    assert linked(client.get("/inspections/mine/?status=all").content.decode()) == set(rows)
    assert linked(client.get("/inspections/mine/?status=nonsense").content.decode()) == set(rows[1:])
    # once published the row says so and the button only shows the result
    for inspection in Inspection.objects.filter(draw=draw).exclude(pk=done.pk):
        record(inspection, admin)
    services.publish_results(task_id=draw.task_id, actor=head)
    published = client.get("/inspections/mine/?status=recorded").content.decode()
    assert "已公示" in published and "查看结果" in published and "录入结果" not in published
    assert "暂无待录入的检查" in client.get("/inspections/mine/").content.decode()


def test_the_end_of_the_task_is_highlighted_when_near_or_past_while_pending(world, head, admin, item):
    revealed_draw(world, head, item, entities=12, sample=6)
    username, officer = busiest(world)
    rows = sorted(assigned_to(officer))
    record(Inspection.objects.get(pk=rows[0]), admin)
    client = client_of(world, username)
    calm = client.get("/inspections/mine/?status=all").content.decode()
    assert "urg-" not in calm and "还剩" not in calm  # the task ends on 12-31, 38 days away
    with clock.frozen(dt.datetime(2026, 12, 29, 9, 0, tzinfo=clock.SHANGHAI)):
        soon = client.get("/inspections/mine/?status=all").content.decode()
    assert soon.count('class="urg-soon"') == len(rows) - 1  # the recorded one is not urged
    assert "还剩 2 天" in soon and 'class="nowrap days soon"' in soon
    with clock.frozen(dt.datetime(2026, 12, 31, 9, 0, tzinfo=clock.SHANGHAI)):
        assert "今天截止" in client.get("/inspections/mine/").content.decode()
    with clock.frozen(dt.datetime(2027, 1, 2, 9, 0, tzinfo=clock.SHANGHAI)):
        late = client.get("/inspections/mine/?status=all").content.decode()
    assert late.count('class="urg-overdue"') == len(rows) - 1
    assert "已超过任务期限 2 天" in late


def test_the_nav_links_to_my_inspections_with_the_pending_count(world, head, admin, item):
    revealed_draw(world, head, item, entities=12, sample=6)
    username, officer = busiest(world)
    rows = sorted(assigned_to(officer))
    client = client_of(world, username)
    nav = re.compile(r'data-testid="nav-mine-count"><span class="sr-only">待录入</span>(\d+)</span>')
    assert nav.search(client.get("/inspections/").content.decode()).group(1) == str(len(rows))
    record(Inspection.objects.get(pk=rows[0]), admin)
    mine = client.get("/inspections/mine/").content.decode()
    assert nav.search(mine).group(1) == str(len(rows) - 1)
    assert re.search(r'href="/inspections/mine/" data-testid="nav-mine" aria-current="page"', mine)
    # an officer with nothing pending has the link without a count
    other = client_of(world, "officer_other").get("/inspections/").content.decode()
    assert 'data-testid="nav-mine"' in other and "nav-mine-count" not in other


def test_a_page_costs_the_same_number_of_queries_however_many_rows(world, head, item, django_assert_max_num_queries):
    officer = world.officers["officer1"]
    client = client_of(world, "officer1")
    draw = revealed_draw(world, head, item, entities=60, sample=2)
    Inspection.objects.filter(draw=draw).update(inspector_ids=[officer.pk, world.officers["officer2"].pk])
    with CaptureQueriesContext(connection) as few:
        assert len(linked(client.get("/inspections/mine/").content.decode())) == 2
    second = revealed_draw_more(world, head, item, sample=43)
    Inspection.objects.filter(draw=second).update(inspector_ids=[world.officers["head1"].pk, officer.pk])
    with django_assert_max_num_queries(len(few)) as full:
        assert len(linked(client.get("/inspections/mine/").content.decode())) == 20
    with django_assert_max_num_queries(len(few)):
        assert len(linked(client.get("/inspections/mine/?page=3").content.decode())) == 5
    assert len(full.captured_queries) == len(few) <= 14, [q["sql"] for q in full.captured_queries]  # incl. the side navigation's counts


def revealed_draw_more(world, head, item, *, sample: int):
    """A second task of the same plan, drawn from the entities already there."""
    plan = services.visible_plans(head).get()
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="食品销售单位抽查", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 20), item_ids=[item.pk],
        sample_count=sample), actor=head)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    return services.reveal_draw(draw_id=draw.pk, witness="2718", witness_name="见证人", actor=head)
