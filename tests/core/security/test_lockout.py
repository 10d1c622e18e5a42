"""Issue 15 §1: repeated failed logins lock the account (and the address) for a while, on the
login page and the token endpoint alike, with a Chinese 429; the right password does not get
through meanwhile; the lock ends after the cool-off."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import ApiClient
from zhifa.core.models import ApiToken

TOKEN = "/api/v1/auth/token"
LOGIN = "/accounts/login/"


def _token(username, password, address="10.0.0.1"):
    client = ApiClient()
    client.headers["REMOTE_ADDR"] = address
    return client.post(TOKEN, {"username": username, "password": password})


def _page_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.ZHIFA_LOGIN_LIMITS = {"username": 5, "ip_address": 20}
    settings.SECURE_SSL_REDIRECT = False
    return settings


def test_token_endpoint_locks_account_after_five_failures(world, limits):
    for _ in range(4):
        assert _token("officer1", "wrong-password").status_code == 401
    locked = _token("officer1", "wrong-password")
    assert locked.status_code == 429
    assert "锁定" in locked.json()["detail"]
    assert locked["Retry-After"] == str(30 * 60)
    # the right password, even from another address, is refused while the account is locked
    right = _token("officer1", "zhifa-demo", address="10.0.0.2")
    assert right.status_code == 429
    assert "锁定" in right.json()["detail"]
    assert not ApiToken.objects.exists()
    # another account is not affected
    assert _token("officer2", "zhifa-demo", address="10.0.0.3").status_code == 200


def test_page_login_locks_account_with_chinese_page(world, limits):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        response = _page_login(client, "officer1", "wrong-password")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    right = _page_login(Client(REMOTE_ADDR="10.0.0.8"), "officer1", "zhifa-demo")
    assert right.status_code == 429
    assert "_auth_user_id" not in right.wsgi_request.session
    # page failures and token failures count together
    assert _token("officer1", "zhifa-demo").status_code == 429


def test_lock_ends_after_the_cool_off(world, limits):
    from axes.models import AccessAttempt

    for _ in range(5):
        _token("officer1", "wrong-password")
    assert _token("officer1", "zhifa-demo").status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    assert _token("officer1", "zhifa-demo").status_code == 200


def test_address_locked_after_its_own_limit_across_accounts(world, limits):
    """A guesser trying many accounts from one address: 20 failures over 5 accounts (4 each, so
    no account reaches its limit) lock the address, not the accounts."""
    for name in ["officer1", "officer2", "officer3", "aux1", "reviewer1"]:
        for _ in range(4):
            _token(name, "wrong-password", address="10.0.0.66")
    assert _token("head1", "zhifa-demo", address="10.0.0.66").status_code == 429
    assert _token("head1", "zhifa-demo", address="10.0.0.67").status_code == 200


def test_few_failures_from_a_shared_address_lock_nobody(world, limits):
    """Colleagues behind one NAT address mistyping now and then are not locked out."""
    for name in ["officer1", "officer2", "officer3"]:
        for _ in range(3):
            _token(name, "wrong-password", address="10.0.0.5")
    for name in ["officer1", "officer2", "officer3", "head1"]:
        assert _token(name, "zhifa-demo", address="10.0.0.5").status_code == 200


def test_success_resets_the_account_count(world, limits):
    for _ in range(4):
        _token("officer1", "wrong-password")
    assert _token("officer1", "zhifa-demo").status_code == 200
    for _ in range(4):
        assert _token("officer1", "wrong-password").status_code == 401
    assert _token("officer1", "zhifa-demo").status_code == 200


def test_forwarded_for_is_ignored_without_a_trusted_proxy(world, limits, rf):
    from zhifa.core.security import client_address

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.1.1.1"
    limits.TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert client_address(request) == "1.2.3.4"
