"""Accounts through the API: the provincial admin lists, creates (through the page's form and its checks),
deactivates and resets second factors — audited; every other role is refused."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import AuditEvent
from tests.test_scope_matrix import EVERYONE

NEW = {"username": "new_staff", "password": "Anhui-1x-Plan!2027", "role": "institution_staff", "full_name": "新人"}


def test_users_create_through_the_forms_checks_and_audited_without_the_password(api, cast):
    answer = api(cast.provincial_admin).post("/users", NEW | {"institution_id": cast.school1.pk})

    created = User.objects.get(username="new_staff")
    event = AuditEvent.objects.get(action="user.create")
    assert (answer.status_code, answer.json()["institution"]["id"], answer.json()["role"]) == (
        201,
        cast.school1.pk,
        "institution_staff",
    )
    assert created.check_password(NEW["password"])
    assert "Anhui-1x-Plan!2027" not in str(event.after)


def test_users_create_refuses_the_forms_errors_as_invalid_input(api, cast):
    no_institution = api(cast.provincial_admin).post("/users", NEW)
    taken = api(cast.provincial_admin).post("/users", NEW | {"username": "staff", "institution_id": cast.school1.pk})
    weak = api(cast.provincial_admin).post("/users", NEW | {"password": "123", "institution_id": cast.school1.pk})

    fields = [{e["field"] for e in a.json()["errors"]} for a in (no_institution, taken, weak)]
    assert [a.status_code for a in (no_institution, taken, weak)] == [422, 422, 422]
    assert fields == [{"institution_id"}, {"username"}, {"password"}]
    assert not User.objects.filter(username="new_staff").exists()


def test_users_list_and_read_for_the_admin_only(api, cast, client):
    listed = api(cast.provincial_admin).get("/users", role="bureau_reviewer").json()
    seen = {u.username: api(u).get("/users").status_code for u in User.objects.filter(username__in=EVERYONE)}

    assert [u["username"] for u in listed["items"]] == ["bureau_reviewer", "other_bureau_reviewer"]
    assert seen == {u: 200 if u == "provincial_admin" else 403 for u in EVERYONE}


def test_users_deactivate_stops_the_token_and_is_audited_with_its_reason(api, cast):
    staff = api(cast.staff)

    answer = api(cast.provincial_admin).post(f"/users/{cast.staff.pk}/deactivate", {"reason": "调岗"})
    after = staff.get("/me").status_code

    assert (answer.status_code, answer.json()["is_active"], after) == (200, False, 401)
    assert AuditEvent.objects.get(action="user.deactivate").reason == "调岗"


@pytest.mark.parametrize("who", ["self", "reviewer"])
def test_users_deactivate_refuses_oneself_and_other_roles(api, cast, who):
    caller = cast.provincial_admin if who == "self" else cast.provincial_reviewer

    answer = api(caller).post(f"/users/{cast.provincial_admin.pk}/deactivate", {"reason": "x"})

    assert answer.status_code == (409 if who == "self" else 403)
    assert User.objects.get(pk=cast.provincial_admin.pk).is_active


def test_users_reset_second_factor_removes_the_device_and_is_audited(api, cast):
    TOTPDevice.objects.create(user=cast.bureau_reviewer, name="phone", confirmed=True)

    answer = api(cast.provincial_admin).post(f"/users/{cast.bureau_reviewer.pk}/second-factor/reset")
    refused = api(cast.provincial_reviewer).post(f"/users/{cast.bureau_reviewer.pk}/second-factor/reset")
    missing = api(cast.provincial_admin).post("/users/999999/second-factor/reset")

    assert (answer.status_code, answer.json(), refused.status_code, missing.status_code) == (
        200,
        {"devices": 1},
        403,
        404,
    )
    assert AuditEvent.objects.filter(action="second_factor.reset").count() == 1
