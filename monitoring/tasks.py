"""Background work on the project's job engine (django.tasks). Each takes ids, re-reads, calls a
service, and is safe to run twice."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from monitoring import forecasting, jobs, scheduling, services


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
    """Queue the run after the next checkpoint day, then take every checkpoint whose day has ended and
    that was not taken (monitoring.scheduling). Safe to run twice: each checkpoint is taken once."""
    return scheduling.run(at=timezone.now())


@task
def refresh_figures(year: int) -> None:
    services.refresh_figures(year=year)


@task
def refresh_forecasts(year: int) -> int:
    """Recompute and store `year`'s forecasts as of today; safe to run twice (the period's rows are replaced)."""
    return forecasting.refresh(year)
