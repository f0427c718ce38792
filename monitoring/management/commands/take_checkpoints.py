"""Take every checkpoint whose day has come (run daily from cron or a systemd timer); safe to repeat."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring import services
from monitoring.checkpoints import due


class Command(BaseCommand):
    help = "Take the bi-monthly checkpoints whose last day has come and that were not taken yet."

    def handle(self, *args, **options):
        for year, month in due(today=timezone.localdate()):
            checkpoint, taken = services.take_checkpoint(year=year, month=month)
            self.stdout.write(f"{checkpoint}: {'taken' if taken else 'taken before'}")
