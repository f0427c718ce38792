"""Reviewers and admins confirm their password with a TOTP code; a code works once; a lost phone is reset."""

from __future__ import annotations

from binascii import unhexlify
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import Role
from accounts.second_factor import key_base32
from audit.models import AuditEvent
from core.dates import SHANGHAI
from onex.management.commands.load_demo import ACCOUNTS
from tests.conftest import PASSWORD, password_only_login

START = datetime(2027, 4, 3, 8, 0, 10, tzinfo=SHANGHAI)
SECOND_FACTOR = "/accounts/second-factor/"
ENROL = "/accounts/second-factor/enrol/"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code(key: str) -> str:
    """The code an authenticator app holding `key` shows now."""
    return f"{totp(unhexlify(key)):06d}"


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def where(client, url: str = "/") -> str:
    """Where asking for `url` leads: "page" if it is shown, else the redirect target."""
    response = client.get(url)
    return "page" if response.status_code == 200 else response["Location"]


def password_step(client, user) -> str:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return response["Location"]


@pytest.mark.parametrize("who", ["bureau_reviewer", "provincial_reviewer", "provincial_admin", "observer"])
def test_second_factor_reviewers_and_admins_enter_a_code_after_the_password(client, cast, clock, who):
    user = getattr(cast, who)
    device = device_for(user)

    after_password = password_step(client, user)
    before_code = where(client)
    entered = client.post(f"{SECOND_FACTOR}?next=/", {"code": code(device.key), "next": "/"})

    assert (after_password, before_code) == (f"{SECOND_FACTOR}?next=/", f"{SECOND_FACTOR}?next=/")
    assert (entered.status_code, entered["Location"], where(client)) == (302, "/", "page")
    assert list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True).order_by("id")) == [
        "login",
        "second_factor.verified",
    ]


@pytest.mark.parametrize("who", ["staff", "office_head", "leader"])
def test_second_factor_other_roles_sign_in_with_the_password(client, cast, who):
    assert password_step(client, getattr(cast, who)) == "/"
    assert where(client) == "page"


def test_second_factor_a_reused_code_is_refused(client, cast, clock, settings):
    settings.LANGUAGE_CODE = "en"
    device = device_for(cast.provincial_reviewer)
    password_step(client, cast.provincial_reviewer)
    used = code(device.key)
    client.post(SECOND_FACTOR, {"code": used})
    client.post(reverse("logout"))
    clock.shift(timedelta(seconds=5))  # the same 30-second step: the app still shows the same code

    password_step(client, cast.provincial_reviewer)
    again = client.post(SECOND_FACTOR, {"code": used})

    assert again.status_code == 200
    assert again.context["form"].errors["code"] == [
        "This code is wrong or was used already: enter the next code your authenticator app shows."
    ]
    assert where(client) == f"{SECOND_FACTOR}?next=/"
    clock.shift(timedelta(seconds=30))  # the next step's code works
    assert client.post(SECOND_FACTOR, {"code": code(device.key)}).status_code == 302
    assert where(client) == "page"


def test_second_factor_a_wrong_code_is_refused_and_audited(client, cast, clock):
    device = device_for(cast.bureau_reviewer)
    password_step(client, cast.bureau_reviewer)
    wrong = f"{(int(code(device.key)) + 1) % 1_000_000:06d}"

    response = client.post(SECOND_FACTOR, {"code": wrong})

    assert (response.status_code, where(client)) == (200, f"{SECOND_FACTOR}?next=/")
    assert AuditEvent.objects.filter(action="second_factor.failed", object_id=str(cast.bureau_reviewer.pk)).count() == 1


def test_second_factor_first_login_enrols_with_a_qr_code_and_the_key(client, cast, clock):
    password_step(client, cast.bureau_reviewer)
    to_enrol = where(client, f"{SECOND_FACTOR}?next=/")
    page = client.get(to_enrol)
    key = client.session["onex_totp_enrol_key"]

    confirmed = client.post(to_enrol, {"code": code(key), "next": "/"})

    assert to_enrol == f"{ENROL}?next=/"
    assert page.content.decode().count("<svg") == 1
    assert page.context["secret"].replace(" ", "") == key_base32(key)
    assert (confirmed.status_code, confirmed["Location"], where(client)) == (302, "/", "page")
    device = TOTPDevice.objects.get(user=cast.bureau_reviewer)
    assert (device.key, device.confirmed) == (key, True)
    assert AuditEvent.objects.filter(action="second_factor.enrolled", actor=cast.bureau_reviewer).count() == 1


def test_second_factor_the_enrolment_code_cannot_be_used_again(client, cast, clock):
    password_step(client, cast.bureau_reviewer)
    client.get(ENROL)
    enrolment_code = code(client.session["onex_totp_enrol_key"])
    client.post(ENROL, {"code": enrolment_code})
    client.post(reverse("logout"))

    password_step(client, cast.bureau_reviewer)
    response = client.post(SECOND_FACTOR, {"code": enrolment_code})

    assert (response.status_code, where(client)) == (200, f"{SECOND_FACTOR}?next=/")


def test_second_factor_a_wrong_enrolment_code_saves_nothing(client, cast, clock):
    password_step(client, cast.bureau_reviewer)
    client.get(ENROL)
    key = client.session["onex_totp_enrol_key"]

    response = client.post(ENROL, {"code": f"{(int(code(key)) + 1) % 1_000_000:06d}"})

    assert (response.status_code, TOTPDevice.objects.count()) == (200, 0)
    assert client.session["onex_totp_enrol_key"] == key  # the same key: the app already holds it


def test_second_factor_enrolment_is_closed_once_a_device_exists(client, cast):
    device_for(cast.provincial_admin)
    password_only_login(client, cast.provincial_admin)

    assert where(client, ENROL) == f"{SECOND_FACTOR}?next=/"


@pytest.mark.parametrize(
    "url",
    ["/", "/reviews/", "/admin/", "/audit/", "/accounts/users/", "/accounts/password/", "/api/tokens/"],
)
def test_second_factor_until_verified_every_page_leads_to_the_code(client, cast, url):
    device_for(cast.provincial_admin)
    password_only_login(client, cast.provincial_admin)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{SECOND_FACTOR}?next={url}")


def test_second_factor_until_verified_the_code_page_and_logout_work(client, cast):
    device_for(cast.provincial_admin)
    password_only_login(client, cast.provincial_admin)

    assert where(client, SECOND_FACTOR) == "page"
    assert client.post(reverse("logout"))["Location"] == "/accounts/login/"
    assert where(client) == "/accounts/login/?next=/"


def test_second_factor_admin_site_has_no_login_of_its_own(client, cast):
    form = client.get("/admin/login/?next=/admin/")
    posted = client.post("/admin/login/", {"username": "provincial_admin", "password": PASSWORD})

    assert (form.status_code, form["Location"]) == (302, "/accounts/login/?next=/admin/")
    assert posted.status_code == 302
    assert where(client, "/admin/") == "/admin/login/?next=/admin/"


def test_second_factor_reset_by_the_provincial_admin_makes_the_user_enrol_again(client, cast):
    reviewer = Client()
    reviewer.force_login(cast.bureau_reviewer)
    assert where(reviewer) == "page"
    client.force_login(cast.provincial_admin)

    response = client.post(reverse("user_second_factor_reset", args=[cast.bureau_reviewer.pk]))

    assert (response.status_code, response["Location"]) == (302, reverse("user_list"))
    assert TOTPDevice.objects.filter(user=cast.bureau_reviewer).count() == 0
    assert where(reviewer) == f"{SECOND_FACTOR}?next=/"
    assert where(reviewer, f"{SECOND_FACTOR}?next=/") == f"{ENROL}?next=/"
    event = AuditEvent.objects.get(action="second_factor.reset")
    assert (event.actor, event.object_id, len(event.before["devices"])) == (
        cast.provincial_admin,
        str(cast.bureau_reviewer.pk),
        1,
    )


@pytest.mark.parametrize("who", ["provincial_reviewer", "bureau_reviewer", "staff", "observer"])
def test_second_factor_reset_is_for_the_provincial_admin_only(client, cast, who):
    device_for(cast.other_bureau_reviewer)
    client.force_login(getattr(cast, who))

    response = client.post(reverse("user_second_factor_reset", args=[cast.other_bureau_reviewer.pk]))

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.other_bureau_reviewer).count() == 1


def test_second_factor_reset_needs_post(client, cast):
    device_for(cast.bureau_reviewer)
    client.force_login(cast.provincial_admin)

    response = client.get(reverse("user_second_factor_reset", args=[cast.bureau_reviewer.pk]))

    assert response.status_code == 405
    assert TOTPDevice.objects.filter(user=cast.bureau_reviewer).count() == 1


def test_second_factor_users_page_shows_who_has_set_it_up(client, cast):
    device_for(cast.bureau_reviewer)
    client.force_login(cast.provincial_admin)

    page = client.get(reverse("user_list")).content.decode()

    assert 'data-testid="reset-second-factor-bureau_reviewer"' in page
    assert 'data-testid="reset-second-factor-other_bureau_reviewer"' not in page
    assert 'data-testid="reset-second-factor-staff"' not in page


def test_second_factor_never_sends_the_user_to_another_site(client, cast, clock):
    device = device_for(cast.provincial_reviewer)
    password_step(client, cast.provincial_reviewer)

    response = client.post(SECOND_FACTOR, {"code": code(device.key), "next": "https://evil.example/"})

    assert (response.status_code, response["Location"]) == (302, "/")


def test_second_factor_the_ci_smoke_account_signs_in_with_its_password_alone():
    # .ci/run signs in with curl as the first account of var/demo_accounts.txt (ACCOUNTS[0]) and expects the home page.
    assert ACCOUNTS[0].role not in Role.second_factor_roles()
