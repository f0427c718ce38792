"""A session cookie stops working after logout, after the user is deactivated, after the password changes, and
after 30 idle minutes, second factor included (the 12-hour limit: tests/onex/test_sessions.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from core.dates import SHANGHAI
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-much-longer-passphrase-2027"  # noqa: S105
LOGIN_PAGE = "/accounts/login/?next=/"


# Django's own engine and ours (cached_db, reading the person with the session: accounts.sessions).
@pytest.fixture(autouse=True, params=["django.contrib.sessions.backends.db", "accounts.sessions"])
def _session_engine(request, settings):
    settings.SESSION_ENGINE = request.param


def home(client) -> str:
    """Where asking for the home page leads: "home" while signed in, else the redirect target."""
    response = client.get("/")
    return "home" if response.status_code == 200 else response["Location"]


def with_cookie(value: str) -> Client:
    """A new browser presenting the session cookie `value` (an old one kept by someone)."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = value
    return other


def cookie(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("who", ["staff", "provincial_admin"])
def test_sessions_an_old_cookie_after_logout_signs_no_one_in(client, cast, who):
    client.force_login(getattr(cast, who))
    old = cookie(client)
    assert home(with_cookie(old)) == "home"

    client.post(reverse("logout"))

    assert home(with_cookie(old)) == LOGIN_PAGE


@pytest.mark.parametrize("who", ["staff", "bureau_reviewer"])
def test_sessions_end_when_the_user_is_deactivated(client, cast, who):
    user = getattr(cast, who)
    client.force_login(user)
    old = cookie(client)
    assert home(client) == "home"

    user.is_active = False
    user.save()

    assert (home(client), home(with_cookie(old))) == (LOGIN_PAGE, LOGIN_PAGE)


def test_sessions_a_password_change_ends_the_other_sessions_and_the_old_cookie(client, cast):
    elsewhere = Client()
    elsewhere.force_login(cast.staff)
    client.force_login(cast.staff)
    old = cookie(client)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert (home(client), home(elsewhere), home(with_cookie(old))) == ("home", LOGIN_PAGE, LOGIN_PAGE)
    assert AuditEvent.objects.filter(action="user.password_change", actor=cast.staff).count() == 1


def test_sessions_a_password_set_by_someone_else_ends_the_users_sessions(client, cast):
    client.force_login(cast.bureau_reviewer)

    cast.bureau_reviewer.set_password(NEW_PASSWORD)
    cast.bureau_reviewer.save()

    assert home(client) == LOGIN_PAGE


def test_sessions_a_verified_reviewer_survives_29_idle_minutes_not_31(client, cast):
    device = TOTPDevice.objects.create(user=cast.provincial_reviewer, name="phone", confirmed=True)
    with time_machine.travel(datetime(2027, 4, 3, 8, 0, 10, tzinfo=SHANGHAI), tick=False) as clock:
        client.post(reverse("login"), {"username": cast.provincial_reviewer.username, "password": PASSWORD})
        client.post(reverse("second_factor"), {"code": f"{totp(device.bin_key):06d}"})
        seen = {"signed in": home(client)}
        clock.shift(timedelta(minutes=29))
        seen["29 idle minutes"] = home(client)
        clock.shift(timedelta(minutes=31))
        seen["31 idle minutes"] = home(client)

    assert seen == {"signed in": "home", "29 idle minutes": "home", "31 idle minutes": LOGIN_PAGE}
