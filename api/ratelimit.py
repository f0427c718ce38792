"""A per-token rate limit kept in the database, so every web process counts against the same numbers.

Fixed windows of `API_RATE_WINDOW_SECONDS` (default 60 s), at most `API_RATE_LIMIT` requests (default 120) per
token and window. One row per (token, window); each request is one `UPDATE … SET hits = hits + 1 RETURNING hits`,
which the database serialises on the row on SQLite and PostgreSQL alike, so no increment is ever lost between processes
(Django's database cache does a read then a write, which two processes can interleave). The first request of a
window inserts the row; two processes racing to insert meet the unique constraint, and the loser updates.

The pages' limits (core/ratelimit.py) use the same fixed windows and Verdict, counted in the cache instead: a
token's count must survive across machines even where the cache is per process (the embedded default).
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


def _update(token_id: int, window: int) -> int | None:
    """hits + 1 on the (token, window) row and the new value, in one statement; None when there is no row yet.

    RETURNING gives this request's own count: reading it back in a second statement could see other requests'
    increments too and refuse a request that was within the limit (PostgreSQL, and SQLite since 3.35)."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    hits, token, window_column = (connection.ops.quote_name(name) for name in ("hits", "token_id", "window"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {hits} = {hits} + 1 WHERE {token} = %s AND {window_column} = %s RETURNING {hits}",  # noqa: S608 - names quoted, values bound
            [token_id, window],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _increment(token_id: int, window: int) -> int:
    hits = _update(token_id, window)
    if hits is not None:
        return hits
    try:
        with transaction.atomic():
            RateCounter.objects.create(token_id=token_id, window=window, hits=1)
    except IntegrityError:
        return _increment(token_id, window)
    # A new window: the token's older windows are spent.
    RateCounter.objects.filter(token_id=token_id, window__lt=window).delete()
    return 1


def hit(token_id: int, *, at: datetime) -> Verdict:
    """Count one request of token `token_id` at `at` and say whether it may go on."""
    window, retry_after = window_of(at.timestamp(), window_seconds())
    return verdict(_increment(token_id, window), limit=limit(), retry_after=retry_after)
