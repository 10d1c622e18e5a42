"""R21 flexible enforcement: the five forms as enforcement acts, an interview's two officers,
minutes and follow-up, a repeated first offence flagged, education before a no-penalty case closes."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.conftest import TODAY
from zhifa.cases import flexible_rules as fr
from zhifa.cases import flexible_selectors as fs
from zhifa.cases import services as s
from zhifa.cases.models import FlexibleAct
from zhifa.core import ledger
from zhifa.core.violations import Refused
from zhifa.documents.models import Document

PARTY = dict(party_name="示例商贸有限公司", party_id_code="91650200MA0000001X")


def codes(exc) -> set[str]:
    return {v.code for v in exc.value.violations}


def _act(cw, kind="guidance", by="officer1", **kw):
    data = dict(kind=kind, item_code=cw.item.code, content="告知当事人临期食品管理要求。",
                officer_ids=[cw.officer("officer1").pk], **PARTY)
    data.update(kw)
    return s.record_flexible_act(**data, actor=cw.actor(by))


@pytest.mark.parametrize("kind", sorted(fr.KINDS))
def test_r21_each_form_is_a_recorded_enforcement_act(cw, kind):
    extra = {"officer_ids": [cw.officer("officer1").pk, cw.officer("officer2").pk], "minutes": "约谈记录……",
             "follow_up_on": TODAY + dt.timedelta(days=14)} if kind == "interview" else {}
    act = _act(cw, kind, **extra)
    assert act.get_kind_display() == fr.KINDS[kind]
    assert ledger.verify(act.stream) is None
    if kind in fr.DOCUMENTS:
        assert act.document_number and Document.objects.filter(kind=fr.DOCUMENTS[kind], number=act.document_number).exists()


def test_r21_interview_needs_two_certified_officers_minutes_and_follow_up(cw):
    with pytest.raises(Refused) as exc:
        _act(cw, "interview")
    assert codes(exc) == {"TWO_OFFICERS_REQUIRED", fr.MINUTES_REQUIRED, fr.FOLLOW_UP_REQUIRED}
    with pytest.raises(Refused) as exc:  # officer3's certificate has expired
        _act(cw, "interview", officer_ids=[cw.officer("officer1").pk, cw.officer("officer3").pk], minutes="……",
             follow_up_on=TODAY + dt.timedelta(days=7))
    assert "TWO_OFFICERS_REQUIRED" in codes(exc) or "CERTIFICATE_INVALID" in codes(exc)
    assert not FlexibleAct.objects.exists()


def test_r21_auxiliary_staff_and_other_bodies_cannot_record(cw):
    with pytest.raises(PermissionDenied):
        _act(cw, by="aux1")
    with pytest.raises(Refused):  # officer_other's body does not employ officer1
        _act(cw, by="officer_other")


def test_r21_second_first_offence_within_the_look_back_is_flagged_and_needs_a_reason(cw, settings):
    _act(cw, "persuasion", first_offence=True, acted_on=TODAY - dt.timedelta(days=200))
    with pytest.raises(Refused) as exc:
        _act(cw, "persuasion", first_offence=True)
    assert codes(exc) == {fr.REPEAT_FIRST_OFFENCE}
    act = _act(cw, "persuasion", first_offence=True, override_reason="上次为不同门店，情节不同。")
    assert act.repeat_flagged and act.override_reason
    settings.ZHIFA = {**settings.ZHIFA, "FIRST_OFFENCE_LOOKBACK_DAYS": 30}
    assert not _act(cw, "persuasion", first_offence=True, acted_on=TODAY - dt.timedelta(days=100)).repeat_flagged


def test_r21_follow_up_due_on_the_officers_to_do_and_recorded(cw):
    act = _act(cw, "warning", follow_up_on=TODAY + dt.timedelta(days=3), acted_on=TODAY - dt.timedelta(days=10))
    assert list(fs.follow_ups_due(cw.actor("officer1"), TODAY)) == []
    assert list(fs.follow_ups_due(cw.actor("officer1"), TODAY + dt.timedelta(days=3))) == [act]
    assert list(fs.follow_ups_due(cw.actor("officer2"), TODAY + dt.timedelta(days=3))) == []
    s.record_follow_up(act.pk, result="已整改。", actor=cw.actor("officer1"))
    with pytest.raises(Refused):
        s.record_follow_up(act.pk, result="再次", actor=cw.actor("officer1"))


def test_r21_later_violation_linked(cw):
    act = _act(cw, "warning", acted_on=TODAY - dt.timedelta(days=60))
    case = cw.register(act_date=TODAY - dt.timedelta(days=30))
    assert list(fs.later_violation_candidates(act)) == [case]
    s.link_later_violation(act.pk, case_id=case.pk, actor=cw.actor("officer1"))
    assert list(act.later_cases.all()) == [case] and list(fs.later_violation_candidates(act)) == []


def test_r21_no_penalty_case_closes_only_with_an_education_act(cw):
    case = cw.walk(cw.register(), "notified", amount=None, kinds=("warning",))
    off, head = cw.actor("officer1"), cw.actor("head1")
    s.waive_defence(case.pk, actor=off)
    s.decide(case.pk, outcome="no_penalty", reasoning="首次违法、危害后果轻微并及时改正。", education="已当场说服教育。", actor=head)
    act = FlexibleAct.objects.get(case=case)
    assert act.kind == "persuasion" and act.content == "已当场说服教育。"
    act.officers.clear()
    act.delete()  # as if the education had never been recorded
    with pytest.raises(Refused) as exc:
        s.close_case(case.pk, actor=head)
    assert codes(exc) == {fr.EDUCATION_REQUIRED}
    _act(cw, "persuasion", case_id=case.pk, item_code="", party_name="", party_id_code="", content="约请当事人到局说服教育。")
    assert s.close_case(case.pk, actor=head).state == "closed"


def test_r21_api_create_list_and_denials(cw, api_as, django_assert_max_num_queries):
    api = api_as("officer1")
    body = {"kind": "interview", "item_code": cw.item.code, "content": "约谈", **PARTY,
            "officer_ids": [cw.officer("officer1").pk]}
    r = api.post("/api/v1/flexible-acts", body)
    assert r.status_code == 409 and {v["code"] for v in r.json()["violations"]} >= {"TWO_OFFICERS_REQUIRED", "MINUTES_REQUIRED"}
    r = api.post("/api/v1/flexible-acts", {**body, "officer_ids": [cw.officer("officer1").pk, cw.officer("officer2").pk],
                                           "minutes": "约谈笔录", "follow_up_on": str(TODAY + dt.timedelta(days=7))})
    assert r.status_code == 201, r.content
    assert r.json()["document_number"]
    assert api.post("/api/v1/flexible-acts", {**body, "kind": "scolding"}).status_code == 422
    assert api_as("aux1").post("/api/v1/flexible-acts", {**body, "kind": "guidance"}).status_code == 403
    for _ in range(5):
        _act(cw, "guidance")
    with django_assert_max_num_queries(10):
        r = api.get("/api/v1/flexible-acts", page_size=50)
    assert r.json()["count"] == 6
    assert api_as("officer_other").get("/api/v1/flexible-acts").json()["count"] == 0
    assert api_as(None).get("/api/v1/flexible-acts").status_code == 401


@pytest.mark.usefixtures("pages_today")
def test_r21_page_records_and_lists(cw):
    c = Client()
    assert c.login(username="officer1", password="zhifa-demo")
    r = c.post("/cases/flexible/", {"act-kind": "guidance", "act-item_code": cw.item.code, "act-party_kind": "organisation",
                                    "act-party_name": "示例商贸有限公司", "act-officers": [cw.officer("officer1").pk],
                                    "act-content": "政策辅导内容"}, follow=True)
    assert r.status_code == 200 and "已登记政策辅导" in r.content.decode()
    r = c.post("/cases/flexible/", {"act-kind": "interview", "act-item_code": cw.item.code, "act-party_kind": "organisation",
                                    "act-party_name": "示例商贸有限公司", "act-officers": [cw.officer("officer1").pk],
                                    "act-content": "约谈"})
    assert "约谈笔录" in r.content.decode() and FlexibleAct.objects.count() == 1


@pytest.mark.usefixtures("pages_today")
def test_r21_page_queries_do_not_grow_with_the_list(cw):
    from tests.conftest import page_queries

    c = Client()
    assert c.login(username="officer1", password="zhifa-demo")
    _act(cw, "guidance")
    few = page_queries(c, "/cases/flexible/")
    for _ in range(10):
        _act(cw, "warning", follow_up_on=TODAY + dt.timedelta(days=1), acted_on=TODAY - dt.timedelta(days=1))
    assert page_queries(c, "/cases/flexible/") == few
    assert page_queries(c, "/cases/flexible/?due=1") <= few + 1
    assert Client().get("/cases/flexible/").status_code == 302  # login first
