"""The import job: read and check every row (its progress visible as it goes), and write the good
rows in one transaction, or nothing. Run it through `monitoring.tasks.run_progress_import`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record
from core import tabular
from core.workbooks import FormulaTexts
from monitoring import bulk, columns, importlines, line_counts, xlsx
from monitoring.checking import DUPLICATE, CandidateChecker, Issue
from monitoring.enums import ImportKind, ImportMode, ImportStatus
from monitoring.lookups import Lookups
from monitoring.models import ProgressImport
from monitoring.rollups import refresh_certificates, refresh_institutions, year_lock
from monitoring.totals_checking import TotalsChecker

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 20_000
MAX_ISSUES = 50_000


class Refusal(Exception):
    """All or nothing, and some rows are bad: roll back and say so."""


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


class Reporter:
    """Writes rows read / bad / duplicates as the job goes. Inside the job's own transaction it uses a
    connection of its own, so that the progress page sees the figures before the commit."""

    def __init__(self, job: ProgressImport, *, separate: bool):
        self.job_id = job.pk
        self.connection = connections.create_connection("default") if separate else None

    def __call__(self, tally: Tally, **extra) -> None:
        values = {"rows_read": tally.read, "error_count": tally.errors, "duplicates": tally.duplicates, **extra}
        if self.connection is None:
            ProgressImport.objects.filter(pk=self.job_id).update(**values)
            return
        assignments = ", ".join(f"{name} = %s" for name in values)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ProgressImport._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608 - field names
                [*values.values(), self.job_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


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
        except (xlsx.UnreadableFile, tabular.TabularError) as exc:
            _finish(job, ImportStatus.REFUSED, exc.message)
        except Exception:
            # The traceback names no candidate: what reaches the database (and its messages) is hashed,
            # sealed and masked, and no check words a whole ID number.
            logger.exception("progress import %s failed", job.pk)
            _finish(
                job, ImportStatus.FAILED, _("The import failed and nothing was written. Try again, or tell the office.")
            )
        finally:
            if job.status != ImportStatus.HELD:
                _drop_file(job)
    return job.status


@dataclass(frozen=True)
class Source:
    """The uploaded workbook and its first sheet's formulas without a cached value (kept as text)."""

    path: Path
    formulas: FormulaTexts | None


def _run(job: ProgressImport) -> None:
    path = Path(job.file.path)
    source = Source(path, xlsx.check(path))
    lookups = Lookups.load(year=job.year, institution_id=job.institution_id)
    if job.kind == ImportKind.TOTALS:
        _import_totals(job, source, lookups)
        return
    certificates = {certificate for _institution, certificate, _level in lookups.lines}
    direct = connection.vendor == "postgresql" and not bulk.year_has_candidates(job.year, certificates)
    if direct:
        try:
            _import_candidates(job, source, lookups, direct=True)
            return
        except bulk.Conflict:
            logger.info("progress import %s meets existing candidates: writing it again by upsert", job.pk)
    _import_candidates(job, source, lookups, direct=False)


def _checker(job: ProgressImport, headers: list, lookups: Lookups):
    positions = columns.positions(job.kind, job.mapping, headers)
    if job.kind == ImportKind.CANDIDATES:
        return CandidateChecker(lookups, positions, width=len(headers), today=timezone.localdate())
    return TotalsChecker(lookups, positions, width=len(headers))


def _read(job: ProgressImport, source: Source, lookups: Lookups, sink, report: Reporter) -> Tally:
    """Every row under the header row through the checker: good ones to `sink.add`, bad ones to the
    tally. Refuses (TabularError) more rows than IMPORT_MAX_ROWS before reading them."""
    tally = Tally()
    last, rows = xlsx.rows(source.path, source.formulas)
    tabular.check_rows(last - job.header_row)
    report(tally, rows_total=max(last - job.header_row, 0))
    rows = iter(rows)
    for number, cells in rows:
        if number == job.header_row:
            checker = _checker(job, cells, lookups)
            break
    else:
        return tally

    def progress(read: int) -> None:
        tally.read = read
        report(tally)

    tally.read = checker.run(rows, sink.add, tally.note, every=PROGRESS_EVERY, progress=progress)
    report(tally)
    return tally


def _import_candidates(job: ProgressImport, source: Source, lookups: Lookups, *, direct: bool) -> None:
    report = Reporter(job, separate=direct)
    tally = Tally()
    try:
        if direct:
            # One transaction from the first row: the COPY runs while the file is read.
            with transaction.atomic():
                sink: bulk.DirectSink | bulk.SpoolSink = bulk.DirectSink(job.pk)
                try:
                    tally = _read(job, source, lookups, sink, report)
                    _refuse_if_bad(job, tally)
                    report(tally, status=ImportStatus.WRITING)
                    written, deltas = sink.finish()
                finally:
                    sink.close()  # before the rollback, if any: a COPY in progress must be ended first
                _write_up(job, tally, written, deltas)
        else:
            sink = bulk.SpoolSink(job.pk)
            try:
                tally = _read(job, source, lookups, sink, report)
                _refuse_if_bad(job, tally)
                ProgressImport.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING)
                with transaction.atomic():
                    year_lock(job.year)
                    written, deltas = sink.finish()
                    _write_up(job, tally, written, deltas)
            finally:
                sink.close()
    except Refusal:
        _finish(job, ImportStatus.REFUSED, _refusal(tally), tally)
    except importlines.Held as held:
        _hold(job, held, tally)
    finally:
        report.close()


def _refuse_if_bad(job: ProgressImport, tally: Tally) -> None:
    if tally.errors and job.mode == ImportMode.ALL_OR_NOTHING:
        raise Refusal


def _refusal(tally: Tally) -> str:
    return _("%(count)s bad rows: the whole file was refused and nothing was written.") % {"count": tally.errors}


def _write_up(job: ProgressImport, tally: Tally, written: int, deltas: dict) -> None:
    """Inside the writing transaction: line counts, rollups, the job's outcome and the audit event.
    Raises importlines.Held (nothing written) when lines would become implausible unconfirmed."""
    importlines.check(importlines.candidates_after(deltas), confirmed=bool(job.confirmed_reason))
    before = importlines.states({line for line, _result in deltas})
    institutions, certificates = line_counts.apply_deltas(deltas, year=job.year)
    _keep_figures(job, before)
    year_lock(job.year)
    refresh_institutions(job.year, institutions)
    refresh_certificates(job.year, certificates)
    job.rows_written = written
    _finish(job, ImportStatus.DONE, _summary(tally, written), tally)
    record(
        actor=job.created_by,
        action="monitoring.import.write",
        obj=job,
        after={"read": tally.read, "written": written, "bad": tally.errors, "duplicates": tally.duplicates},
        reason=job.confirmed_reason,
    )


def _keep_figures(job: ProgressImport, before: dict) -> None:
    """What the lines held before and hold after this import (a withdrawal puts `before` back)."""
    after = importlines.states(before)
    job.figures = {str(line): {"before": before[line], "after": after[line]} for line in before}


def _hold(job: ProgressImport, held: importlines.Held, tally: Tally) -> None:
    """Nothing was written: the implausible lines wait for a confirmation (the file is kept till then)."""
    job.status = ImportStatus.HELD
    job.implausible = [line.as_dict() for line in held.lines]
    job.message = _(
        "%(count)s lines would get implausible figures: nothing was written. Correct the file, or confirm "
        "the figures with a reason."
    ) % {"count": len(held.lines)}
    job.rows_read, job.error_count, job.duplicates, job.issues = (
        tally.read,
        tally.errors,
        tally.duplicates,
        tally.issues,
    )
    job.save(update_fields=["status", "implausible", "message", "rows_read", "error_count", "duplicates", "issues"])


def _import_totals(job: ProgressImport, source: Source, lookups: Lookups) -> None:
    records: list[tuple] = []

    class Collect:
        add = staticmethod(records.append)

    report = Reporter(job, separate=False)
    try:
        tally = _read(job, source, lookups, Collect, report)
    finally:
        report.close()
    if tally.errors and job.mode == ImportMode.ALL_OR_NOTHING:
        _finish(job, ImportStatus.REFUSED, _refusal(tally), tally)
        return
    try:
        importlines.check({r[0]: r[1:] for r in records}, confirmed=bool(job.confirmed_reason))
    except importlines.Held as held:
        _hold(job, held, tally)
        return
    ProgressImport.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING)
    with transaction.atomic():
        year_lock(job.year)
        before = importlines.states({r[0] for r in records})
        institutions, certificates = line_counts.write_totals(records, year=job.year)
        _keep_figures(job, before)
        refresh_institutions(job.year, institutions)
        refresh_certificates(job.year, certificates)
        job.rows_written = len(records)
        _finish(job, ImportStatus.DONE, _summary(tally, len(records)), tally)
        record(
            actor=job.created_by,
            action="monitoring.import.write",
            obj=job,
            after={"read": tally.read, "written": len(records), "bad": tally.errors},
            reason=job.confirmed_reason,
        )


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


def _finish(job: ProgressImport, status: str, message: str, tally: Tally | None = None) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    fields = ["status", "message", "finished_at", "rows_written", "figures"]
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
