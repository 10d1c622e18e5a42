"""The alert engine end to end (R33): each rule raises from minimal data in the database and a
variant does not; a second sweep raises nothing twice; an alert closes when its cause is gone;
the API and pages are scoped; the office converts, the body contests; the hook after a case act."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.cases.conftest import TODAY
from zhifa.cases import services as s
from zhifa.cases.models import Case, Decision
from zhifa.registry.models import TrainingRecord
from zhifa.supervision import inputs, services
from zhifa.supervision import selectors_alerts as sel
from zhifa.supervision.models import Alert, AlertStep, SupervisionNotice
from zhifa.supervision.services import alerts as engine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]
DAY = dt.timedelta(days=1)


def run(*codes, cases=None):
    return services.run_alerts(cases, codes=list(codes) or None, today=TODAY)


def live(rule):
    return list(Alert.objects.filter(rule=rule, state__in=("open", "contested")))


@pytest.fixture
def case(cw):
    return cw.register()


def overdue(case, kind="filing", days=3):
    Case.objects.filter(pk=case.pk).update(next_due=TODAY - days * DAY, next_due_kind=kind)


def test_r33_overdue_filing_raises_once_and_closes_when_the_cause_is_gone(case):
    overdue(case)
    first = run("OVERDUE_STEP")
    assert first["raised"] == 1
    [a] = live("OVERDUE_STEP")
    assert a.case_id == case.pk and a.body_id == case.body_id and a.rule_version == 1 and "立案期限" in a.message
    assert a.evidence["days_overdue"] == 3
    assert run("OVERDUE_STEP")["raised"] == 0 and Alert.objects.count() == 1  # no duplicate on the second sweep
    Case.objects.filter(pk=case.pk).update(next_due=TODAY + 5 * DAY)
    assert run("OVERDUE_STEP")["closed"] == 1
    a.refresh_from_db()
    assert a.state == "closed" and a.closed_on == TODAY
    assert [s["action"] for s in sel.steps_of(a)] == ["raise", "close"] and not AlertStep.objects.exists()


def test_r33_payment_deadline_is_not_an_overdue_step_of_the_body(case):
    overdue(case, kind="payment")
    assert run("OVERDUE_STEP")["raised"] == 0


def test_r33_overdue_publication_and_open_seizure(case):
    Case.objects.filter(pk=case.pk).update(publication_due=TODAY - DAY, state="served")
    run("OVERDUE_STEP")
    assert [a.evidence["kind"] for a in live("OVERDUE_STEP")] == ["publication"]
    Case.objects.filter(pk=case.pk).update(published_on=TODAY)
    run("OVERDUE_STEP")
    assert live("OVERDUE_STEP") == []


def decided(case, **kw):
    fields = dict(state="decided", decided_on=TODAY - 10 * DAY, outcome="penalty", procedure="normal", notice_served_on=TODAY - 20 * DAY)
    fields.update(kw)
    Case.objects.filter(pk=case.pk).update(**fields)


def test_r33_decision_without_served_notice_raises(case):
    decided(case, notice_served_on=None)
    run("NOTICE_NOT_SERVED")
    assert [a.case_id for a in live("NOTICE_NOT_SERVED")] == [case.pk]


def test_r33_decision_with_served_notice_does_not_raise(case):
    decided(case)
    assert run("NOTICE_NOT_SERVED")["raised"] == 0


def test_r33_major_case_decided_without_review_raises(case):
    decided(case, is_major=True, review_status="", collective_discussion_on=TODAY - 12 * DAY)
    run("DECISION_DOCUMENTS_MISSING")
    [a] = live("DECISION_DOCUMENTS_MISSING")
    assert a.evidence["missing"] == ["法制审核意见书（审核通过）"]


def test_r33_major_case_with_review_and_discussion_does_not_raise(case):
    decided(case, is_major=True, review_status="pass", collective_discussion_on=TODAY - 12 * DAY)
    assert run("DECISION_DOCUMENTS_MISSING")["raised"] == 0


def test_r33_on_the_spot_collection_not_handed_over_raises_then_closes(case):
    Case.objects.filter(pk=case.pk).update(collected_on_spot_on=TODAY - 3 * DAY)
    assert run("COLLECTION_NOT_HANDED_OVER")["raised"] == 1
    Case.objects.filter(pk=case.pk).update(collection_handed_over_on=TODAY - DAY)
    assert run("COLLECTION_NOT_HANDED_OVER")["closed"] == 1


def test_r33_case_with_auxiliary_and_one_certified_officer_raises(cw, case):
    Case.objects.filter(pk=case.pk).update(state="investigating")
    case.officers.set([cw.officer("officer1"), cw.officer("aux1"), cw.officer("officer3")])  # officer3's certificate expired
    run("UNCERTIFIED_ENFORCEMENT")
    [a] = live("UNCERTIFIED_ENFORCEMENT")
    assert a.evidence == {"officers": 3, "certified": 1, "required": 2}
    case.officers.add(cw.officer("officer2"))
    assert run("UNCERTIFIED_ENFORCEMENT")["closed"] == 1


def test_r33_training_shortfall_raises_and_closes_when_hours_are_recorded(cw):
    run("TRAINING_SHORTFALL")
    o = cw.officer("officer1")
    assert Alert.objects.filter(rule="TRAINING_SHORTFALL", officer=o, state="open").exists()
    assert not Alert.objects.filter(rule="TRAINING_SHORTFALL", officer=cw.officer("aux1")).exists()  # auxiliary staff
    TrainingRecord.objects.create(officer=o, title="行政处罚法专题", held_on=dt.date(TODAY.year - 1, 6, 1), hours=Decimal(60))
    run("TRAINING_SHORTFALL")
    assert not Alert.objects.filter(rule="TRAINING_SHORTFALL", officer=o, state="open").exists()


def test_r33_body_without_legal_reviewer_raises_and_a_body_with_one_does_not(cw):
    run("NO_LEGAL_REVIEWER")
    flagged = {a.body_id for a in live("NO_LEGAL_REVIEWER")}
    assert cw.world.urban.pk in flagged and cw.world.market.pk not in flagged


def fined(cw, amount, reasoning="当事人销售过期食品，情节一般，依照裁量基准第二档处罚。", low=1000, high=10000, outside=""):
    c = cw.register()
    Case.objects.filter(pk=c.pk).update(state="decided", outcome="penalty", decided_on=TODAY - 5 * DAY, decision_amount=amount)
    Decision.objects.create(case=c, outcome="penalty", kinds=["fine"], amount=Decimal(amount), decided_on=TODAY - 5 * DAY,
                            reasoning=reasoning, benchmark_low=Decimal(low), benchmark_high=Decimal(high), outside_benchmark_reason=outside)
    return c


def test_r33_unequal_penalty_lists_the_comparable_cases(cw):
    like = [fined(cw, a) for a in (5000, 5200, 4800)]
    odd = fined(cw, 20000)
    run("UNEQUAL_PENALTY")
    [a] = live("UNEQUAL_PENALTY")
    assert a.case_id == odd.pk and a.item_id == cw.item.pk
    assert {c["case_id"] for c in a.evidence["comparables"]} == {c.pk for c in like}
    assert sorted(c["amount"] for c in a.evidence["comparables"]) == ["4800.00", "5000.00", "5200.00"]


def test_r33_unequal_penalty_outside_with_reason_does_not_raise(cw):
    for a in (5000, 5200, 4800):
        fined(cw, a)
    fined(cw, 20000, outside="当事人多次违法且拒不改正，经集体讨论从重处罚。")
    assert run("UNEQUAL_PENALTY")["raised"] == 0


def test_r33_zero_case_item_raises_and_a_no_occurrence_mark_closes_it(cw):
    run("ZERO_CASE_ITEM")
    [a] = [x for x in live("ZERO_CASE_ITEM") if x.item_id == cw.item.pk]
    mark = services.mark_no_occurrence(inputs.NoOccurrenceIn(item_id=cw.item.pk, reason="本辖区无此类经营主体", approver="陈局"),
                                       actor=cw.actor("head1"))
    run("ZERO_CASE_ITEM")
    a.refresh_from_db()
    assert a.state == "closed"
    services.withdraw_no_occurrence(mark.pk, actor=cw.actor("head1"))
    assert run("ZERO_CASE_ITEM")["raised"] == 1


def test_r33_zero_case_item_with_a_case_does_not_raise(cw, case):
    run("ZERO_CASE_ITEM")
    assert not [x for x in live("ZERO_CASE_ITEM") if x.item_id == cw.item.pk]


def test_r33_no_occurrence_mark_refused_for_another_body(cw):
    from zhifa.core.violations import Refused

    with pytest.raises(Refused):
        services.mark_no_occurrence(inputs.NoOccurrenceIn(item_id=cw.item.pk, reason="本辖区无此类经营主体", approver="吴城"),
                                    actor=cw.actor("officer_other"))


def test_r33_transfer_signals_raise_case_not_transferred(cw, case, monkeypatch):
    from zhifa.transfers.selectors import Signal

    sig = Signal("CASE_NOT_TRANSFERRED", "有案不移", case.pk, case.number, case.body_id, "示例", "货值金额达到立案追诉标准，未报告移送。", "O310")
    monkeypatch.setattr(engine.transfer_selectors, "signals", lambda actor, body_id=None: [sig])
    run("CASE_NOT_TRANSFERRED", "FINE_INSTEAD_OF_TRANSFER")
    assert [a.case_id for a in live("CASE_NOT_TRANSFERRED")] == [case.pk] and live("FINE_INSTEAD_OF_TRANSFER") == []
    monkeypatch.setattr(engine.transfer_selectors, "signals", lambda actor, body_id=None: [])
    assert run("CASE_NOT_TRANSFERRED")["closed"] == 1


def test_r33_same_officer_on_the_same_party_three_times_raises(cw):
    o1, o2 = cw.officer("officer1"), cw.officer("officer2")
    for _ in range(3):
        cw.register().officers.set([o1, o2])
    run("SELECTIVE_ENFORCEMENT")
    assert {a.officer_id for a in live("SELECTIVE_ENFORCEMENT")} == {o1.pk, o2.pk}
    assert all(len(a.evidence["case_ids"]) == 3 and a.evidence["party"] == "示例商贸有限公司" for a in live("SELECTIVE_ENFORCEMENT"))
    assert "91650200MA0000001X" not in live("SELECTIVE_ENFORCEMENT")[0].key  # the party's code only as a digest


def test_r33_two_cases_on_the_same_party_do_not_raise(cw):
    for _ in range(2):
        cw.register().officers.set([cw.officer("officer1")])
    assert run("SELECTIVE_ENFORCEMENT")["raised"] == 0


def test_r33_the_full_sweep_records_once_per_run_and_is_idempotent(cw, case):
    from zhifa.core.ledger import RecordEntry

    overdue(case)
    line = engine.sweep()
    assert "新增" in line
    n = Alert.objects.count()
    assert n >= 2 and RecordEntry.objects.filter(stream="alerts").count() == 1
    engine.sweep()
    assert Alert.objects.count() == n and RecordEntry.objects.filter(stream="alerts").count() == 1


def test_r33_a_case_act_reevaluates_that_case_on_commit(cw, case, django_capture_on_commit_callbacks):
    Case.objects.filter(pk=case.pk).update(clue_received_on=TODAY - 90 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        s.assign_officers(case.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk], actor=cw.actor("head1"))
    assert [a.evidence["kind"] for a in live("OVERDUE_STEP")] == ["filing"]
    from zhifa.core.ledger import RecordEntry

    assert RecordEntry.objects.filter(stream=f"alerts:case:{case.pk}").count() == 1


# --- Acts on an alert, scope, API ------------------------------------------------------------------

@pytest.fixture
def alert(case):
    overdue(case)
    run("OVERDUE_STEP")
    return live("OVERDUE_STEP")[0]


def test_r33_the_office_converts_an_alert_into_a_notice(cw, alert):
    a = services.act_on_alert(alert.pk, "convert", inputs.AlertActionIn(text="限期办理立案手续"), actor=cw.actor("supervisor"))
    n = SupervisionNotice.objects.get()
    assert a.state == "converted" and a.notice_id == n.pk and n.source == "alert" and n.case_id == alert.case_id
    assert "办案环节逾期" in n.findings
    assert run("OVERDUE_STEP")["raised"] == 0  # a converted cause is not raised again


def test_r33_the_body_contests_and_the_office_dismisses(cw, alert, api_as):
    body, office, other = api_as("officer1"), api_as("supervisor"), api_as("officer_other")
    url = f"/api/v1/supervision/alerts/{alert.pk}/actions"
    assert body.post(f"{url}/contest", {"text": ""}).json()["violations"][0]["code"] == "REASON_REQUIRED"
    assert other.post(f"{url}/contest", {"text": "不是我们的案件"}).status_code == 404
    assert office.post(f"{url}/contest", {"text": "代为异议"}).status_code == 403
    contested = body.post(f"{url}/contest", {"text": "线索登记日期录入有误，实际为上周"})
    assert contested.status_code == 200 and contested.json()["state"] == "contested"
    assert body.post(f"{url}/dismiss", {"text": "自行撤销"}).status_code == 403
    done = office.post(f"{url}/dismiss", {"text": "经核实，登记日期录入错误"}).json()
    assert done["state"] == "dismissed" and [s["action"] for s in done["steps"]] == ["raise", "contest", "dismiss"]
    assert run("OVERDUE_STEP")["raised"] == 0  # a dismissed cause is not raised again
    assert office.get(f"/api/v1/records/alert:{alert.pk}").json()["count"] == 2
    assert other.get(f"/api/v1/records/alert:{alert.pk}").status_code == 403


def test_r33_alerts_api_is_scoped_filtered_and_bounded(cw, api_as, django_assert_max_num_queries):
    for _ in range(12):
        overdue(cw.register())
    run("OVERDUE_STEP", "NO_LEGAL_REVIEWER")
    office, officer, other = api_as("supervisor"), api_as("officer1"), api_as("officer_other")
    with django_assert_max_num_queries(8):
        page = officer.get("/api/v1/supervision/alerts", rule="OVERDUE_STEP", page_size=50).json()
    assert page["count"] == 12 and {i["body_id"] for i in page["items"]} == {cw.world.market.pk}
    item = page["items"][0]
    assert {"rule", "body", "case_id", "message", "basis", "raised_on", "state"} <= set(item) and item["basis"].startswith("行政处罚法")
    assert other.get("/api/v1/supervision/alerts", rule="OVERDUE_STEP").json()["count"] == 0
    assert other.get(f"/api/v1/supervision/alerts/{item['id']}").status_code == 404
    assert office.get("/api/v1/supervision/alerts", body=cw.world.market.pk, state="open").json()["count"] == 12
    assert office.get("/api/v1/supervision/alerts", case=item["case_id"]).json()["count"] == 1
    assert api_as(None).get("/api/v1/supervision/alerts").status_code == 401
    assert office.get("/api/v1/supervision/alerts", state="bogus").status_code == 422


def test_r33_the_rule_catalogue_is_public(api_as):
    rules = api_as(None).get("/api/v1/supervision/alert-rules").json()
    codes = {r["code"] for r in rules["items"]}
    assert {"OVERDUE_STEP", "UNEQUAL_PENALTY", "ZERO_CASE_ITEM", "CASE_NOT_TRANSFERRED", "SELECTIVE_ENFORCEMENT"} <= codes
    assert all(r["basis"] and r["version"] >= 1 for r in rules["items"])
    assert Client().get("/supervision/alert-rules/").status_code == 200


def test_r33_alert_pages_list_filter_and_act(cw, alert):
    client = Client()
    client.force_login(cw.world.users["supervisor"])
    page = client.get("/supervision/alerts/", {"rule": "OVERDUE_STEP", "state": "open"})
    assert page.status_code == 200 and "办案环节逾期" in page.content.decode()
    detail = client.get(f"/supervision/alerts/{alert.pk}/")
    assert detail.status_code == 200 and 'data-testid="alert-convert"' in detail.content.decode()
    done = client.post(f"/supervision/alerts/{alert.pk}/", {"action": "convert", "text": "", "notice_kind": "supervision_notice"})
    assert done.status_code == 302
    other = Client()
    other.force_login(cw.world.users["officer_other"])
    assert other.get(f"/supervision/alerts/{alert.pk}/").status_code == 404


def test_r33_alerts_page_takes_a_constant_number_of_queries(cw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(cw.world.users["supervisor"])
    overdue(cw.register())
    run("OVERDUE_STEP")
    with CaptureQueriesContext(connection) as few:
        client.get("/supervision/alerts/")
    for _ in range(10):
        overdue(cw.register())
    run("OVERDUE_STEP")
    with CaptureQueriesContext(connection) as many:
        client.get("/supervision/alerts/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_r33_open_alerts_for_the_todo_lists(cw, alert):
    assert [a["id"] for a in sel.open_alerts_for(cw.actor("head1"), 5)] == [alert.pk]
    assert sel.open_alerts_for(cw.actor("officer_other"), 5) == []
    assert sel.open_alerts_for(cw.actor("officer1"), 5) == []  # not assigned to the case
    alert.case.officers.add(cw.officer("officer1"))
    assert [a["id"] for a in sel.open_alerts_for(cw.actor("officer1"), 5)] == [alert.pk]
    assert sel.open_alerts_for(cw.actor("supervisor"), 5)[0]["url"] == f"/supervision/alerts/{alert.pk}/"


def test_r33_alert_figures_per_body_for_the_year(cw, alert):
    run("ZERO_CASE_ITEM", "NO_LEGAL_REVIEWER")
    figures = sel.alert_figures(TODAY.year)
    m = figures[cw.world.market.pk]
    assert m["raised"] >= 1 and m["overdue_raised"] == 1 and m["open_at_end"] >= 1 and m["defects_raised"] == 0
    assert figures[cw.world.urban.pk]["raised"] >= 1
    assert sel.alert_figures(TODAY.year - 1) == {}


def test_r33_many_acts_on_a_case_in_one_transaction_run_its_rules_once(cw, case, django_capture_on_commit_callbacks, monkeypatch):
    from django.db import transaction

    calls = []
    monkeypatch.setattr(engine, "run_alerts", lambda ids=None, **kw: calls.append(list(ids or [])))
    two = [cw.officer("officer1").pk, cw.officer("officer2").pk]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            s.assign_officers(case.pk, officer_ids=two, actor=cw.actor("head1"))
            s.assign_officers(case.pk, officer_ids=two[:1] + two[1:], actor=cw.actor("head1"))
    assert calls == [[case.pk]]


def test_r33_zhifa_sweep_runs_the_alert_rules(case):
    from io import StringIO

    from django.core.management import call_command

    Case.objects.filter(pk=case.pk).update(clue_received_on=TODAY - 90 * DAY)  # the sweep recomputes the stored deadlines first
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "执法监督预警：新增" in out.getvalue()
    assert live("OVERDUE_STEP")


def test_r33_no_occurrence_marks_through_the_api(cw, api_as):
    head, other, office = api_as("head1"), api_as("officer_other"), api_as("supervisor")
    made = head.post("/api/v1/supervision/no-occurrence-marks", {"item_id": cw.item.pk, "reason": "本辖区无此类经营主体", "approver": "陈局"})
    assert made.status_code == 201 and made.json()["approver"] == "陈局"
    again = head.post("/api/v1/supervision/no-occurrence-marks", {"item_id": cw.item.pk, "reason": "重复标注一次", "approver": "陈局"})
    assert again.status_code == 409 and again.json()["violations"][0]["code"] == "ALREADY_MARKED"
    assert head.post("/api/v1/supervision/no-occurrence-marks", {"item_id": cw.item.pk, "reason": "", "approver": "陈局"}).status_code == 422
    mid = made.json()["id"]
    assert other.post(f"/api/v1/supervision/no-occurrence-marks/{mid}/withdraw").status_code == 404
    done = office.post(f"/api/v1/supervision/no-occurrence-marks/{mid}/withdraw")
    assert done.status_code == 200 and done.json()["withdrawn_on"] == TODAY.isoformat()
    assert office.get(f"/api/v1/records/nooccurrence:{mid}").json()["count"] == 2


def _complaints(cw, n, state):
    from django.utils import timezone

    from zhifa.portal.models import Complaint

    for i in range(n):
        Complaint.objects.create(tracking_code=f"T{state}{i:06d}", kind="report", body=cw.world.market, subject="无证经营", facts="长期无证经营",
                                 source_hash="0" * 64, received_at=timezone.now(), received_on=TODAY - 10 * DAY,
                                 accept_due=TODAY - 3 * DAY, state=state)


def test_r33_reports_never_acted_on_raise(cw):
    _complaints(cw, 3, "rejected")
    run("COMPLAINTS_NEVER_ACTED")
    [a] = live("COMPLAINTS_NEVER_ACTED")
    assert a.body_id == cw.world.market.pk and a.evidence["received"] == 3


def test_r33_reports_of_which_one_was_accepted_do_not_raise(cw):
    _complaints(cw, 3, "rejected")
    _complaints(cw, 1, "accepted")
    assert run("COMPLAINTS_NEVER_ACTED")["raised"] == 0


def _inspections(cw, entity, times, *, sample=1, candidates=100):
    from django.utils import timezone

    from zhifa.inspections.models import Draw, Inspection, Plan, Task

    plan = Plan.objects.create(body=cw.world.market, year=TODAY.year, title="年度抽查计划", created_at=timezone.now())
    for i in range(times):
        task = Task.objects.create(plan=plan, title=f"抽查任务{i}", starts_on=TODAY - 60 * DAY, ends_on=TODAY, created_at=timezone.now())
        draw = Draw.objects.create(task=task, algorithm="sha256-fy", committed_at=timezone.now(), scheduled_at=timezone.now(),
                                   document_digest="0" * 64, candidate_count=candidates, inspector_count=4, sample=sample,
                                   commitment="0" * 64, secret="0" * 64)
        Inspection.objects.create(draw=draw, task=task, entity=entity, rank=1, planned_on=TODAY - (i + 1) * DAY)


def test_r33_an_entity_drawn_far_more_often_than_chance_raises(cw):
    from tests.inspections.conftest import make_entities

    [entity] = make_entities(1)
    _inspections(cw, entity, 3)  # 3 draws of 1 in 100: expected at most 0.03
    run("OVER_INSPECTED")
    [a] = live("OVER_INSPECTED")
    assert a.body_id == cw.world.market.pk and a.evidence["inspections"] == 3 and a.evidence["expected"] == 0.03


def test_r33_an_entity_in_small_pools_drawn_three_times_does_not_raise(cw):
    from tests.inspections.conftest import make_entities

    [entity] = make_entities(1)
    _inspections(cw, entity, 3, sample=1, candidates=2)  # chance 1/2 each draw: expected 1.5
    assert run("OVER_INSPECTED")["raised"] == 0
