"""A user's own page (我的账号, issue 20 point 5): sessions and API tokens, each revocable by their
owner only, every revocation in the security audit log."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.core.models import ApiToken, SecurityEvent

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
    assert Session.objects.filter(session_key=current).exists()
    client.post(reverse("account"), {"revoke_session": other.ref})
    assert other_device.get(reverse("account")).status_code == 302  # back to the login page
    assert client.get(reverse("account")).status_code == 200


def test_account_page_needs_login(client):
    assert client.get(reverse("account")).status_code == 302
