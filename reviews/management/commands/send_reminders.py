"""Start (or run) the daily reminder job.

manage.py send_reminders          # queue today's run; the worker (manage.py db_worker) then keeps it daily
manage.py send_reminders --now    # send what is due right now, in this process (safe to repeat)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.reminders import send_due_reminders
from reviews.tasks import schedule


class Command(BaseCommand):
    help = "Queue the daily reminder job (run by db_worker, which re-queues it each day), or run it now with --now."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send the reminders due now in this process.")

    def handle(self, *args, now: bool = False, **options):
        at = timezone.now()
        if now:
            sent = send_due_reminders(at=at)
            self.stdout.write(f"{sent} reminders sent.")
            return
        if schedule(run_after=None, at=at):
            self.stdout.write("Reminder job queued; db_worker runs it and queues the next day's run.")
        else:
            self.stdout.write("The reminder job is already queued for today.")
