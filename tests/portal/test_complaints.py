"""Complaints and reports (R35, legal-rules §H): filed on the portal without login, followed by
tracking code, handled by the body's head or legal reviewer within the periods, recorded; the
reporter's identity never shown to the body."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import TODAY
from zhifa.core import ledger, workdays
from zhifa.portal import rules
from zhifa.portal.models import Complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_today")]


def form(world, **extra) -> dict:
    data = {"kind": "complaint", "body_id": world.market.pk, "subject": "执法人员未出示证件",
            "facts": "执法人员到店检查时没有出示执法证件，要求出示被拒绝。", "request": "请依法处理",
            "reporter_name": "赵大勇", "reporter_phone": "13700001111", "reporter_address": "示例市示例区光明路1号",
            "website": ""}
    data.update(extra)
    return data


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="zhifa-demo")
    return client


def test_r35_complaint_filed_followed_by_code_and_answered(world):
    public = Client(REMOTE_ADDR="10.0.0.1")
    response = public.post("/public/complaints/new/", form(world))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/public/complaints/{complaint.tracking_code}/filed/"
    assert rules.valid_tracking_code(complaint.tracking_code)
    assert complaint.accept_due == workdays.add_working_days(TODAY, 7).date
    page = public.get(response["Location"]).content.decode()
    assert complaint.tracking_code in page and "赵大勇" not in page and "13700001111" not in page
    assert public.get("/public/complaints/", {"code": complaint.tracking_code.lower()}).status_code == 302

    head = login("head1")
    detail = head.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "赵大勇" not in detail and "13700001111" not in detail and "身份信息依法保密" in detail
    assert head.post(f"/complaints/{complaint.pk}/", {"action": "accept", "text": ""}).status_code == 302
    refused = head.post(f"/complaints/{complaint.pk}/", {"action": "answer", "text": ""})
    assert refused.status_code == 409
    codes = {v.code for v in refused.context["violations"]}
    assert codes == {rules.WRONG_STATE, rules.REASON_REQUIRED}
    no_finding = head.post(f"/complaints/{complaint.pk}/", {"action": "handle", "text": "已调取执法记录仪视频核实"})
    assert no_finding.status_code == 409 and {v.code for v in no_finding.context["violations"]} == {rules.FINDING_REQUIRED}
    head.post(f"/complaints/{complaint.pk}/", {"action": "handle", "text": "已调取执法记录仪视频核实", "finding": "upheld"})
    head.post(f"/complaints/{complaint.pk}/", {"action": "answer", "text": "经核实，已对涉事人员批评教育。"})
    complaint.refresh_from_db()
    assert complaint.state == "answered" and complaint.decided_on == TODAY
    followed = public.get(f"/public/complaints/{complaint.tracking_code}/").content.decode()
    assert "已答复" in followed and "批评教育" in followed and "处理结论" in followed and complaint.finding == "upheld"
    actions = [e.action for e in ledger.RecordEntry.objects.filter(stream=f"complaint:{complaint.pk}").order_by("seq")]
    assert actions == ["file_complaint", "accept", "handle", "answer"]
    assert ledger.verify(f"complaint:{complaint.pk}") is None
    entry = ledger.RecordEntry.objects.filter(stream=f"complaint:{complaint.pk}", seq=1).get()
    assert "赵大勇" not in str(entry.payload) and "13700001111" not in str(entry.payload)


def test_r35_supervisor_sees_identity_plain_officer_is_refused(world):
    Client(REMOTE_ADDR="10.0.0.2").post("/public/complaints/new/", form(world))
    complaint = Complaint.objects.get()
    assert "赵大勇" in login("supervisor").get(f"/complaints/{complaint.pk}/").content.decode()
    assert login("officer1").get("/complaints/").status_code == 403
    assert login("officer_other").get("/complaints/").status_code == 403
    assert Client().get("/complaints/").status_code == 302  # to the login page
    other_head = login("supervisor")
    assert other_head.post(f"/complaints/{complaint.pk}/", {"action": "accept"}).status_code == 403


def test_r35_complaint_must_be_named_report_may_be_anonymous(world):
    public = Client(REMOTE_ADDR="10.0.0.3")
    refused = public.post("/public/complaints/new/", form(world, reporter_name="", reporter_phone=""))
    assert refused.status_code == 409 and not Complaint.objects.exists()
    assert [v.code for v in refused.context["violations"]] == [rules.IDENTITY_REQUIRED]
    ok = public.post("/public/complaints/new/", form(world, kind="report", anonymous="on", reporter_name="钱某人"))
    assert ok.status_code == 302
    report = Complaint.objects.get()
    assert report.anonymous and report.reporter_name == "" and report.reporter_phone == ""


def test_r35_bad_input_is_400_and_writes_nothing(world, unpublished_foreign_body):
    public = Client(REMOTE_ADDR="10.0.0.4")
    for bad in (form(world, subject=""), form(world, facts="短"), form(world, facts="长" * 2001), form(world, body_id="abc"),
                form(world, reporter_email="not-an-email"), form(world, known_on="2026-13-45")):
        assert public.post("/public/complaints/new/", bad).status_code == 400
    assert public.post("/public/complaints/new/", form(world, body_id=unpublished_foreign_body.pk)).status_code in (400, 409)
    assert not Complaint.objects.exists()


def test_r35_honeypot_refuses_robots(world):
    response = Client(REMOTE_ADDR="10.0.0.5").post("/public/complaints/new/", form(world, website="http://spam.example"))
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_r35_rate_limit_per_address(world):
    robot = Client(REMOTE_ADDR="10.0.0.6")
    for _ in range(rules.FILINGS_PER_ADDRESS_PER_HOUR):
        assert robot.post("/public/complaints/new/", form(world)).status_code == 302
    limited = robot.post("/public/complaints/new/", form(world))
    assert limited.status_code == 429 and "一小时内" in limited.content.decode()
    assert Complaint.objects.count() == rules.FILINGS_PER_ADDRESS_PER_HOUR
    assert Client(REMOTE_ADDR="10.0.0.7").post("/public/complaints/new/", form(world)).status_code == 302


def test_r35_staff_list_scoped_and_overdue(world):
    from zhifa.core import clock

    with clock.frozen(TODAY - dt.timedelta(days=20)):
        Client(REMOTE_ADDR="10.0.0.8").post("/public/complaints/new/", form(world))
    Client(REMOTE_ADDR="10.0.0.9").post("/public/complaints/new/", form(world, body_id=world.urban.pk))
    head = login("head1")
    listing = head.get("/complaints/")
    assert listing.status_code == 200 and listing.context["page"].paginator.count == 1
    assert head.get("/complaints/", {"overdue": "on"}).context["page"].paginator.count == 1
    assert "已逾期" in listing.content.decode()
    other = Complaint.objects.get(body=world.urban)
    assert head.get(f"/complaints/{other.pk}/").status_code == 404
    assert login("supervisor").get("/complaints/").context["page"].paginator.count == 2


def test_r35_complaint_statistics_are_published(world):
    public = Client(REMOTE_ADDR="10.0.0.10")
    public.post("/public/complaints/new/", form(world))
    public.post("/public/complaints/new/", form(world, kind="report", anonymous="on"))
    stats = public.get("/public/complaints/").context["stats"]
    assert stats["total"] == 2 and dict(stats["by_state"])[rules.State.RECEIVED.label] == 2
    assert stats["by_body"] == [{"body_name": world.market.name, "count": 2}]


def test_r35_staff_list_queries_do_not_grow(world, django_assert_max_num_queries):
    for i in range(12):
        Client(REMOTE_ADDR=f"10.1.0.{i}").post("/public/complaints/new/", form(world))
    head = login("head1")
    with django_assert_max_num_queries(14):
        assert head.get("/complaints/").status_code == 200


def test_r41_guidance_admin_saves_are_recorded(world):
    admin = login("admin")
    response = admin.post("/admin/portal/guidancecase/add/", {
        "number": "ZD-T-1", "title": "测试指导案例", "domain": "市场监管", "keywords": "食品安全", "summary": "案情",
        "points_of_law": "要点", "legal_basis": "食品安全法", "published_on": "2026-11-01", "is_published": "on"})
    assert response.status_code == 302
    from zhifa.portal.models import GuidanceCase

    case = GuidanceCase.objects.get(number="ZD-T-1")
    assert ledger.RecordEntry.objects.filter(stream=f"guidance:{case.pk}", action="admin_create_guidancecase").exists()
    assert Client().get(f"/public/guidance/{case.pk}/").status_code == 200


def test_r35_rate_limit_behind_a_proxy_counts_the_client_header(world, settings):
    settings.ZHIFA = {**settings.ZHIFA, "CLIENT_ADDRESS_HEADER": "HTTP_X_REAL_IP"}
    for i in range(rules.FILINGS_PER_ADDRESS_PER_HOUR + 1):
        proxy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=f"203.0.113.{i}")
        assert proxy.post("/public/complaints/new/", form(world)).status_code == 302
    same = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.0")
    for _ in range(rules.FILINGS_PER_ADDRESS_PER_HOUR - 1):
        assert same.post("/public/complaints/new/", form(world)).status_code == 302
    assert same.post("/public/complaints/new/", form(world)).status_code == 429
