"""Concurrent failed logins for one username, as from several web machines: each is counted once, and no more
than five passwords are ever checked before the lock (the throttle row is held while the password is checked).

Real threads and real transactions: PostgreSQL only (CI runs it there)."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from accounts import services
from accounts.models import LoginThrottle
from audit.models import AuditEvent
from core.dates import SHANGHAI
from tests.conftest import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]

THREADS = 12
NOW = datetime(2027, 4, 3, 10, 0, 30, tzinfo=SHANGHAI)


def test_lockout_concurrent_failures_lock_after_exactly_five_checks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("target", "observer")
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            request = RequestFactory().post("/accounts/login/")
            result = services.check_password_login(request=request, username="target", password="wrong-1x", at=NOW)
        finally:
            connections.close_all()
        with lock:
            outcomes.append("locked" if result.locked_until and result.locked_until > NOW else "failed")

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The fifth failure reports the lock it caused; the seven after it are refused unchecked.
    assert sorted(outcomes) == ["failed"] * 4 + ["locked"] * 8
    assert LoginThrottle.objects.get(username="target").failures == 5
    assert AuditEvent.objects.filter(action="login.failed").count() == 5
