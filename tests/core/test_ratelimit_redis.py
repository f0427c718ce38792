"""The limiter on Redis, the production cache: web machines (here two cache clients) count against one number."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.cache import caches

from core import ratelimit
from core.dates import SHANGHAI
from tests.conftest import free_port

NOW = datetime(2027, 4, 3, 10, 0, 45, tzinfo=SHANGHAI).timestamp()


@pytest.fixture
def two_machines(settings, redis_url):
    """Two Redis cache clients, as two web machines would have, and the limiter counting on the first."""
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "t"}
    settings.CACHES = {"default": settings.CACHES["default"], "one": backend, "two": dict(backend)}
    caches["one"].clear()
    return settings


def test_two_machines_share_the_count_and_the_limit_holds(two_machines):
    rule = ratelimit.Rule("login-username", limit=3, seconds=60)
    verdicts = []
    for cache_name in ("one", "two", "one", "two"):
        two_machines.RATE_LIMIT_CACHE = cache_name
        verdicts.append(ratelimit.hit(rule, "username:staff", now=NOW))

    assert [(v.allowed, v.remaining) for v in verdicts] == [(True, 2), (True, 1), (True, 0), (False, 0)]
    assert verdicts[-1].retry_after == 15


def test_the_count_expires_with_its_window(two_machines):
    two_machines.RATE_LIMIT_CACHE = "one"
    rule = ratelimit.Rule("export", limit=1, seconds=60)
    ratelimit.hit(rule, "user:1", now=NOW)
    key = next(k for k in caches["one"]._cache.get_client().keys("*") if b"ratelimit:export" in k)

    assert 0 < caches["one"]._cache.get_client().ttl(key) <= 16  # the window's 15 s left, and one more


def test_with_redis_down_requests_go_on_and_the_log_says_why(settings, caplog):
    closed = free_port()  # nothing listens here
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "down": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{closed}/0"},
    }
    settings.RATE_LIMIT_CACHE = "down"
    rule = ratelimit.Rule("login-ip", limit=1, seconds=60)

    verdicts = [ratelimit.hit(rule, "ip:10.0.0.1", now=NOW) for _ in range(2)]

    assert [v.allowed for v in verdicts] == [True, True]
    assert [r.getMessage() for r in caplog.records] == ["rate limit login-ip not counted: the cache is unavailable"] * 2


def test_the_production_cache_reuses_its_redis_client(settings, redis_url):
    """core.cache.RedisCache: one redis-py client per pool, not one per call (the production settings use it)."""
    backend = {"BACKEND": "core.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "reuse"}
    settings.CACHES = {"default": settings.CACHES["default"], "one": backend}
    cache = caches["one"]
    cache.set("answer", {"n": 42}, 60)

    assert (cache.get("answer"), cache.get_many(["answer"]), cache.delete("answer"), cache.get("answer")) == (
        {"n": 42},
        {"answer": {"n": 42}},
        True,
        None,
    )
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
