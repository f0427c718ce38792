"""The province's review queue counts per status (its badges and its number of pages), cached on a version of
their data.

Counting the national queue was most of its PostgreSQL time: 11,000 plans a round, and joined with their stored
checks when only plans with warnings are asked for (~13 ms, EXPLAIN ANALYZE). Every reviewer of the province who
filters the same way shares the figures. They are stored with the version they were counted at; the version is
dropped whenever a plan, its stored check or an institution is saved or deleted (reviews.apps, and
reviews.checks after its bulk write), now and again once the change commits (core.fragments), so figures of an
older version are never read.

Filters by text or certificate (they read lines and certificate names too) and the bureaus' queues (small) are
counted each time.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from core.fragments import data_version, forget_fragments
from plans.models import Plan
from reviews.queues import QueueFilters, filtered, status_counts

VERSION = "queue-counts:version"
# Every change drops the version; the timeout only bounds a change that bypassed the signals (a raw UPDATE).
SECONDS = 600


def queue_counts(user, plans: QuerySet[Plan], filters: QueueFilters) -> dict[str, int]:
    """How many plans of the queue `plans` (`queue_for(user)`) are in each status under `filters` but its status;
    cached for the province's reviewers (one cache read of two keys), counted otherwise."""
    if not user.sees_everything or filters.text or filters.certificate:
        return status_counts(filtered(plans, filters, with_status=False))
    key = f"queue-counts:{filters.round}:{filters.bureau}:{filters.kind}:{int(filters.has_warnings)}"
    cached = cache.get_many([VERSION, key])
    version = data_version(VERSION, cached)
    stored = cached.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    counts = status_counts(filtered(plans, filters, with_status=False))
    cache.set(key, (version, counts), SECONDS)
    return counts


def counts_changed(*args, **kwargs) -> None:
    """Side effect: the counts are stale from now (a signal receiver: plans, checks, institutions)."""
    forget_fragments(VERSION)
