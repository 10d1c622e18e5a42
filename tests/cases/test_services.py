"""R14–R20, R23, R24 through the service layer: each rule people get wrong, atomicity, bounded
queries."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY
from tests.factories import ItemFactory, staff
from zhifa.cases import services as s
from zhifa.cases.models import Case, Evidence
from zhifa.core import clock, ledger, workdays
from zhifa.core.models import RecordEntry
from zhifa.catalog.models import Delegation

from .conftest import later, refused

pytestmark = pytest.mark.django_db
D = dt.date


def test_r14_refusal_and_failure_leave_no_trace(cw):
    case = cw.walk(cw.register(), "reviewed")
    entries = RecordEntry.objects.filter(stream=case.stream).count()
    with mock.patch.object(ledger, "append", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=cw.actor("officer1"))
    case.refresh_from_db()
    assert case.state == "reviewed" and case.notice_served_on is None and case.notices.count() == 0
    assert RecordEntry.objects.filter(stream=case.stream).count() == entries
    assert ledger.verify(case.stream) is None


def test_r14_each_action_costs_a_bounded_number_of_queries(cw):
    case = cw.walk(cw.register(), "reviewed")
    workdays.schedule()
    with CaptureQueriesContext(connection) as q:
        s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=cw.actor("officer1"))
    # 16 for the action, 8 for its document (counter row lock and number, the document row, savepoints)
    # + 3 to store the next deadline (pauses, open seizures, calendar stamp)
    # + 2 for who acts: the actor's own certificate (R04) and the case's assigned officers (承办)
    # + 1 for the item's resolved provisions: 违反 and 依据 cited apart (legal-rules.md §F+)
    assert len(q) <= 30, [x["sql"] for x in q.captured_queries]
    s.waive_defence(case.pk, actor=cw.actor("officer1"))
    with CaptureQueriesContext(connection) as q:
        s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=cw.actor("head1"))
    # 20 for the action, 11 for the decision document (counter, number, row; evidence and remedies' seat)
    # + 2 to store the next deadline (open seizures, calendar stamp)
    assert len(q) <= 33, [x["sql"] for x in q.captured_queries]


def test_r14_filing_checks_competence_and_limitation(cw, world):
    foreign = ItemFactory(body=world.urban, code="CGJ-CF-9")
    case = cw.register(item_code=foreign.code, act_date=TODAY - dt.timedelta(days=800))
    assert refused(s.file_case, case.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk],
                   actor=cw.actor("head1")) == ["OUTSIDE_COMPETENCE", "LIMITATION_EXPIRED"]
    harm = cw.register(act_date=TODAY - dt.timedelta(days=800), safety_harm=True)
    s.file_case(harm.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk], actor=cw.actor("head1"))


def test_r14_only_the_head_files_and_declining_needs_reasons(cw):
    case = cw.register()
    with pytest.raises(PermissionDenied):
        s.file_case(case.pk, actor=cw.actor("officer1"))
    assert refused(s.decline_case, case.pk, reason=" ", actor=cw.actor("head1")) == ["REASON_REQUIRED"]
    s.decline_case(case.pk, reason="不属于本机关管辖", actor=cw.actor("head1"))
    assert refused(s.file_case, case.pk, actor=cw.actor("head1"))[0] == "WRONG_STATE"


def test_r18_legal_review_failed_then_passed_and_collective_discussion(cw):
    case = cw.walk(cw.register(), "investigated")
    head, off = cw.actor("head1"), cw.actor("officer1")
    s.review_case(case.pk, opinion="案情复杂", is_major=True, actor=head)
    s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=off)
    s.waive_defence(case.pk, actor=off)
    decide = dict(outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=head)
    assert refused(s.decide, case.pk, **decide) == ["LEGAL_REVIEW_REQUIRED", "COLLECTIVE_DISCUSSION_REQUIRED"]
    assert refused(s.request_review, case.pk, reviewer_id=cw.officer("officer2").pk, actor=off) == ["REVIEWER_IS_INVESTIGATOR", "REVIEWER_NOT_QUALIFIED"]
    s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=off)
    with pytest.raises(PermissionDenied):
        s.complete_review(case.pk, result="pass", opinion="", actor=cw.actor("officer2"))
    s.complete_review(case.pk, result="fail", opinion="证据不足，需补充进货凭证", actor=cw.actor("reviewer1"))
    assert "LEGAL_REVIEW_FAILED" in refused(s.decide, case.pk, **decide)
    s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=off)
    s.complete_review(case.pk, result="pass", opinion="同意", actor=cw.actor("reviewer1"))
    s.hold_collective_discussion(case.pk, minutes="一致同意罚款5000元", actor=head)
    s.decide(case.pk, **decide)
    assert Case.objects.get(pk=case.pk).state == "decided"


def test_r18_township_case_reviewed_by_the_county_department(world):
    county_item = ItemFactory(body=world.county_body, code="QSJJ-CF-1")
    Delegation.objects.create(kind="delegation", from_body=world.county_body, to_body=world.township_bureau, item=county_item,
                              valid_from=D(2024, 1, 1))
    t1 = staff("t1", world.township_bureau, "镇执法一", today=TODAY)
    t2 = staff("t2", world.township_bureau, "镇执法二", today=TODAY)
    staff("thead", world.township_bureau, "镇队长", is_head=True, today=TODAY)
    county_reviewer = staff("creviewer", world.county_body, "县审核", is_legal_reviewer=True, has_legal_qualification=True, today=TODAY)
    from zhifa.registry.access import actor_for

    a = lambda o: actor_for(o.user)  # noqa: E731
    head = actor_for(world.township_bureau.officers.get(is_head=True).user)
    case = s.register_source(item_code=county_item.code, party_kind="person", party_name="王某", act_date=TODAY - dt.timedelta(days=3),
                             party_address="示例镇幸福路1号", actor=a(t1))
    s.file_case(case.pk, officer_ids=[t1.pk, t2.pk], actor=head)
    s.end_investigation(case.pk, report="属实", proposed_kinds=["fine"], proposed_amount=Decimal("1000"), actor=a(t1))
    s.review_case(case.pk, opinion="复杂", is_major=True, actor=head)
    s.request_review(case.pk, reviewer_id=county_reviewer.pk, actor=a(t1))
    assert s.get_case(case.pk, a(county_reviewer)).pk == case.pk  # 提级审核: the county reviewer sees it
    s.complete_review(case.pk, result="pass", opinion="同意", actor=a(county_reviewer))
    assert Case.objects.get(pk=case.pk).review_status == "pass"
    # R23: escalated handling to the county department
    s.escalate(case.pk, to_body_id=world.county_body.pk, reason="案情重大，提级办理", actor=head)
    case.refresh_from_db()
    assert case.body_id == world.county_body.pk and case.escalated_from_id == world.township_bureau.pk
    assert case.officers.count() == 0


def test_apl63_64_hearing_requested_scheduled_and_held(cw):
    case = cw.walk(cw.register(), "reviewed", amount=Decimal("150000"))
    head, off = cw.actor("head1"), cw.actor("officer1")
    s.notify(case.pk, kinds=["fine"], amount=Decimal("150000"), actor=off)
    case.refresh_from_db()
    assert case.hearing_due == workdays.add_working_days(TODAY, 5).date
    s.record_defence(case.pk, statement="请求从轻", actor=off)
    decide = dict(outcome="penalty", kinds=["fine"], amount=Decimal("150000"), reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=head)
    assert refused(s.decide, case.pk, **decide) == ["HEARING_PERIOD_OPEN"]
    s.request_hearing(case.pk, actor=off)
    assert refused(s.decide, case.pk, **decide) == ["HEARING_REQUIRED"]
    too_soon = TODAY + dt.timedelta(days=3)
    assert refused(s.schedule_hearing, case.pk, chair_id=cw.officer("officer2").pk, hearing_on=too_soon, actor=head) == [
        "HEARING_CHAIR_IS_INVESTIGATOR", "HEARING_NOTICE_TOO_SHORT"]
    hearing_on = workdays.add_working_days(TODAY, 7).date
    s.schedule_hearing(case.pk, chair_id=cw.officer("head1").pk, hearing_on=hearing_on, actor=head)
    with clock.frozen(hearing_on):
        s.hold_hearing(case.pk, minutes="当事人到场陈述", actor=off)
        # a hearing held makes legal review compulsory (APL art.58 ¶1 (2))
        assert refused(s.decide, case.pk, **decide) == ["LEGAL_REVIEW_REQUIRED"]
        s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=off)
        s.complete_review(case.pk, result="pass", opinion="同意", actor=cw.actor("reviewer1"))
        # §F+: after a statement and a hearing the decision says how they were weighed
        assert refused(s.decide, case.pk, **decide) == ["DECISION_PROCEDURE_MISSING"]
        s.decide(case.pk, **decide, defence_opinion="当事人请求从轻处罚，但未提供从轻处罚的事实和证据，不予采纳")


def test_apl45_renotice_restarts_periods_and_needs_new_facts_when_heavier(cw):
    case = cw.walk(cw.register(), "notified")
    off = cw.actor("officer1")
    with later(10):
        assert refused(s.notify, case.pk, kinds=["fine"], amount=Decimal("8000"), actor=off) == ["RENOTICE_NEEDS_NEW_FACTS"]
        notice = s.notify(case.pk, kinds=["fine"], amount=Decimal("8000"), new_facts=True, actor=off)
        assert notice.supersedes is not None
        case.refresh_from_db()
        assert case.defence_due == workdays.add_working_days(TODAY + dt.timedelta(days=10), 5).date
        assert not case.defence_done


def test_apl30_minor_not_fined_and_apl29_one_fine(cw):
    child = cw.walk(cw.register(party_kind="person", party_name="小明", party_age=13, party_id_code="650200199001000102"), "reviewed")
    assert refused(s.notify, child.pk, kinds=["fine"], amount=Decimal("100"), actor=cw.actor("officer1")) == ["NOT_PUNISHABLE"]
    s.decide(child.pk, outcome="no_penalty", reasoning="不满十四周岁，责令监护人加以管教", education="已对其进行法治教育并告知监护人",
             actor=cw.actor("head1"))
    first = cw.walk(cw.register(), "decided")
    second = cw.walk(cw.register(), "reviewed")
    assert first.decision_amount == Decimal("5000")
    assert refused(s.notify, second.pk, kinds=["fine"], amount=Decimal("100"), actor=cw.actor("officer1")) == ["DUPLICATE_FINE"]


def test_apl60_pauses_never_overlap_and_move_the_decision_deadline(cw):
    case = cw.walk(cw.register(), "investigating")
    off, head = cw.actor("officer1"), cw.actor("head1")
    base = next(d for d in s.deadlines_of(case) if d.kind == "decision").due
    s.pause_clock(case.pk, kind="testing", start=TODAY, end=TODAY + dt.timedelta(days=9), actor=off)
    assert refused(s.pause_clock, case.pk, kind="appraisal", start=TODAY + dt.timedelta(days=5), actor=off) == ["PAUSE_OVERLAP"]
    moved = next(d for d in s.deadlines_of(Case.objects.get(pk=case.pk)) if d.kind == "decision").due
    assert moved >= base + dt.timedelta(days=10) - dt.timedelta(days=3)  # 10 days later, then to a working day
    assert refused(s.extend_period, case.pk, reason="", actor=head) == ["REASON_REQUIRED"]
    s.extend_period(case.pk, reason="需补充鉴定", actor=head)
    assert refused(s.extend_period, case.pk, reason="仍需鉴定", actor=head) == ["COLLECTIVE_DISCUSSION_REQUIRED"]


def test_r20_seizure_needs_av_record_one_extension_and_release(cw, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    case = cw.walk(cw.register(), "investigating")
    off, head = cw.actor("officer1"), cw.actor("head1")
    items = [{"name": "过期奶粉", "quantity": 20, "unit": "罐"}]
    assert refused(s.seize, case.pk, kind="detention", items=items, actor=off) == ["AV_RECORD_REQUIRED"]
    video = SimpleUploadedFile("扣押.mp4", b"\x00video" * 100000, content_type="video/mp4")
    evidence = s.record_evidence(case.pk, kind="video", title="扣押现场录像", act="detention", upload=video, actor=off)
    import hashlib

    assert evidence.sha256 == hashlib.sha256(b"\x00video" * 100000).hexdigest() and evidence.size == 600000
    seizure = s.seize(case.pk, kind="detention", items=items, actor=off)
    assert seizure.due == workdays.add_calendar_days(TODAY, 30).date
    s.record_testing(case.pk, seizure_id=seizure.pk, days=5, actor=off)
    s.extend_seizure(case.pk, seizure_id=seizure.pk, reason="检验结果未出", actor=head)
    assert "SEIZURE_PERIOD_EXCEEDED" in refused(s.extend_seizure, case.pk, seizure_id=seizure.pk, reason="再延", actor=head)
    seizure.refresh_from_db()
    with clock.frozen(seizure.due + dt.timedelta(days=1)):
        assert "SEIZURE_PERIOD_EXCEEDED" in refused(s.end_investigation, case.pk, report="x", actor=off)
        s.release_seizure(case.pk, seizure_id=seizure.pk, actor=off)
    assert ledger.verify(case.stream) is None


def test_r14_evidence_failure_removes_the_stored_file(cw, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    case = cw.walk(cw.register(), "investigating")
    before = Evidence.objects.count()  # the walk's own record (现场检查笔录)
    with mock.patch.object(ledger, "append", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            s.record_evidence(case.pk, kind="photo", title="现场照片", upload=SimpleUploadedFile("a.jpg", b"jpg"), actor=cw.actor("officer1"))
    assert Evidence.objects.count() == before
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_apl72_late_payment_reminder_and_court(cw):
    case = cw.walk(cw.register(), "served")
    off, head = cw.actor("officer1"), cw.actor("head1")
    # ACL art.53: the party's remedy periods (60 days, 6 months) run from service; not before them
    assert refused(s.apply_court, case.pk, actor=head) == ["REMINDER_REQUIRED", "COURT_APPLICATION_WINDOW"]
    assert refused(s.remind, case.pk, actor=off) == ["WRONG_STATE"]  # payment period still running
    with later(20):
        s.remind(case.pk, actor=off)
        assert refused(s.apply_court, case.pk, actor=head) == ["COURT_APPLICATION_TOO_EARLY", "COURT_APPLICATION_WINDOW"]
    with later(40):
        payment = s.pay(case.pk, amount=Decimal("1000"), actor=off)
        # 25 days late × 3% × 5000 = 3750 (below the cap of the fine)
        assert payment.late_fee == Decimal("3750.00")
        assert Case.objects.get(pk=case.pk).state == "served"
        assert refused(s.apply_court, case.pk, actor=head) == ["COURT_APPLICATION_WINDOW"]
    with later(200):  # the six months of litigation have run out (and the three months not yet)
        s.apply_court(case.pk, actor=head)
    assert Case.objects.get(pk=case.pk).state == "enforcing"


def test_r24_self_correction_amend_and_revoke(cw):
    case = cw.walk(cw.register(), "served")
    head = cw.actor("head1")
    assert refused(s.correct, case.pk, kind="amend", reason="", kinds=["fine"], amount=Decimal("9000"), actor=head) == [
        "REASON_REQUIRED", "PENALTY_ABOVE_NOTICE"]
    s.correct(case.pk, kind="amend", reason="计算错误", kinds=["fine"], amount=Decimal("3000"), actor=head)
    assert Case.objects.get(pk=case.pk).decision_amount == Decimal("3000")
    decision = s.correct(case.pk, kind="revoke", reason="主体认定错误", actor=head)
    case.refresh_from_db()
    assert case.state == "closed" and decision.content["withdraw_publication_by"]
    assert [e.action for e in RecordEntry.objects.filter(stream=case.stream)][-2:] == ["correct", "correct"]


def test_apl43_recusal_keeps_two_officers(cw):
    case = cw.walk(cw.register(), "investigating")
    head = cw.actor("head1")
    assert refused(s.recuse, case.pk, officer_id=cw.officer("officer2").pk, reason="与当事人有亲属关系", actor=head) == ["RECUSAL_LEAVES_TOO_FEW"]
    s.recuse(case.pk, officer_id=cw.officer("officer2").pk, reason="与当事人有亲属关系",
             replacement_ids=[cw.officer("reviewer1").pk], actor=head)
    assert set(Case.objects.get(pk=case.pk).officers.values_list("pk", flat=True)) == {cw.officer("officer1").pk, cw.officer("reviewer1").pk}


def test_apl51_simple_procedure_warning_is_executed_at_once(cw):
    o1, o2, o3 = cw.officer("officer1"), cw.officer("officer2"), cw.officer("officer3")
    # R04: officer3's certificate has expired — he is not even named at registration
    assert refused(cw.register, procedure="simple", party_kind="person", party_name="李某", party_id_code="650200199001000103",
                   officer_ids=[o1.pk, o3.pk]) == ["CERTIFICATE_INVALID"]
    case = cw.register(procedure="simple", party_kind="person", party_name="李某", party_id_code="650200199001000104", officer_ids=[o1.pk, o2.pk])
    expiry = o2.certificates.get().expires_on
    o2.certificates.update(expires_on=TODAY - dt.timedelta(days=1))  # officer2's certificate expires after registration
    assert refused(s.decide_on_spot, case.pk, kinds=["warning"], reasoning="x", actor=cw.actor("officer1")) == [
        "CERTIFICATE_INVALID", "TWO_OFFICERS_REQUIRED", "CREDENTIALS_NOT_SHOWN", "RIGHTS_NOT_TOLD"]
    o2.certificates.update(expires_on=expiry)  # renewed
    s.assign_officers(case.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk], actor=cw.actor("head1"))
    s.show_credentials(case.pk, actor=cw.actor("officer1"))
    s.inform_rights(case.pk, actor=cw.actor("officer1"))
    s.decide_on_spot(case.pk, kinds=["warning"], reasoning="初次违法，予以警告", actor=cw.actor("officer1"))
    assert Case.objects.get(pk=case.pk).state == "executed"


def test_deadlines_use_working_days_for_short_periods(cw):
    case = cw.walk(cw.register(), "notified")
    kinds = {d.kind: d for d in s.deadlines_of(case)}
    assert kinds["defence"].due == workdays.add_working_days(TODAY, 5).date
    assert kinds["decision"].due == workdays.add_calendar_days(TODAY, 90).date
    assert all(d.days_left == (d.due - TODAY).days for d in kinds.values())


def test_demo_builds_cases_in_every_state(cw):
    import random

    from zhifa.cases.demo import TARGETS, build_demo_cases

    cases = build_demo_cases(random.Random(7), cw.world.market, count=24, today=TODAY)
    states = set(Case.objects.values_list("state", flat=True))
    assert len(cases) == 24 and states == set(TARGETS)
    assert all(ledger.verify(c.stream) is None for c in cases)
    assert Case.objects.filter(hearing_status="held").exists() and Case.objects.filter(seizures__isnull=False).exists()
    assert Case.objects.filter(reviews__result="fail").filter(reviews__result="pass").exists()
    assert Case.objects.filter(decisions__kind="amend").exists()
