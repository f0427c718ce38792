"""Django's model backend, reading the signed-in person with their scope from the cache."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

# Every change to a person, their institution or their bureau goes through save() or delete(), whose signals
# forget the cached copy (accounts.apps); the timeout bounds what a change made around them could leave stale.
USER_SECONDS = 300


def person_key(user_id) -> str:
    return f"signed-in-user:v1:{user_id}"


def forget_users(user_ids) -> None:
    """Drop the cached copies of `user_ids` now and again when the transaction commits (a request reading the
    old row before the commit may have cached it again meanwhile)."""
    keys = [person_key(pk) for pk in set(user_ids)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def remember_user(user_id):
    """Read the person with their scope and their second-factor devices and cache them; None if there is no such
    person. The devices are what django-otp would read on every request to tell whether the session is verified
    (accounts.middleware.OTPMiddleware); saving or deleting a device forgets the person (accounts.apps)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    try:
        user = User._default_manager.select_related("institution", "bureau").get(pk=user_id)
    except User.DoesNotExist:
        return None
    user.otp_devices = {device.persistent_id: device for device in TOTPDevice.objects.filter(user=user)}
    cache.set(person_key(user_id), user, USER_SECONDS)
    return user


class ScopedModelBackend(ModelBackend):
    """Every request reads the signed-in person (their role, password hash for the session check, is_active);
    every page's header names their institution or bureau (User.scope_label) and views scope queries by it.
    All three are read in one query and cached, so a signed-in request usually reads no row for them."""

    def get_user(self, user_id):
        user = self._named_person(user_id)
        if user is None:
            user = cache.get(person_key(user_id))
        if user is None:
            user = remember_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _named_person(user_id):
        """The cached person read with the session (accounts.sessions), if it is the session's user."""
        from accounts.sessions import reading_session

        session = reading_session.get()
        person = getattr(session, "named_person", None)
        return person if person is not None and person.pk == user_id else None
