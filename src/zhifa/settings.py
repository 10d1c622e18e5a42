"""zhifa settings: one file, driven by the environment.

SQLite under ``var/`` by default (WAL, busy timeout); PostgreSQL when ``DATABASE_URL`` is set.
``ZHIFA_DEBUG=1`` turns on debug. Outside debug, ``ZHIFA_SECRET_KEY`` must be set and cookies
and headers are hardened.
"""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("ZHIFA_DEBUG", "0") == "1"
TESTING = os.environ.get("ZHIFA_TESTING", "0") == "1"


def _secret_key() -> str:
    key = os.environ.get("ZHIFA_SECRET_KEY")
    if key:
        return key
    if not (DEBUG or TESTING or os.environ.get("ZHIFA_DEMO") == "1"):
        raise RuntimeError("ZHIFA_SECRET_KEY 未设置：生产环境必须通过环境变量提供密钥。")
    # Demo and development only: a key generated once and kept under var/.
    key_file = VAR_DIR / "demo-secret-key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZHIFA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

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
    "zhifa.core",
    "zhifa.registry",
    "zhifa.catalog",
    "zhifa.documents",
    "zhifa.cases",
    "zhifa.inspections",
    "zhifa.supervision",
    "zhifa.workbench",
    "zhifa.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: short queries whose estimate crosses jit_above_cost (a page of the inspector
        # directory, with its per-officer subqueries) spent 0.1 s compiling to run in 0.03 s.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("ZHIFA_SQLITE_PATH", str(VAR_DIR / "zhifa.sqlite3")),
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
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
API_TOKEN_TTL_DAYS = int(os.environ.get("ZHIFA_API_TOKEN_TTL_DAYS", "30"))

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
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
if not (DEBUG or TESTING) and os.environ.get("ZHIFA_INSECURE_HTTP", "0") != "1":
    SECURE_SSL_REDIRECT = os.environ.get("ZHIFA_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "WARNING")},
}

# --- zhifa --------------------------------------------------------------------------------
ZHIFA = {
    # Digest of the full-process record chain: SM3 (GM/T 0004-2012) as commercial-cryptography
    # assessment expects; "sha256" where OpenSSL lacks SM3. Each entry names its algorithm.
    "RECORD_HASH": os.environ.get("ZHIFA_RECORD_HASH", "sm3"),
    # Watch every use case's SQL and refuse a write that leaves no record entry (core/usecase.py):
    # on in the test suites, off in production (where it would only cost time).
    "CHECK_RECORDS": TESTING or os.environ.get("ZHIFA_CHECK_RECORDS", "0") == "1",
    # R07: yearly training hours per officer (seed D §三); a setting because a province may raise it.
    "TRAINING_HOURS_PER_YEAR": int(os.environ.get("ZHIFA_TRAINING_HOURS", "60")),
    # Registry health: certificates expiring within this many days are listed.
    "CERTIFICATE_EXPIRY_WARNING_DAYS": 90,
    # R07: "镇(街道)综合执法局负责人必须要有执法工作经验" (NPC decision §三). The text sets no
    # number of years: 1 year is our default reading of "has experience"; a place may raise it.
    "TOWNSHIP_HEAD_MIN_EXPERIENCE_YEARS": int(os.environ.get("ZHIFA_TOWNSHIP_HEAD_MIN_YEARS", "1")),
    # Called by `zhifa load_holidays` after a year is loaded: stored provisional deadlines become final.
    "CALENDAR_RECOMPUTE_HOOKS": ["zhifa.cases.services.recompute_after_holidays"],
    # Called by `zhifa sweep` after the document files: modules of the apps above cases that store
    # files, each with `prune_orphans(*, dry_run=False) -> list[str]` and a `LABEL` for the report.
    "ORPHAN_FILE_PRUNERS": ["zhifa.inspections.photo_files"],
    # Called by `zhifa sweep` last: daily work of the apps above cases, each a function of no
    # arguments (dotted path) returning the line to print ("" prints nothing).
    "SWEEP_TASKS": ["zhifa.inspections.services.refresh_register_snapshot"],
    # Import jobs (core/imports.py): "thread" runs them in a background thread of the web process,
    # "inline" in the request (the test suites' default: deterministic, one connection).
    # A draw reads a register at least this large (by the planner's statistics) in two halves
    # at once, on two connections (inspections.engine.scan.scan).
    "DRAW_PARALLEL_MIN_ENTITIES": int(os.environ.get("ZHIFA_DRAW_PARALLEL_MIN_ENTITIES", "100000")),
    "IMPORT_RUNNER": os.environ.get("ZHIFA_IMPORT_RUNNER", "inline" if TESTING else "thread"),
    # The largest file the import page and API accept, in MB.
    "IMPORT_MAX_MB": int(os.environ.get("ZHIFA_IMPORT_MAX_MB", "200")),
    # A queued or running job whose heartbeat is older than this (its process was restarted or
    # killed) is marked failed.
    "IMPORT_STALE_MINUTES": int(os.environ.get("ZHIFA_IMPORT_STALE_MINUTES", "10")),
}
