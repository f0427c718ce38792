"""Rate limits of pages (core.ratelimit): the Nth request of a window passes, the next one is 429 with Retry-After."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEvent
from core import ratelimit
from core.dates import SHANGHAI

# 10:00:45 — 15 seconds before a one-minute window ends.
NOW = datetime(2027, 4, 3, 10, 0, 45, tzinfo=SHANGHAI)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_hit_allows_the_limit_then_refuses_until_the_window_ends():
    rule = ratelimit.Rule(name="test", limit=3, seconds=60)
    now = NOW.timestamp()

    verdicts = [ratelimit.hit(rule, "someone", now=now) for _ in range(4)]
    next_window = ratelimit.hit(rule, "someone", now=now + 15)

    assert [(v.allowed, v.remaining) for v in verdicts] == [(True, 2), (True, 1), (True, 0), (False, 0)]
    assert verdicts[-1].retry_after == 15
    assert (next_window.allowed, next_window.remaining) == (True, 2)


def test_hit_counts_each_key_and_each_rule_apart():
    tight, other = ratelimit.Rule("a", 1, 60), ratelimit.Rule("b", 1, 60)
    now = NOW.timestamp()
    ratelimit.hit(tight, "one", now=now)

    assert ratelimit.hit(tight, "one", now=now).allowed is False
    assert ratelimit.hit(tight, "two", now=now).allowed is True
    assert ratelimit.hit(other, "one", now=now).allowed is True


def test_export_allows_the_limit_per_user_then_answers_429(client, cast, settings, english):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/60"}
    url = reverse("audit_export")
    with time_machine.travel(NOW, tick=False):
        client.force_login(cast.provincial_admin)
        allowed = [_fetched(client, url) for _ in range(2)]
        exports = AuditEvent.objects.filter(action="audit.export").count()
        refused = client.get(url)
        client.force_login(cast.observer)
        other = _fetched(client, reverse("monitoring:institutions_xlsx"))

    assert allowed == [200, 200]
    assert (refused.status_code, refused["Retry-After"], refused["Content-Type"]) == (
        429,
        "15",
        "text/html; charset=utf-8",
    )
    assert AuditEvent.objects.filter(action="audit.export").count() == exports  # the refused one did nothing
    assert other == 200


def _fetched(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # the test client closes a streamed response once read
    return response.status_code


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_page_download_is_rate_limited():
    """Every route that builds a file (.xlsx, .pdf, .docx, .<fmt>, …/download/) carries the export limit.
    The API (api/v1/) has its own per-token limit."""
    downloads = {
        route: getattr(view, "rate_limits", ())
        for route, view in _views(get_resolver().url_patterns)
        if not route.startswith(("api/v1/", "admin/"))
        and (route.endswith((".xlsx", ".pdf", ".docx", "<str:fmt>", "download/")))
    }

    assert len(downloads) >= 14
    assert {route for route, limits in downloads.items() if "export" not in limits} == set()
