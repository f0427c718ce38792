"""Take the checkpoints whose day has come, or start the job that takes them by itself.

manage.py take_checkpoints             # take every checkpoint whose last day has come, now (safe to repeat)
manage.py take_checkpoints --schedule  # queue the job; the worker (manage.py db_worker) then keeps it going
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring import scheduling, services
from monitoring.checkpoints import due


class Command(BaseCommand):
    help = "Take the bi-monthly checkpoints whose last day has come, or queue the self-scheduling job (--schedule)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the checkpoint job now; each run queues the next one after the next checkpoint day.",
        )

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            if scheduling.schedule(run_after=None, at=timezone.now()):
                self.stdout.write("Checkpoint job queued; db_worker runs it and queues the run after each checkpoint.")
            else:
                self.stdout.write("The checkpoint job is already queued for today.")
            return
        for year, month in due(today=timezone.localdate()):
            checkpoint, taken = services.take_checkpoint(year=year, month=month)
            self.stdout.write(f"{checkpoint}: {'taken' if taken else 'taken before'}")
