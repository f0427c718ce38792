"""Five consecutive failed logins lock a username for 30 minutes, whatever address they come from."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import services
from accounts.models import LoginThrottle
from audit.models import AuditEvent
from core.dates import SHANGHAI
from tests.conftest import PASSWORD

START = datetime(2027, 4, 3, 8, 0, 0, tzinfo=SHANGHAI)
WRONG = "not-the-password-1"  # noqa: S105


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def attempt(client, username: str, password: str, **headers) -> str:
    """What one try at the login form came to: "signed in", or the form's error code ("invalid_login", "locked")."""
    response = client.post(reverse("login"), {"username": username, "password": password}, **headers)
    if response.status_code == 302:
        client.post(reverse("logout"))
        return "signed in"
    return response.context["form"].non_field_errors().as_data()[0].code


def test_lockout_the_5th_failure_locks_and_the_6th_try_is_refused_even_with_the_right_password(client, cast, clock):
    seen = [attempt(client, "staff", WRONG) for _ in range(5)]
    seen.append(attempt(client, "staff", PASSWORD))

    assert seen == ["invalid_login"] * 4 + ["locked", "locked"]


def test_lockout_four_failures_then_the_right_password_signs_in(client, cast, clock):
    seen = [attempt(client, "staff", WRONG) for _ in range(4)]
    seen.append(attempt(client, "staff", PASSWORD))

    assert seen == ["invalid_login"] * 4 + ["signed in"]


def test_lockout_still_locked_after_29_minutes_lifted_after_31(client, cast, clock):
    for _ in range(5):
        attempt(client, "staff", WRONG)

    clock.shift(timedelta(minutes=29))
    at_29 = attempt(client, "staff", PASSWORD)
    clock.shift(timedelta(minutes=2))
    at_31 = attempt(client, "staff", PASSWORD)

    assert (at_29, at_31) == ("locked", "signed in")


def test_lockout_lifted_lock_gives_a_fresh_count(client, cast, clock):
    for _ in range(5):
        attempt(client, "staff", WRONG)
    clock.shift(timedelta(minutes=31))

    seen = [attempt(client, "staff", WRONG) for _ in range(5)]

    assert seen == ["invalid_login"] * 4 + ["locked"]


def test_lockout_tries_within_the_lock_do_not_extend_it(client, cast, clock):
    for _ in range(5):
        attempt(client, "staff", WRONG)
    clock.shift(timedelta(minutes=20))
    attempt(client, "staff", WRONG)
    clock.shift(timedelta(minutes=11))  # 31 minutes after the 5th failure, 11 after the refused try

    assert attempt(client, "staff", PASSWORD) == "signed in"


def test_lockout_message_says_until_when(client, cast, clock, settings):
    settings.LANGUAGE_CODE = "en"
    for _ in range(4):
        attempt(client, "staff", WRONG)
    clock.shift(timedelta(minutes=2))

    response = client.post(reverse("login"), {"username": "staff", "password": WRONG})

    assert response.context["form"].non_field_errors() == [
        "Too many failed logins in a row: this username is locked until 08:32. Try again after that time."
    ]


def test_lockout_a_success_resets_the_count(client, cast, clock):
    for _ in range(4):
        attempt(client, "staff", WRONG)
    attempt(client, "staff", PASSWORD)

    seen = [attempt(client, "staff", WRONG) for _ in range(4)]

    assert seen == ["invalid_login"] * 4
    assert not LoginThrottle.objects.filter(username="staff", failures__gt=4).exists()


def test_lockout_is_per_username_so_a_shared_school_address_locks_no_one_else(client, cast, clock):
    school_address = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(5):
        attempt(client, "staff", WRONG, **school_address)

    colleague = attempt(Client(), "office_head", PASSWORD, **school_address)
    locked_one = attempt(Client(), "staff", PASSWORD, REMOTE_ADDR="198.51.100.9")

    assert (colleague, locked_one) == ("signed in", "locked")


def test_lockout_a_forged_forwarded_for_does_not_reset_the_count(client, cast, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    seen = [
        attempt(client, "staff", WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}", REMOTE_ADDR="127.0.0.1") for i in range(5)
    ]
    seen.append(attempt(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.99", REMOTE_ADDR="127.0.0.1"))

    assert seen == ["invalid_login"] * 4 + ["locked", "locked"]


def test_lockout_an_unknown_username_answers_exactly_like_a_known_one(client, cast, clock):
    known = [attempt(client, "staff", WRONG) for _ in range(6)]
    unknown = [attempt(client, "nobody-here", WRONG) for _ in range(6)]

    assert unknown == known == ["invalid_login"] * 4 + ["locked"] * 2


def test_lockout_a_deactivated_user_counts_failures_like_anyone(client, cast, clock):
    cast.staff.is_active = False
    cast.staff.save()

    seen = [attempt(client, "staff", PASSWORD) for _ in range(5)]

    assert seen == ["invalid_login"] * 4 + ["locked"]


def test_lockout_rows_of_random_usernames_do_not_pile_up(cast, django_capture_on_commit_callbacks):
    request = RequestFactory().post("/accounts/login/")
    for i in range(50):
        services.check_password_login(request=request, username=f"random-{i}", password=WRONG, at=START)
    assert LoginThrottle.objects.count() == 50

    with django_capture_on_commit_callbacks(execute=True):
        services.check_password_login(
            request=request, username="staff", password=WRONG, at=START + timedelta(minutes=30)
        )

    assert list(LoginThrottle.objects.values_list("username", "failures")) == [("staff", 1)]


def test_lockout_no_row_is_kept_for_a_success(cast):
    request = RequestFactory().post("/accounts/login/")

    result = services.check_password_login(request=request, username="staff", password=PASSWORD, at=START)

    assert (result.user, LoginThrottle.objects.count()) == (cast.staff, 0)


def test_lockout_failures_the_lock_and_the_login_are_audited_with_the_address(client, cast, clock):
    for _ in range(5):
        attempt(client, "staff", WRONG, REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        attempt(client, "nobody-here", WRONG, REMOTE_ADDR="203.0.113.8")
    clock.shift(timedelta(minutes=31))
    attempt(client, "staff", PASSWORD, REMOTE_ADDR="203.0.113.9")

    events = AuditEvent.objects.order_by("id")
    assert [(e.action, e.object_repr, e.ip, e.actor_name) for e in events] == [
        *[("login.failed", "staff", "203.0.113.7", "system")] * 5,
        ("login.locked", "staff", "203.0.113.7", "system"),
        ("login.locked", "nobody-here", "203.0.113.8", "system"),
        ("login", "staff", "203.0.113.9", "staff"),
    ]
    assert [e.after["failures"] for e in events[:5]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("proxies", "audited"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_lockout_audit_takes_the_address_the_trusted_proxies_saw(client, cast, settings, proxies, audited):
    settings.TRUSTED_PROXY_COUNT = proxies
    forged_then_proxied = "6.6.6.6, 203.0.113.7"  # the client wrote the first entry, our proxy appended the second

    attempt(client, "staff", WRONG, HTTP_X_FORWARDED_FOR=forged_then_proxied, REMOTE_ADDR="127.0.0.1")

    assert AuditEvent.objects.get(action="login.failed").ip == audited
