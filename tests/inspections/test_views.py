"""Pages: overview, item list, entity database, plan editor, draw page, results entry."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from zhifa.inspections import services
from zhifa.inspections.models import Draw, Inspection, Task
from zhifa.registry.models import Officer

from .conftest import make_entities
from .drawing import answers_for, login

pytestmark = pytest.mark.usefixtures("frozen_clock")



def test_pages_plan_editor_draw_and_record(world, item):
    make_entities(30)
    head = login("head1")
    for url in ("/inspections/", "/inspections/items/", "/inspections/entities/", "/inspections/entities/?q=示例&risk=B"):
        r = head.get(url)
        assert r.status_code == 200, url
    r = head.post("/inspections/", {"title": "2026年度计划", "year": "2026"})
    assert r.status_code == 302
    plan_url = r["Location"]
    r = head.post(plan_url, {"title": "餐饮抽查", "kind": "random", "items": [item.pk], "sample_count": "3",
                             "inspectors_per_entity": "2", "starts_on": "2026-11-01", "ends_on": "2026-12-31"})
    assert r.status_code == 302, r.content.decode()[:2000]
    task = Task.objects.get()
    r = head.post(plan_url, {"title": "", "items": [], "starts_on": "2026-12-01", "ends_on": "2026-11-01", "inspectors_per_entity": "1"})
    assert r.status_code == 200 and "操作未通过" in r.content.decode()
    r = head.post(plan_url, {"action": "draw", "task": task.pk})
    assert r.status_code == 302
    draw = Draw.objects.get()
    r = head.post(f"/inspections/draws/{draw.pk}/", {"witness": "31415", "witness_name": "见证人"})
    assert r.status_code == 302
    page = Client().get(f"/inspections/draws/{draw.pk}/?verify=1")  # public
    assert page.status_code == 200 and "核对一致" in page.content.decode()
    inspection = Inspection.objects.filter(draw=draw).first()
    officer = Officer.objects.get(pk=inspection.inspector_ids[0])
    inspector = login(officer.user.username)
    assert inspector.get(f"/inspections/results/{inspection.pk}/").status_code == 200
    r = inspector.post(f"/inspections/results/{inspection.pk}/", {"inspected_on": "2026-11-23", "outcome": "no_problem", "point_0": "ok",
                                                             "point_1": "ok", "point_2": "ok"})
    assert r.status_code == 302
    inspection.refresh_from_db()
    assert inspection.outcome == "no_problem" and inspection.answers[0]["ok"]
    assert head.get(plan_url).status_code == 200
    draw.refresh_from_db()
    assert services.verify_draw(draw).ok


def test_public_cannot_see_staff_pages(world):
    assert Client().get("/inspections/entities/").status_code == 302


def test_r28_results_page_and_surprise_draw_page_denied_to_outsiders(world, item):
    """Another body's officer gets 404 on a results page; the public draw page of a surprise
    inspection shows neither the seed nor the drawn list before the task ends."""
    import datetime as dt

    from django.test import Client

    from zhifa.core import clock
    from zhifa.inspections.models import Inspection
    from zhifa.registry.access import actor_for

    from .drawing import surprise_draw

    head = actor_for(world.users["head1"])
    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.SHANGHAI)):
        draw = surprise_draw(world, head, item)
        inspection = Inspection.objects.filter(draw=draw).first()
        other = Client()
        other.force_login(world.users["officer_other"])
        assert other.get(f"/inspections/results/{inspection.pk}/").status_code == 404
        page = Client().get(f"/inspections/draws/{draw.pk}/").content.decode()
        assert "draw-withheld" in page and draw.seed not in page and inspection.entity.credit_code not in page
        own = Client()
        own.force_login(world.users["officer1"])
        assert own.get(f"/inspections/results/{inspection.pk}/").status_code == 200
        assert draw.seed in own.get(f"/inspections/draws/{draw.pk}/").content.decode()


# --- Charts on the plan page and the overview (core.charts) ---------------------------------------

def _plan_with_results(world, item, n_tasks: int = 2, per_task: int = 5):
    """A market plan of ``n_tasks`` drawn tasks (the first joint with the urban body); the first
    task's results recorded with every outcome and published, the second's partly recorded."""
    import datetime as dt

    from zhifa.registry.access import actor_for

    head, admin = actor_for(world.users["head1"]), actor_for(world.users["admin"])
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="2026年度抽查计划", actor=head)
    outcomes = [("no_problem", ""), ("corrected", "已当场整改"), ("rectify", "责令整改"), ("case", "立案"), ("not_found", "")]
    for k in range(n_tasks):
        task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title=f"餐饮抽查{k + 1}", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk],
            sample_count=per_task, partner_ids=[world.urban.pk] if k == 0 else []), actor=head)
        draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness=str(k), actor=head)
        drawn = list(Inspection.objects.filter(draw=draw).order_by("rank"))
        for inspection, (outcome, findings) in list(zip(drawn, outcomes))[: per_task if k == 0 else 2]:
            services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
                inspected_on=dt.date(2026, 11, 23), outcome=outcome, findings=findings,
                case_number="示市监立字〔2026〕1号" if outcome == "case" else "", answers=answers_for(inspection, outcome)), actor=admin)
        if k == 0:
            services.publish_results(task_id=task.pk, actor=head)
    return plan


def test_r27_plan_progress_is_one_grouped_query_matching_plan_statistics(world, item, django_assert_num_queries):
    make_entities(30)
    plan = _plan_with_results(world, item)
    with django_assert_num_queries(1):
        tasks, total = services.plan_progress(plan)
    stats = services.plan_statistics(plan)
    assert (total.drawn, total.recorded, total.problems, total.published) == (stats["drawn"], stats["recorded"], stats["problems"], stats["published"]) == (10, 7, 4, 5)
    assert total.problem_rate == stats["problem_rate"]
    first, second = (tasks[t.pk] for t in plan.tasks.order_by("id"))
    assert (first.drawn, first.recorded, first.published, first.problems) == (5, 5, 5, 3)
    assert first.outcomes == {"no_problem": 1, "corrected": 1, "rectify": 1, "case": 1, "not_found": 1}
    assert (second.recorded, second.published, second.outcomes[services.PENDING]) == (2, 0, 3)


def test_r27_plan_page_draws_its_charts_in_a_bounded_number_of_queries(world, item, django_assert_max_num_queries):
    make_entities(40)
    plan = _plan_with_results(world, item, n_tasks=3)
    head = login("head1")
    with django_assert_max_num_queries(24) as small:
        page = head.get(f"/inspections/plans/{plan.pk}/").content.decode()
    charts = page[page.index('data-testid="plan-charts"'):page.index('data-testid="task-table"')]
    assert charts.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert 'aria-label="各任务抽取、录入与公示"' in charts and "录入 5/5 户" in charts and "录入 2/5 户" in charts
    # the outcome distribution: 15 drawn; one of each outcome in task 1, two recorded in tasks 2 and 3
    assert "未发现问题 3户（20%）" in charts and "待检查 6户（40%）" in charts and "立案查处 1户（6.7%）" in charts
    assert "▾ 全计划 55.6%" in charts  # the problem rate of each task against the plan's (5 of 9)
    # gauges under the statistics
    assert 'aria-label="覆盖率：60%"' in page and 'aria-label="联合抽查占比：33.3%；底线 10%"' in page
    # more tasks, items and inspections, not more queries
    import datetime as dt

    from zhifa.registry.access import actor_for

    more = [item.__class__.objects.create(code=f"SJ-10{n}", name=f"事项{n}", body=world.market, legal_basis="《食品安全法》") for n in range(3)]
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="第四个任务", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[m.pk for m in more], sample_count=8,
        partner_ids=[world.county_body.pk]), actor=actor_for(world.users["head1"]))
    services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=actor_for(world.users["head1"])).pk, witness="9",
                         actor=actor_for(world.users["head1"]))
    Task.objects.filter(plan=plan).update(title="<script>alert(1)</script>")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = head.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_plan_page_without_tasks_draws_no_charts_and_tasks_not_drawn_say_so(world, item):
    from zhifa.registry.access import actor_for

    head = actor_for(world.users["head1"])
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="新计划", actor=head)
    client = login("head1")
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "plan-charts" not in page
    import datetime as dt
    services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="未抽取的任务", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk], sample_count=3), actor=head)
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "plan-charts" in page and ">未抽取</text>" in page and "暂无数据" in page  # no outcome yet
    assert 'data-busy="正在冻结名单…"' in page


def test_r29_overview_joint_shares_as_bars_with_the_floor_and_bodies_below_it_in_red(world, item, django_assert_max_num_queries):
    import datetime as dt

    from zhifa.registry.access import actor_for

    make_entities(30)
    _plan_with_results(world, item)  # market: 1 joint of 2 (50%), urban: partner in 1 of 1 (100%)
    world.county_body.name = "示例区<script>alert(1)</script>市场监督管理局"
    world.county_body.save()
    admin = actor_for(world.users["admin"])
    plan = services.create_plan(body_id=world.county_body.pk, year=2026, title="区局计划", actor=admin)
    county_item = item.__class__.objects.create(code="QJ-001", name="区局检查", body=world.county_body, legal_basis="《食品安全法》第一百一十条")
    for k in range(3):
        services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title=f"区局任务{k}", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[county_item.pk], sample_count=1), actor=admin)
    client = login("head1")
    client.force_login(world.users["supervisor"])
    with django_assert_max_num_queries(20):
        page = client.get("/inspections/").content.decode()
    card = page[page.index('data-testid="joint-shares"'):page.index("最近抽取")]
    assert card.count("<svg ") == 1 and "▾ 底线 10%" in card and card.count('class="chart-ref"') == 3
    # below the floor: first, red, said in words; the name escaped
    names = re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', card)
    assert names[0] == ("示例区&lt;script&gt;alert(1)&lt;/script&gt;市场监督管理局", "0/3 · 0% 未达标")
    assert ("示例市市场监督管理局", "1/2 · 50%") in names and ("示例市城市管理局", "1/1 · 100%") in names
    assert "<script>alert(1)</script>" not in page
    assert 'fill="#b42318" font-weight="600">0/3 · 0% 未达标</text>' in card
    assert card.count('class="chart-bar tone-ok"') == 2


def test_draw_page_reveal_form_shows_a_busy_state(world, item):
    import datetime as dt

    from zhifa.registry.access import actor_for

    make_entities(10)
    head = actor_for(world.users["head1"])
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="任务", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk], sample_count=2), actor=head)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    page = login("head1").get(f"/inspections/draws/{draw.pk}/").content.decode()
    assert 'data-busy="正在抽取…"' in page and "抽取并公开种子" in page


# --- Found in the acceptance walk-through of R26–R30 --------------------------------------------

def services_actor(world, username: str):
    from zhifa.registry.access import actor_for

    return actor_for(world.users[username])


def _new_task_form(item, **changes) -> dict:
    form = {"title": "餐饮抽查", "kind": "random", "items": [str(item.pk)], "sample_count": "3", "inspectors_per_entity": "2",
            "flagged_weight": "1", "starts_on": "2026-11-24", "ends_on": "2026-12-31"}
    form.update(changes)
    return form


def test_r27_plan_page_shows_the_region_of_a_task_scope(world, item):
    """The 范围 column named the industry only: a task limited to a township read as city-wide."""
    head = login("head1")
    r = head.post("/inspections/", {"title": "2026年度计划", "year": "2026"})
    plan_url = r["Location"]
    r = head.post(plan_url, _new_task_form(item, scope_industry="餐饮", scope_jurisdiction=str(world.township.pk), scope_risk_grades="cd"))
    assert r.status_code == 302
    row = head.get(plan_url).content.decode().split('data-testid="task-table"')[1].split("</tr>")[1]
    assert "餐饮 · 示例镇 · 风险CD" in row


@pytest.mark.parametrize("changes, reason", [
    ({"sample_count": "", "ratio_percent": "NaN"}, "抽查比例「NaN」不是数字"),  # was a 500: NaN cannot be compared
    ({"sample_count": "", "ratio_percent": "-Infinity"}, "抽查比例「-Infinity」不是数字"),
    ({"sample_count": "99999999999999999999999"}, "抽取户数「99999999999999999999999」超出可接受的范围"),  # was a 500 (overflow)
    ({"sample_count": str(2**31)}, f"抽取户数「{2**31}」超出可接受的范围"),  # past PostgreSQL's integer column
    ({"sample_count": "²"}, "抽取户数「²」应为整数"),
    ({"items": ["²"]}, "「²」应为整数"),
    ({"items": ["99999999999999999999999"]}, "超出可接受的范围"),
    ({"title": "长" * 201}, "任务名称不超过 200 个字（现有 201 个字）"),  # was stored on SQLite, a 500 on PostgreSQL
    ({"scope_industry": "行" * 61}, "行业范围不超过 60 个字"),
    ({"scope_risk_grades": "AAAAAAAAA"}, "风险等级范围不超过 4 个字"),
])
def test_r27_malformed_task_form_is_refused_in_chinese_and_creates_nothing(world, item, changes, reason):
    head = login("head1")
    plan_url = head.post("/inspections/", {"title": "2026年度计划", "year": "2026"})["Location"]
    r = head.post(plan_url, _new_task_form(item, **changes))
    page = r.content.decode()
    assert r.status_code == 200 and "操作未通过" in page and reason in page, page[page.find("操作未通过"):][:400]
    assert not Task.objects.exists()
    # the reasons stand beside the form, which keeps what was typed
    assert page.index("操作未通过") > page.index('id="new-task"')


def test_r27_malformed_plan_form_is_refused_in_chinese(world):
    head = login("head1")
    for form, reason in (({"title": "计划", "year": "99999999999999999999"}, "年度「99999999999999999999」超出可接受的范围"),
                         ({"title": "计划", "year": "二〇二六"}, "年度「二〇二六」应为整数"),
                         ({"title": "计" * 201, "year": "2026"}, "计划名称不超过 200 个字")):
        r = head.post("/inspections/", form)
        assert r.status_code == 200 and reason in r.content.decode()
    from zhifa.inspections.models import Plan
    assert not Plan.objects.exists()


def test_r26_conflict_list_with_an_officer_number_past_any_record_is_empty_not_a_500(world):
    import datetime as dt

    from .conftest import make_entities as entities

    declared = services.declare_conflict(officer_id=world.officers["officer1"].pk, entity_id=entities(1)[0].pk, relation="亲属经营",
                                         starts_on=dt.date(2026, 11, 23), ends_on=None, actor=services_actor(world, "head1"))
    client = login("head1")
    assert declared.relation in client.get("/inspections/conflicts/").content.decode()
    r = client.get("/inspections/conflicts/?officer=99999999999999999999999")
    assert r.status_code == 200 and declared.relation not in r.content.decode()


def test_r30_refused_open_case_keeps_the_date_of_the_act(world, head, item):
    """After a refusal (an unknown item) the date field came back empty, and the browser then
    refused to send the corrected form (the field is required) without saying why."""
    import datetime as dt

    from zhifa.registry.access import actor_for

    make_entities(10)
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="任务", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31), item_ids=[item.pk], sample_count=1), actor=head)
    draw = services.reveal_draw(draw_id=services.commit_draw(task_id=task.pk, actor=head).pk, witness="7", actor=head)
    inspection = Inspection.objects.get(draw=draw)
    officer = Officer.objects.get(pk=inspection.inspector_ids[0])
    services.record_result(inspection_id=inspection.pk, data=services.ResultInput(
        inspected_on=dt.date(2026, 11, 23), outcome="rectify", findings="无进货查验记录",
        answers=answers_for(inspection, "rectify")), actor=actor_for(officer.user))
    client = login(officer.user.username)
    url = f"/inspections/results/{inspection.pk}/"
    assert 'name="act_date" value="2026-11-23"' in client.get(url).content.decode()
    page = client.post(url, {"action": "open_case", "item": "999999", "act_date": "2026-11-18"}).content.decode()
    assert 'id="id_item_error">所选执法事项不是本主体的行政处罚事项' in page
    assert 'name="act_date" value="2026-11-18"' in page


def test_r29_the_plan_page_shows_the_joint_quota_and_its_allotment_by_quarter(world, item):
    from zhifa.registry.access import actor_for

    from .test_selectors import _tasks

    head = actor_for(world.users["head1"])
    plan = services.create_plan(body_id=world.market.pk, year=2026, title="计划", actor=head)
    _tasks(plan, item, head, [2, 5, 5, 11, 11, 11, 12, 12, 12, 12, 12])
    page = login("head1").get(f"/inspections/plans/{plan.pk}/").content.decode()
    card = page[page.index('data-testid="joint-quota"'):]
    card = card[:card.index("</section>")]
    assert "全部任务 11 项，联合抽查不低于 10%：应有 2 项，已有 0 项" in card and "尚缺 2 项" in card
    assert "国发〔2019〕5号" in card and "最大余数法" in card
    rows = re.findall(r'<tr><th scope="row">(第.季度)</th><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>', card)
    assert rows == [("第一季度", "1", "0", "0"), ("第二季度", "2", "0", "0"), ("第三季度", "0", "0", "0"), ("第四季度", "8", "2", "0")]
