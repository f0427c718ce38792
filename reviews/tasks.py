"""The reminder job. It keeps itself going: each run schedules the next day's run (once, see ReminderRun), so
`manage.py db_worker` alone sends reminders every day once `manage.py send_reminders` has started the chain."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from core.dates import SHANGHAI, local_today
from reviews.checks import refresh_checks
from reviews.models import ReminderRun
from reviews.queues import check_is_current
from reviews.reminders import send_due_reminders

RUN_AT = time(8, 0)  # Asia/Shanghai: reminders arrive at the start of the working day.


def next_run_after(at: datetime) -> datetime:
    """08:00 Shanghai on the day after `at`."""
    return datetime.combine(local_today(at) + timedelta(days=1), RUN_AT, tzinfo=SHANGHAI)


def schedule(*, run_after: datetime | None, at: datetime) -> bool:
    """Enqueue the reminder job for the day of `run_after` (now when None) unless that day already has one.

    Side effects: a ReminderRun row and a queued task. Returns whether it was enqueued.
    """
    day = local_today(run_after or at)
    try:
        with transaction.atomic():
            ReminderRun.objects.create(run_on=day, enqueued_at=at)
            job = send_reminders if run_after is None else send_reminders.using(run_after=run_after)
            job.enqueue()
    except IntegrityError:
        return False
    return True


@task
def send_reminders() -> int:
    """Make sure tomorrow's run is queued, then send the reminders due now. Safe to run twice."""
    now = timezone.now()
    # Scheduling first: a failure while sending must not break the daily chain.
    schedule(run_after=next_run_after(now), at=now)
    return send_due_reminders(at=now)


@task
def refresh_plan_checks(plan_ids: list[int]) -> int:
    """Store the rule checks of these plans for the queues (those still stale when the job runs)."""
    return refresh_checks(plan_ids, at=timezone.now())


def requeue_stale(plans) -> list[int]:
    """The ids of the queue rows `plans` whose stored rule check is not current (see `check_is_current`).

    Side effects: one `refresh_plan_checks` job for them, when there are any (a row shown before its check ran).
    """
    return requeue([plan.pk for plan in plans if not check_is_current(plan)])


def requeue(stale: list[int]) -> list[int]:
    """`stale`, the ids of queue rows whose stored check is not current; one `refresh_plan_checks` job for them."""
    if stale:
        refresh_plan_checks.enqueue(stale)
    return stale
