"""OneX settings, read from environment variables (SQLite unless DATABASE_URL is set)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    """A string setting; `NAME_FILE` (a path) wins over `NAME` so secrets can live in files."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    return envstr(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(envstr(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")
SECRET_KEY = envstr("SECRET_KEY", "onex-dev-only-not-secret-change-me-in-production-0123456789")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "onex.apps.OneXAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "core",
    "audit",
    "institutions",
    "accounts",
    "notifications",
    "catalog",
    "rounds",
    "plans",
    "documents",
    "monitoring",
    "reviews",
    "adjustments",
    "notices",
    "api",
    "onex.apps.OneXConfig",  # the top of the house: its commands use every room
]

MIDDLEWARE = [
    "audit.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    "accounts.middleware.AbsoluteSessionLimitMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "onex.urls"
WSGI_APPLICATION = "onex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'onex.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded default: persistent connections buy nothing, and a busy
    # timeout plus IMMEDIATE transactions keep the task worker and the web process apart.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": envstr("SQLITE_TEST_NAME", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.ScopedModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.password_validation.NotContainingNamesValidator"},
]

# 30 minutes idle, 12 hours in all (the absolute limit is enforced by accounts.middleware). The idle expiry is
# moved forward at most once a minute (accounts.middleware.SessionRefreshMiddleware), not on every request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Form inputs render dates as ISO in every language (an HTML5 date input reads nothing else): onex/formats/.
FORMAT_MODULE_PATH = ["onex.formats"]
# A refused CSRF token gets a page in the site's layout and language, not Django's English one.
CSRF_FAILURE_VIEW = "onex.errors.csrf_failure"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": envstr("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private"))},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", 10)
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000)
# A multipart body above this is refused (413) by its Content-Length before anything reads it; the largest
# upload is a progress import (PROGRESS_IMPORT_MAX_BYTES, 200 MB). Other bodies: DATA_UPLOAD_MAX_MEMORY_SIZE.
REQUEST_MAX_BYTES = envint("REQUEST_MAX_BYTES", 201 * 1024 * 1024)
# Import files (institutions, certificates, plan lines) above this size are refused.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Data rows an import file (institutions, certificates, plan lines) may hold.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 100_000)

TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Each mailer: its BACKEND, and the OPTIONS a backend takes (SMTP in production: onex.settings_production).
MAILERS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "onex@localhost")

# The reference data shipped beside the project (read-only).
SHARED_DATA_DIR = Path(envstr("ONEX_SHARED_DIR", str(BASE_DIR.parent / "shared"))) / "data"

# One JSON object per line on standard error (the journal), with request id, user, role and address; personal
# data and secrets are redacted from every record (core/logs.py). onex.request: one line per request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logs.ContextFilter"}, "redact": {"()": "core.logs.RedactFilter"}},
    "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context", "redact"], "formatter": "json"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {"onex.request": {"level": envstr("ACCESS_LOG_LEVEL", "INFO")}},
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything from this site only; inline <script>/<style> only with the request's nonce, no inline handlers or
# style attributes (static/js/onex.js and static/css/onex.css hold them). data: images are Bootstrap's icons.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The client is the TRUSTED_PROXY_COUNT-th address from the end of X-Forwarded-For (0: the header is ignored).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Rate limits of pages, "<requests>/<seconds>" per key (core.ratelimit); 429 with Retry-After past them.
RATE_LIMITS = {
    # Sign-in attempts from one address: a whole school or office may sit behind it (the account lock for
    # wrong passwords is per username, accounts.lockout); this only slows one address trying many usernames.
    "login-ip": envstr("RATE_LIMIT_LOGIN_IP", "60/300"),
    "login-username": envstr("RATE_LIMIT_LOGIN_USERNAME", "10/300"),
    "export": envstr("RATE_LIMIT_EXPORT", "60/600"),  # per user, Excel/PDF/Word built on demand
    "reveal": envstr("RATE_LIMIT_REVEAL", "20/3600"),  # per user, ID numbers shown in full
    "id-lookup": envstr("RATE_LIMIT_ID_LOOKUP", "60/600"),  # per user, candidates searched by a whole ID number
    "candidates": envstr("RATE_LIMIT_CANDIDATES", "60/600"),  # per user, pages of a line's (masked) candidates
}
RATE_LIMIT_CACHE = "default"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "onex"}}

# Audit records are kept at least this long (the law wants ≥ 180 days).
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 365)

# API: requests per token in each window of API_RATE_WINDOW_SECONDS (429 with Retry-After past it).
API_RATE_LIMIT = envint("API_RATE_LIMIT", 120)
API_RATE_WINDOW_SECONDS = envint("API_RATE_WINDOW_SECONDS", 60)
