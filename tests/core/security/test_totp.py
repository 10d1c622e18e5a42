"""Issue 15 §1: a second factor (TOTP) for administrators and supervisors — enrolled with a QR
code, asked after the password on the page and the token endpoint, required for the configured
roles, recovery codes, wrong codes counted as failed logins, every change in the audit log."""
from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import ApiClient
from zhifa.core.models import RecoveryCode, SecurityEvent, TotpDevice
from zhifa.core.security import totp

LOGIN, TOKEN, PASSWORD = "/accounts/login/", "/api/v1/auth/token", "zhifa-demo"


@pytest.fixture
def roles(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.AXES_FAILURE_LIMIT = 5
    settings.ZHIFA_LOGIN_LIMITS = {"username": 5, "ip_address": 20}
    settings.ZHIFA = {**settings.ZHIFA, "TOTP_REQUIRED_ROLES": "admin,supervisor"}
    return settings


def _code(device, steps: int = 0) -> str:
    step = int(time.time() // 30) + steps
    return pyotp.TOTP(device.secret).at(step * 30)


def _enrol(user) -> tuple[TotpDevice, list[str]]:
    device = totp.start_enrolment(user)
    codes = totp.confirm(user, _code(device, -1))
    device.refresh_from_db()
    return device, codes


def _verified(user) -> Client:
    """A session that gave its second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[totp.VERIFIED_KEY] = True
    session.save()
    return client


def _login(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def test_r15_enrolment_shows_a_qr_code_and_confirms_with_a_first_code(client, world, roles):
    admin = world.users["admin"]
    client.force_login(admin)
    page = client.get(reverse("otp_setup"))
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "绑定验证器" in body
    device = TotpDevice.objects.get(user=admin)
    assert device.secret in body and device.confirmed_at is None
    assert client.get(reverse("otp_setup")).content.decode().count(device.secret) == 1  # reload keeps the secret
    wrong = client.post(reverse("otp_setup"), {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()
    done = client.post(reverse("otp_setup"), {"action": "confirm", "code": _code(device)})
    assert done.status_code == 200 and "备用验证码" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert RecoveryCode.objects.filter(user=admin, used_at__isnull=True).count() == totp.RECOVERY_CODES
    assert SecurityEvent.objects.filter(kind="second_factor", username="admin", detail__action="enrolled").count() == 1


def test_r15_an_enrolled_user_gives_a_code_after_the_password(world, roles):
    device, _ = _enrol(world.users["supervisor"])
    client = Client()
    answer = _login(client, "supervisor")
    assert answer.status_code == 302
    # password alone: every page leads to the code page, the API answers 401
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("otp_verify"))
    assert client.get("/api/v1/bodies").status_code == 401
    page = client.get(reverse("otp_verify"))
    assert page.status_code == 200 and "动态验证码" in page.content.decode()
    wrong = client.post(reverse("otp_verify"), {"code": "123456", "next": "/"})
    assert wrong.status_code == 400 and "还可尝试 4 次" in wrong.content.decode()
    assert SecurityEvent.objects.filter(kind="login_failed", username="supervisor").count() == 1
    right = client.post(reverse("otp_verify"), {"code": _code(device), "next": "/"})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get("/").status_code == 200
    # a code is accepted once: a second session cannot reuse it
    other = Client()
    _login(other, "supervisor")
    assert other.post(reverse("otp_verify"), {"code": _code(device)}).status_code == 400


def test_r15_wrong_codes_end_the_session(world, roles):
    _enrol(world.users["admin"])
    client = Client()
    _login(client, "admin")
    for _ in range(totp.MAX_CODE_FAILURES - 1):
        assert client.post(reverse("otp_verify"), {"code": "000000"}).status_code == 400
    last = client.post(reverse("otp_verify"), {"code": "000000"})
    # the fifth wrong code is also the account's fifth failed login: locked (429), session ended
    assert last.status_code == 429 and "锁定" in last.content.decode()
    assert client.get("/").status_code == 302 and client.get("/")["Location"].startswith(LOGIN)


def test_r15_a_recovery_code_works_once(world, roles):
    _, codes = _enrol(world.users["admin"])
    client = Client()
    _login(client, "admin")
    assert client.post(reverse("otp_verify"), {"code": codes[0].lower(), "next": "/"}).status_code == 302
    assert client.get("/").status_code == 200
    again = Client()
    _login(again, "admin")
    assert again.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 400
    assert SecurityEvent.objects.filter(kind="second_factor", detail__action="recovery_code_used").count() == 1


def test_r15_required_roles_must_enrol_before_anything_else(world, roles):
    client = Client()
    _login(client, "supervisor")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("otp_setup"))
    assert client.get("/api/v1/bodies").status_code == 401
    assert client.get(reverse("otp_setup")).status_code == 200
    refused = ApiClient().post(TOKEN, {"username": "supervisor", "password": PASSWORD})
    assert refused.status_code == 403 and "双因素认证" in refused.json()["detail"]
    # an officer's role is not listed: no second factor asked
    officer = Client()
    _login(officer, "officer1")
    assert officer.get("/").status_code == 200
    assert ApiClient().post(TOKEN, {"username": "officer1", "password": PASSWORD}).status_code == 200


def test_r15_a_required_role_cannot_turn_it_off_but_others_can(world, roles):
    device, _ = _enrol(world.users["officer1"])
    client = _verified(world.users["officer1"])
    client.post(reverse("otp_setup"), {"action": "disable", "code": _code(device)})
    assert not TotpDevice.objects.filter(user=world.users["officer1"]).exists()
    assert SecurityEvent.objects.filter(kind="second_factor", detail__action="disabled").count() == 1
    device, _ = _enrol(world.users["admin"])
    admin = _verified(world.users["admin"])
    refused = admin.post(reverse("otp_setup"), {"action": "disable", "code": _code(device)})
    assert refused.status_code == 400
    assert TotpDevice.objects.filter(user=world.users["admin"], confirmed_at__isnull=False).exists()


def test_r15_token_endpoint_wants_the_code(world, roles):
    device, _ = _enrol(world.users["admin"])
    api = ApiClient()
    missing = api.post(TOKEN, {"username": "admin", "password": PASSWORD})
    assert missing.status_code == 401 and "otp" in missing.json()["detail"]
    wrong = api.post(TOKEN, {"username": "admin", "password": PASSWORD, "otp": "000000"})
    assert wrong.status_code == 401
    assert SecurityEvent.objects.filter(kind="login_failed", username="admin").count() == 1
    right = api.post(TOKEN, {"username": "admin", "password": PASSWORD, "otp": _code(device)})
    assert right.status_code == 200 and right.json()["token"]


def test_r15_wrong_codes_count_towards_the_lockout(world, roles):
    _enrol(world.users["admin"])
    api = ApiClient()
    for _ in range(4):
        assert api.post(TOKEN, {"username": "admin", "password": PASSWORD, "otp": "000000"}).status_code == 401
    api.post(TOKEN, {"username": "admin", "password": PASSWORD, "otp": "000000"})
    assert api.post(TOKEN, {"username": "admin", "password": PASSWORD, "otp": "000000"}).status_code == 429


def test_r15_the_admin_login_page_does_not_skip_the_second_factor(world, roles):
    _enrol(world.users["admin"])
    client = Client()
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("otp_verify"))


def test_r15_the_administrator_resets_a_lost_device(world, roles):
    _enrol(world.users["supervisor"])
    admin = Client()
    admin.force_login(world.users["admin"])
    device = TotpDevice.objects.get(user=world.users["supervisor"])
    listing = admin.get("/admin/core/totpdevice/")
    assert listing.status_code in (200, 302)  # the admin itself wants the admin's own second factor
    roles.ZHIFA = {**roles.ZHIFA, "TOTP_REQUIRED_ROLES": ""}
    admin = _verified(world.users["admin"])
    page = admin.get(f"/admin/core/totpdevice/{device.pk}/change/").content.decode()
    assert device.secret not in page
    admin.post(f"/admin/core/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TotpDevice.objects.filter(pk=device.pk).exists()
    assert not RecoveryCode.objects.filter(user=world.users["supervisor"]).exists()
    assert SecurityEvent.objects.filter(kind="admin_action", object__startswith="core.totpdevice").exists()
