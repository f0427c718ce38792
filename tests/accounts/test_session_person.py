"""The session engine accounts.sessions: a signed-in session's key names the person, so that the session and the
cached person are read in one cache round trip; the session's own user id still decides who is signed in."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from accounts.sessions import person_id_of

ENGINE = "accounts.sessions"


@pytest.fixture(autouse=True)
def _engine(settings):
    settings.SESSION_ENGINE = ENGINE


def cookie(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def home(client) -> int:
    return client.get("/").status_code


def test_session_person_a_signed_in_key_names_the_person(client, cast):
    client.force_login(cast.staff)
    random, _dot, person = cookie(client).partition(".")

    assert (len(random), person, person_id_of(cookie(client))) == (32, str(cast.staff.pk), str(cast.staff.pk))


def test_session_person_keys_without_a_person(cast):
    assert [person_id_of(key) for key in ("", None, "a" * 32, "a" * 32 + ".", "a" * 32 + ".x1")] == [None] * 5


def test_session_person_a_key_altered_to_name_someone_else_signs_no_one_in(client, cast):
    client.force_login(cast.staff)
    client.force_login(cast.provincial_admin)  # their person is cached, their session exists
    random, _dot, _person = cookie(client).partition(".")
    altered = Client()
    altered.cookies[settings.SESSION_COOKIE_NAME] = f"{random}.{cast.staff.pk}"

    assert (home(client), home(altered)) == (200, 302)


def commands(url: str, client, path: str) -> dict[str, int]:
    """The Redis commands (name: calls) that `client` asking for `path` sends."""
    server = redis.Redis.from_url(url)
    server.config_resetstat()
    assert client.get(path).status_code == 200
    stats = server.info("commandstats")
    return {name.removeprefix("cmdstat_"): entry["calls"] for name, entry in stats.items() if name != "cmdstat_info"}


@pytest.mark.parametrize("who", ["staff", "provincial_reviewer"])
def test_session_person_the_session_and_the_person_come_in_one_round_trip(settings, redis_url, cast, who):
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "s"}}
    sent = {}
    for engine in ("django.contrib.sessions.backends.cached_db", ENGINE):
        settings.SESSION_ENGINE = engine
        caches["default"].clear()
        client = Client()
        client.force_login(getattr(cast, who))
        client.get("/accounts/password/")  # the first request stamps the session
        sent[engine] = commands(redis_url, client, "/accounts/password/")

    assert sent == {
        "django.contrib.sessions.backends.cached_db": {"config|resetstat": 1, "get": 3},
        ENGINE: {"config|resetstat": 1, "mget": 1, "get": 1},  # the page's own read: the unread count
    }


def test_session_person_the_request_user_is_the_person_behind_one_lazy_object(client, cast):
    client.force_login(cast.provincial_reviewer)
    response = client.get("/accounts/password/")
    user = response.wsgi_request.user

    assert (type(user._wrapped), user.pk, user.is_verified()) == (
        type(cast.provincial_reviewer),
        cast.provincial_reviewer.pk,
        True,
    )
