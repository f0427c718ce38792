from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import django_otp
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lockout, second_factor
from accounts.models import LoginThrottle, User
from audit.services import record
from core.refusals import StepRefused

if TYPE_CHECKING:  # accounts.forms imports these services
    from accounts.forms import UserCreateForm

USER_FIELDS = ["username", "full_name", "email", "phone", "role", "institution_id", "bureau_id", "is_active"]


@transaction.atomic
def create_user(*, actor: User, form: UserCreateForm) -> User:
    """Create a user from a valid UserCreateForm. Side effects: an audit event (never the password)."""
    user = form.save(commit=False)
    user.institution = form.cleaned_data.get("institution")
    user.bureau = form.cleaned_data.get("bureau")
    user.save()
    record(actor=actor, action="user.create", obj=user, after={f: getattr(user, f) for f in USER_FIELDS})
    return user


class UserRefused(StepRefused):
    code = "state"


@transaction.atomic
def deactivate_user(*, actor: User, user: User, reason: str) -> User:
    """Stop `user` signing in (their sessions and API tokens stop working at the next request); the account and
    its trail stay. Refused (UserRefused) for oneself or without a reason; a second deactivation changes nothing.
    Side effects: `is_active` false; audit event "user.deactivate" with the reason."""
    if user.pk == actor.pk:
        raise UserRefused(_("You cannot deactivate your own account."))
    if not reason.strip():
        raise UserRefused(_("Give a reason."))
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="user.deactivate",
        obj=user,
        before={"is_active": True},
        after={"is_active": False},
        reason=reason,
    )
    return user


# ---------------------------------------------------------------- signing in


@dataclass(frozen=True)
class PasswordCheck:
    """What a password login came to: the user, or None; `locked_until` when the username is locked."""

    user: User | None
    locked_until: datetime | None = None


@transaction.atomic
def check_password_login(*, request: HttpRequest, username: str, password: str, at: datetime) -> PasswordCheck:
    """Check `password` for `username` unless the username is locked (accounts/lockout.py).

    Within a lock the password is not checked at all, right or wrong, and the attempt does not count. Otherwise a
    failure adds one to the username's LoginThrottle row (known usernames and unknown ones alike) and the fifth
    in a row locks it; a success deletes the row. The row is taken (created if need be) with SELECT … FOR UPDATE
    before the password is checked, so concurrent attempts on one username, on any web machine, are checked one
    after another and a sixth is refused even if it arrived with the first five.

    Side effects: the LoginThrottle row; audit events "login.failed" (known users), "login.locked"; after the
    commit, throttle rows no longer counting are deleted.
    """
    # A new row says "no failures yet" (failures=0); it is deleted on success, so only failures outlive the call.
    throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(
        username=username, defaults={"last_failure_at": at}
    )
    until = lockout.locked_until(throttle, at=at)
    if until is not None:
        return PasswordCheck(user=None, locked_until=until)
    user = authenticate(request, username=username, password=password)
    if user is not None:
        throttle.delete()
        return PasswordCheck(user=user)
    lockout.count_failure(throttle, at=at)
    throttle.save()
    _audit_failure(username, throttle)
    transaction.on_commit(lambda: purge_login_throttles(at=at))
    return PasswordCheck(user=None, locked_until=lockout.locked_until(throttle, at=at))


def _audit_failure(username: str, throttle: LoginThrottle) -> None:
    known = User.objects.filter(username=username).first()
    if known is not None:
        record(actor=None, action="login.failed", obj=known, after={"failures": throttle.failures})
    if throttle.failures == lockout.MAX_FAILURES:
        # An unknown username's lock is audited too (on its throttle row): someone is guessing.
        after = {"failures": throttle.failures, "locked_until": throttle.locked_until, "known": known is not None}
        record(actor=None, action="login.locked", obj=known or throttle, after=after)


def purge_login_throttles(*, at: datetime) -> int:
    """Delete the throttle rows whose run of failures no longer counts at `at`; how many went."""
    deleted, _ = LoginThrottle.objects.filter(last_failure_at__lte=at - lockout.LOCK_DURATION).delete()
    return deleted


def record_login(*, user: User) -> None:
    """Audit a password login that went through ("login"); the second factor, if due, is audited on its own."""
    record(actor=user, action="login", obj=user)


# ---------------------------------------------------------------- second factor


@transaction.atomic
def enrol_second_factor(*, user: User, key: str, code: str) -> TOTPDevice | None:
    """Save `key` as `user`'s confirmed TOTP device if `code` is its code now; None if not (nothing saved).

    The code's time step is stored (last_t), so the same code cannot be used again to sign in. Refused (None)
    if the user already has a confirmed device: a lost phone is reset by a provincial admin first.
    Side effects: the device; audit event "second_factor.enrolled".
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time per user
    if second_factor.confirmed_device(user) is not None:
        return None
    matched = second_factor.match_step(key, code)
    if matched is None:
        return None
    step, drift = matched
    device = TOTPDevice.objects.create(
        user=user, name=second_factor.DEVICE_NAME, key=key, confirmed=True, last_t=step, drift=drift
    )
    record(actor=user, action="second_factor.enrolled", obj=user, after={"device": device.pk})
    return device


def verify_second_factor(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Whether `code` is `device`'s code now and not one used before (django-otp keeps the last step, last_t).

    django-otp locks the device row while it checks, and slows down repeated wrong codes (throttling).
    Side effects: the device's last_t, drift and throttle counters; audit event "second_factor.verified" or
    "second_factor.failed".
    """
    verified = django_otp.verify_token(user, device.persistent_id, code.strip()) is not None
    record(actor=user, action="second_factor.verified" if verified else "second_factor.failed", obj=user)
    return verified


@transaction.atomic
def reset_second_factor(*, actor: User, user: User) -> int:
    """Delete `user`'s TOTP devices (a lost or new phone); they enrol again at their next sign-in.

    Sessions verified with the old device stop counting as verified at their next request (django-otp finds
    no device). Side effects: audit event "second_factor.reset". Returns how many devices went.
    """
    devices = list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True))
    TOTPDevice.objects.filter(pk__in=devices).delete()
    record(actor=actor, action="second_factor.reset", obj=user, before={"devices": devices})
    return len(devices)
