"""The import job: read and check every row (progress visible as it goes), then write the good
rows in one transaction, or nothing. Run it through `monitoring.tasks.run_progress_import`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record
from monitoring import bulk, columns, xlsx
from monitoring.checking import DUPLICATE, CandidateChecker, Issue, TotalsChecker
from monitoring.enums import ImportKind, ImportMode, ImportStatus
from monitoring.lookups import Lookups
from monitoring.models import ProgressImport
from monitoring.rollups import year_lock

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 20_000
MAX_ISSUES = 50_000


@dataclass
class Tally:
    read: int = 0
    errors: int = 0
    duplicates: int = 0
    issues: list[dict] = field(default_factory=list)

    def note(self, issue: Issue) -> None:
        if issue.kind == DUPLICATE:
            self.duplicates += 1
        else:
            self.errors += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue.as_dict())


def checker_for(job: ProgressImport, headers: list, lookups: Lookups):
    positions = columns.positions(job.kind, job.mapping, headers)
    if job.kind == ImportKind.CANDIDATES:
        return CandidateChecker(lookups, positions, today=timezone.localdate())
    return TotalsChecker(lookups, positions)


def run(job_id: int) -> str:
    """Run a queued import once; a second call (or a second worker) finds it taken and returns its status."""
    claimed = ProgressImport.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.READING, started_at=timezone.now()
    )
    job = ProgressImport.objects.get(pk=job_id)
    if not claimed:
        return job.status
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _run(job)
        except xlsx.UnreadableFile as exc:
            _finish(job, ImportStatus.REFUSED, exc.message)
        except Exception:
            # The traceback names no candidate: rows travel as hashes and sealed bytes past this point.
            logger.exception("progress import %s failed", job.pk)
            _finish(
                job, ImportStatus.FAILED, _("The import failed and nothing was written. Try again, or tell the office.")
            )
        finally:
            _drop_file(job)
    return job.status


def _run(job: ProgressImport) -> None:
    path = Path(job.file.path)
    xlsx.check(path)
    lookups = Lookups.load(year=job.year, institution_id=job.institution_id)
    spool = bulk.new_spool(job.pk) if job.kind == ImportKind.CANDIDATES else None
    totals: list[tuple] = []
    tally = Tally()
    try:
        checker = None
        height, rows = xlsx.rows(path)
        ProgressImport.objects.filter(pk=job.pk).update(rows_total=max(height - 1, 0))
        for number, cells in rows:
            if checker is None:
                if any(c not in ("", None) for c in cells):
                    checker = checker_for(job, cells, lookups)
                continue
            found, issue = checker.check(number, cells)
            if found is None and issue is None:
                continue
            tally.read += 1
            if issue is not None:
                tally.note(issue)
            elif spool is not None:
                spool.add(found)
            else:
                totals.append(found)
            if tally.read % PROGRESS_EVERY == 0:
                _progress(job, tally)
        _progress(job, tally)
        if tally.errors and job.mode == ImportMode.ALL_OR_NOTHING:
            message = _("%(count)s bad rows: the whole file was refused and nothing was written.") % {
                "count": tally.errors
            }
            _finish(job, ImportStatus.REFUSED, message, tally)
            return
        ProgressImport.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING)
        with transaction.atomic():
            year_lock(job.year)
            if spool is not None:
                written = bulk.write_candidates(spool, year=job.year)
            else:
                written = bulk.write_totals(totals, year=job.year)
            job.rows_written = written
            _finish(job, ImportStatus.DONE, _summary(tally, written), tally)
            record(
                actor=job.created_by,
                action="monitoring.import.write",
                obj=job,
                after={"read": tally.read, "written": written, "bad": tally.errors, "duplicates": tally.duplicates},
            )
    finally:
        if spool is not None:
            spool.close()


def _summary(tally: Tally, written: int) -> str:
    return _(
        "%(read)s rows read, %(written)s written, %(bad)s bad rows skipped, %(dup)s duplicates skipped, "
        "%(same)s already imported unchanged."
    ) % {
        "read": tally.read,
        "written": written,
        "bad": tally.errors,
        "dup": tally.duplicates,
        "same": max(tally.read - tally.errors - tally.duplicates - written, 0),
    }


def _progress(job: ProgressImport, tally: Tally) -> None:
    ProgressImport.objects.filter(pk=job.pk).update(
        rows_read=tally.read, error_count=tally.errors, duplicates=tally.duplicates
    )


def _finish(job: ProgressImport, status: str, message: str, tally: Tally | None = None) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    fields = ["status", "message", "finished_at", "rows_written"]
    if tally is not None:
        job.rows_read, job.error_count, job.duplicates, job.issues = (
            tally.read,
            tally.errors,
            tally.duplicates,
            tally.issues,
        )
        fields += ["rows_read", "error_count", "duplicates", "issues"]
    if status != ImportStatus.DONE:
        job.rows_written = 0
    job.save(update_fields=fields)


def _drop_file(job: ProgressImport) -> None:
    """The upload holds names and ID numbers in the clear: it goes as soon as the job is over."""
    if job.file:
        job.file.delete(save=False)
        ProgressImport.objects.filter(pk=job.pk).update(file="")
