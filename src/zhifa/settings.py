"""zhifa settings: one file, driven by the environment.

SQLite under ``var/`` by default (WAL, busy timeout); PostgreSQL when ``DATABASE_URL`` is set.
``ZHIFA_DEBUG=1`` turns on debug. Outside debug, ``ZHIFA_SECRET_KEY`` must be set and cookies
and headers are hardened.

Every ``ZHIFA_*`` variable (and ``DATABASE_URL``) may also be written in ``var/settings.env``
(``NAME=value`` lines); the environment wins. A demo install (``make run``, ``ZHIFA_DEMO=1``)
writes that file itself — the demo flag and a generated secret key — so that every later
``zhifa`` command of the checkout knows it is a demo. A missing or malformed setting raises
``SettingsError``: ``zhifa`` prints its one-line Chinese message and exits 1.
"""
import datetime as dt
import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


class SettingsError(ImproperlyConfigured):
    """A missing or malformed setting (设置有误), told in one Chinese line."""


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
LOCAL_SETTINGS_FILE = VAR_DIR / "settings.env"


def _read_local_settings(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of ``var/settings.env``; blank lines and ``#`` comments are skipped."""
    if not path.exists():
        return {}
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = (part.strip() for part in line.partition("="))
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise SettingsError(f"设置文件 {path} 第 {number} 行格式有误：应为 名称=值。")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]  # NAME="value" as in a shell file
        values[name] = value
    return values


_LOCAL = _read_local_settings(LOCAL_SETTINGS_FILE)


def _env(name: str, default: str | None = None) -> str | None:
    """A setting from the environment, else from ``var/settings.env``, else ``default``."""
    value = os.environ.get(name)
    return _LOCAL.get(name, default) if value is None else value


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"设置 {name} 应为整数，现为 {value!r}。") from None


def _env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in (_env(name, default) or "").split(",") if part.strip()]


DEBUG = _env("ZHIFA_DEBUG", "0") == "1"
TESTING = _env("ZHIFA_TESTING", "0") == "1"
DEMO = _env("ZHIFA_DEMO", "0") == "1"
# Developers only: Django's debug pages (tracebacks, the URL list) instead of the Chinese ones.
DEBUG_ERROR_PAGES = DEBUG and _env("ZHIFA_DEBUG_PAGES", "0") == "1"


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner may read (it holds a secret key), never readable meanwhile."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    path.chmod(0o600)


def _remember_demo() -> str:
    """A demo install's first command: keep the demo flag and a generated secret key in
    ``var/settings.env`` (git-ignored) so that later commands without ``ZHIFA_DEMO=1`` work.
    A key an earlier version kept in ``var/demo-secret-key`` is reused (sessions survive)."""
    old_key_file = VAR_DIR / "demo-secret-key"
    key = old_key_file.read_text().strip() if old_key_file.exists() else ""
    key = key or secrets.token_urlsafe(50)
    lines = [
        "# zhifa 演示安装（make run 生成）：之后的 zhifa 命令据此知道这是演示环境。",
        "# 演示专用：生产环境请删除本文件，通过环境变量提供设置（docs/operations.md）。",
        *(["ZHIFA_DEMO=1"] if "ZHIFA_DEMO" not in _LOCAL else []),
        f"ZHIFA_SECRET_KEY={key}",
        *(["ZHIFA_INSECURE_HTTP=1"] if "ZHIFA_INSECURE_HTTP" not in _LOCAL else []),
    ]
    existing = LOCAL_SETTINGS_FILE.read_text(encoding="utf-8") if LOCAL_SETTINGS_FILE.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    _write_private(LOCAL_SETTINGS_FILE, existing + "\n".join(lines) + "\n")
    _LOCAL.update({"ZHIFA_SECRET_KEY": key, "ZHIFA_INSECURE_HTTP": _LOCAL.get("ZHIFA_INSECURE_HTTP", "1")})
    return key


def _development_key() -> str:
    """Debug and test runs only: a key generated once and kept under ``var/`` — never read as
    a setting, so a production run of the same checkout still needs its own key."""
    key_file = VAR_DIR / "demo-secret-key"
    if not key_file.exists():
        _write_private(key_file, secrets.token_urlsafe(50))
    return key_file.read_text().strip()


_WEAK_KEYS = {"changeme", "change-me", "secret", "secret-key", "zhifa", "zhifa-demo", "password", "django-insecure"}


def _weak_key(key: str) -> bool:
    """Django's own test (fewer than 50 characters, fewer than 5 distinct ones, its generated
    ``django-insecure-`` prefix) and the usual placeholders."""
    return (
        len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")
        or any(word in key.lower() for word in _WEAK_KEYS) and len(set(key)) < 20
    )


def _secret_key() -> str:
    key = _env("ZHIFA_SECRET_KEY")
    if key:
        if _weak_key(key) and not (DEMO or DEBUG or TESTING):
            raise SettingsError(
                "ZHIFA_SECRET_KEY 强度不足：至少 50 个字符、含多种字符，且不得使用占位值；"
                "可用 python3 -c \"import secrets; print(secrets.token_urlsafe(50))\" 生成。"
            )
        return key
    if DEMO and not TESTING:
        return _remember_demo()
    if DEBUG or TESTING or DEMO:
        return _development_key()
    raise SettingsError(
        "ZHIFA_SECRET_KEY 未设置：生产环境必须通过环境变量提供密钥"
        "（演示环境请先运行 make run，或设置 ZHIFA_DEMO=1）。"
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("ZHIFA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # ninja as an app: /api/v1/docs renders Swagger UI from ninja's bundled static files instead
    # of a CDN, which an intranet cannot reach.
    "ninja",
    "axes",  # login lockout (core/security/lockout.py)
    # Background tasks (django-tasks and its database backend): the documents' PDF and Word files
    # are rendered by a worker after the action commits (documents/tasks.py).
    "django_tasks",
    "django_tasks_db",
    "zhifa.core",
    "zhifa.registry",
    "zhifa.catalog",
    "zhifa.documents",
    "zhifa.cases",
    "zhifa.inspections",
    "zhifa.transfers",
    "zhifa.offsite",
    "zhifa.supervision",
    "zhifa.portal",
    "zhifa.workbench",
    "zhifa.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL characters and overlong query parameters: a Chinese 400 (core/security/middleware.py).
    "zhifa.core.security.middleware.RequestGuard",
    # A read that met the database gone away runs once more on a fresh connection (error_pages.py).
    "zhifa.error_pages.RetryReadOnce",
    # Content-Security-Policy without inline scripts (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle staff sessions end; an expired password is changed first (core/security/middleware.py).
    "zhifa.core.security.middleware.SessionGuard",
    # The security audit log knows the request; page denials are recorded (core/security/audit.py).
    "zhifa.core.security.middleware.AuditContext",
    # Permissions-Policy; Cache-Control: no-store for signed-in users; no Server header.
    "zhifa.core.security.middleware.SecurityHeaders",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # In debug, the Chinese error pages instead of Django's (which list every route).
    "zhifa.error_pages.ChineseErrorPages",
    # Last: turns a locked-out login (page or token) into the Chinese 429 (core/security/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.registry.context_processors.actor",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
def _database_from_url(url: str) -> dict:
    try:
        # Connections are reused for 60 s; a health check before each request's first query
        # replaces one that the server dropped (a restarted or killed backend) instead of failing.
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, dj_database_url.ParseError, dj_database_url.UnknownSchemeError) as exc:
        scheme = url.partition("://")[0] if "://" in url else "缺失"
        raise SettingsError(
            f"DATABASE_URL 格式有误（协议 {scheme}）：应为 postgres://用户:密码@主机:端口/库名。"
        ) from exc


if _env("DATABASE_URL"):
    DATABASES = {"default": _database_from_url(_env("DATABASE_URL"))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: short queries whose estimate crosses jit_above_cost (a page of the inspector
        # directory, with its per-officer subqueries) spent 0.1 s compiling to run in 0.03 s.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _env("ZHIFA_SQLITE_PATH", str(VAR_DIR / "zhifa.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids lock upgrades
                # deadlocking under concurrent writers; the busy timeout waits instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (documents/tasks.py): the database backend, a worker per machine
# (`zhifa task_worker --queue-name documents`; `make run` starts one, docs/documents.md has the
# systemd unit). The test suites run a task at once, in the enqueuing process (the immediate
# backend); ZHIFA_TASKS_BACKEND=database makes them use the database too.
_TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(_env("ZHIFA_TASKS_BACKEND", "immediate" if TESTING else "database"),
                                      _TASK_BACKENDS["database"]),
        "QUEUES": ["default", "documents", "alerts"],
    }
}

# --- Auth ---------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests hash thousands of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"] + PASSWORD_HASHERS
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Password policy of 等保 level 3 (core/security/passwords.py): no purely numeric, no
    # dictionary-like or patterned password, three character classes, not one of the last ones.
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhifa.core.security.passwords.DictionaryLikeValidator"},
    {"NAME": "zhifa.core.security.passwords.CharacterClassValidator"},
    {"NAME": "zhifa.core.security.passwords.HistoryValidator"},
]
CSRF_FAILURE_VIEW = "zhifa.error_pages.csrf_failure"  # the Chinese 403 page, not Django's English one
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
API_TOKEN_TTL_DAYS = _env_int("ZHIFA_API_TOKEN_TTL_DAYS", 30)

# Login lockout (django-axes; core/security/lockout.py): page and token logins alike. An account
# is locked after ZHIFA_LOGIN_FAILURE_LIMIT failures, a client address after
# ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT, for ZHIFA_LOCKOUT_MINUTES (each failure meanwhile restarts it).
AUTHENTICATION_BACKENDS = [
    "zhifa.core.security.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = _env("ZHIFA_LOCKOUT", "1") == "1"
AXES_FAILURE_LIMIT = _env_int("ZHIFA_LOGIN_FAILURE_LIMIT", 5)
ZHIFA_LOGIN_LIMITS = {
    "username": AXES_FAILURE_LIMIT,
    "ip_address": _env_int("ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT", 20),
}
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=_env_int("ZHIFA_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "zhifa.core.security.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "zhifa.core.security.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# The client address: the socket's, unless zhifa runs behind ZHIFA_TRUSTED_PROXIES reverse
# proxies (nginx), whose X-Forwarded-For is then read from the right. Never a header a client
# may write itself when no proxy is declared.
TRUSTED_PROXIES = _env_int("ZHIFA_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "zhifa.core.security.client_address"

# --- Locale -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING or DEMO)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# A demo install serves the static files from the apps (no collectstatic); production from the
# collected, hashed and compressed copies.
WHITENOISE_USE_FINDERS = DEBUG or TESTING or DEMO
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Database sessions with the user in an indexed column: 我的账号 finds a user's sessions by it.
SESSION_ENGINE = "zhifa.core.security.sessions"
# Content-Security-Policy (django-csp): scripts only from our own static files — no inline script
# or handler anywhere (app.js carries the page behaviour); styles may be inline (htmx's indicator
# style, style attributes), never fetched elsewhere; no frame of zhifa in another site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],  # the service worker of the inspector's offline pages (/inspections/sw.js)
        "manifest-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SESSION_COOKIE_AGE = 8 * 3600  # one working day
if not (DEBUG or TESTING) and _env("ZHIFA_INSECURE_HTTP", "0") != "1":
    SECURE_SSL_REDIRECT = _env("ZHIFA_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("ZHIFA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("ZHIFA_LOG_LEVEL", "WARNING")},
}

# --- zhifa --------------------------------------------------------------------------------
ZHIFA = {
    # Digest of the full-process record chain: SM3 (GM/T 0004-2012) as commercial-cryptography
    # assessment expects; "sha256" where OpenSSL lacks SM3. Each entry names its algorithm.
    "RECORD_HASH": _env("ZHIFA_RECORD_HASH", "sm3"),
    # Watch every use case's SQL and refuse a write that leaves no record entry (core/usecase.py):
    # on in the test suites, off in production (where it would only cost time).
    "CHECK_RECORDS": TESTING or _env("ZHIFA_CHECK_RECORDS", "0") == "1",
    # R07: yearly training hours per officer (seed D §三); a setting because a province may raise it.
    "TRAINING_HOURS_PER_YEAR": _env_int("ZHIFA_TRAINING_HOURS", 60),
    # Registry health: certificates expiring within this many days are listed.
    "CERTIFICATE_EXPIRY_WARNING_DAYS": 90,
    # R07: "镇(街道)综合执法局负责人必须要有执法工作经验" (NPC decision §三). The text sets no
    # number of years: 1 year is our default reading of "has experience"; a place may raise it.
    "TOWNSHIP_HEAD_MIN_EXPERIENCE_YEARS": _env_int("ZHIFA_TOWNSHIP_HEAD_MIN_YEARS", 1),
    # Called by `zhifa load_holidays` after a year is loaded: stored provisional deadlines become final.
    "CALENDAR_RECOMPUTE_HOOKS": ["zhifa.cases.services.recompute_after_holidays",
                                 "zhifa.transfers.services.recompute_clocks"],
    # Called by `zhifa sweep` after the document files: modules of the apps above cases that store
    # files, each with `prune_orphans(*, dry_run=False) -> list[str]` and a `LABEL` for the report.
    "ORPHAN_FILE_PRUNERS": ["zhifa.inspections.photo_files", "zhifa.offsite.capture_files"],
    # Where transfers read an inspection's finding (a transfer may start from one, Order 310 art.3):
    # inspections and transfers are siblings, neither imports the other.
    "TRANSFER_FINDING_SOURCE": "zhifa.inspections.transfer_source.finding",
    # Called by `zhifa sweep` last: daily work of the apps above cases, each a function of no
    # arguments (dotted path) returning the line to print ("" prints nothing).
    "SWEEP_TASKS": ["zhifa.inspections.services.refresh_register_snapshot", "zhifa.core.security.audit.sweep",
                    "zhifa.documents.tasks.sweep",
                    "zhifa.supervision.services.alerts.sweep", "zhifa.supervision.services.statistics.sweep",
                    "zhifa.supervision.services.notices.sweep_overdue"],
    # Sources of the statistics aggregates registered by apps above supervision (R34; each module's SOURCE).
    "STATISTICS_SOURCES": ["zhifa.portal.statistics_source"],
    # Import jobs (core/imports.py): "thread" runs them in a background thread of the web process,
    # "inline" in the request (the test suites' default: deterministic, one connection).
    # A draw reads a register at least this large (by the planner's statistics) in two halves
    # at once, on two connections (inspections.engine.scan.scan).
    "DRAW_PARALLEL_MIN_ENTITIES": _env_int("ZHIFA_DRAW_PARALLEL_MIN_ENTITIES", 100000),
    "IMPORT_RUNNER": _env("ZHIFA_IMPORT_RUNNER", "inline" if TESTING else "thread"),
    # Documents' PDF and Word files (documents/modes.py): "worker" renders them after the action
    # commits, in the task worker (production); "immediate" in the action's transaction (the test
    # suites' default: files exist when the action returns); "deferred" on first download only.
    "DOCUMENT_RENDERING": _env("ZHIFA_DOCUMENT_RENDERING", "immediate" if TESTING else "worker"),
    # Portal complaints are rate-limited per client address: behind a reverse proxy, the request
    # header (Django META name, e.g. "HTTP_X_REAL_IP") the proxy sets to the client's address.
    "CLIENT_ADDRESS_HEADER": _env("ZHIFA_CLIENT_ADDRESS_HEADER", ""),
    # Public portal pages cached this many seconds, invalidated by any recorded write (portal/caching.py); 0 = off.
    "PORTAL_CACHE_SECONDS": _env_int("ZHIFA_PORTAL_CACHE_SECONDS", 0 if TESTING else 60),
    # The largest file the import page and API accept, in MB.
    "IMPORT_MAX_MB": _env_int("ZHIFA_IMPORT_MAX_MB", 200),
    # A queued or running job whose heartbeat is older than this (its process was restarted or
    # killed) is marked failed.
    "IMPORT_STALE_MINUTES": _env_int("ZHIFA_IMPORT_STALE_MINUTES", 10),
    # A background task (documents, alerts) still "running" after this many seconds was left by a
    # worker that died: `zhifa task_worker` at start and `zhifa sweep` queue it again (documents/tasks.py).
    "TASK_LEASE_SECONDS": _env_int("ZHIFA_TASK_LEASE_SECONDS", 600),
    # Order 310 (criminal transfers): how its "3日" are counted ("calendar" by default, legal-rules
    # §0; "working" possible), the receipt alert and the inward reply periods (transfers/rules.py
    # TransferPolicy lists every key and its default; docs/transfers.md says why each is configurable).
    "TRANSFER_POLICY": {},
    # Off-site enforcement: days a monitoring device's location must have been public before its
    # records are used (APL art.41 sets none; Guangdong 粤府〔2025〕12号: 30). 0 by default.
    "OFFSITE_WAIT_DAYS": _env_int("ZHIFA_OFFSITE_WAIT_DAYS", 0),
    # Flexible enforcement: the look-back within which a second "first offence" (首违不罚) of the
    # same party under the same item is flagged (no national figure; 1 year by default).
    "FIRST_OFFENCE_LOOKBACK_DAYS": _env_int("ZHIFA_FIRST_OFFENCE_LOOKBACK_DAYS", 365),
    # Password policy (core/security/passwords.py): a password older than this many days must be
    # changed before any page is served (0: never); the last this many may not be reused.
    "PASSWORD_MAX_AGE_DAYS": _env_int("ZHIFA_PASSWORD_MAX_AGE_DAYS", 0 if DEMO else 90),
    "PASSWORD_HISTORY": _env_int("ZHIFA_PASSWORD_HISTORY", 5),
    # Second factor (core/security/totp.py): the roles that must enrol a TOTP authenticator before
    # using the system (GB/T 22239-2019 8.1.4.1 d); anyone may enrol. ROLES_OF names a user's roles.
    "TOTP_REQUIRED_ROLES": _env("ZHIFA_TOTP_REQUIRED_ROLES", "" if DEMO else "admin,supervisor"),
    "ROLES_OF": "zhifa.registry.access.role_names",
    # A staff session idle this long ends (core/security/middleware.py).
    "SESSION_IDLE_MINUTES": _env_int("ZHIFA_SESSION_IDLE_MINUTES", 30),
    # A query parameter longer than this is refused with a Chinese 400 (core/security/middleware.py).
    "MAX_QUERY_PARAM_CHARS": _env_int("ZHIFA_MAX_QUERY_PARAM_CHARS", 1000),
    # The security audit log is kept this many days (at least 180: 网络安全法第二十一条 asks six
    # months of network logs); `zhifa sweep` drops older entries, never younger ones.
    "AUDIT_RETENTION_DAYS": _env_int("ZHIFA_AUDIT_RETENTION_DAYS", 180),
    # Every spreadsheet read (core/importing/reading.py) is refused before parsing when it unpacks
    # to more than this many MB, has more rows in a sheet or more sheets.
    "SPREADSHEET_MAX_UNPACKED_MB": _env_int("ZHIFA_SPREADSHEET_MAX_UNPACKED_MB", 100),
    "SPREADSHEET_MAX_ROWS": _env_int("ZHIFA_SPREADSHEET_MAX_ROWS", 500000),
    "SPREADSHEET_MAX_SHEETS": _env_int("ZHIFA_SPREADSHEET_MAX_SHEETS", 50),
    # Every image opened (photos, documents): at most this many pixels (Pillow's MAX_IMAGE_PIXELS;
    # a 200-megapixel phone photo passes, a decompression bomb does not).
    "IMAGE_MAX_PIXELS": _env_int("ZHIFA_IMAGE_MAX_PIXELS", 200_000_000),
}
if ZHIFA["AUDIT_RETENTION_DAYS"] < 180:
    raise SettingsError("ZHIFA_AUDIT_RETENTION_DAYS 不得少于 180 天（网络安全法第二十一条：网络日志留存不少于六个月）。")
