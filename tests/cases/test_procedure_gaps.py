"""The remaining rules of issue 4 through the service layer: R15 on-scene formalities, applicable
actions, the queues, the stored next deadline and its recomputation, R18 review invalidation,
ACL art.19 emergency approval, APL arts.68–71 on-the-spot collection, art.73 remedies and the late
fee, art.33 education, art.48 publication and withdrawal."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import TODAY
from tests.factories import ItemFactory, staff
from zhifa.cases import deadlines, rules, services as s
from zhifa.cases.models import Case
from zhifa.core import clock, ledger, workdays
from zhifa.core.models import Holiday, RecordEntry
from zhifa.core.violations import Refused
from zhifa.catalog.models import Delegation

from .conftest import later, refused

pytestmark = pytest.mark.django_db


def spot(cw, **kw):
    data = dict(procedure="simple", party_kind="person", party_name="李某", party_id_code="650200199001000101",
                officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk])
    data.update(kw)
    return cw.register(**data)


# --- R15 ---------------------------------------------------------------------------------------

def test_r15_credentials_and_rights_are_recorded_acts_before_a_decision(cw):
    off = cw.actor("officer1")
    case = spot(cw)
    assert refused(s.decide_on_spot, case.pk, kinds=["warning"], reasoning="占道经营", actor=off) == [
        "CREDENTIALS_NOT_SHOWN", "RIGHTS_NOT_TOLD"]
    o1, o3, aux = cw.officer("officer1").pk, cw.officer("officer3").pk, cw.officer("aux1").pk
    assert set(refused(s.show_credentials, case.pk, officer_ids=[o1, o3], actor=off)) == {"CERTIFICATE_INVALID", "TWO_OFFICERS_REQUIRED"}
    assert "AUXILIARY_CANNOT_ACT" in refused(s.show_credentials, case.pk, officer_ids=[o1, aux], actor=off)
    with pytest.raises(PermissionDenied):
        s.show_credentials(case.pk, actor=cw.actor("aux1"))
    s.show_credentials(case.pk, place="人民路口", actor=off)
    entry = RecordEntry.objects.filter(stream=case.stream, action="show_credentials").get()
    assert entry.payload["officers"] == sorted([o1, cw.officer("officer2").pk]) and entry.payload["basis"].endswith("第五十二条")
    assert refused(s.decide_on_spot, case.pk, kinds=["warning"], reasoning="占道经营", actor=off) == ["RIGHTS_NOT_TOLD"]
    s.inform_rights(case.pk, actor=off)
    assert "复议" in RecordEntry.objects.get(stream=case.stream, action="inform_rights").payload["rights"]
    s.decide_on_spot(case.pk, kinds=["warning"], reasoning="占道经营", actor=off)
    # normal procedure: the decision needs the credentials shown during the investigation (APL art.55)
    normal = cw.register()
    s.file_case(normal.pk, officer_ids=[o1, cw.officer("officer2").pk], actor=cw.actor("head1"))
    s.end_investigation(normal.pk, report="属实", proposed_kinds=["fine"], proposed_amount=Decimal("500"), actor=off)
    s.review_case(normal.pk, opinion="同意", actor=cw.actor("head1"))
    codes = refused(s.decide, normal.pk, outcome="penalty", kinds=["fine"], amount=Decimal("500"), reasoning="x", actor=cw.actor("head1"))
    assert codes[:2] == ["CREDENTIALS_NOT_SHOWN", "NOTICE_REQUIRED"]


# --- allowed actions -----------------------------------------------------------------------------

def test_r14_allowed_actions_offer_only_applicable_actions(cw):
    case = cw.walk(cw.register(), "investigating")
    off = cw.actor("officer1")
    allowed = s.allowed_actions(Case.objects.get(pk=case.pk), off)
    assert "pause" in allowed and not {"resume", "release_seizure", "record_testing", "show_credentials", "decide_preservation"} & set(allowed)
    s.pause_clock(case.pk, kind="testing", actor=off)
    s.record_evidence(case.pk, kind="video", title="扣押录像", act="detention", actor=off)
    s.seize(case.pk, kind="detention", items=[{"name": "货物", "quantity": 3}], actor=off)
    allowed = s.allowed_actions(Case.objects.get(pk=case.pk), off)
    assert {"resume", "release_seizure", "record_testing"} <= set(allowed) and "pause" not in allowed
    assert "approve_seizure" not in s.allowed_actions(Case.objects.get(pk=case.pk), cw.actor("head1"))  # approved beforehand


# --- queues ----------------------------------------------------------------------------------------

def test_r14_head_approvals_and_reviewer_queue_services(cw, world):
    head, off = cw.actor("head1"), cw.actor("officer1")
    filing = cw.register(party_name="待立案公司")
    seizing = cw.walk(cw.register(party_name="紧急扣押公司"), "investigating")
    s.record_evidence(seizing.pk, kind="video", title="录像", act="detention", actor=off)
    s.seize(seizing.pk, kind="detention", items=[{"name": "货物"}], emergency=True, approved=False, actor=off)
    deferring = cw.walk(cw.register(party_name="延期公司"), "served")
    s.request_deferral(deferring.pk, reason="经营困难", instalments=3, actor=off)
    with CaptureQueriesContext(connection) as q:
        queue = {c.pk: c.pending for c in s.pending_approvals(head)}
    assert len(q) <= 3  # the actor's scope and one query for the queue
    assert queue[filing.pk] == "filing" and queue[seizing.pk] == "seizure" and queue[deferring.pk] == "deferral"
    with pytest.raises(PermissionDenied):
        s.pending_approvals(off)
    s.defer_payment(deferring.pk, new_due=TODAY + dt.timedelta(days=60), reason="准予分三期", actor=head)
    assert deferring.pk not in {c.pk for c in s.pending_approvals(head)}
    # the reviewer's queue, including a township case reviewed by the county department (提级审核)
    county_item = ItemFactory(body=world.county_body, code="QSJJ-CF-7")
    Delegation.objects.create(kind="delegation", from_body=world.county_body, to_body=world.township_bureau, item=county_item,
                              valid_from=dt.date(2024, 1, 1))
    t1, t2 = staff("t1", world.township_bureau, "镇执法一", today=TODAY), staff("t2", world.township_bureau, "镇执法二", today=TODAY)
    thead = staff("thead", world.township_bureau, "镇队长", is_head=True, today=TODAY)
    reviewer = staff("creviewer", world.county_body, "县审核", is_legal_reviewer=True, has_legal_qualification=True, today=TODAY)
    from zhifa.registry.access import actor_for

    case = s.register_source(item_code=county_item.code, party_kind="person", party_name="王某", act_date=TODAY - dt.timedelta(days=3),
                             party_address="示例镇幸福路1号", actor=actor_for(t1.user))
    s.file_case(case.pk, officer_ids=[t1.pk, t2.pk], actor=actor_for(thead.user))
    s.end_investigation(case.pk, report="属实", proposed_kinds=["fine"], proposed_amount=Decimal("1000"), actor=actor_for(t1.user))
    s.review_case(case.pk, opinion="复杂", is_major=True, actor=actor_for(thead.user))
    s.request_review(case.pk, reviewer_id=reviewer.pk, actor=actor_for(t1.user))
    assert [r.case_id for r in s.pending_reviews(actor_for(reviewer.user))] == [case.pk]
    with pytest.raises(PermissionDenied):
        s.pending_reviews(off)


# --- stored next deadline, recompute, sweep ------------------------------------------------------------

def test_r14_next_due_is_stored_on_every_action_and_lists_sort_by_it(cw, api_as):
    calm = cw.walk(cw.register(party_name="从容公司"), "investigating")
    assert calm.next_due_kind == "decision" and calm.next_due >= TODAY + dt.timedelta(days=90)
    late = cw.register(party_name="逾期公司", clue_received_on=TODAY - dt.timedelta(days=40))
    assert late.next_due_kind == "filing" and late.next_due < TODAY
    body = api_as("officer1").get("/api/v1/cases", order="urgency").json()
    assert [c["id"] for c in body["items"]][:2] == [late.pk, calm.pk]
    assert [c["id"] for c in api_as("officer1").get("/api/v1/cases", overdue="true").json()["items"]] == [late.pk]


def test_r14_recompute_hook_moves_provisional_dates_when_holidays_are_loaded(cw, settings):
    case = cw.walk(cw.register(), "notified")
    before = case.defence_due
    assert "zhifa.cases.services.recompute_after_holidays" in settings.ZHIFA["CALENDAR_RECOMPUTE_HOOKS"]
    Holiday.objects.create(day=TODAY + dt.timedelta(days=1), is_working_day=False, name="临时假日")
    workdays.clear_cache()
    [hook] = [h for h in workdays.recompute_hooks() if h.__module__.startswith("zhifa.cases")]  # other apps add theirs
    assert hook([TODAY.year]) == 1
    case.refresh_from_db()
    assert case.defence_due == workdays.add_working_days(case.notice_served_on, 5).date > before
    entry = RecordEntry.objects.filter(stream=case.stream, action="recompute_deadlines").get()
    assert entry.payload["changes"]["defence_due"]["to"] == case.defence_due.isoformat()
    assert ledger.verify(case.stream) is None
    out = StringIO()
    with later(60):
        call_command("sweep", stdout=out)
    assert "已逾期案件：1 件" in out.getvalue() and "作出决定期限" not in out.getvalue()


# --- R18 ---------------------------------------------------------------------------------------------

def test_r18_passed_review_no_longer_counts_after_the_proposal_changes(cw):
    off, head = cw.actor("officer1"), cw.actor("head1")
    case = cw.walk(cw.register(), "investigated")  # proposed: a fine of 5,000 yuan
    s.review_case(case.pk, opinion="案情复杂", is_major=True, actor=head)
    s.hold_collective_discussion(case.pk, minutes="同意处罚意见", actor=head)
    s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=off)
    s.complete_review(case.pk, result="pass", opinion="同意", actor=cw.actor("reviewer1"))
    s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=off)
    assert Case.objects.get(pk=case.pk).review_status == "pass"  # the same proposal: still covered
    s.notify(case.pk, kinds=["fine"], amount=Decimal("8000"), new_facts=True, actor=off)  # re-notice, higher
    assert Case.objects.get(pk=case.pk).review_status == ""
    assert RecordEntry.objects.filter(stream=case.stream, action="review_invalidated").exists()
    s.waive_defence(case.pk, actor=off)
    decide = dict(outcome="penalty", kinds=["fine"], amount=Decimal("8000"), reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=head)
    assert refused(s.decide, case.pk, **decide) == ["LEGAL_REVIEW_REQUIRED"]
    s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=off)
    s.complete_review(case.pk, result="pass", opinion="同意", actor=cw.actor("reviewer1"))
    s.decide(case.pk, **decide)


@given(st.sampled_from([["fine"], ["fine", "warning"], ["warning"]]), st.integers(0, 10**6), st.integers(0, 10**6))
def test_r18_review_covers_exactly_the_reviewed_proposal(kinds, reviewed, proposed):
    basis = {"kinds": ["fine"], "amount": f"{reviewed}.00"}
    assert rules.review_covers(basis, kinds, Decimal(proposed)) == (kinds == ["fine"] and reviewed == proposed)


# --- ACL art.19 ----------------------------------------------------------------------------------------

def test_acl19_emergency_seizure_is_approved_within_24_hours_or_released(cw):
    off, head = cw.actor("officer1"), cw.actor("head1")
    case = cw.walk(cw.register(), "investigating")
    s.record_evidence(case.pk, kind="video", title="录像", act="detention", actor=off)
    first = s.seize(case.pk, kind="detention", items=[{"name": "货物"}], emergency=True, approved=False, actor=off)
    second = s.seize(case.pk, kind="detention", items=[{"name": "车辆"}], emergency=True, approved=False, actor=off)
    assert {d.kind for d in s.deadlines_of(Case.objects.get(pk=case.pk))} >= {"seizure_approval"}
    with later(2):
        assert refused(s.approve_seizure, case.pk, seizure_id=first.pk, actor=head) == ["SEIZURE_APPROVAL_LATE"]
        assert refused(s.approve_seizure, case.pk, seizure_id=first.pk, approve=False, actor=head) == ["REASON_REQUIRED"]
        released = s.approve_seizure(case.pk, seizure_id=first.pk, approve=False, reason="不应采取强制措施", actor=head)
        assert released.released_on == TODAY + dt.timedelta(days=2)
    with clock.frozen(dt.datetime.combine(TODAY, dt.time(20, 0))):
        assert s.approve_seizure(case.pk, seizure_id=second.pk, actor=head).approved_on == TODAY
    assert "approve_seizure" not in s.allowed_actions(Case.objects.get(pk=case.pk), head)


# --- APL arts.68–71 --------------------------------------------------------------------------------------

def test_apl68_on_the_spot_collection_limits_receipt_and_hand_over(cw):
    off, head = cw.actor("officer1"), cw.actor("head1")
    case = spot(cw)
    s.show_credentials(case.pk, actor=off)
    s.inform_rights(case.pk, actor=off)
    s.decide_on_spot(case.pk, kinds=["fine"], amount=Decimal("200"), reasoning="占道经营", actor=off)
    assert refused(s.collect_on_spot, case.pk, ground="small", receipt="", actor=off) == ["ON_SPOT_COLLECTION_NOT_ALLOWED", "RECEIPT_REQUIRED"]
    s.collect_on_spot(case.pk, ground="hard_to_enforce", receipt="NO.0001", actor=off)
    case.refresh_from_db()
    assert case.state == "executed" and case.paid_amount == Decimal("200")
    handover = next(d for d in s.deadlines_of(case) if d.kind == "handover")
    assert handover.due == workdays.add_working_days(TODAY, 2).date
    assert refused(s.close_case, case.pk, actor=head) == ["COLLECTION_NOT_HANDED_OVER"]
    with later(7):
        s.hand_over_collection(case.pk, actor=off)
        assert RecordEntry.objects.get(stream=case.stream, action="hand_over_collection").payload["late"] is True
        s.close_case(case.pk, actor=head)
    normal = cw.walk(cw.register(), "served")
    # APL art.68 is for on-the-spot decisions only, and 5,000 yuan is no “100 yuan or less”
    assert refused(s.collect_on_spot, normal.pk, ground="small", receipt="NO.2", actor=off) == ["ON_SPOT_COLLECTION_NOT_ALLOWED"] * 2


# --- APL art.73 --------------------------------------------------------------------------------------------

def test_apl73_late_fee_not_counted_during_reconsideration_and_no_court_meanwhile(cw):
    off, head = cw.actor("officer1"), cw.actor("head1")
    case = cw.walk(cw.register(), "served", amount=Decimal("5000"))
    due = Case.objects.get(pk=case.pk).payment_due
    with later(30):
        s.remind(case.pk, actor=off)
        s.record_remedy(case.pk, kind="reconsideration", actor=off)
    with later(60):
        assert "REMEDY_PENDING" in refused(s.apply_court, case.pk, actor=head)
        s.end_remedy(case.pk, result="维持原决定", actor=off)
    with later(62):
        payment = s.pay(case.pk, amount=Decimal("5000"), actor=off)
    paid_on = TODAY + dt.timedelta(days=62)
    paused = (TODAY + dt.timedelta(days=60) - (TODAY + dt.timedelta(days=30))).days + 1
    expected = min(Decimal("5000") * Decimal("0.03") * ((paid_on - due).days - paused), Decimal("5000"))
    assert payment.late_fee == expected.quantize(Decimal("0.01")) < deadlines.late_fee(Decimal("5000"), due, paid_on)


@given(st.integers(0, 60), st.integers(0, 40), st.integers(0, 40))
def test_apl73_late_fee_with_remedies_never_exceeds_the_plain_fee_or_the_fine(start, length, overdue):
    due = dt.date(2026, 1, 1)
    on = due + dt.timedelta(days=overdue + length)
    remedy = deadlines.Interval(due + dt.timedelta(days=start), due + dt.timedelta(days=start + length))
    fee = deadlines.late_fee_excluding(Decimal("1000"), due, on, [remedy])
    assert fee <= deadlines.late_fee(Decimal("1000"), due, on) and fee <= Decimal("1000")


# --- APL art.33 ¶3 ------------------------------------------------------------------------------------------

def test_apl33_no_penalty_requires_recorded_education(cw):
    case = cw.walk(cw.register(no_fault=True), "reviewed")
    head = cw.actor("head1")
    assert refused(s.decide, case.pk, outcome="no_penalty", reasoning="没有主观过错", actor=head) == ["EDUCATION_REQUIRED"]
    s.record_education(case.pk, content="向当事人讲解食品安全法相关规定", actor=cw.actor("officer1"))
    s.decide(case.pk, outcome="no_penalty", reasoning="没有主观过错", actor=head)


# --- APL art.48, 3S, SAMR45 ----------------------------------------------------------------------------------

def test_apl48_publication_deadline_and_withdrawal_within_3_working_days(cw):
    off, head = cw.actor("officer1"), cw.actor("head1")
    case = cw.walk(cw.register(), "decided")
    publication = next(d for d in s.deadlines_of(case) if d.kind == "publication")
    assert publication.due == workdays.add_working_days(TODAY, 20).date  # SAMR45 art.9: market regulation
    assert refused(s.withdraw_publication, case.pk, reason="x", actor=off) == ["WRONG_STATE"]
    s.publish(case.pk, where="国家企业信用信息公示系统", actor=off)
    assert "publish" not in s.allowed_actions(Case.objects.get(pk=case.pk), off)
    with later(1):
        s.correct(case.pk, kind="revoke", reason="认定事实错误，撤销", actor=head)
    case.refresh_from_db()
    assert case.withdrawal_due == workdays.add_working_days(TODAY + dt.timedelta(days=1), 3).date
    assert {d.kind for d in s.deadlines_of(case)} >= {"withdrawal"}
    with later(2):
        s.withdraw_publication(case.pk, reason="决定已被撤销", actor=off)
    case.refresh_from_db()
    assert case.published_on is None and "publish" not in s.allowed_actions(case, off)


def test_apl48_other_sectors_publish_within_7_working_days(cw, settings):
    settings.ZHIFA = {**settings.ZHIFA, "CASE_POLICY": {"publication_by_sector": {}}}
    case = cw.walk(cw.register(), "decided")
    assert case.publication_due == workdays.add_working_days(TODAY, 7).date  # 3S


def test_r14_evidence_cannot_be_dated_in_the_future(world):
    """A record of evidence collected tomorrow is refused and nothing is written (R14)."""
    import datetime as dt

    from zhifa.cases import services as s
    from zhifa.cases.models import Evidence
    from zhifa.core import clock
    from zhifa.core.violations import Refused
    from zhifa.registry import access
    from tests.factories import ItemFactory

    item = ItemFactory(body=world.market)
    officer, head = access.actor_for(world.users["officer1"]), access.actor_for(world.users["head1"])
    case = s.register_source(item_code=item.code, party_kind="organisation", party_name="示例商店",
                             act_date=clock.today() - dt.timedelta(days=3), actor=officer)
    s.file_case(case.pk, officer_ids=[world.officers["officer1"].pk, world.officers["officer2"].pk], actor=head)
    with pytest.raises(Refused) as refused:
        s.record_evidence(case.pk, kind="photo", title="现场照片", collected_on=clock.today() + dt.timedelta(days=1),
                          actor=officer)
    assert "INVALID_INPUT" in [v.code for v in refused.value.violations]
    assert not Evidence.objects.filter(case=case).exists()
