"""Production settings are hardened; the secret key must come from the environment (or
``var/settings.env``); a demo install remembers itself there; a bad setting is one Chinese line."""
import os
import subprocess
import sys

import pytest

# A production-grade key: 56 characters of many kinds (a weak one is refused, below).
STRONG_KEY = "Vq7-Lm2pXz9_Kd4rT8wYb3nHc6sFj1gQe5aUo0iRk-Nt7yWx2ZpMs4Ev"

PRODUCTION = "from django.conf import settings as s; import django; django.setup(); print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1], s.LANGUAGE_CODE, s.TIME_ZONE)"


def _run(env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_VAR_DIR": "/tmp/zhifa-settings-test", **env_extra})
    return subprocess.run([sys.executable, "-c", PRODUCTION], env=env, capture_output=True, text=True, timeout=60)


def test_production_settings_are_hardened():
    result = _run({"ZHIFA_SECRET_KEY": STRONG_KEY})
    assert result.stdout.split() == ["True", "True", "True", "31536000", "Argon2PasswordHasher", "zh-hans", "Asia/Shanghai"], result.stderr


@pytest.mark.parametrize("key", ["x" * 50, "changeme", "django-insecure-" + "a1b2c3d4e5" * 5, "abcd" * 20])
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    """Issue 15 §4: a weak ZHIFA_SECRET_KEY is refused at start outside demo (one Chinese line)."""
    _one_chinese_line(_zhifa(tmp_path, "check", ZHIFA_SECRET_KEY=key), "ZHIFA_SECRET_KEY", "强度不足")


def test_demo_accepts_any_secret_key(tmp_path):
    assert _zhifa(tmp_path, "check", ZHIFA_SECRET_KEY="x" * 50, ZHIFA_DEMO="1").returncode == 0


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


# --- Day one: `zhifa` in a checkout after `make run` (issue 14, finding 7) ------------------

def _zhifa(var_dir, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    """``python -m zhifa ARGS`` as a user's shell runs it: no ``ZHIFA_*`` variable but those given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({"ZHIFA_VAR_DIR": str(var_dir), **env_extra})
    return subprocess.run([sys.executable, "-m", "zhifa", *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def _one_chinese_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhifa：设置有误："), result.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_zhifa_after_make_run_remembers_the_demo(tmp_path):
    """`make run` runs its commands with ZHIFA_DEMO=1; a later `zhifa …` in the same checkout,
    without it, must still work (it used to die with `ZHIFA_SECRET_KEY 未设置`)."""
    first = _zhifa(tmp_path, "check", ZHIFA_DEMO="1")
    assert first.returncode == 0, first.stderr
    remembered = (tmp_path / "settings.env").read_text(encoding="utf-8")
    assert "ZHIFA_DEMO=1" in remembered and "ZHIFA_SECRET_KEY=" in remembered
    assert (tmp_path / "settings.env").stat().st_mode & 0o077 == 0  # the key is readable by its owner only
    later = _zhifa(tmp_path, "check")
    assert later.returncode == 0, later.stderr
    again = _zhifa(tmp_path, "check", ZHIFA_DEMO="1")
    assert again.returncode == 0 and (tmp_path / "settings.env").read_text(encoding="utf-8") == remembered


def test_missing_secret_key_is_one_chinese_line_not_a_traceback(tmp_path):
    _one_chinese_line(_zhifa(tmp_path, "check"), "ZHIFA_SECRET_KEY", "未设置")
    _one_chinese_line(_zhifa(tmp_path, "no-such-command"), "ZHIFA_SECRET_KEY")


def test_debug_and_test_runs_do_not_lend_their_key_to_production(tmp_path):
    """Only a demo install remembers a generated key as a setting: a debug run of the checkout
    leaves production still refusing to start without its own key."""
    assert _zhifa(tmp_path, "check", ZHIFA_DEBUG="1").returncode == 0
    assert not (tmp_path / "settings.env").exists()
    _one_chinese_line(_zhifa(tmp_path, "check"), "ZHIFA_SECRET_KEY")


def test_settings_file_written_by_the_operator_is_read(tmp_path):
    (tmp_path / "settings.env").write_text("# production\nZHIFA_SECRET_KEY=\"" + STRONG_KEY + "\"\n\nZHIFA_INSECURE_HTTP = 1\n")
    result = _zhifa(tmp_path, "shell", "-c", "from django.conf import settings as s; print(s.SECRET_KEY == '" + STRONG_KEY + "', s.DEBUG, s.SESSION_COOKIE_SECURE)")
    assert result.returncode == 0 and result.stdout.split()[-3:] == ["True", "False", "False"], result.stderr


@pytest.mark.parametrize(
    "env, words",
    [
        ({"ZHIFA_SECRET_KEY": STRONG_KEY, "ZHIFA_IMPORT_MAX_MB": "two hundred"}, ["ZHIFA_IMPORT_MAX_MB", "整数"]),
        ({"ZHIFA_DEBUG": "1", "ZHIFA_API_TOKEN_TTL_DAYS": "3.5"}, ["ZHIFA_API_TOKEN_TTL_DAYS", "整数"]),
        ({"ZHIFA_SECRET_KEY": STRONG_KEY, "ZHIFA_HSTS_SECONDS": "1y"}, ["ZHIFA_HSTS_SECONDS"]),
        ({"ZHIFA_DEBUG": "1", "DATABASE_URL": "localhost:5432/zhifa"}, ["DATABASE_URL"]),
        ({"ZHIFA_DEBUG": "1", "DATABASE_URL": "postgress://u:p@h/db"}, ["DATABASE_URL", "postgress"]),
    ],
)
def test_malformed_setting_is_one_chinese_line(tmp_path, env, words):
    _one_chinese_line(_zhifa(tmp_path, "check", **env), *words)


def test_malformed_settings_file_is_one_chinese_line(tmp_path):
    (tmp_path / "settings.env").write_text("ZHIFA_DEMO=1\nthis is not a setting\n")
    _one_chinese_line(_zhifa(tmp_path, "check"), "settings.env", "第 2 行")


def test_postgresql_connections_are_health_checked():
    """Issue 15 §6: a reused connection the server dropped is replaced, not a 500 per worker."""
    check = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings as s; import django; django.setup(); "
         "print(s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.DATABASES['default']['CONN_MAX_AGE'])"],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}, "DJANGO_SETTINGS_MODULE": "zhifa.settings",
             "ZHIFA_VAR_DIR": "/tmp/zhifa-settings-test", "ZHIFA_SECRET_KEY": STRONG_KEY,
             "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/zhifa"},
        capture_output=True, text=True, timeout=60)
    assert check.stdout.split() == ["True", "60"], check.stderr
