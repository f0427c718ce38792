"""The reference imports (bureaus, institutions, certificates incl. the national platform's JSON): which importer
reads which kind, what an upload must be, and the same import run as a job on the task engine for the API.

The import page runs an importer at once and shows its report; the API queues a `ReferenceImport` and the job
(`institutions.tasks.run_reference_import`) runs the same importer and keeps the report.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog.importers import import_certificates
from core.refusals import StepRefused
from core.tabular import ImportReport, claimed_format
from institutions.enums import ImportState, ReferenceKind
from institutions.importers import import_bureaus, import_institutions
from institutions.models import ReferenceImport

IMPORTERS = {
    ReferenceKind.BUREAUS: import_bureaus,
    ReferenceKind.INSTITUTIONS: import_institutions,
    ReferenceKind.CERTIFICATES: import_certificates,
}
FORMATS = {
    ReferenceKind.BUREAUS: ("csv", "xlsx"),
    ReferenceKind.INSTITUTIONS: ("csv", "xlsx"),
    ReferenceKind.CERTIFICATES: ("csv", "xlsx", "json"),
}


def upload_refusal(kind: str, upload) -> str:
    """Why `upload` cannot be imported as `kind` before it is read (too large, a format the kind does not take);
    empty when it may be."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        return _("The file is larger than %(size)s MB.") % {"size": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1)}
    if claimed_format(upload.name or "") not in FORMATS[ReferenceKind(kind)]:
        allowed = "、".join(f.upper() for f in FORMATS[ReferenceKind(kind)])
        return _("Only %(formats)s files can be imported here.") % {"formats": allowed}
    return ""


def report_data(report: ImportReport) -> dict:
    def issues(found) -> list[dict]:
        return [{"row": i.row, "unit": i.unit, "message": str(i.message)} for i in found]

    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "extra": dict(report.extra),
        "errors": issues(report.errors),
        "warnings": issues(report.warnings),
    }


def queue_import(*, actor, kind: str, upload, at: datetime) -> ReferenceImport:
    """Keep `upload` and queue its import as `kind`. Refused (StepRefused, code "file") for a file too large or of
    a format the kind does not take. Side effects: the file in private storage, a ReferenceImport row, audit
    `reference_import.queue`, one `run_reference_import` job (after the commit)."""
    from institutions.tasks import run_reference_import

    if refusal := upload_refusal(kind, upload):
        raise StepRefused(refusal, code="file")
    job = ReferenceImport(kind=kind, original_name=(upload.name or "")[:255], created_by=actor, created_at=at)
    job.file.save("upload", upload, save=False)
    job.save()
    record(actor=actor, action="reference_import.queue", obj=job, after={"kind": kind, "file": job.original_name})
    transaction.on_commit(lambda: run_reference_import.enqueue(job.pk))
    return job


def run_import(import_id: int) -> str:
    """Run one queued import; safe to run twice (a second run finds it taken and does nothing). Returns its state.
    Side effects: what the importer writes (with its audit events, nothing when any row has an error), the
    report and the state on the row."""
    with transaction.atomic():
        job = ReferenceImport.objects.select_for_update().select_related("created_by").filter(pk=import_id).first()
        if job is None or job.state != ImportState.QUEUED:
            return job.state if job else ""
        job.state = ImportState.RUNNING
        job.save(update_fields=["state"])
    with job.file.open("rb") as stored:
        report = IMPORTERS[ReferenceKind(job.kind)](stored.read(), actor=job.created_by, name=job.original_name)
    job.report = report_data(report)
    job.state = ImportState.DONE if report.ok else ImportState.REFUSED
    job.finished_at = timezone.now()
    job.save(update_fields=["report", "state", "finished_at"])
    return job.state
