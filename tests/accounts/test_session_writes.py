"""A signed-in request that changes nothing writes nothing to the session store: the idle expiry moves forward
at most once a minute (accounts.middleware.SessionRefreshMiddleware); the limits themselves are tested in
tests/accounts/test_sessions.py and tests/onex/test_sessions.py."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import SHANGHAI

START = datetime(2027, 4, 3, 8, 0, 0, tzinfo=SHANGHAI)
ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]


def session_writes(client, url: str) -> tuple[list[str], bool]:
    """The SQL statements writing to the session table while `client` asks for `url`, and whether the answer
    set the session cookie."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    writes = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    return writes, settings.SESSION_COOKIE_NAME in response.cookies


def stored(client) -> tuple[str, datetime]:
    row = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    return row.session_data, row.expire_date


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("who", "url_name"), [("staff", "home"), ("provincial_reviewer", "review_queue")])
def test_sessions_a_signed_in_request_that_changes_nothing_writes_nothing(
    client, cast, settings, engine, who, url_name
):
    settings.SESSION_ENGINE = engine
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(getattr(cast, who))
        client.get(reverse(url_name))  # the first request stamps the session (its start, its refresh)
        before = stored(client)
        clock.shift(timedelta(seconds=59))

        writes = session_writes(client, reverse(url_name))

    assert writes == ([], False)
    assert stored(client) == before


@pytest.mark.parametrize("engine", ENGINES)
def test_sessions_the_idle_expiry_moves_forward_once_a_minute(client, cast, settings, engine):
    settings.SESSION_ENGINE = engine
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(cast.staff)
        client.get("/")
        clock.shift(timedelta(seconds=30))
        seen = {"after 30 s": session_writes(client, "/")}
        clock.shift(timedelta(seconds=30))
        seen["after 60 s"] = session_writes(client, "/")
        expiry = stored(client)[1]
        clock.shift(timedelta(seconds=1))
        seen["a second later"] = session_writes(client, "/")

    assert seen == {"after 30 s": ([], False), "after 60 s": (["UPDATE"], True), "a second later": ([], False)}
    assert expiry == START + timedelta(seconds=60 + settings.SESSION_COOKIE_AGE)


def test_sessions_an_anonymous_request_with_an_unknown_cookie_stores_no_session(client, db):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789ab"

    response = client.get(reverse("login"))

    assert (response.status_code, Session.objects.count()) == (200, 0)
