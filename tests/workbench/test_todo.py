"""The to-do list on each role's home page (issue 20 point 2): each role sees its own work, each
item one click from its form, the total on the 工作台 link, in a bounded number of queries."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cases.conftest import CaseWorld, food_safety_provisions
from tests.factories import ItemFactory
from zhifa.registry import access
from zhifa.workbench import todo

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world):
    from tests.conftest import TODAY
    from zhifa.core import clock, workdays

    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条")
    food_safety_provisions(item)
    workdays.clear_cache()
    with clock.frozen(TODAY):
        yield CaseWorld(world, item)


def _groups(actor) -> dict[str, list]:
    object.__setattr__(actor, "_todo_items", None)
    found: dict[str, list] = {}
    for item in todo.items_for(actor):
        found.setdefault(item.group, []).append(item)
    return found


def test_r14_officer_sees_cases_by_deadline_and_documents_to_serve(cw):
    filed = cw.walk(cw.register(party_name="甲商店"), "investigating")
    decided = cw.walk(cw.register(party_name="乙商店"), "decided")
    groups = _groups(cw.actor("officer1"))
    assert [i.href for i in groups["案件期限"]] == [reverse("cases:detail", args=[filed.pk])]
    assert groups["文书送达"][0].href == reverse("cases:detail", args=[decided.pk]) + "#action-serve"
    assert "审批与决定" not in groups and "法制审核" not in groups  # not the officer's work


def test_r14_head_sees_approvals_and_reviewer_sees_reviews(cw):
    source = cw.register(party_name="丙商店")
    groups = _groups(cw.actor("head1"))
    assert [i.title for i in groups["审批与决定"]] == [f"{source.number} 丙商店"]
    assert groups["审批与决定"][0].detail == "立案审批"
    assert _groups(cw.actor("reviewer1")).get("法制审核", []) == []  # nothing requested yet
    assert _groups(cw.actor("officer_other")) == {}  # another body's case is nobody's work there


def test_r14_auxiliary_staff_and_public_have_no_officer_work(cw):
    cw.walk(cw.register(), "investigating")
    assert todo.items_for(cw.actor("aux1")) == []


def test_r14_home_page_lists_todos_with_the_count_in_the_navigation(client, cw, django_assert_max_num_queries):
    for n in range(5):
        cw.walk(cw.register(party_name=f"商店{n}"), "investigating")
    client.force_login(cw.world.users["officer1"])
    with django_assert_max_num_queries(40):
        page = client.get(reverse("workbench:home")).content.decode()
    assert 'data-testid="todo"' in page and page.count('data-testid="todo-link"') == 5
    assert 'data-testid="nav-home-count"><span class="sr-only">项待办</span>5<' in page
    for n in range(10):
        cw.register(party_name=f"新线索{n}")
    client.force_login(cw.world.users["head1"])
    with django_assert_max_num_queries(40):  # the same bound with more work: no query per item
        page = client.get(reverse("workbench:home")).content.decode()
    assert page.count('data-testid="todo-link"') >= todo.LIMIT


def test_r14_providers_run_once_per_request(cw, django_assert_num_queries):
    actor = cw.actor("officer1")
    todo.items_for(actor)
    with django_assert_num_queries(0):
        todo.count(actor)
        todo.items_for(actor)


def test_r14_supervisor_sees_overdue_notices_only(cw):
    supervisor = access.actor_for(cw.world.users["supervisor"])
    groups = _groups(supervisor)
    assert "案件期限" not in groups and "审批与决定" not in groups


def test_r33_an_alert_on_my_case_is_on_my_list_and_opens_the_alert(cw):
    """An overdue step on officer1's case raises an alert (预警): it is on officer1's list and the
    head's, linked to the alert with its evidence; not on another body's officer's list."""
    import datetime as dt

    from tests.cases.conftest import TODAY
    from zhifa.cases import services as cases
    from zhifa.cases.models import Case
    from zhifa.supervision import services as supervision
    from zhifa.supervision.models import Alert

    case = cw.register()
    cases.assign_officers(case.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk], actor=cw.actor("head1"))
    Case.objects.filter(pk=case.pk).update(next_due=TODAY - dt.timedelta(days=3), next_due_kind="filing")
    supervision.run_alerts([case.pk], codes=["OVERDUE_STEP"], today=TODAY)
    alert = Alert.objects.get(case=case)
    href = reverse("supervision:alert", args=[alert.pk])
    for who in ("officer1", "head1"):
        assert [(i.group, i.href) for i in todo.open_alerts(cw.actor(who))] == [("预警提示", href)]
    assert todo.open_alerts(cw.actor("officer_other")) == []


def test_r31_evaluation_work_is_listed_for_its_evaluator(world):
    """案卷评查 assigned to the supervisor: listed, one query whatever their number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    supervisor = access.actor_for(world.users["supervisor"])
    with CaptureQueriesContext(connection) as queries:
        items = todo.evaluations_assigned(supervisor)
    assert items == [] and len(queries.captured_queries) <= 2


def test_r14_the_badge_costs_no_query_off_the_home_page(client, cw):
    from tests.conftest import page_queries

    for n in range(2):
        cw.walk(cw.register(party_name=f"商店{n}"), "investigating")
    client.force_login(cw.world.users["officer1"])
    badge = 'data-testid="nav-home-count"><span class="sr-only">项待办</span>{}<'
    before = page_queries(client, "/cases/")
    assert 'data-testid="nav-home-count"' not in client.get("/cases/").content.decode()  # home not visited yet
    client.get("/")
    assert page_queries(client, "/cases/") == before  # the figure comes from the session
    assert badge.format(2) in client.get("/cases/").content.decode()
    cw.walk(cw.register(party_name="商店9"), "investigating")
    assert badge.format(2) in client.get("/cases/").content.decode()  # kept for a while …
    session = client.session
    session[todo.SESSION_KEY] = [2, 0]  # … and counted again once older than REFRESH_SECONDS
    session.save()
    assert badge.format(3) in client.get("/cases/").content.decode()
