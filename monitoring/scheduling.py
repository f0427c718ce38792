"""The checkpoints take themselves (DOMAIN.md §10): the job `take_due_checkpoints` runs at 00:30
Asia/Shanghai the day after each checkpoint's last day, takes what is due and queues its next run, so
`manage.py db_worker` alone keeps it going once `manage.py take_checkpoints --schedule` has started it.

A checkpoint is taken by the job only once its day has ended (and counts the figures as they stood
then, monitoring.asof); the office may take it by hand from its last day on. A run missed while the
worker was down is caught up by the next one: it takes every checkpoint of the year not taken yet.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.tasks import default_task_backend

from core.dates import SHANGHAI, local_today
from monitoring.checkpoints import due
from monitoring.rates import checkpoint_date, next_checkpoint
from monitoring.records import CheckpointRun

RUN_AT = time(0, 30)  # Asia/Shanghai, the day after a checkpoint's last day


def next_run_after(at: datetime) -> datetime:
    """00:30 Shanghai on the day after the next checkpoint day that has not ended at `at`."""
    year, month = next_checkpoint(local_today(at))
    return datetime.combine(checkpoint_date(year, month) + timedelta(days=1), RUN_AT, tzinfo=SHANGHAI)


def schedule(*, run_after: datetime | None, at: datetime) -> bool:
    """Enqueue the checkpoint job for the day of `run_after` (now when None) unless that day has one.

    Side effects: a CheckpointRun row and a queued task. Returns whether it was enqueued. A backend
    that cannot defer (the immediate one of the tests) gets no deferred run.
    """
    from monitoring.tasks import take_due_checkpoints

    if run_after is not None and not default_task_backend.supports_defer:
        return False
    try:
        with transaction.atomic():
            CheckpointRun.objects.create(run_on=local_today(run_after or at), enqueued_at=at)
            job = take_due_checkpoints if run_after is None else take_due_checkpoints.using(run_after=run_after)
            job.enqueue()
    except IntegrityError:
        return False
    return True


def run(*, at: datetime) -> list[int]:
    """The job's body: queue the next run first (a failure below must not break the chain), then take
    every checkpoint whose last day ended before `at`; returns the ids of those taken now."""
    from monitoring import services

    schedule(run_after=next_run_after(at), at=at)
    taken = []
    for year, month in due(today=local_today(at) - timedelta(days=1)):
        checkpoint, new = services.take_checkpoint(year=year, month=month)
        if new:
            taken.append(checkpoint.pk)
    return taken
