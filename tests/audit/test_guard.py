"""Only `manage.py flush` (which empties every table) may remove audit rows; everything else is refused."""

import sqlite3

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.guard import flushing
from audit.models import AuditEvent
from audit.services import record


def test_flush_empties_the_audit_table_like_every_other(transactional_db, cast):
    record(actor=cast.provincial_admin, action="round.create", obj=cast.bureau1)

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 0


def test_the_flush_flag_is_off_again_after_flush(transactional_db, cast):
    call_command("flush", interactive=False, verbosity=0)
    event = AuditEvent.objects.create(
        actor_name="system", actor_role="system", ip="-", action="x", object_type="t", object_id="1", object_repr="r"
    )

    assert flushing.get() is False
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a second client on the SQLite file")
def test_another_sqlite_client_cannot_delete_audit_rows(transactional_db, cast):
    record(actor=cast.provincial_admin, action="round.create", obj=cast.bureau1)
    # The test database is a file (SQLITE_TEST_NAME) or Django's shared in-memory one, which another client of
    # this process opens by its URI.
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True)

    with pytest.raises(sqlite3.OperationalError, match="onex_audit_locked"):
        other.execute("DELETE FROM audit_auditevent")
    other.close()

    assert AuditEvent.objects.count() == 1


def test_truncate_of_the_audit_table_fails(transactional_db, cast):
    record(actor=cast.provincial_admin, action="round.create", obj=cast.bureau1)
    statement = "TRUNCATE audit_auditevent" if connection.vendor == "postgresql" else "DELETE FROM audit_auditevent"

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert AuditEvent.objects.count() == 1
