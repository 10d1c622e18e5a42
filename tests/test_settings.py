"""Production settings are hardened; the secret key must come from the environment."""
import os
import subprocess
import sys

PRODUCTION = "from django.conf import settings as s; import django; django.setup(); print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1], s.LANGUAGE_CODE, s.TIME_ZONE)"


def _run(env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_VAR_DIR": "/tmp/zhifa-settings-test", **env_extra})
    return subprocess.run([sys.executable, "-c", PRODUCTION], env=env, capture_output=True, text=True, timeout=60)


def test_production_settings_are_hardened():
    result = _run({"ZHIFA_SECRET_KEY": "x" * 50})
    assert result.stdout.split() == ["True", "True", "True", "31536000", "Argon2PasswordHasher", "zh-hans", "Asia/Shanghai"], result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = _run({})
    assert result.returncode != 0 and "ZHIFA_SECRET_KEY" in result.stderr


def test_postgresql_connections_run_without_jit(db):
    """A page's query whose cost estimate crosses ``jit_above_cost`` (the inspector directory,
    with its per-officer subqueries) must not spend a tenth of a second compiling it."""
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
