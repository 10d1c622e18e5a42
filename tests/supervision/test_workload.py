"""Officer workload and risk (R38): per officer open cases, steps due and overdue, actions per
month, evaluation failures and reversals; per body normalised by officers; overload and risk
flags from configurable thresholds; scoped; pages and API bounded in queries (GROUP BY, not a
loop per officer)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tests.factories import OfficerFactory
from tests.supervision.test_assessment import evaluation
from zhifa.cases import services as s
from zhifa.cases.models import Case, RemedyPeriod
from zhifa.supervision import workload
from zhifa.supervision.rules import assessment as rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(cw):
    """officer1 and officer2 handle two filed cases, one overdue and one due in three days; one
    of their files failed evaluation and one of their decisions was revoked on reconsideration."""
    head = cw.actor("head1")
    ids = [cw.officer("officer1").pk, cw.officer("officer2").pk]
    cases = []
    for name in ("甲商户", "乙商户"):
        case = cw.register(party_name=name)
        s.file_case(case.pk, officer_ids=ids, actor=head)
        cases.append(case)
    Case.objects.filter(pk=cases[0].pk).update(next_due=TODAY - dt.timedelta(days=2))
    Case.objects.filter(pk=cases[1].pk).update(next_due=TODAY + dt.timedelta(days=3))
    evaluation(cw, cases[0], 0, grade="fail", on=TODAY - dt.timedelta(days=30))
    RemedyPeriod.objects.create(case=cases[1], kind="reconsideration", start=TODAY - dt.timedelta(days=60),
                                end=TODAY - dt.timedelta(days=10), result="撤销")
    return cases


def rows(actor, **kw):
    return {o.name: o for o in workload.fill_officers(list(workload.officers(actor, **kw)))}


def test_r38_per_officer_figures_from_minimal_data(cw, busy):
    got = rows(cw.actor("head1"))
    one = got[cw.officer("officer1").name]
    assert (one.open_cases, one.due_soon, one.overdue) == (2, 1, 1)
    assert (one.evaluation_failures, one.reversals) == (1, 1)
    three = got[cw.officer("officer3").name]
    assert (three.open_cases, three.overdue, three.evaluation_failures, three.reversals) == (0, 0, 0, 0)
    head = got[cw.officer("head1").name]
    assert head.actions_per_month > 0  # filing is the head's act on the case records (head1 filed both)
    assert {k for k, _ in one.flags} == {"risk"} and three.flags == []


def test_r38_flags_follow_the_configured_thresholds(cw, busy, monkeypatch):
    strict = rules.WorkloadThresholds(version="t", due_window_days=7, overload_open_cases=2, overload_overdue=1,
                                      overload_actions_per_month=Decimal(1000), risk_evaluation_failures=5, risk_reversals=5,
                                      risk_overdue_share=Decimal(100))
    monkeypatch.setattr(workload, "config", lambda: (strict, 12))
    one = rows(cw.actor("head1"))[cw.officer("officer1").name]
    assert [k for k, _ in one.flags] == ["overload", "overload"]  # 2 open ≥ 2, 1 overdue ≥ 1; no risk at these thresholds


def test_r38_body_figures_are_normalised_by_officers(cw, busy):
    market = next(b for b in workload.fill_bodies(list(workload.bodies(cw.actor("supervisor")))) if b.pk == cw.world.market.pk)
    assert market.officer_count == 6 and market.open_cases == 2 and market.overdue == 1
    assert market.open_per_officer == Decimal("0.3") and market.evaluation_failures == 1 and market.reversals == 1


def test_r38_scoping_head_sees_own_body_office_its_jurisdiction_officer_refused(cw, busy, api_as, client, settings):
    settings.SECURE_SSL_REDIRECT = False
    head = api_as("head1").get("/api/v1/supervision/workload/officers", page_size=100).json()
    assert {i["body_id"] for i in head["items"]} == {cw.world.market.pk}
    office = api_as("supervisor").get("/api/v1/supervision/workload/bodies", page_size=100).json()
    assert cw.world.foreign_body.pk not in {i["body_id"] for i in office["items"]}
    assert cw.world.urban.pk in {i["body_id"] for i in office["items"]}
    assert api_as("head1").get("/api/v1/supervision/workload/bodies").json()["count"] == 1
    assert api_as("officer1").get("/api/v1/supervision/workload/officers").status_code == 403
    client.force_login(cw.world.users["officer1"])
    assert client.get("/supervision/workload/").status_code == 403
    client.force_login(cw.world.users["head1"])
    page = client.get("/supervision/workload/")
    assert page.status_code == 200 and cw.officer("officer1").name in page.content.decode()
    assert cw.world.urban.name not in page.content.decode()


def test_r38_sorted_by_open_cases(cw, busy, api_as):
    items = api_as("supervisor").get("/api/v1/supervision/workload/officers", sort="open", page_size=100).json()["items"]
    assert [i["open_cases"] for i in items] == sorted((i["open_cases"] for i in items), reverse=True)
    assert api_as("supervisor").get("/api/v1/supervision/workload/officers", sort="salary").status_code == 422


def test_r38_queries_do_not_grow_with_officers(cw, busy, api_as, client, django_assert_max_num_queries, settings):
    settings.SECURE_SSL_REDIRECT = False
    for n in range(40):
        OfficerFactory(body=cw.world.market if n % 2 else cw.world.urban)
    api = api_as("supervisor")
    with django_assert_max_num_queries(10):
        assert len(api.get("/api/v1/supervision/workload/officers", page_size=50).json()["items"]) >= 45
    with django_assert_max_num_queries(12):
        api.get("/api/v1/supervision/workload/bodies", page_size=50)
    client.force_login(cw.world.users["supervisor"])
    with django_assert_max_num_queries(25):
        assert client.get("/supervision/workload/").status_code == 200


def test_r38_a_place_sets_its_own_thresholds_in_settings(cw, busy, settings, tmp_path):
    text = (workload.CONFIG_FILE.read_text(encoding="utf-8").replace("overload_open_cases = 30", "overload_open_cases = 2")
            .replace('version = "2026.1"', 'version = "local-1"'))
    (tmp_path / "workload.toml").write_text(text, encoding="utf-8")
    settings.ZHIFA = {**settings.ZHIFA, "WORKLOAD_CONFIG": str(tmp_path / "workload.toml")}
    assert workload.config()[0].version == "local-1"
    one = rows(cw.actor("head1"))[cw.officer("officer1").name]
    assert "overload" in {k for k, _ in one.flags}


def test_r38_complaints_quoting_an_officers_case_count_for_the_officer(cw, busy, api_as):
    from tests.supervision.test_assessment import complaint

    busy[0].refresh_from_db()
    quoted = complaint(cw.world.market, on=TODAY - dt.timedelta(days=5))
    quoted.act_reference = busy[0].number
    quoted.save()
    complaint(cw.world.market, on=TODAY - dt.timedelta(days=5))  # names no case: the body's, not an officer's
    got = rows(cw.actor("head1"))
    assert got[cw.officer("officer1").name].complaints_accepted == 1
    assert got[cw.officer("officer3").name].complaints_accepted == 0
    items = api_as("head1").get("/api/v1/supervision/workload/officers", page_size=100).json()["items"]
    assert {i["name"]: i["complaints"] for i in items}[cw.officer("officer2").name] == 1
