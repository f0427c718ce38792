"""Retention: the purge deletes only events older than AUDIT_RETENTION_DAYS, and never younger than 180 days."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone

from audit.management.commands.purge_audit_events import purge_expired, retention_days
from audit.models import AuditEvent
from audit.services import record


def event_aged(days: int, cast) -> AuditEvent:
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        return record(actor=cast.provincial_admin, action="test.event", obj=cast.bureau1, after={"age": days})


def test_purge_deletes_only_events_older_than_the_retention(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 200
    event_aged(260, cast)
    kept = event_aged(190, cast)
    young = event_aged(1, cast)

    deleted = purge_expired(at=timezone.now())

    assert deleted == 1
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {kept.pk, young.pk}


def test_purge_never_keeps_less_than_180_days(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    kept = event_aged(170, cast)
    old = event_aged(400, cast)

    deleted = purge_expired(at=timezone.now())

    assert (retention_days(), deleted) == (180, 1)
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_purge_command_dry_run_counts_without_deleting(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    event_aged(400, cast)
    out = StringIO()

    call_command("purge_audit_events", "--dry-run", stdout=out)

    assert out.getvalue() == "1 audit events older than 365 days would be deleted.\n"
    assert AuditEvent.objects.count() == 1
