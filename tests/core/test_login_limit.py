"""Login attempts are rate limited per typed username and per address (core.ratelimit.login_limits)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from core.dates import SHANGHAI

# 10:00:45 — 15 seconds before a one-minute window ends.
NOW = datetime(2027, 4, 3, 10, 0, 45, tzinfo=SHANGHAI)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_login_by_username_allows_the_limit_then_answers_429(client, cast, settings, english):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-username": "3/60"}
    url = reverse("login")
    with time_machine.travel(NOW, tick=False):
        allowed = [client.post(url, {"username": "staff", "password": "wrong"}).status_code for _ in range(3)]
        refused = client.post(url, {"username": "Staff", "password": "wrong"})
        other_user = client.post(url, {"username": "leader", "password": "wrong"})

    assert allowed == [200, 200, 200]  # the form again, with its error
    assert (refused.status_code, refused["Retry-After"]) == (429, "15")
    assert "Please try again in 15 seconds." in refused.text
    assert other_user.status_code == 200


def test_login_by_address_counts_every_username(client, cast, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-ip": "2/60"}
    url = reverse("login")
    with time_machine.travel(NOW, tick=False):
        allowed = [client.post(url, {"username": f"user{i}", "password": "x"}).status_code for i in range(2)]
        refused = client.post(url, {"username": "staff", "password": "onex-test-password-1"})
        elsewhere = client.post(url, {"username": "user9", "password": "x"}, REMOTE_ADDR="10.0.0.9")

    assert allowed == [200, 200]
    assert (refused.status_code, refused["Retry-After"]) == (429, "15")
    assert "_auth_user_id" not in client.session  # the right password did not log in past the limit
    assert elsewhere.status_code == 200


def test_login_page_itself_is_not_counted(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-ip": "1/60"}

    assert [client.get(reverse("login")).status_code for _ in range(3)] == [200, 200, 200]
