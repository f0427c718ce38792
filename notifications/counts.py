"""How many unread messages a person has, shown in the navigation of every page: cached per person, and forgotten
whenever one of their messages is sent or read (notifications.services)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from notifications.models import Notification

# Every change goes through notifications.services, which forgets the count; the timeout bounds what a change
# made around them (a row deleted in the admin) could leave stale.
SECONDS = 600


def _key(user_id: int) -> str:
    return f"unread-notifications:{user_id}"


def unread_count(user) -> int:
    """The signed-in person's unread messages: one cache read, or one COUNT query when not cached."""
    if not user.is_authenticated:
        return 0
    count = cache.get(_key(user.pk))
    if count is None:
        count = Notification.objects.for_user(user).unread().count()
        cache.set(_key(user.pk), count, SECONDS)
    return count


def forget_unread(user_ids) -> None:
    """Drop the cached counts of `user_ids` now and again when the transaction commits (a request reading the
    old rows before the commit may have cached the old count meanwhile)."""
    keys = [_key(pk) for pk in set(user_ids)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
