"""One institution through the API: its national-platform registration (R8) and contacts, kept by the same people
as on its page, audited; outside the caller's scope 404."""

from __future__ import annotations

import pytest

from accounts.models import User
from audit.models import AuditEvent
from institutions.models import Institution
from tests.test_scope_matrix import EVERYONE


def test_institutions_read_shows_registration_contacts_and_what_i_may_change(api, cast):
    answer = api(cast.office_head).get(f"/institutions/{cast.school1.pk}").json()

    assert (answer["kind"], answer["contact_name"]) == ("secondary_vocational", cast.school1.contact_name)
    assert (answer["may_record_registration"], answer["may_keep_contacts"]) == (False, True)


def test_institution_registration_update_records_it_and_audits_before_and_after(api, cast):
    before = cast.school1.platform_account
    answer = api(cast.staff).put(f"/institutions/{cast.school1.pk}/registration", {"platform_account": "ah-0001"})

    cast.school1.refresh_from_db()
    event = AuditEvent.objects.get(action="institution.registration")
    assert (answer.status_code, answer.json()["registered_on_platform"], cast.school1.platform_account) == (
        200,
        True,
        "ah-0001",
    )
    assert (event.before, event.after) == ({"platform_account": before}, {"platform_account": "ah-0001"})


def test_institution_contacts_update_refuses_a_phone_with_letters(api, cast):
    answer = api(cast.staff).put(f"/institutions/{cast.school1.pk}/contacts", {"contact_phone": "call me"})

    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "contact_phone")


@pytest.mark.parametrize(
    ("operation", "body", "keepers"),
    [
        ("registration", {"platform_account": "ah-0001"}, {"staff", "provincial_admin"}),
        (
            "contacts",
            {"contact_name": "王老师", "contact_phone": "0551-1234567"},
            {"staff", "office_head", "provincial_admin"},
        ),
    ],
)
def test_institution_updates_answer_by_role_and_scope(api, cast, operation, body, keepers):
    sees = {
        u.username
        for u in User.objects.filter(username__in=EVERYONE)
        if Institution.objects.for_user(u).filter(pk=cast.school1.pk).exists()
    }
    seen = {
        u.username: api(u).put(f"/institutions/{cast.school1.pk}/{operation}", body).status_code
        for u in User.objects.filter(username__in=EVERYONE)
    }

    assert seen == {u: 200 if u in keepers else 403 if u in sees else 404 for u in EVERYONE}
