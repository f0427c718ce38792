"""A session ends after 30 idle minutes (SESSION_COOKIE_AGE) and after 12 hours in all (accounts.middleware)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from core.dates import SHANGHAI
from tests.conftest import PASSWORD

START = datetime(2027, 4, 3, 8, 0, 0, tzinfo=SHANGHAI)
LOGIN_PAGE = "/accounts/login/?next=/"


def home(client) -> str:
    """Where asking for the home page leads: "home" while signed in, else the redirect target."""
    response = client.get("/")
    return "home" if response.status_code == 200 else response["Location"]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, cast, clock):
    response = client.post("/accounts/login/", {"username": cast.staff.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_sessions_survive_29_idle_minutes_and_end_after_30(signed_in, clock):
    seen = {"at login": home(signed_in)}
    clock.shift(timedelta(minutes=29, seconds=59))
    seen["29:59 idle"] = home(signed_in)
    clock.shift(timedelta(minutes=30))
    seen["30:00 idle"] = home(signed_in)

    assert seen == {"at login": "home", "29:59 idle": "home", "30:00 idle": LOGIN_PAGE}


def test_sessions_end_after_12_hours_however_busy(signed_in, clock):
    seen = {"at login": home(signed_in)}
    # A request every 20 minutes keeps the session from ever idling out.
    for _ in range(35):
        clock.shift(timedelta(minutes=20))
        assert home(signed_in) == "home"
    clock.shift(timedelta(minutes=19, seconds=59))  # 11:59:59 after the first signed-in request
    seen["11:59:59"] = home(signed_in)
    clock.shift(timedelta(seconds=2))  # 12:00:01
    seen["12:00:01"] = home(signed_in)
    clock.shift(timedelta(seconds=1))
    seen["after"] = home(signed_in)

    assert seen == {"at login": "home", "11:59:59": "home", "12:00:01": LOGIN_PAGE, "after": LOGIN_PAGE}


def test_sessions_signing_in_again_after_12_hours_starts_afresh(signed_in, clock, cast):
    home(signed_in)
    for _ in range(37):  # busy for 12 h 20 min: the absolute limit, not idleness, ends the session
        clock.shift(timedelta(minutes=20))
        home(signed_in)
    seen = {"after 12 hours": home(signed_in)}

    signed_in.post("/accounts/login/", {"username": cast.staff.username, "password": PASSWORD})
    seen["signed in again"] = home(signed_in)
    clock.shift(timedelta(minutes=20))
    seen["20 minutes later"] = home(signed_in)

    assert seen == {"after 12 hours": LOGIN_PAGE, "signed in again": "home", "20 minutes later": "home"}
