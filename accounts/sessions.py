"""The session engine (SESSION_ENGINE = "accounts.sessions"): Django's cached_db, whose key also names the
signed-in person, so that one cache round trip (MGET) reads the session and the cached person together
(accounts.backends) instead of two, one after the other.

A signed-in session's key is Django's 32 random characters, a dot and the person's id. The id is a hint only:
the session's own user id decides who is signed in, and a cached person whose id differs from it is not used
(accounts.backends.ScopedModelBackend.get_user), so a key altered by hand names nobody new. Keys made before
sign-in, or by an earlier engine, have no hint and read the person as before."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.utils.crypto import get_random_string

# The session whose user accounts.middleware.AuthenticationMiddleware is reading, for the backend's get_user.
reading_session: ContextVar[SessionStore | None] = ContextVar("reading_session", default=None)

HINT = "."
KEY_LENGTH = 40  # the session table's key column


def person_id_of(session_key: str | None) -> str | None:
    """The person's id that a session key names, or None."""
    if not session_key:
        return None
    _random, hint, person_id = session_key.partition(HINT)
    return person_id if hint and person_id.isdigit() else None


class SessionStore(cached_db.SessionStore):
    # The cached person the key names, read with the session; None if the key names nobody or none is cached.
    named_person = None

    def _get_new_session_key(self) -> str:
        """Django's random key, with the signed-in person's id after a dot when the session has one (cycle_key
        at sign-in (accounts.signals) and after a password change)."""
        person_id = getattr(self, "_session_cache", {}).get(SESSION_KEY)
        while True:
            session_key = get_random_string(32, VALID_KEY_CHARS)
            if person_id is not None and len(session_key) + len(HINT) + len(str(person_id)) <= KEY_LENGTH:
                session_key += f"{HINT}{person_id}"
            if not self.exists(session_key):
                return session_key

    def load(self):
        from accounts.backends import person_key

        person_id = person_id_of(self.session_key)
        if person_id is None or settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:
            return super().load()
        try:
            found = self._cache.get_many([self.cache_key, person_key(person_id)])
        except Exception:  # as cached_db: an unreadable cache reads from the database
            found = {}
        self.named_person = found.get(person_key(person_id))
        data = found.get(self.cache_key)
        return data if data is not None else super().load()
