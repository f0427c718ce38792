"""Background work on the project's job engine (django.tasks): takes ids, re-reads, calls a service, safe twice."""

from __future__ import annotations

from django.tasks import task

from institutions import reference_imports


@task
def run_reference_import(import_id: int) -> str:
    """Run one queued reference import; a second run finds it taken and does nothing."""
    return reference_imports.run_import(import_id)
