"""Production settings: the base settings (onex/settings.py) with everything a public HTTPS site needs.

DJANGO_SETTINGS_MODULE=onex.settings_production. Behind nginx (TLS, X-Forwarded-Proto/-For), several web
machines sharing PostgreSQL and Redis. `manage.py check --deploy --fail-level WARNING` passes with it
(tests/onex/test_production_settings.py)."""

from django.core.exceptions import ImproperlyConfigured

from onex.settings import *  # noqa: F403
from onex.settings import envbool, envint, envstr

DEBUG = False
if envbool("DEBUG"):
    raise ImproperlyConfigured("DEBUG must stay off with onex.settings_production.")

SECRET_KEY = envstr("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("onex-dev-only", "change-me")):
    raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) to 50+ random characters.")

# HTTPS only: nginx terminates TLS and says so in X-Forwarded-Proto (it overwrites what the client sent).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1)

# Cookies: HTTPS only, out of reach of scripts, not sent on other sites' requests. The CSRF token reaches
# htmx through the page (hx-headers), never through the cookie.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = LANGUAGE_COOKIE_HTTPONLY = True

# One cache for every web machine (rate limits must count across them); sessions in the database, read
# through the cache, so a Redis restart logs nobody out.
CACHES = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": envstr("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "onex",
    }
}
SESSION_ENGINE = "accounts.sessions"  # cached_db, reading the signed-in person in the same round trip

# Hashed, compressed static files (collectstatic); WhiteNoise serves them if nginx does not.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Real e-mail unless told otherwise (the base settings print e-mails to the console): SMTP to a relay.
MAILERS = {"default": {"BACKEND": envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")}}
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": envstr("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", 25),
        "username": envstr("EMAIL_HOST_USER"),
        "password": envstr("EMAIL_HOST_PASSWORD"),
        "use_tls": envbool("EMAIL_USE_TLS"),
        "timeout": envint("EMAIL_TIMEOUT", 30),
    }

# The key that seals candidates' ID numbers must be the same on every machine: without it each machine
# would make a key file of its own in var/ and could not read what the others wrote.
if not envstr("ONEX_ID_KEY"):
    raise ImproperlyConfigured("Set ONEX_ID_KEY (or ONEX_ID_KEY_FILE): base64 of 32 random bytes, the same everywhere.")
