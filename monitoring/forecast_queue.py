"""Progress changed: queue the recomputation of the year's forecasts (monitoring.tasks.refresh_forecasts) once
the transaction commits, so that the job reads the committed figures."""

from __future__ import annotations

from django.db import transaction


def schedule(year: int) -> None:
    def enqueue() -> None:
        # Here, not at load time: the tasks reach the services, which reach the rollups that call this.
        from monitoring.tasks import refresh_forecasts

        refresh_forecasts.enqueue(year)

    transaction.on_commit(enqueue)
