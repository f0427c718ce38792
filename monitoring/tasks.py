"""Background work on the project's job engine (django.tasks). Each takes ids, re-reads, calls a
service, and is safe to run twice."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from monitoring import jobs, services
from monitoring.checkpoints import due


@task
def run_progress_import(import_id: int) -> str:
    """Read, check and write one queued import; a second run finds it taken and does nothing."""
    return jobs.run(import_id)


@task
def take_checkpoint(year: int, month: int, actor_id: int | None = None) -> int:
    """Freeze the checkpoint (year, month) unless it exists; returns its id."""
    from accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    checkpoint, _taken = services.take_checkpoint(year=year, month=month, actor=actor)
    return checkpoint.pk


@task
def take_due_checkpoints() -> list[int]:
    """Every checkpoint whose day has come and that was not taken (run it daily, e.g. from cron)."""
    taken = []
    for year, month in due(today=timezone.localdate()):
        checkpoint, _taken = services.take_checkpoint(year=year, month=month)
        taken.append(checkpoint.pk)
    return taken


@task
def refresh_figures(year: int) -> None:
    services.refresh_figures(year=year)
