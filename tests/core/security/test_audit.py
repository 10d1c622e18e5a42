"""Issue 15 §2: one hash-chained security audit log of logins, failures, lockouts, logouts,
permission denials, account and role changes, admin actions and exports — each entry with time,
user, address, outcome and object — read by the administrator and the auditor role only
(GET /api/v1/audit, /security/audit/), never editable, swept after the retention period and never
before."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.conftest import ApiClient
from zhifa.core.models import SecurityEvent
from zhifa.core.security import audit


def _token(username, password, address="10.0.0.1"):
    client = ApiClient()
    client.headers["REMOTE_ADDR"] = address
    return client.post("/api/v1/auth/token", {"username": username, "password": password})


@pytest.fixture
def plain(settings):
    settings.SECURE_SSL_REDIRECT = False
    return settings


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("seq").values_list("kind", flat=True))


def test_logins_failures_lockouts_and_logouts_are_recorded_with_user_address_outcome(world, plain):
    SecurityEvent.objects.all().delete()
    for _ in range(5):
        _token("officer1", "wrong-password", address="10.9.8.7")
    ok = _token("officer2", "zhifa-demo", address="10.9.8.6")
    token = ok.json()["token"]
    ApiClient(token).post("/api/v1/auth/logout")
    page = Client(REMOTE_ADDR="10.9.8.5")
    page.post("/accounts/login/", {"username": "head1", "password": "zhifa-demo"})
    page.post("/accounts/logout/")
    events = list(SecurityEvent.objects.order_by("seq"))
    failed = [e for e in events if e.kind == "login_failed"]
    assert len(failed) == 5 and all(e.username == "officer1" and e.address == "10.9.8.7" and e.outcome == "failure" for e in failed)
    lock = [e for e in events if e.kind == "lockout"]
    assert len(lock) == 1 and lock[0].username == "officer1" and lock[0].address == "10.9.8.7"
    logins = [(e.username, e.address, e.detail["channel"]) for e in events if e.kind == "login"]
    assert logins == [("officer2", "10.9.8.6", "token"), ("head1", "10.9.8.5", "page")]
    logouts = [(e.username, e.detail["channel"]) for e in events if e.kind == "logout"]
    assert logouts == [("officer2", "token"), ("head1", "page")]
    assert all(e.at is not None and e.hash for e in events)
    assert audit.verify() == {"ok": True, "count": len(events)}


def test_denials_of_objects_out_of_scope_are_recorded(world, api_as, plain):
    from tests.conftest import TODAY
    from tests.factories import ItemFactory
    from zhifa.cases import services as s
    from zhifa.core import clock
    from zhifa.registry import access

    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条")
    with clock.frozen(TODAY):
        other_case = s.register_source(
            item_code=item.code, party_kind="organisation", party_name="示例商贸有限公司",
            party_id_code="91650200MA0000001X", party_address="示例市人民路2号", act_date=TODAY - dt.timedelta(days=30),
            clue="群众举报销售过期食品", source="complaint", actor=access.actor_for(world.users["officer1"]))
    SecurityEvent.objects.all().delete()
    client = api_as("officer_other")
    assert client.get(f"/api/v1/cases/{other_case.pk}").status_code == 404
    assert client.get("/api/v1/audit").status_code == 403
    page = Client()
    page.force_login(world.users["officer_other"])
    assert page.get(f"/cases/{other_case.pk}/").status_code == 404
    assert page.get("/security/audit/").status_code == 403
    denied = SecurityEvent.objects.filter(kind="denied").order_by("seq")
    assert [(e.username, e.detail["status"], e.object, e.outcome) for e in denied] == [
        ("officer_other", 404, f"/api/v1/cases/{other_case.pk}", "denied"),
        ("officer_other", 403, "/api/v1/audit", "denied"),
        ("officer_other", 404, f"/cases/{other_case.pk}/", "denied"),
        ("officer_other", 403, "/security/audit/", "denied"),
    ]


def test_account_role_and_admin_changes_are_recorded(world, plain):
    from django.contrib.auth import get_user_model

    SecurityEvent.objects.all().delete()
    admin = Client()
    admin.force_login(world.users["admin"])
    user = world.users["officer2"]
    response = admin.post(f"/admin/auth/user/{user.pk}/change/", {
        "username": user.username, "is_active": "on", "is_staff": "on", "groups": [Group.objects.get(name=audit.AUDITOR_GROUP).pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00", "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "00:00:00",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    recorded = kinds()
    assert "account_changed" in recorded and "role_changed" in recorded and "admin_action" in recorded
    action = SecurityEvent.objects.get(kind="admin_action")
    assert action.username == "admin" and action.object == f"auth.user:{user.pk}" and action.detail["action"] == "changed"
    get_user_model().objects.filter(pk=user.pk).first().delete()
    assert SecurityEvent.objects.filter(kind="account_changed", detail__deleted=True).exists()


def test_password_change_is_recorded(world, plain):
    client = Client()
    client.force_login(world.users["officer1"])
    client.post("/accounts/password/", {"old_password": "zhifa-demo", "new_password1": "Lü-3x9#Kq2mT", "new_password2": "Lü-3x9#Kq2mT"})
    event = SecurityEvent.objects.get(kind="password_changed")
    assert event.username == "officer1" and event.object == f"user:{world.users['officer1'].pk}"


@pytest.mark.parametrize("username", ["officer1", "head1", "supervisor", "aux1", "reviewer1"])
def test_only_admin_and_auditor_read_the_log(world, api_as, plain, username):
    assert api_as(username).get("/api/v1/audit").status_code == 403
    assert ApiClient().get("/api/v1/audit").status_code == 401


def test_admin_and_auditor_read_the_log_with_filters_and_paging(world, api_as, plain, django_assert_max_num_queries):
    for _ in range(3):
        _token("officer1", "wrong-password", address="10.1.2.3")
    auditor = world.users["officer3"]
    auditor.groups.add(Group.objects.get(name=audit.AUDITOR_GROUP))
    for reader in ("admin", "officer3"):
        client = api_as(reader)
        with django_assert_max_num_queries(6):
            body = client.get("/api/v1/audit", kind="login_failed", page_size=2).json()
        assert body["count"] == 3 and len(body["items"]) == 2 and body["page"] == 1 and body["page_size"] == 2
        assert {row["username"] for row in body["items"]} == {"officer1"}
        assert all(row["address"] == "10.1.2.3" and row["outcome"] == "failure" and len(row["hash"]) == 64 for row in body["items"])
        assert client.get("/api/v1/audit", address="10.1.2.3", outcome="failure").json()["count"] == 3
        assert client.get("/api/v1/audit", kind="no-such").status_code == 422


def test_the_page_lists_filters_exports_and_verifies(world, plain):
    _token("officer1", "wrong-password", address="10.1.2.3")
    client = Client()
    client.force_login(world.users["admin"])
    html = client.get("/security/audit/?kind=login_failed").content.decode()
    assert "登录失败" in html and "10.1.2.3" in html
    assert "记录链完整" in client.get("/security/audit/?verify=1").content.decode()
    export = client.get("/security/audit/?kind=login_failed&format=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv") and "officer1" in text and "10.1.2.3" in text
    assert SecurityEvent.objects.filter(kind="export", username="admin").exists()


def test_the_log_is_not_editable_in_the_admin(world, plain):
    _token("officer1", "wrong-password")
    event = SecurityEvent.objects.filter(kind="login_failed").first()
    client = Client()
    client.force_login(world.users["admin"])
    assert client.get("/admin/core/securityevent/").status_code == 200
    assert client.post(f"/admin/core/securityevent/{event.pk}/change/", {"username": "x"}).status_code == 403
    assert client.post(f"/admin/core/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk, username="officer1").exists()


def test_tampering_breaks_the_chain(world, plain):
    for _ in range(3):
        _token("officer1", "wrong-password")
    assert audit.verify()["ok"]
    event = SecurityEvent.objects.filter(kind="login_failed").order_by("seq").first()
    SecurityEvent.objects.filter(pk=event.pk).update(username="someone-else")
    broken = audit.verify()
    assert not broken["ok"] and broken["seq"] == event.seq
    SecurityEvent.objects.filter(pk=event.pk).update(username="officer1")
    SecurityEvent.objects.filter(seq=event.seq + 1).delete()
    assert not audit.verify()["ok"]


def test_sweep_drops_only_entries_past_retention(world, plain, settings):
    from zhifa.core import clock

    SecurityEvent.objects.all().delete()
    today = dt.date(2026, 11, 23)
    for n, age in enumerate([400, 300, 181, 179, 10, 0]):
        with clock.frozen(today - dt.timedelta(days=age)):
            audit.record("login_failed", audit.FAILURE, username=f"u{n}", request=False)
    assert audit.verify()["ok"]
    with clock.frozen(today):
        line = audit.sweep()
    assert "3 条" in line
    kept = list(SecurityEvent.objects.order_by("seq").values_list("username", flat=True))
    assert kept == ["u3", "u4", "u5", ""]  # and the sweep's own entry
    retention = SecurityEvent.objects.get(kind="retention")
    assert retention.detail["dropped"] == 3 and retention.detail["retention_days"] == 180
    assert audit.verify()["ok"]
    with clock.frozen(today):
        assert audit.sweep() == ""  # nothing older left


def test_retention_below_180_days_is_not_applied(world, settings):
    settings.ZHIFA = {**settings.ZHIFA, "AUDIT_RETENTION_DAYS": 30}
    assert audit.retention_days() == 180


def test_sweep_is_part_of_zhifa_sweep(settings):
    assert "zhifa.core.security.audit.sweep" in settings.ZHIFA["SWEEP_TASKS"]
