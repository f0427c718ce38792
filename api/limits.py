"""The pages' per-user limits on personal data (core/ratelimit.py: candidate lists, reveals) for the API, on the
same counters: a page of candidates read through the API and one read on the page spend the same allowance of the
same person. (Files count against the export limit in one place for every operation: api/downloads.py.)

Called first thing in an operation, once the token is known (a `decorate_view` decorator would run before the
authentication, with no user yet). Past a limit the answer is 429 problem+json with Retry-After.
"""

from __future__ import annotations

from ninja.errors import Throttled

from core.ratelimit import by_user, hit, rule

EXPORT_DOC = "Counts against the same per-user export limit as the pages' downloads (RATE_LIMIT_EXPORT): 429 past it."


def spend(request, name: str) -> None:
    """Count one hit of the page rule `name` for the token's owner; Throttled (429, Retry-After) once spent."""
    verdict = hit(rule(name), by_user(request))
    if not verdict.allowed:
        raise Throttled(wait=verdict.retry_after)
