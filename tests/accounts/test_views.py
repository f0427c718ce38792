"""People: the provincial admin creates users with a role and its scope; everyone changes their password."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from audit.models import AuditEvent
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-much-longer-passphrase-2027"  # noqa: S105


def new_user_data(**overrides):
    return {
        "username": "new_staff",
        "full_name": "新经办人",
        "email": "",
        "phone": "",
        "role": Role.INSTITUTION_STAFF,
        "institution": "",
        "bureau": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    } | overrides


def test_user_create_by_provincial_admin_creates_a_scoped_user_and_audits_it(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.post(reverse("user_create"), new_user_data(institution=cast.school1.pk))

    user = User.objects.get(username="new_staff")
    assert response.status_code == 302
    assert (user.role, user.institution, user.bureau, user.is_staff) == (
        Role.INSTITUTION_STAFF,
        cast.school1,
        None,
        False,
    )
    event = AuditEvent.objects.get(action="user.create")
    assert (event.actor, event.after["institution_id"]) == (cast.provincial_admin, cast.school1.pk)
    assert "password" not in str(event.after)


def test_user_create_institution_role_without_institution_is_refused(client, cast):
    client.force_login(cast.provincial_admin)

    response = client.post(reverse("user_create"), new_user_data(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors["institution"] == ["An institution role needs an institution."]
    assert not User.objects.filter(username="new_staff").exists()


def test_user_create_drops_a_forged_bureau_on_an_institution_role(client, cast):
    client.force_login(cast.provincial_admin)

    client.post(reverse("user_create"), new_user_data(institution=cast.school1.pk, bureau=cast.bureau2.pk))

    assert User.objects.get(username="new_staff").bureau is None


@pytest.mark.parametrize("who", ["staff", "leader", "bureau_reviewer", "provincial_reviewer", "observer"])
def test_user_pages_refuse_every_other_role(client, cast, who):
    client.force_login(getattr(cast, who))

    listing = client.get(reverse("user_list"))
    create = client.post(reverse("user_create"), new_user_data(institution=cast.school1.pk))

    assert (listing.status_code, create.status_code) == (403, 403)
    assert not User.objects.filter(username="new_staff").exists()


def test_django_admin_is_for_provincial_admins_only(client, cast):
    client.force_login(cast.provincial_reviewer)
    refused = client.get("/admin/")
    client.force_login(cast.provincial_admin)
    allowed = client.get("/admin/")

    assert refused.status_code == 302
    assert allowed.status_code == 200


def test_password_change_works_and_logout_needs_post(client, cast):
    client.force_login(cast.staff)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    by_get = client.get(reverse("logout"))
    by_post = client.post(reverse("logout"))

    cast.staff.refresh_from_db()
    assert response.status_code == 302
    assert cast.staff.check_password(NEW_PASSWORD)
    assert (by_get.status_code, by_post.status_code) == (405, 302)
