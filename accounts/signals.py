"""Forget the cached signed-in person (accounts.backends) when they, their institution or their bureau change;
fill the per-request caches when someone signs in."""

from __future__ import annotations

from accounts.backends import forget_users, remember_user
from accounts.middleware import stamp_signed_in
from accounts.sessions import SessionStore, person_id_of
from notifications.counts import unread_count


def user_changed(sender, instance, **kwargs) -> None:
    forget_users([instance.pk])


def device_changed(sender, instance, **kwargs) -> None:
    """The cached person carries their second-factor devices (accounts.backends.remember_user)."""
    forget_users([instance.user_id])


def scope_changed(sender, instance, created: bool = False, **kwargs) -> None:
    if not created:  # a new institution or bureau has no people yet
        forget_users(instance.users.values_list("pk", flat=True))


def signed_in(sender, request, user, **kwargs) -> None:
    """What every request after signing in reads, read now: the session's stamps, the person with their scope,
    their unread count (after Django's own receiver saved last_login, which forgot the cached person). The
    session gets a key naming the person (accounts.sessions): login() made its new key before it held them."""
    if isinstance(request.session, SessionStore) and person_id_of(request.session.session_key) is None:
        request.session.cycle_key()
    stamp_signed_in(request)
    remember_user(user.pk)
    unread_count(user)
