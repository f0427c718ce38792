"""The database itself keeps the audit trail append-only: the application's own connection cannot change or
remove a record (audit/migrations/0002), on PostgreSQL and on SQLite alike."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.services import record


@pytest.fixture
def event(cast):
    return record(actor=cast.provincial_admin, action="round.create", obj=cast.bureau1, after={"x": 1}, reason="r")


def test_update_of_an_audit_row_through_the_orm_fails(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")

    assert AuditEvent.objects.get(pk=event.pk).reason == "r"


def test_save_of_a_changed_audit_row_fails(event):
    event.action = "something.else"

    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "round.create"


def test_update_of_an_audit_row_in_raw_sql_fails(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["rewritten", event.pk])

    assert AuditEvent.objects.get(pk=event.pk).reason == "r"


def test_delete_of_a_recent_audit_row_fails(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.filter(pk=event.pk).count() == 1


def test_delete_of_a_recent_audit_row_in_raw_sql_fails(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).count() == 1
