"""Delete audit events older than the retention period (settings.AUDIT_RETENTION_DAYS, never below 180 days).

The database refuses to delete younger events anyway (audit/migrations/0002); this command only ever asks
for older ones, in batches, so that a big first purge does not hold a long lock.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.models import AuditEvent

MINIMUM_DAYS = 180
BATCH = 10_000


def retention_days() -> int:
    return max(int(settings.AUDIT_RETENTION_DAYS), MINIMUM_DAYS)


def purge_expired(*, at, batch: int = BATCH) -> int:
    """Delete the events older than the retention period at `at`; returns how many."""
    # A day of margin keeps clear of the trigger's own 180-day edge (its clock is the database's).
    cutoff = at - timedelta(days=retention_days() + 1)
    deleted = 0
    while True:
        ids = list(AuditEvent.objects.filter(at__lt=cutoff).order_by("at").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += AuditEvent.objects.filter(pk__in=ids).delete()[0]


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (at least 180 days)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run: bool = False, **options):
        now = timezone.now()
        if dry_run:
            cutoff = now - timedelta(days=retention_days() + 1)
            count = AuditEvent.objects.filter(at__lt=cutoff).count()
            self.stdout.write(f"{count} audit events older than {retention_days()} days would be deleted.")
            return
        count = purge_expired(at=now)
        self.stdout.write(f"{count} audit events older than {retention_days()} days deleted.")
