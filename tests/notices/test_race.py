"""Confirming at the same moment from many sessions of one institution leaves one receipt (PostgreSQL, threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from audit.models import AuditEvent
from notices import services
from notices.models import Notice, ReadReceipt
from tests.notices.conftest import AT, make_notice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent inserts need PostgreSQL; CI runs it"),
]

THREADS = 8


def test_race_concurrent_confirmations_make_one_receipt(cast):
    notice = make_notice(cast.provincial_admin)
    people = [cast.staff, cast.office_head, cast.leader]
    barrier = threading.Barrier(THREADS)
    created, errors = [], []
    lock = threading.Lock()

    def worker(i: int):
        try:
            barrier.wait()
            fresh = Notice.objects.get(pk=notice.pk)
            _receipt, made = services.confirm_read(user=people[i % len(people)], notice=fresh, at=AT)
            with lock:
                created.append(made)
        except Exception as exc:  # noqa: BLE001 - any failure is the test's result
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (errors, sorted(created)) == ([], [False] * (THREADS - 1) + [True])
    assert ReadReceipt.objects.filter(notice=notice).count() == 1
    assert AuditEvent.objects.for_object(notice).filter(action="notice.confirm").count() == 1
