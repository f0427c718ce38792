"""The rate limit under concurrent requests: several web processes' worth of threads count one token's requests,
and no increment is lost (the counter row is updated in the database, never read-modified-written).

Real threads and real transactions: PostgreSQL only (CI runs it there)."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.db import connection, connections

from api import ratelimit
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


def test_rate_limit_counts_every_concurrent_request_once(settings):
    settings.API_RATE_LIMIT = 100
    token, _raw = create_token(user=make_user("script", "observer"), name="script", at=NOW)
    barrier = threading.Barrier(THREADS)
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            verdicts = [ratelimit.hit(token.pk, at=NOW).allowed for _ in range(HITS_EACH)]
        finally:
            connections.close_all()
        with lock:
            allowed.extend(verdicts)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert RateCounter.objects.get(token=token).hits == THREADS * HITS_EACH
    assert (allowed.count(True), allowed.count(False)) == (100, THREADS * HITS_EACH - 100)
