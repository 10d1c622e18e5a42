"""A user's own page (我的账号, issue 20 point 5): sessions and API tokens, each revocable by their
owner only, every revocation in the security audit log."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.core.models import ApiToken, SecurityEvent, UserSession

pytestmark = pytest.mark.django_db


def _token(user) -> ApiToken:
    return ApiToken.objects.create(user=user, digest=ApiToken.digest_of(ApiToken.new_key()),
                                   expires_at=timezone.now() + dt.timedelta(days=1))


def test_account_page_lists_own_sessions_and_tokens(client, world):
    officer = world.users["officer1"]
    mine, theirs = _token(officer), _token(world.users["officer2"])
    other_device = Client()
    other_device.force_login(officer)
    client.force_login(officer)
    page = client.get(reverse("account")).content.decode()
    assert f"令牌 #{mine.pk}" in page and f"令牌 #{theirs.pk}" not in page
    assert "当前会话（本设备）" in page and "其他设备" in page
    assert reverse("password_change") in page


def test_revoking_a_token_is_audited_and_only_for_its_owner(client, world):
    officer = world.users["officer1"]
    mine, theirs = _token(officer), _token(world.users["officer2"])
    client.force_login(officer)
    client.post(reverse("account"), {"revoke_token": theirs.pk})
    assert ApiToken.objects.filter(pk=theirs.pk).exists()  # another user's token is not found
    client.post(reverse("account"), {"revoke_token": mine.pk})
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert SecurityEvent.objects.filter(kind="token_revoked", username="officer1").count() == 1


def test_ending_another_session_logs_that_device_out(client, world):
    from zhifa.core.security import account

    officer = world.users["officer1"]
    other_device = Client()
    other_device.force_login(officer)
    client.force_login(officer)
    current = client.session.session_key
    rows = account.sessions_of(officer, current)
    other = next(r for r in rows if not r.current)
    this = next(r for r in rows if r.current)
    client.post(reverse("account"), {"revoke_session": this.ref})  # not the one in use
    assert UserSession.objects.filter(session_key=current).exists()
    client.post(reverse("account"), {"revoke_session": other.ref})
    assert other_device.get(reverse("account")).status_code == 302  # back to the login page
    assert client.get(reverse("account")).status_code == 200


def test_account_page_needs_login(client):
    assert client.get(reverse("account")).status_code == 302


def _sessions(user, count: int) -> None:
    from zhifa.core.security.sessions import SessionStore

    for _ in range(count):
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store.create()


def test_r15_sessions_are_stored_with_their_user(world):
    officer = world.users["officer1"]
    c = Client()
    c.force_login(officer)
    row = UserSession.objects.get(session_key=c.session.session_key)
    assert row.user_ref == officer.pk
    assert row.get_decoded()["_auth_user_id"] == str(officer.pk)


def test_r15_account_sessions_are_found_by_index_not_by_scanning(client, world, django_assert_max_num_queries):
    """我的账号 reads the user's sessions with one indexed query, however many sessions other
    users hold (it used to decode up to 50,000 of them)."""
    from zhifa.core.security import account

    officer, other = world.users["officer1"], world.users["officer2"]
    _sessions(other, 300)
    _sessions(officer, 3)
    with django_assert_max_num_queries(1) as captured:
        rows = account.sessions_of(officer, None)
    assert len(rows) == 3
    sql = captured.captured_queries[0]["sql"]
    assert "user_ref" in sql and "LIMIT" in sql.upper()
    client.force_login(officer)
    client.get(reverse("account"))  # warm the session's own reads
    with django_assert_max_num_queries(12):
        page = client.get(reverse("account"))
    assert page.status_code == 200 and page.content.decode().count("<strong>其他设备</strong>") == 3


def test_r15_revoking_a_session_of_another_user_is_not_found(client, world):
    from zhifa.core.security import account

    officer, other = world.users["officer1"], world.users["officer2"]
    theirs = Client()
    theirs.force_login(other)
    ref = next(r.ref for r in account.sessions_of(other, None))
    client.force_login(officer)
    client.post(reverse("account"), {"revoke_session": ref})
    assert theirs.get(reverse("account")).status_code == 200  # still signed in
    assert not SecurityEvent.objects.filter(kind="logout", detail__session=ref).exists()
