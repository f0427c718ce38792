"""Fixed-window rate limits for pages (login, exports, reveals of personal data) on Django's cache.

A rule is a name in RATE_LIMITS: at most `limit` hits per window of `seconds`, counted per key (an address, a
user, a username). Each hit is `cache.add(key, 1)` for the window's first hit and `cache.incr(key)` after it:
both are atomic on Redis (production, shared by every web machine) and on the local-memory cache (the embedded
default, one process). Past the limit the view is not called: the answer is 429 with Retry-After.

The API counts per token in the database instead (api/ratelimit.py), with the same windows and the same Verdict.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils import timezone

from core.net import client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    seconds: int


def rule(name: str) -> Rule:
    """The rule `name` of the RATE_LIMITS setting ("<limit>/<seconds>", e.g. "10/300"; onex/settings.py)."""
    limit, seconds = settings.RATE_LIMITS[name].split("/")
    return Rule(name=name, limit=int(limit), seconds=int(seconds))


def window_of(now: float, seconds: int) -> tuple[int, int]:
    """The window holding `now` (its first second, Unix time) and the seconds left in it (at least 1)."""
    start = int(now // seconds) * seconds
    return start, max(1, math.ceil(start + seconds - now))


def verdict(hits: int, *, limit: int, retry_after: int) -> Verdict:
    return Verdict(allowed=hits <= limit, limit=limit, remaining=max(0, limit - hits), retry_after=retry_after)


def hit(rule: Rule, key: str, *, now: float | None = None) -> Verdict:
    """Count one hit of `key` under `rule` and say whether it may go on."""
    now = timezone.now().timestamp() if now is None else now
    start, left = window_of(now, rule.seconds)
    # Hashed: the key may be a username, and cache keys should hold neither personal data nor odd characters.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{rule.name}:{digest}:{start}"
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    try:
        hits = _count(cache, cache_key, timeout=left + 1)
    except Exception:  # noqa: BLE001 - any cache failure (Redis down): let people work, say so in the log
        logger.warning("rate limit %s not counted: the cache is unavailable", rule.name, exc_info=True)
        hits = 0
    return verdict(hits, limit=rule.limit, retry_after=left)


def _count(cache, key: str, *, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the next window's first hit
        cache.add(key, 1, timeout=timeout)
        return 1


# ---------------------------------------------------------------- keys


def by_ip(request) -> str:
    return f"ip:{client_ip(request)}"


def user_key(user) -> str:
    """The key of a signed-in person: the pages and the API count one person's exports together."""
    return f"user:{user.pk}"


def by_user(request) -> str:
    if request.user.is_authenticated:
        return user_key(request.user)
    return by_ip(request)


def by_posted_username(request) -> str | None:
    username = request.POST.get("username", "").strip().lower()
    return f"username:{username}" if username else None


# ---------------------------------------------------------------- views


def too_many(request, result: Verdict):
    """The 429 page: what happened and when to try again."""
    response = render(request, "429.html", {"retry_after": result.retry_after}, status=429)
    response["Retry-After"] = str(result.retry_after)
    return response


def rate_limit(name: str, *, key: Callable = by_user, methods: tuple[str, ...] = ("GET", "POST")):
    """Limit a view by rule `name`, counted per `key(request)` (None: not counted), for the given methods.

    The wrapped view carries `rate_limits` (the rule names) so tests can check that every export is limited.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                identity = key(request)
                if identity is not None:
                    result = hit(rule(name), identity)
                    if not result.allowed:
                        return too_many(request, result)
            return view(request, *args, **kwargs)

        wrapped.rate_limits = (*getattr(view, "rate_limits", ()), name)
        return wrapped

    return decorate


def export_limit(view):
    """Downloads built on demand (Excel, PDF, Word): per user."""
    return rate_limit("export", methods=("GET",))(view)


def login_limits(view):
    """Login attempts (POST): per address, and per username typed (the account lockout is accounts' own)."""
    per_username = rate_limit("login-username", key=by_posted_username, methods=("POST",))
    return rate_limit("login-ip", key=by_ip, methods=("POST",))(per_username(view))
