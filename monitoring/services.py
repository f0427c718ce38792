"""Every change monitoring makes goes through one function here (views, tasks and commands call them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from core import tabular
from monitoring import columns, plausibility, xlsx
from monitoring.checkpoints import take_snapshot
from monitoring.closing import close_year, close_year_once, lift_cap, prepare_review, reopen_year  # noqa: F401 - the year end, one room over
from monitoring.enums import ImportMode, ImportStatus, ProgressSource
from monitoring.errors import Refused
from monitoring.models import Checkpoint, ColumnLayout, LineProgress, ProgressImport
from monitoring.previewing import top_rows
from monitoring.rates import CHECKPOINT_MONTHS
from monitoring.rollups import refresh_certificates, refresh_institutions, refresh_year, year_lock
from monitoring.warnings import send_warnings

DEFAULT_MAX_BYTES = 200 * 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "PROGRESS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


# ---------------------------------------------------------------- typed progress


@dataclass(frozen=True)
class Counts:
    registered: int
    examined: int
    passed: int


def _checked_reason(line, counts: Counts, reason: str) -> str:
    """The reason that must come with implausible figures (none is kept for plausible ones); refuses negative
    figures, and implausible ones without a reason."""
    if min(counts.registered, counts.examined, counts.passed) < 0:
        raise Refused(_("Enter whole numbers of 0 or more."))
    found = plausibility.problems(
        approved=line.approved_headcount, registered=counts.registered, examined=counts.examined, passed=counts.passed
    )
    reason = reason.strip() if found else ""
    if found and not reason:
        raise Refused(
            _("These figures look wrong: %(problems)s. Correct them, or give the reason they are right.")
            % {"problems": "；".join(found)}
        )
    return reason


def record_line_progress(*, actor, line, counts: Counts, reason: str = "") -> LineProgress:
    """Set one approved line's registered / examined / passed as typed by its institution. Implausible
    figures (more examined than registered or approved, more passed than examined) need a reason.

    Side effects: upserts LineProgress (source "typed"), recomputes the institution's and the
    certificate's rollups for the year, one audit event with before and after (and the reason).
    """
    reason = _checked_reason(line, counts, reason)
    year = line.plan.round.year
    institution_id = line.plan.institution_id
    with transaction.atomic():
        year_lock(year)
        progress = LineProgress.objects.select_for_update().filter(line=line).first()
        before = snapshot(progress, ["registered", "examined", "passed", "source"]) if progress else {}
        progress = progress or LineProgress(line=line, institution_id=institution_id, year=year)
        progress.certificate_id = line.certificate_id
        progress.registered, progress.examined, progress.passed = counts.registered, counts.examined, counts.passed
        progress.source = ProgressSource.TYPED
        progress.updated_at = timezone.now()
        progress.save()
        refresh_institutions(year, [institution_id])
        refresh_certificates(year, [line.certificate_id])
        record(
            actor=actor,
            action="monitoring.progress.record",
            obj=progress,
            before=before,
            after=snapshot(progress, ["registered", "examined", "passed", "source"]),
            reason=reason,
        )
    return progress


# ---------------------------------------------------------------- imports


def create_import(*, actor, upload, kind: str, year: int, institution=None) -> ProgressImport:
    """Keep an uploaded file, check it is a safe workbook, find its header and guess the mapping.

    Side effects: stores the file under private storage, creates the ProgressImport (status
    "uploaded"), one audit event. A refused file is deleted at once and the import kept as
    "refused" with the reason; Refused is raised with it.
    """
    if actor.is_institution_user:
        institution = actor.institution
    name = upload.name or "upload.xlsx"
    job = ProgressImport(kind=kind, year=year, institution=institution, original_name=name[:255], created_by=actor)
    if not name.lower().endswith(".xlsx"):
        return _refuse_upload(job, _("Only Excel workbooks (.xlsx) can be imported."))
    if upload.size > max_upload_bytes():
        return _refuse_upload(job, _("The file is larger than %(mb)s MB.") % {"mb": max_upload_bytes() >> 20})
    job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    try:
        xlsx.check(job.file.path)
        top = top_rows(job)
        number = tabular.header_number(top, columns.header_names(kind))
        if number is None:
            raise xlsx.UnreadableFile(_("The first sheet of the workbook is empty."))
        last = xlsx.declared_last_row(job.file.path)
        if last is not None:
            tabular.check_rows(last - number)
    except (xlsx.UnreadableFile, tabular.TabularError) as exc:
        job.file.delete(save=False)
        return _refuse_upload(job, exc.message)
    _set_header(job, number, dict(top)[number])
    job.save()
    record(
        actor=actor,
        action="monitoring.import.upload",
        obj=job,
        after={"kind": kind, "year": year, "header_row": number},
    )
    return job


def _set_header(job: ProgressImport, number: int, cells: list) -> None:
    """Take row `number` as the header: its names, and the mapping a saved layout or a guess gives them."""
    headers = [tabular.cell_text(c)[0] for c in cells]
    job.header_row, job.headers = number, headers
    job.layout = ColumnLayout.objects.filter(kind=job.kind, signature=columns.signature(headers)).first()
    job.mapping = dict(job.layout.mapping) if job.layout else columns.guess(job.kind, headers)


def choose_header_row(*, actor, job: ProgressImport, number: int) -> ProgressImport:
    """The user says which row is the header (the one found is shown on the mapping page).

    Side effects: sets the import's header row, headers and guessed mapping; one audit event.
    """
    if job.status != ImportStatus.UPLOADED:
        raise Refused(_("This import was confirmed already."))
    found = dict(top_rows(job))
    if number not in found:
        raise Refused(
            _("Row %(row)s is not among the first %(rows)s rows with something in them.")
            % {"row": number, "rows": tabular.HEADER_SCAN_ROWS}
        )
    last = xlsx.declared_last_row(job.file.path)
    before = job.header_row
    if last is not None:
        try:
            tabular.check_rows(last - number)
        except tabular.TabularError as exc:
            raise Refused(exc.message) from exc
    _set_header(job, number, found[number])
    job.save(update_fields=["header_row", "headers", "layout", "mapping"])
    record(
        actor=actor,
        action="monitoring.import.header",
        obj=job,
        before={"header_row": before},
        after={"header_row": number, "mapping": job.mapping},
    )
    return job


def _refuse_upload(job: ProgressImport, message: str):
    job.file = ""
    job.status = ImportStatus.REFUSED
    job.message = message
    job.finished_at = timezone.now()
    job.save()
    record(actor=job.created_by, action="monitoring.import.refuse", obj=job, after={"message": message})
    raise Refused(message)


def confirm_import(*, actor, job: ProgressImport, mapping: dict[str, str], mode: str, layout_name: str = ""):
    """Fix the column mapping and what to do with bad rows, and queue the job.

    Side effects: saves the mapping as a layout under `layout_name` (when given), sets the
    import "queued", enqueues `run_progress_import`, one audit event.
    """
    if job.status != ImportStatus.UPLOADED:
        raise Refused(_("This import was confirmed already."))
    if mode not in ImportMode.values:
        raise Refused(_("Choose what happens to bad rows."))
    mapping = {k: v for k, v in mapping.items() if v and v in job.headers}
    lacking = columns.missing(job.kind, mapping, job.headers, needs_institution=job.institution_id is None)
    if lacking:
        raise Refused(_("Map a column to: %(fields)s.") % {"fields": "、".join(str(f.label) for f in lacking)})
    if layout_name.strip():
        job.layout, _created = ColumnLayout.objects.update_or_create(
            kind=job.kind,
            signature=columns.signature(job.headers),
            defaults={"name": layout_name.strip()[:100], "mapping": mapping, "created_by": actor},
        )
    job.mapping, job.mode, job.status = mapping, mode, ImportStatus.QUEUED
    job.save(update_fields=["mapping", "mode", "status", "layout"])
    record(actor=actor, action="monitoring.import.confirm", obj=job, after={"mode": mode, "mapping": mapping})
    return _enqueue(job)


def _enqueue(job: ProgressImport) -> ProgressImport:
    from monitoring.tasks import run_progress_import

    result = run_progress_import.enqueue(job.pk)
    ProgressImport.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def confirm_implausible(*, actor, job: ProgressImport, reason: str) -> ProgressImport:
    """Confirm, with a reason, the implausible figures a held import would write, and queue it again.

    Side effects: sets the reason and the import "queued", enqueues `run_progress_import` (which reads
    the file again and writes it), one audit event with the lines and the reason.
    """
    reason = reason.strip()
    if job.status != ImportStatus.HELD:
        raise Refused(_("This import is not waiting for a confirmation."))
    if not reason:
        raise Refused(_("Give the reason the figures are right."))
    job.confirmed_reason, job.status = reason, ImportStatus.QUEUED
    job.save(update_fields=["confirmed_reason", "status"])
    record(
        actor=actor,
        action="monitoring.import.confirm_implausible",
        obj=job,
        after={"lines": job.implausible},
        reason=reason,
    )
    return _enqueue(job)


def discard_held(*, actor, job: ProgressImport) -> ProgressImport:
    """Drop a held import instead of confirming it (the file is wrong): nothing was written.

    Side effects: the import becomes "refused", its uploaded file (names and ID numbers) is deleted,
    one audit event.
    """
    if job.status != ImportStatus.HELD:
        raise Refused(_("This import is not waiting for a confirmation."))
    if job.file:
        job.file.delete(save=False)
    job.file, job.status, job.finished_at = "", ImportStatus.REFUSED, timezone.now()
    job.message = _("Discarded without writing: the implausible figures were not confirmed.")
    job.save(update_fields=["file", "status", "finished_at", "message"])
    record(actor=actor, action="monitoring.import.discard", obj=job, after={"lines": len(job.implausible)})
    return job


# ---------------------------------------------------------------- personal data


def record_candidates_viewed(*, actor, line, page: int, shown: int) -> None:
    """Someone read a page of `line`'s candidate list (names and ID numbers masked): who, which line, when.

    Side effects: one audit event `monitoring.candidates.view` with the page number and how many were shown.
    """
    record(actor=actor, action="monitoring.candidates.view", obj=line, after={"page": page, "shown": shown})


def reveal_id_number(*, actor, candidate, reason: str) -> tuple[str, str]:
    """A provincial admin reads one candidate's name and ID number; the reason is required and audited."""
    from monitoring import crypto

    if not actor.is_provincial_admin:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason for reading the ID number."))
    record(actor=actor, action="monitoring.candidate.reveal", obj=candidate, reason=reason)
    return crypto.unseal(candidate.sealed)


# ---------------------------------------------------------------- checkpoints and figures


def take_checkpoint(*, year: int, month: int, actor=None) -> tuple[Checkpoint, bool]:
    """The snapshot of (year, month), taken now unless it exists: (checkpoint, taken now).

    Side effects when taken: refreshes the year's rollups, writes one snapshot row per
    institution with approved lines and per certificate, one audit event, and a warning (inbox
    and e-mail) to the people of every slow or serious institution. Safe to run twice, also at
    the same time: the year lock and the unique (year, month) leave one snapshot and one warning.
    """
    if month not in CHECKPOINT_MONTHS:
        raise Refused(_("Checkpoints are at the end of February, April, June, August, October and December."))
    found = Checkpoint.objects.filter(year=year, month=month).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            year_lock(year)
            found = Checkpoint.objects.filter(year=year, month=month).first()
            if found is not None:
                return found, False
            refresh_year(year)
            checkpoint = take_snapshot(year=year, month=month, actor=actor)
            send_warnings(checkpoint)
            return checkpoint, True
    except IntegrityError:
        return Checkpoint.objects.get(year=year, month=month), False


def refresh_figures(*, year: int) -> None:
    """Recompute the year's rollups from the approved lines (plans published or adjusted since)."""
    with transaction.atomic():
        year_lock(year)
        refresh_year(year)
