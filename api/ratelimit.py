"""A per-person rate limit kept in the database, so every web process counts against the same numbers.

Fixed windows of `API_RATE_WINDOW_SECONDS` (default 60 s), at most `API_RATE_LIMIT` requests (default 120) per
person and window, whichever of their tokens they come through (a second token buys no second allowance). One row
per (user, window); each request is one `UPDATE … SET hits = hits + 1 RETURNING hits`, which the database
serialises on the row on SQLite and PostgreSQL alike, so no increment is ever lost between processes (Django's
database cache does a read then a write, which two processes can interleave). The first request of a
window inserts the row; two processes racing to insert meet the unique constraint, and the loser updates.

The pages' limits (core/ratelimit.py) use the same fixed windows and Verdict, counted in the cache instead: a
person's count must survive across machines even where the cache is per process (the embedded default).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from api.models import RateCounter
from core.ratelimit import Verdict, verdict, window_of


def limit() -> int:
    return getattr(settings, "API_RATE_LIMIT", 120)


def window_seconds() -> int:
    return getattr(settings, "API_RATE_WINDOW_SECONDS", 60)


def _update(user_id: int, window: int) -> int | None:
    """hits + 1 on the (user, window) row and the new value, in one statement; None when there is no row yet.

    RETURNING gives this request's own count: reading it back in a second statement could see other requests'
    increments too and refuse a request that was within the limit (PostgreSQL, and SQLite since 3.35)."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    hits, user, window_column = (connection.ops.quote_name(name) for name in ("hits", "user_id", "window"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {hits} = {hits} + 1 WHERE {user} = %s AND {window_column} = %s RETURNING {hits}",  # noqa: S608 - names quoted, values bound
            [user_id, window],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _increment(user_id: int, window: int) -> int:
    hits = _update(user_id, window)
    if hits is not None:
        return hits
    try:
        with transaction.atomic():
            RateCounter.objects.create(user_id=user_id, window=window, hits=1)
    except IntegrityError:
        return _increment(user_id, window)
    # A new window: the person's older windows are spent.
    RateCounter.objects.filter(user_id=user_id, window__lt=window).delete()
    return 1


def hit(user_id: int, *, at: datetime) -> Verdict:
    """Count one request of person `user_id` (through any of their tokens) at `at` and say whether it may go on."""
    window, retry_after = window_of(at.timestamp(), window_seconds())
    return verdict(_increment(user_id, window), limit=limit(), retry_after=retry_after)
