"""The dashboard's figures computed when their data changes rather than on every read: each is cached under a
version of the figures' data, the reader's scope, the year and the language, and every change of what they are
made of drops the version, so the next read computes them again (once per scope, year and language).

Their sources, and who drops the version when one changes (monitoring.signals, and the writers here below):
- the rollups of institutions and certificates (monitoring.rollups: imports, withdrawals, typed progress, refreshes);
- a checkpoint's stored totals (monitoring.checkpoints.store_totals; a checkpoint deleted);
- plans published and lines approved (a bureau's or an institution's certificate chart reads the lines);
- the names and places that label and scope them: institutions, bureaus, certificates.
The key carries the scope, so a bureau's or an institution's reader never gets another scope's figures.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language

from core.fragments import FRAGMENT_SECONDS, data_version, forget_fragments

VERSION = "monitoring:figures:version"


def scope_key(user) -> str:
    """What the reader's figures depend on of the reader (institutions.scope.institution_scope's cases)."""
    if user.sees_everything:
        return "all"
    if user.institution_id:
        return f"institution{user.institution_id}"
    if user.bureau_id:
        return f"bureau{user.bureau_id}"
    return "none"


def cached_figures[T](user, year: int, name: str, build: Callable[[], T]) -> T:
    """The figures `name` of `year` as `user` sees them in the current language, built and stored if missing."""
    key = f"monitoring:figures:{data_version(VERSION)}:{name}:{year}:{scope_key(user)}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value


def figures_changed() -> None:
    """Side effect: every cached figure is stale from now (and again once the transaction commits: a read between
    the change and the commit may have stored the old figures under a new version)."""
    forget_fragments(VERSION)
