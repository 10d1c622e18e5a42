"""R25: the outward and inward workflow of Order 310 through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zhifa.cases import services as cs
from zhifa.core import clock, ledger
from zhifa.core.violations import Refused
from zhifa.documents.models import Document
from zhifa.transfers import services as ts
from zhifa.transfers.models import Transfer

# A decision's discretion reasoning (说理) the pre-issue check accepts (documents/checks.py, ≥ 15 characters).
REASONING = "当事人销售超过保质期的食品，违法事实清楚，证据确凿，依法应予处罚。"


def codes(exc) -> set[str]:
    return {v.code for v in exc.value.violations}


def test_r25_full_outward_walk_records_every_step(tw):
    t = tw.report()
    assert t.state == "reported" and t.blocks_fine
    t = tw.walk(t, "closed")
    kinds = set(Document.objects.filter(subject=t.stream).values_list("kind", flat=True))
    assert {"crime_transfer_letter", "crime_case_report", "crime_exhibit_list", "crime_handover_list"} <= kinds
    assert ledger.verify(t.stream) is None
    actions = [e.action for e in ledger.RecordEntry.objects.filter(stream=t.stream).order_by("seq")]
    assert actions == ["report", "approve", "dispatch", "record_receipt", "record_police_decision", "hand_over_items", "close"]
    # the police filed: the case stays barred from a fine (the criminal court fines, art.11 ¶3)
    assert t.case.__class__.objects.get(pk=t.case_id).transfer_pending


def test_r25_team_too_small(tw):
    with pytest.raises(Refused) as exc:
        tw.report(team=("officer1", "officer3"))  # officer3's certificate expired
    assert "TRANSFER_TEAM_TOO_SMALL" in codes(exc)
    assert not Transfer.objects.exists()


def test_r25_refuse_needs_reason_and_releases_the_case(tw):
    t = tw.report()
    with pytest.raises(Refused) as exc:
        ts.refuse(t.pk, reason="  ", actor=tw.actor("head1"))
    assert codes(exc) == {"REASON_REQUIRED"}
    ts.refuse(t.pk, reason="货值金额未达到立案追诉标准。", actor=tw.actor("head1"))
    t.refresh_from_db()
    assert t.state == "refused" and not t.blocks_fine
    assert not cs.Case.objects.get(pk=t.case_id).transfer_pending


def test_r25_only_the_head_approves(tw):
    t = tw.report()
    with pytest.raises(PermissionDenied):
        ts.approve(t.pk, actor=tw.actor("officer1"))


def test_r25_dispatch_checks_materials(tw):
    t = tw.walk(tw.report(), "approved")
    with pytest.raises(Refused) as exc:
        ts.dispatch(t.pk, investigation="", exhibits=[], actor=tw.actor("officer1"))
    assert codes(exc) == {"TRANSFER_MATERIALS_MISSING"}
    assert "涉案物品清单" in exc.value.violations[0].message
    t.refresh_from_db()
    assert t.state == "approved" and not t.materials.exists()


def test_r25_not_filed_reconsidered_then_procuratorate(tw):
    off, head = tw.actor("officer1"), tw.actor("head1")
    t = tw.walk(tw.report(), "received")
    with pytest.raises(Refused) as exc:
        ts.record_police_decision(t.pk, decision="not_filed", reasons="", actor=off)
    assert codes(exc) == {"REASON_REQUIRED"}
    ts.record_police_decision(t.pk, decision="not_filed", reasons="犯罪事实显著轻微。", actor=off)
    ts.request_reconsideration(t.pk, reason="货值金额已达立案追诉标准。", actor=head)
    ts.record_reconsideration(t.pk, result="not_filed", reasons="维持。", actor=off)
    ts.suggest_procuratorate(t.pk, reason="公安机关应当立案而不立案。", actor=head)
    t.refresh_from_db()
    assert t.state == "procuratorate" and t.blocks_fine
    ts.record_police_decision(t.pk, decision="filed", actor=off)  # after the procuratorate's supervision
    t.refresh_from_db()
    assert t.state == "filed" and t.filed_on == clock.today()


def test_r25_fine_instead_of_transfer_refused_while_pending(tw):
    case = tw.case("notified")
    t = tw.report(case=case)
    head, off = tw.actor("head1"), tw.actor("officer1")
    cs.waive_defence(case.pk, actor=off)
    if cs.Case.objects.get(pk=case.pk).hearing_due:
        cs.waive_hearing(case.pk, actor=off)
    with pytest.raises(Refused) as exc:
        cs.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning=REASONING, actor=head)
    assert "FINE_INSTEAD_OF_TRANSFER" in codes(exc)
    # the head refuses the transfer with reasons: the fine is possible again
    ts.refuse(t.pk, reason="经审查不构成犯罪。", actor=head)
    cs.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning=REASONING, actor=head)
    assert cs.Case.objects.get(pk=case.pk).decision_amount == Decimal("5000")


def test_r25_closing_after_not_filed_releases_the_fine(tw):
    off, head = tw.actor("officer1"), tw.actor("head1")
    t = tw.walk(tw.report(), "received")
    ts.record_police_decision(t.pk, decision="not_filed", reasons="不构成犯罪。", actor=off)
    with pytest.raises(Refused) as exc:
        ts.close(t.pk, note="", actor=head)
    assert codes(exc) == {"REASON_REQUIRED"}
    ts.close(t.pk, note="依法作出行政处罚（第十条）。", actor=head)
    assert not cs.Case.objects.get(pk=t.case_id).transfer_pending


def test_r25_inward_opinion_replied_never_without_action(tw):
    head = tw.actor("head1")
    t = ts.register_inward(inward_kind="opinion", sender="示例市人民检察院", sender_number="示检意〔2026〕3号",
                           summary="建议对被不起诉人给予行政处罚。", party_name="张某", actor=tw.actor("officer1"))
    assert t.state == "registered" and t.next_due_at is not None
    with pytest.raises(Refused) as exc:
        ts.reply(t.pk, outcome="reasoned_reply", reasons="", actor=head)
    assert codes(exc) == {"REASON_REQUIRED"}
    with pytest.raises(Refused):
        ts.reply(t.pk, outcome="penalty_case", actor=head)  # no case linked
    ts.reply(t.pk, outcome="no_penalty", reasons="违法行为轻微并及时改正，没有造成危害后果。", actor=head)
    ts.close(t.pk, actor=head)
    t.refresh_from_db()
    assert t.state == "closed" and Document.objects.filter(subject=t.stream, kind="transfer_reply").exists()


def test_r25_uncertified_head_refused(tw, world):
    t = tw.report()
    from zhifa.registry.models import Certificate

    Certificate.objects.filter(officer=world.officers["head1"]).update(expires_on=clock.today() - dt.timedelta(days=1))
    with pytest.raises(Refused) as exc:
        ts.approve(t.pk, actor=tw.actor("head1"))
    assert "CERTIFICATE_INVALID" in codes(exc)


def test_r25_other_body_cannot_see(tw):
    t = tw.report()
    from django.http import Http404

    with pytest.raises(Http404):
        ts.approve(t.pk, actor=tw.actor("officer_other"))


def test_r25_holiday_load_moves_the_stored_clock(tw):
    from zhifa.core import workdays
    from zhifa.core.models import Holiday

    t = tw.report()  # Monday 23 Nov 2026: the head decides by Thursday 26
    before = t.next_due_at
    Holiday.objects.create(day=dt.date(2026, 11, 26), is_working_day=False, name="临时假日")
    workdays.clear_cache()
    [hook] = [h for h in workdays.recompute_hooks() if h.__module__.startswith("zhifa.transfers")]
    assert hook([2026]) == 1
    t.refresh_from_db()
    assert t.next_due_at - before == dt.timedelta(days=1)  # the last day, a rest day now, moves to Friday
