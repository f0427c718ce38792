"""Personal tokens: shown once, stored hashed, revoked or expired tokens refused, never a session."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import time_machine
from django.urls import reverse

from api.models import ApiToken
from api.services import create_token, revoke_token
from audit.models import AuditEvent
from core.dates import SHANGHAI
from tests.conftest import PASSWORD

NOW = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


def test_tokens_page_shows_the_secret_once_and_stores_its_hash(client, cast):
    client.force_login(cast.staff)

    created = client.post(reverse("api_tokens"), {"name": "nightly export"})
    raw = created.context["created"]["raw"]
    again = client.get(reverse("api_tokens"))

    token = ApiToken.objects.get()
    assert (created.status_code, again.status_code) == (200, 200)
    assert raw.startswith(f"onex_{token.prefix}_")
    assert raw in created.content.decode()
    assert raw not in again.content.decode()
    assert token.hashed == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.split("_", 2)[2] not in {token.name, token.prefix, token.hashed}
    assert (token.user, token.name) == (cast.staff, "nightly export")
    assert created["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_tokens_page_lists_only_my_own_tokens(client, cast):
    create_token(user=cast.staff, name="mine", at=NOW)
    create_token(user=cast.leader, name="the leader's", at=NOW)
    client.force_login(cast.staff)

    page = client.get(reverse("api_tokens"))

    assert [t.name for t in page.context["tokens"]] == ["mine"]


def test_tokens_page_asks_anonymous_users_to_log_in(client, db):
    assert client.get(reverse("api_tokens")).status_code == 302


def test_revoked_token_is_refused(api, cast):
    token, raw = create_token(user=cast.staff, name="script", at=NOW)
    before = api(raw=raw).get("/me").status_code

    revoke_token(user=cast.staff, token=token, at=NOW)
    after = api(raw=raw).get("/me")

    assert (before, after.status_code) == (200, 401)
    assert after["Content-Type"] == "application/problem+json; charset=utf-8"
    assert after["WWW-Authenticate"] == 'Bearer realm="onex"'


def test_revoking_on_the_page_refuses_the_token_and_audits(client, api, cast):
    token, raw = create_token(user=cast.staff, name="script", at=NOW)
    client.force_login(cast.staff)

    revoked = client.post(reverse("api_token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert revoked.status_code == 302
    assert token.revoked_at is not None
    assert api(raw=raw).get("/me").status_code == 401
    assert list(AuditEvent.objects.filter(object_type="api.apitoken").values_list("action", flat=True)) == [
        "api_token.revoke",
        "api_token.create",
    ]


def test_revoking_someone_elses_token_is_404(client, cast):
    token, _raw = create_token(user=cast.leader, name="the leader's", at=NOW)
    client.force_login(cast.staff)

    refused = client.post(reverse("api_token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert (refused.status_code, token.revoked_at) == (404, None)


def test_expired_token_is_refused(api, cast):
    with time_machine.travel(NOW, tick=False):
        _token, raw = create_token(user=cast.staff, name="short", at=NOW, expires_at=NOW + timedelta(hours=1))
        during = api(raw=raw).get("/me").status_code
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        after = api(raw=raw).get("/me").status_code

    assert (during, after) == (200, 401)


def test_token_of_a_deactivated_user_is_refused(api, cast):
    _token, raw = create_token(user=cast.staff, name="script", at=NOW)
    cast.staff.is_active = False
    cast.staff.save()

    assert api(raw=raw).get("/me").status_code == 401


def test_wrong_secret_with_a_real_prefix_is_refused(api, cast):
    token, raw = create_token(user=cast.staff, name="script", at=NOW)
    forged = f"onex_{token.prefix}_{'A' * 43}"

    assert (api(raw=forged).get("/me").status_code, api(raw=raw + "x").get("/me").status_code) == (401, 401)


def test_malformed_or_missing_tokens_are_refused(api, db):
    answers = [api(raw=raw).get("/me").status_code for raw in ("", "onex_", "onex_x_y", "Basic abc", "☃" * 30)]

    assert answers == [401, 401, 401, 401, 401]


def test_session_login_is_not_accepted_by_the_api(client, cast):
    client.login(username="staff", password=PASSWORD)

    answer = client.get("/api/v1/me")

    assert answer.status_code == 401


def test_token_use_is_stamped_at_most_once_a_minute(api, cast):
    with time_machine.travel(NOW, tick=False):
        token, raw = create_token(user=cast.staff, name="script", at=NOW)
        api(raw=raw).get("/me")
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        api(raw=raw).get("/me")
    token.refresh_from_db()
    first = token.last_used_at
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        api(raw=raw).get("/me")
    token.refresh_from_db()

    assert (first, token.last_used_at) == (NOW, NOW + timedelta(seconds=61))


def test_me_answers_the_tokens_owner(api, cast):
    answer = api(cast.bureau_reviewer).get("/me")

    assert answer.status_code == 200
    assert answer.json() | {"role_label": "", "scope": ""} == {
        "id": cast.bureau_reviewer.pk,
        "username": "bureau_reviewer",
        "full_name": "bureau_reviewer",
        "role": "bureau_reviewer",
        "role_label": "",
        "institution": None,
        "bureau": {"id": cast.bureau1.pk, "name": "合肥市"},
        "scope": "",
    }


def test_answers_to_a_token_are_private_and_not_stored(api, cast):
    answer = api(cast.staff).get("/me")
    refused = api().get("/me")

    assert (answer.status_code, answer["Cache-Control"]) == (200, "private, no-store")
    assert (refused.status_code, refused.has_header("Cache-Control")) == (401, False)
