"""R04/R05/R07/R08 registry writes from the pages: heads (and the administrator) get action
panels on the officer and body pages; everything goes through ``registry.services``; officers,
auxiliary staff, supervisors and other bodies' heads get 403/404; refusals write nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import TODAY
from tests.factories import PASSWORD, make_user
from zhifa.core import clock
from zhifa.registry.models import Assignment, Certificate, Officer, TrainingRecord


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(TODAY):
        yield


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def action(officer: Officer, code: str, target=None) -> str:
    if target is None:
        return reverse("registry:officer_action", args=[officer.pk, code])
    return reverse("registry:officer_target_action", args=[officer.pk, code, target.pk])


def current(officer: Officer) -> Certificate:
    return officer.certificates.order_by("-issued_on", "-id").first()


def snapshot():
    """Everything a registry write could change."""
    return (
        list(Certificate.objects.order_by("pk").values_list("pk", "status", "revocation_reason", "status_changed_on", "status_note")),
        TrainingRecord.objects.count(),
        list(Assignment.objects.order_by("pk").values_list("pk", "ends_on")),
        list(Officer.objects.order_by("pk").values_list("pk", "status", "left_on", "left_reason")),
    )


# --- What each role sees -----------------------------------------------------------------

def test_head_sees_action_panels_on_officer_page(world):
    response = login("head1").get(reverse("registry:officer_detail", args=[world.officers["officer2"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for code in ("suspend", "revoke", "issue", "training", "assignment", "remove"):
        assert f'data-action="{code}"' in html
    assert 'data-action="restore"' not in html  # only for a suspended certificate


def test_r05_no_certificate_panel_for_auxiliary(world):
    html = login("head1").get(reverse("registry:officer_detail", args=[world.officers["aux1"].pk])).content.decode()
    assert 'data-action="training"' in html
    assert 'data-action="issue"' not in html


@pytest.mark.parametrize("username", ["officer1", "aux1", "reviewer1", "supervisor"])
def test_non_heads_see_no_forms(world, username):
    html = login(username).get(reverse("registry:officer_detail", args=[world.officers["officer2"].pk])).content.decode()
    assert "data-action=" not in html
    assert 'data-testid="manage"' not in html
    body_html = login(username).get(reverse("registry:body_detail", args=[world.market.pk])).content.decode()
    assert 'data-action="register"' not in body_html


def test_head_sees_register_panel_on_own_body_only(world):
    client = login("head1")
    assert 'data-action="register"' in client.get(reverse("registry:body_detail", args=[world.market.pk])).content.decode()
    assert 'data-action="register"' not in client.get(reverse("registry:body_detail", args=[world.urban.pk])).content.decode()


# --- Writes through the pages ------------------------------------------------------------

def test_r07_head_records_training(world):
    officer = world.officers["officer1"]
    response = login("head1").post(action(officer, "training"), {
        "training-name": "行政处罚法专题培训", "training-provider": "示例市司法局",
        "training-held_on": "2026-11-20", "training-hours": "12.5",
    }, follow=True)
    assert response.status_code == 200
    record = TrainingRecord.objects.get(officer=officer)
    assert (record.title, record.hours, record.held_on) == ("行政处罚法专题培训", Decimal("12.5"), dt.date(2026, 11, 20))
    html = response.content.decode()
    assert "已登记培训“行政处罚法专题培训”（12.5学时）" in html


def test_r04_head_revokes_certificate_on_retirement(world):
    officer = world.officers["officer2"]
    cert = current(officer)
    response = login("head1").post(action(officer, "revoke", cert), {
        "revoke-reason": "retirement", "revoke-note": "2026年11月退休",
    }, follow=True)
    assert response.status_code == 200
    cert.refresh_from_db()
    assert (cert.status, cert.revocation_reason, cert.status_changed_on) == ("revoked", "retirement", TODAY)
    html = response.content.decode()
    assert "已注销（退休）" in html and 'data-action="revoke"' not in html


def test_r04_suspend_then_restore(world):
    officer = world.officers["officer1"]
    cert = current(officer)
    client = login("head1")
    client.post(action(officer, "suspend", cert), {"suspend-note": "涉嫌违纪，调查期间暂扣"})
    cert.refresh_from_db()
    assert cert.status == "suspended"
    html = client.get(reverse("registry:officer_detail", args=[officer.pk])).content.decode()
    assert 'data-action="restore"' in html and 'data-action="suspend"' not in html
    client.post(action(officer, "restore", cert), {"restore-note": "调查结束"})
    cert.refresh_from_db()
    assert cert.status == "valid"


def test_r04_issue_renewed_certificate_becomes_current(world):
    officer = world.officers["officer3"]  # expired certificate
    response = login("head1").post(action(officer, "issue"), {
        "issue-number": "65020099000001", "issue-issuer": "示例市人民政府", "issue-exam_score": "88",
        "issue-issued_on": "2026-11-20", "issue-expires_on": "2031-11-19",
    })
    assert response.status_code == 302
    assert current(officer).number == "65020099000001"
    listed = login("head1").get(reverse("registry:officer_detail", args=[officer.pk])).content.decode()
    assert "65020099000001" in listed


def test_r08_record_and_end_assignment(world):
    officer = world.officers["officer1"]
    client = login("head1")
    client.post(action(officer, "assignment"), {
        "assignment-kind": "secondment", "assignment-organization": "示例市创城指挥部",
        "assignment-starts_on": "2026-11-01", "assignment-approved_by": "局党组",
    })
    assignment = Assignment.objects.get(officer=officer)
    assert assignment.ends_on is None
    response = client.post(action(officer, "end_assignment", assignment), {})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY


def test_r05_register_auxiliary_then_remove(world):
    client = login("head1")
    response = client.post(reverse("registry:register_officer", args=[world.market.pk]), {
        "register-name": "郑辅", "register-is_auxiliary": "on", "register-staff_no": "FZ-01", "register-joined_on": "2026-11-01",
    })
    assert response.status_code == 302
    aux = Officer.objects.get(name="郑辅")
    assert (aux.is_auxiliary, aux.joined_on, aux.body_id, aux.status) == (True, dt.date(2026, 11, 1), world.market.pk, "active")
    client.post(action(aux, "remove"), {"remove-reason": "dismissal", "remove-note": "合同期满清退"})
    aux.refresh_from_db()
    assert (aux.status, aux.left_on) == ("left", TODAY)
    assert "合同期满清退" in aux.left_reason


def test_r04_removal_revokes_valid_certificate(world):
    officer = world.officers["officer1"]
    login("head1").post(action(officer, "remove"), {"remove-reason": "transfer"})
    officer.refresh_from_db()
    assert officer.status == "left"
    cert = current(officer)
    assert (cert.status, cert.revocation_reason, cert.status_changed_on) == ("revoked", "transfer", TODAY)


def test_admin_may_write_any_body(world):
    officer = world.officers["officer_other"]
    response = login("admin").post(action(officer, "training"), {
        "training-name": "城管执法培训", "training-held_on": "2026-10-01", "training-hours": "8",
    })
    assert response.status_code == 302
    assert TrainingRecord.objects.filter(officer=officer).count() == 1


# --- Errors next to the fields, refusals listing every reason, nothing written -----------

def test_bad_form_shows_errors_next_to_fields_and_writes_nothing(world):
    officer = world.officers["officer1"]
    before = snapshot()
    response = login("head1").post(action(officer, "training"), {
        "training-name": "", "training-held_on": "2026-13-40", "training-hours": "abc",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_training-name_error"' in html and "请填写培训名称" in html
    assert 'id="id_training-held_on_error"' in html and "日期格式应为 YYYY-MM-DD" in html
    assert 'id="id_training-hours_error"' in html and "请输入数字" in html
    assert '<details class="action-panel refused" id="action-training" data-action="training" open>' in html
    assert snapshot() == before


def test_refusal_lists_every_violation_and_writes_nothing(world):
    aux = world.officers["aux1"]
    Officer.objects.filter(pk=aux.pk).update(status="left")  # still in scope: a former auxiliary
    taken = current(world.officers["officer1"]).number
    before = snapshot()
    # The issue panel is not offered for auxiliary staff; a crafted post is still refused by the service.
    response = login("head1").post(action(aux, "issue"), {
        "issue-number": taken, "issue-exam_score": "45", "issue-issued_on": "2026-11-20", "issue-expires_on": "2031-11-19",
    })
    assert response.status_code == 409
    html = response.content.decode()
    assert "操作未通过，共 3 项原因" in html
    for code in ("DUPLICATE_NUMBER", "WRONG_STATE", "AUXILIARY_CANNOT_ACT"):
        assert code in html
    assert snapshot() == before


def test_revoking_twice_is_refused(world):
    officer = world.officers["officer2"]
    cert = current(officer)
    client = login("head1")
    client.post(action(officer, "revoke", cert), {"revoke-reason": "retirement"})
    before = snapshot()
    response = client.post(action(officer, "revoke", cert), {"revoke-reason": "retirement"})
    assert response.status_code == 409
    assert "该执法证已注销" in response.content.decode()
    assert snapshot() == before


# --- Denials -----------------------------------------------------------------------------

WRITES = [
    ("training", None, {"training-name": "培训", "training-held_on": "2026-11-01", "training-hours": "8"}),
    ("revoke", "cert", {"revoke-reason": "retirement"}),
    ("suspend", "cert", {"suspend-note": "调查"}),
    ("issue", None, {"issue-number": "X1", "issue-issued_on": "2026-11-01", "issue-expires_on": "2030-01-01"}),
    ("assignment", None, {"assignment-kind": "secondment", "assignment-organization": "某单位", "assignment-starts_on": "2026-11-01"}),
    ("remove", None, {"remove-reason": "transfer"}),
]


@pytest.mark.parametrize("username,status", [
    ("officer1", 403), ("aux1", 403), ("reviewer1", 403), ("supervisor", 403), ("officer_other", 404),
])
@pytest.mark.parametrize("code,target,data", WRITES, ids=[w[0] for w in WRITES])
def test_denied_writes_change_nothing(world, username, status, code, target, data):
    officer = world.officers["officer2"]
    target_obj = current(officer) if target == "cert" else None
    before = snapshot()
    response = login(username).post(action(officer, code, target_obj), data)
    assert response.status_code == status
    assert snapshot() == before


def test_head_of_another_body_gets_404(world):
    urban_head = Officer.objects.create(body=world.urban, name="城管局长", is_head=True, user=make_user("head_urban"))
    assert urban_head.pk
    officer = world.officers["officer2"]
    before = snapshot()
    client = login("head_urban")
    assert client.post(action(officer, "revoke", current(officer)), {"revoke-reason": "retirement"}).status_code == 404
    assert client.post(reverse("registry:register_officer", args=[world.market.pk]), {"register-name": "某", "register-joined_on": "2026-11-01"}).status_code == 404
    assert snapshot() == before


def test_register_denied_for_officer_and_supervisor(world):
    for username, status in (("officer1", 403), ("supervisor", 403)):
        response = login(username).post(reverse("registry:register_officer", args=[world.market.pk]), {
            "register-name": "某", "register-joined_on": "2026-11-01",
        })
        assert response.status_code == status
    assert not Officer.objects.filter(name="某").exists()


def test_certificate_of_another_officer_is_404(world):
    cert = current(world.officers["officer1"])
    response = login("head1").post(action(world.officers["officer2"], "revoke", cert), {"revoke-reason": "retirement"})
    assert response.status_code == 404
    cert.refresh_from_db()
    assert cert.status == "valid"


def test_unknown_action_is_404_and_get_redirects(world):
    client = login("head1")
    officer = world.officers["officer1"]
    assert client.post(f"/officers/{officer.pk}/actions/delete/", {}).status_code == 404
    assert client.get(action(officer, "training")).status_code == 302


def test_anonymous_is_sent_to_login(world):
    response = Client().post(action(world.officers["officer1"], "training"), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_officer_page_with_panels_query_count(world, django_assert_max_num_queries):
    client = login("head1")
    url = reverse("registry:officer_detail", args=[world.officers["officer2"].pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


# --- The admin cannot bypass the rules ---------------------------------------------------

def test_admin_certificate_status_is_read_only(world):
    from zhifa.registry.admin import CertificateAdmin, CertificateInline

    assert {"status", "revocation_reason", "number", "expires_on"} <= set(CertificateAdmin.readonly_fields)
    assert {"status", "revocation_reason"} <= set(CertificateInline.readonly_fields)
    client = login("admin")
    cert = current(world.officers["officer1"])
    page = client.get(reverse("admin:registry_certificate_change", args=[cert.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    client.post(reverse("admin:registry_certificate_change", args=[cert.pk]), {"issuer": "示例市人民政府", "status": "revoked"})
    cert.refresh_from_db()
    assert cert.status == "valid"
    assert client.get(reverse("admin:registry_certificate_add")).status_code == 403
    officer_page = client.get(reverse("admin:registry_officer_change", args=[world.officers["officer1"].pk])).content.decode()
    assert 'name="certificates-0-status"' not in officer_page


def test_every_success_message_is_plain_chinese(world):
    officer = world.officers["officer1"]
    client = login("head1")
    cert = current(officer)
    steps = [
        (action(officer, "suspend", cert), {"suspend-note": "调查"}, "已暂扣"),
        (action(officer, "restore", cert), {}, "已恢复有效"),
        (action(officer, "assignment"), {"assignment-kind": "non_enforcement", "assignment-organization": "信访接待",
                                         "assignment-starts_on": "2026-11-01"}, "已登记从事非执法工作：信访接待"),
        (action(officer, "issue"), {"issue-number": "N-2026-1", "issue-issued_on": "2026-11-20", "issue-expires_on": "2031-11-19"}, "已发放执法证 N-2026-1"),
        (action(officer, "remove"), {"remove-reason": "transfer"}, "李明已离岗（调离执法岗位）"),
    ]
    for url, data, text in steps:
        html = client.post(url, data, follow=True).content.decode()
        assert text in html, text
        assert "functools" not in html and "bound method" not in html
    assignment = Assignment.objects.get(officer=officer)
    Officer.objects.filter(pk=officer.pk).update(status="active")
    html = client.post(action(officer, "end_assignment", assignment), {}, follow=True).content.decode()
    assert "从事非执法工作安排已结束（2026-11-23）" in html
