"""The rate limit under concurrent requests: several web processes' worth of threads count one person's requests,
through one token or two, and no increment is lost (the counter row is updated in the database, never
read-modified-written).

Real threads and real transactions: PostgreSQL only (CI runs it there)."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
import time_machine
from django.db import connection, connections
from django.test import RequestFactory
from ninja.errors import Throttled

from api import ratelimit
from api.auth import TokenAuth
from api.models import RateCounter
from api.services import create_token
from core.dates import SHANGHAI
from tests.conftest import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]

THREADS = 16
HITS_EACH = 10
NOW = datetime(2027, 4, 3, 10, 0, 30, tzinfo=SHANGHAI)


def in_threads(work) -> list[bool]:
    """`work(i)` in THREADS threads started together; every answer, in any order."""
    barrier = threading.Barrier(THREADS)
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker(i: int):
        try:
            barrier.wait()
            answers = work(i)
        finally:
            connections.close_all()
        with lock:
            allowed.extend(answers)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return allowed


def test_rate_limit_counts_every_concurrent_request_once(settings):
    settings.API_RATE_LIMIT = 100
    user = make_user("script", "observer")

    allowed = in_threads(lambda i: [ratelimit.hit(user.pk, at=NOW).allowed for _ in range(HITS_EACH)])

    assert RateCounter.objects.get(user=user).hits == THREADS * HITS_EACH
    assert (allowed.count(True), allowed.count(False)) == (100, THREADS * HITS_EACH - 100)


def test_rate_limit_counts_two_tokens_of_one_person_together(settings):
    settings.API_RATE_LIMIT = 100
    user = make_user("script", "observer")
    raws = [create_token(user=user, name=name, at=NOW)[1] for name in ("one", "two")]
    auth = TokenAuth()

    def authenticate(raw: str) -> bool:
        try:
            auth.authenticate(RequestFactory().get("/api/v1/me"), raw)
        except Throttled:
            return False
        return True

    with time_machine.travel(NOW, tick=False):
        allowed = in_threads(lambda i: [authenticate(raws[i % 2]) for _ in range(HITS_EACH)])

    assert RateCounter.objects.get(user=user).hits == THREADS * HITS_EACH
    assert (allowed.count(True), allowed.count(False)) == (100, THREADS * HITS_EACH - 100)
