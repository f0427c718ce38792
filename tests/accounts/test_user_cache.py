"""The signed-in person is read with their institution or bureau and cached (accounts.backends); the copy is
forgotten whenever they, their institution or their bureau are saved, so a change shows on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import Role


# Django's own engine and ours (cached_db, reading the person with the session: accounts.sessions).
@pytest.fixture(autouse=True, params=["django.contrib.sessions.backends.db", "accounts.sessions"])
def _session_engine(request, settings):
    settings.SESSION_ENGINE = request.param


def whoami(client) -> str:
    """The header's line naming the person, their role and their scope."""
    html = client.get(reverse("home")).content.decode()
    block = html.split('data-testid="whoami">', 1)[1].split("</span></span>", 1)[0]
    return " ".join(block.replace("<br>", " ").replace('<span class="opacity-75">', "").split())


def user_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries if '"accounts_user"' in q["sql"]]


def test_user_cache_a_signed_in_request_reads_no_user_row(client, cast):
    client.force_login(cast.bureau_reviewer)

    assert (user_queries(client), user_queries(client)) == ([], [])


def test_user_cache_is_forgotten_when_the_user_changes(client, cast):
    client.force_login(cast.staff)
    seen = {"before": whoami(client)}
    cast.staff.full_name = "王老师"
    cast.staff.role = Role.INSTITUTION_LEADER
    cast.staff.save()
    seen["after"] = whoami(client)

    assert seen == {
        "before": "staff · 经办人 示例合肥职业学校",
        "after": "王老师 · 校级分管领导 示例合肥职业学校",
    }


def test_user_cache_is_forgotten_when_the_institution_or_bureau_is_renamed(client, cast):
    staff, reviewer = client, client.__class__()
    staff.force_login(cast.staff)
    reviewer.force_login(cast.bureau_reviewer)
    seen = {"before": (whoami(staff), whoami(reviewer))}
    cast.school1.name = "示例合肥第一职业学校"
    cast.school1.save()
    cast.bureau1.name = "合肥"
    cast.bureau1.save()
    seen["after"] = (whoami(staff), whoami(reviewer))

    assert seen == {
        "before": ("staff · 经办人 示例合肥职业学校", "bureau_reviewer · 市教育局审核人 合肥市教育局"),
        "after": ("staff · 经办人 示例合肥第一职业学校", "bureau_reviewer · 市教育局审核人 合肥教育局"),
    }


def test_user_cache_a_deleted_user_is_signed_out(client, cast):
    client.force_login(cast.observer)
    whoami(client)

    cast.observer.delete()

    assert client.get(reverse("home"))["Location"] == "/accounts/login/?next=/"


def device_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return sum('"otp_totp_totpdevice"' in q["sql"] for q in queries.captured_queries)


def test_user_cache_a_verified_request_reads_no_second_factor_device(client, cast):
    client.force_login(cast.bureau_reviewer)  # second factor verified (tests/conftest.py)

    assert (device_queries(client), device_queries(client)) == (0, 0)


def test_user_cache_a_device_no_longer_confirmed_stops_verifying_at_the_next_request(client, cast):
    client.force_login(cast.bureau_reviewer)
    assert client.get(reverse("home")).status_code == 200
    device = TOTPDevice.objects.get(user=cast.bureau_reviewer)
    device.confirmed = False
    device.save()

    response = client.get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, f"{reverse('second_factor')}?next=/")
