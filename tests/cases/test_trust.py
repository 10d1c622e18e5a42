"""Issue 14, findings 1 and 2: every act on a case is the act of a certified officer (R04: the
actor's *own* certificate valid on the act's date, not only the named officers'), and the
investigating officers' acts are the case's assigned officers' (承办人员, ``NOT_ASSIGNED``)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests.conftest import TODAY
from zhifa.cases import forms
from zhifa.cases import permissions as p
from zhifa.cases import services as s

from .conftest import refused

PASSWORD = "zhifa-demo"


def login(cw, username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _expire(officer, on=TODAY):
    officer.certificates.update(expires_on=on - dt.timedelta(days=1))


# --- Finding 1: R04, the acting officer's own certificate -------------------------------------

def test_r04_an_officer_with_an_expired_certificate_cannot_show_credentials(cw):
    """officer3's certificate has expired: before the fix, he recorded 亮证 for two valid officers."""
    case = cw.register()
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    assert refused(s.show_credentials, case.pk, officer_ids=[o1, o2], actor=cw.actor("officer3")) == ["CERTIFICATE_INVALID"]
    s.show_credentials(case.pk, officer_ids=[o1, o2], actor=cw.actor("officer1"))


def test_r04_an_assigned_officer_whose_certificate_expired_cannot_archive(cw):
    """Archiving checked no certificate at all: it is an officer's act like any other."""
    case = cw.walk(cw.register(), "closed")
    _expire(cw.officer("officer1"))
    assert refused(s.archive_case, case.pk, actor=cw.actor("officer1")) == ["CERTIFICATE_INVALID"]
    s.archive_case(case.pk, actor=cw.actor("officer2"))


def test_r04_the_certificate_is_valid_on_the_acts_date(cw):
    """Valid through its expiry date inclusive; the day after, the same officer is refused."""
    case = cw.walk(cw.register(), "investigating")
    officer = cw.officer("officer1")
    officer.certificates.update(expires_on=TODAY)
    s.record_education(case.pk, content="当场教育", actor=cw.actor("officer1"))
    assert p.certificate_violations(cw.actor("officer1"), TODAY) == []
    assert [v.code for v in p.certificate_violations(cw.actor("officer1"), TODAY + dt.timedelta(days=1))] == ["CERTIFICATE_INVALID"]


def test_r04_the_head_without_a_valid_certificate_cannot_file_or_decide(cw):
    case = cw.register()
    _expire(cw.officer("head1"))
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    assert refused(s.file_case, case.pk, officer_ids=[o1, o2], actor=cw.actor("head1")) == ["CERTIFICATE_INVALID"]


def test_r04_the_legal_reviewers_review_is_not_an_enforcement_act(cw):
    """APL art.58: the legal review is an internal check; its bar is the reviewer's qualification
    (R18), not an enforcement certificate."""
    case = cw.walk(cw.register(), "reviewed")
    s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=cw.actor("officer1"))
    _expire(cw.officer("reviewer1"))
    s.complete_review(case.pk, result="pass", opinion="同意", actor=cw.actor("reviewer1"))


def test_r04_expired_officer_is_refused_through_the_api(cw, api_as):
    case = cw.walk(cw.register(), "investigating")
    s.Case.objects.get(pk=case.pk).officers.add(cw.officer("officer3"))  # assigned before it expired
    api = api_as("officer3")
    detail = api.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["allowed_actions"] == []
    r = api.post(f"/api/v1/cases/{case.pk}/actions/end_investigation",
                 {"report": "调查终结", "proposed_kinds": ["fine"], "proposed_amount": "5000"})
    assert r.status_code == 409
    assert "CERTIFICATE_INVALID" in [v["code"] for v in r.json()["violations"]]
    assert s.Case.objects.get(pk=case.pk).state == "investigating"


def test_r04_expired_officer_sees_no_action_and_is_refused_on_the_page(cw):
    case = cw.walk(cw.register(), "investigating")
    s.Case.objects.get(pk=case.pk).officers.add(cw.officer("officer3"))
    client = login(cw, "officer3")
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="action-end_investigation"' not in html
    r = client.post(reverse("cases:action", args=[case.pk, "record_education"]), {"record_education-content": "教育"})
    assert r.status_code == 409 and "CERTIFICATE_INVALID" in r.content.decode()


def test_r04_pickers_offer_only_officers_with_a_valid_certificate(cw):
    body = cw.officer("officer1").body_id
    offered = {o.user.username for o in forms.body_officers(body).select_related("user")}
    assert {"officer1", "officer2", "head1"} <= offered
    assert "officer3" not in offered and "aux1" not in offered
    page = login(cw, "officer1").get(reverse("cases:register")).content.decode()
    assert "李明" in page and "赵强" not in page  # officer3 (赵强) is not offered as 承办人员
    case = cw.register()
    detail = login(cw, "head1").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="action-file"' in detail and "赵强" not in detail


# --- Finding 2: assignment (承办) --------------------------------------------------------------

def test_r14_only_the_assigned_officers_investigate(cw):
    """officer1 and officer2 are assigned; officer3's certificate aside, an unassigned certified
    officer of the body (head1 acting as an officer) is refused with NOT_ASSIGNED."""
    case = cw.register()
    o1 = cw.officer("officer1").pk
    s.file_case(case.pk, officer_ids=[o1, cw.officer("head1").pk], actor=cw.actor("head1"))
    assert refused(s.record_education, case.pk, content="教育", actor=cw.actor("officer2")) == ["NOT_ASSIGNED"]
    assert refused(s.end_investigation, case.pk, report="调查终结", proposed_kinds=["fine"], proposed_amount=Decimal("5000"),
                   actor=cw.actor("officer2")) == ["NOT_ASSIGNED"]
    assert "end_investigation" not in s.allowed_actions(s.Case.objects.get(pk=case.pk), cw.actor("officer2"))
    assert "end_investigation" in s.allowed_actions(s.Case.objects.get(pk=case.pk), cw.actor("officer1"))


def test_r14_the_head_assigns_and_the_newly_assigned_officer_acts(cw):
    case = cw.walk(cw.register(), "investigating")
    o1, o2 = cw.officer("officer1").pk, cw.officer("officer2").pk
    head = cw.officer("head1").pk
    s.assign_officers(case.pk, officer_ids=[o1, head], actor=cw.actor("head1"))
    assert refused(s.record_education, case.pk, content="教育", actor=cw.actor("officer2")) == ["NOT_ASSIGNED"]
    s.assign_officers(case.pk, officer_ids=[o1, o2], actor=cw.actor("head1"))
    s.record_education(case.pk, content="教育", actor=cw.actor("officer2"))


def test_r14_an_unassigned_officer_sees_none_of_the_investigating_acts(cw):
    case = cw.walk(cw.register(), "notified")
    s.assign_officers(case.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("head1").pk], actor=cw.actor("head1"))
    case = s.Case.objects.select_related("body").get(pk=case.pk)
    assert p.acting_roles(cw.actor("officer2"), case, TODAY) == {"staff"}
    assert s.allowed_actions(case, cw.actor("officer2")) == []
    assert "decide" in s.allowed_actions(case, cw.actor("head1"))  # the head decides, assigned or not


def test_r14_not_assigned_through_the_api_is_409(cw, api_as):
    case = cw.walk(cw.register(), "investigating")
    s.assign_officers(case.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("head1").pk], actor=cw.actor("head1"))
    r = api_as("officer2").post(f"/api/v1/cases/{case.pk}/actions/record_education", {"content": "教育"})
    assert r.status_code == 409 and [v["code"] for v in r.json()["violations"]] == ["NOT_ASSIGNED"]


def test_r04_registration_names_only_officers_with_a_valid_certificate(cw):
    o1, o3 = cw.officer("officer1").pk, cw.officer("officer3").pk
    assert refused(cw.register, officer_ids=[o1, o3]) == ["CERTIFICATE_INVALID"]
    assert cw.register(officer_ids=[o1]).officers.count() == 1
