"""Five consecutive failed logins for one username lock it for 30 minutes (NOTES.md: by username, never by IP).

Counted per username, never per address: a whole school may sit behind one address, and a forged
X-Forwarded-For must change nothing, so the address plays no part here (it is only audited). Unknown usernames
are counted exactly like known ones, so the answers never tell which usernames exist.

A run of failures is forgotten once its last failure is LOCK_DURATION old, which is also when the lock it caused
lifts. Someone who waits that long between tries gets fewer guesses per half hour than the lock allows anyway,
and the table then holds only the last half hour's usernames, however many random ones are tried.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=30)


def is_stale(throttle, *, at: datetime) -> bool:
    """Whether the run of failures in `throttle` no longer counts at `at`."""
    return throttle.last_failure_at + LOCK_DURATION <= at


def locked_until(throttle, *, at: datetime) -> datetime | None:
    """When the lock on `throttle`'s username lifts, or None if the username is not locked at `at`."""
    if throttle is None or throttle.locked_until is None or at >= throttle.locked_until:
        return None
    return throttle.locked_until


def count_failure(throttle, *, at: datetime) -> None:
    """Add the failure at `at` to `throttle` (unsaved); the MAX_FAILURES-th in a row locks its username."""
    if is_stale(throttle, at=at):
        throttle.failures = 0
        throttle.locked_until = None
    throttle.failures += 1
    throttle.last_failure_at = at
    if throttle.failures >= MAX_FAILURES:
        throttle.locked_until = at + LOCK_DURATION
