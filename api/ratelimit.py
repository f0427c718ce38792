"""A per-token rate limit kept in the database, so every web process counts against the same numbers.

Fixed windows of `API_RATE_WINDOW_SECONDS` (default 60 s), at most `API_RATE_LIMIT` requests (default 120) per
token and window. One row per (token, window); each request is one `UPDATE … SET hits = hits + 1`, which the
database serialises on the row on SQLite and PostgreSQL alike, so no increment is ever lost between processes
(Django's database cache does a read then a write, which two processes can interleave). The first request of a
window inserts the row; two processes racing to insert meet the unique constraint, and the loser updates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from api.models import RateCounter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends


def limit() -> int:
    return getattr(settings, "API_RATE_LIMIT", 120)


def window_seconds() -> int:
    return getattr(settings, "API_RATE_WINDOW_SECONDS", 60)


def _increment(token_id: int, window: int) -> int:
    counters = RateCounter.objects.filter(token_id=token_id, window=window)
    if counters.update(hits=F("hits") + 1):
        return counters.values_list("hits", flat=True).get()
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
    size, most = window_seconds(), limit()
    now = at.timestamp()
    window = int(now // size) * size
    hits = _increment(token_id, window)
    retry_after = max(1, math.ceil(window + size - now))
    return Verdict(allowed=hits <= most, limit=most, remaining=max(0, most - hits), retry_after=retry_after)
