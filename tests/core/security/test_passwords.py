"""Issue 15 §1: a password policy refusing purely numeric and dictionary-like passwords, with
history and expiry; a password change revokes the user's tokens; tokens revoked by their owner
(POST /api/v1/auth/logout); idle staff sessions end."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given, strategies as st

from tests.conftest import ApiClient
from zhifa.core.models import ApiToken, PasswordHistory
from zhifa.core.security.middleware import SEEN_KEY
from zhifa.core.security.passwords import DictionaryLikeValidator, password_expired


@pytest.mark.parametrize("password", [
    "2026202620", "1234567890123", "Password@2026", "password2026!", "Qwerty!12345", "Abcabcabc123",
    "aaaaaaaaaaA1", "zxcvbnm!2026", "Iloveyou2026!", "abcdefghij", "ZHIFAzhifa", "Admin123456!",
])
def test_policy_refuses_numeric_and_dictionary_like_passwords(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Lü-3x9#Kq2mT", "sh7!Gd8wQ-pz", "法治Zf-2026#qk", "Tq8$vLm29xWe"])
def test_policy_accepts_strong_passwords(db, password):
    validate_password(password)


@given(st.integers(min_value=10**9, max_value=10**15))
def test_no_purely_numeric_password_passes(number):
    with pytest.raises(ValidationError):
        validate_password(str(number))


@given(st.sampled_from(["password", "qwerty", "iloveyou", "dragon", "monkey", "admin"]),
       st.integers(min_value=0, max_value=9999), st.sampled_from(["", "!", "@", "#."]))
def test_common_word_plus_digits_and_symbols_is_refused(word, number, symbol):
    for candidate in (f"{word.capitalize()}{symbol}{number}", f"{word}{number}{symbol}".upper()):
        with pytest.raises(ValidationError):
            DictionaryLikeValidator().validate(candidate)


def _change(client, old, new):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.fixture
def officer(world, settings):
    settings.SECURE_SSL_REDIRECT = False
    return world.users["officer1"]


def test_password_change_revokes_every_token_of_the_user(officer, api_as):
    first, second = api_as("officer1"), api_as("officer1")
    other = api_as("officer2")
    client = Client()
    client.force_login(officer)
    response = _change(client, "zhifa-demo", "Lü-3x9#Kq2mT")
    assert response.status_code == 302, response.content.decode()
    assert first.get("/api/v1/me").status_code == 401
    assert second.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/me").status_code == 200
    assert not ApiToken.objects.filter(user=officer).exists()
    # the changing session stays logged in
    assert client.get("/api/v1/me").status_code == 200


def test_password_change_page_refuses_weak_and_reused_passwords(officer):
    client = Client()
    client.force_login(officer)
    weak = _change(client, "zhifa-demo", "2026202620")
    assert weak.status_code == 200
    assert "密码" in weak.content.decode() and "2026202620" not in PasswordHistory.objects.values_list("password", flat=True)
    assert _change(client, "zhifa-demo", "Lü-3x9#Kq2mT").status_code == 302
    officer.refresh_from_db()
    client.force_login(officer)
    assert _change(client, "Lü-3x9#Kq2mT", "sh7!Gd8wQ-pz").status_code == 302
    officer.refresh_from_db()
    client.force_login(officer)
    reused = _change(client, "sh7!Gd8wQ-pz", "Lü-3x9#Kq2mT")
    assert reused.status_code == 200
    assert "最近 5 次" in reused.content.decode()


def test_history_keeps_only_the_configured_number(officer, settings):
    settings.ZHIFA = {**settings.ZHIFA, "PASSWORD_HISTORY": 2}
    for password in ["Lü-3x9#Kq2mT", "sh7!Gd8wQ-pz", "Tq8$vLm29xWe"]:
        officer.set_password(password)
        officer.save()
    assert PasswordHistory.objects.filter(user=officer).count() == 2


def test_expired_password_must_be_changed_first(officer, settings):
    settings.ZHIFA = {**settings.ZHIFA, "PASSWORD_MAX_AGE_DAYS": 90}
    PasswordHistory.objects.filter(user=officer).update(changed_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    assert password_expired(officer)
    client = Client()
    client.force_login(officer)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/?expired=1"
    assert "已超过有效期" in client.get("/accounts/password/?expired=1").content.decode()
    assert client.get("/api/v1/me").status_code == 403
    token = ApiClient().post("/api/v1/auth/token", {"username": "officer1", "password": "zhifa-demo"})
    assert token.status_code == 403 and "有效期" in token.json()["detail"]
    assert _change(client, "zhifa-demo", "Lü-3x9#Kq2mT").status_code == 302
    assert not password_expired(officer)
    assert client.get("/api/v1/me").status_code == 200


def test_expiry_off_when_zero(officer, settings):
    settings.ZHIFA = {**settings.ZHIFA, "PASSWORD_MAX_AGE_DAYS": 0}
    PasswordHistory.objects.filter(user=officer).update(changed_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    assert not password_expired(officer)


def test_logout_revokes_the_bearer_token_used(officer, api_as):
    client, kept = api_as("officer1"), api_as("officer1")
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 200 and "吊销" in response.json()["detail"]
    assert client.get("/api/v1/me").status_code == 401
    assert kept.get("/api/v1/me").status_code == 200
    assert ApiToken.objects.filter(user=officer).count() == 1


def test_logout_needs_a_credential(world):
    assert ApiClient().post("/api/v1/auth/logout").status_code == 401


def test_idle_session_ends_after_the_configured_minutes(officer, settings):
    settings.ZHIFA = {**settings.ZHIFA, "SESSION_IDLE_MINUTES": 30}
    client = Client()
    client.force_login(officer)
    assert client.get("/api/v1/me").status_code == 200
    session = client.session
    session[SEEN_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get("/api/v1/me").status_code == 200  # 29 minutes idle: still in
    session = client.session
    session[SEEN_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=%2F&idle=1")
    assert client.get("/api/v1/me").status_code == 401
    assert "长时间未操作" in client.get(response["Location"]).content.decode()


def test_idle_session_ends_on_the_api_too(officer):
    client = Client()
    client.force_login(officer)
    client.get("/api/v1/me")
    session = client.session
    session[SEEN_KEY] = time.time() - 31 * 60
    session.save()
    assert client.get("/api/v1/me").status_code == 401


def test_admin_lists_and_revokes_tokens(world, api_as, settings):
    settings.SECURE_SSL_REDIRECT = False
    api_as("officer1")
    admin = Client()
    admin.force_login(world.users["admin"])
    listing = admin.get("/admin/core/apitoken/")
    assert listing.status_code == 200 and "officer1" in listing.content.decode()
    token = ApiToken.objects.get(user=world.users["officer1"])
    assert admin.post(f"/admin/core/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
