"""Rendered HTML that many requests share and that changes rarely (the review queue's long option lists), cached
under a fixed key and dropped by whoever changes its source (a signal of the room that owns the list)."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

# Dropped on every change of the source; the timeout only bounds a change that bypassed the signals (a raw UPDATE).
FRAGMENT_SECONDS = 6 * 3600


def fragment[T](key: str, build: Callable[[], T], found: dict | None = None) -> T:
    """The cached fragment `key` (markup, or the small list it is made from), built and stored if missing; taken
    from `found` (`read_fragments`) when it was read there."""
    value = found[key] if found is not None and key in found else cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value


def read_fragments(keys: list[str]) -> dict:
    """Those of `keys` cached, in one cache read: for a page that shows several fragments (`fragment(..., found)`)
    rather than a round trip to the cache for each."""
    return cache.get_many(keys)


def forget_fragments(*keys: str) -> None:
    """Drop `keys` now and again when the transaction commits (a request that read the old rows before the commit
    may have stored them again meanwhile)."""
    cache.delete_many(list(keys))
    transaction.on_commit(lambda: cache.delete_many(list(keys)))


def data_version(key: str, found: dict | None = None) -> str:
    """The current version of some data, kept under `key` (taken from `found` when it was read there): a random
    one made on the first read after `forget_fragments(key)`, so figures stored with or under a version are never
    read once their data changed."""
    version = found.get(key) if found is not None else cache.get(key)
    if version is None:
        cache.add(key, uuid4().hex, FRAGMENT_SECONDS)
        version = cache.get(key) or ""
    return version
