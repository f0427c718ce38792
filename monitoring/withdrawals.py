"""Withdrawing an import (撤销导入): its candidates stop counting (moved to the superseded candidates, never
deleted), the candidates it replaced count again, its lines get back the figures they had before it, the
figures are recomputed and the audit trail holds both the import and its withdrawal. The same file can
be imported again afterwards.

Who: the institution whose import it is, until the end of the next checkpoint's day after the import
(Asia/Shanghai); the provincial office at any time. Both give a reason.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from audit.services import record
from core.dates import end_of, local_today
from monitoring import importlines
from monitoring.access import OFFICE_ROLES
from monitoring.bulk import COLUMNS, KEY
from monitoring.enums import ImportStatus, ProgressSource, Result, Superseded
from monitoring.models import Candidate, LineProgress, ProgressImport
from monitoring.rates import checkpoint_date, next_checkpoint
from monitoring.rollups import refresh_certificates, refresh_institutions, year_lock
from monitoring.services import Refused
from monitoring.versions import SupersededCandidate
from plans.models import PlanLine

CANDIDATES = Candidate._meta.db_table
SUPERSEDED = SupersededCandidate._meta.db_table
COLS = ", ".join(COLUMNS)


def next_checkpoint_day(job: ProgressImport) -> date:
    """The day of the first checkpoint on or after the day the import was written (a finished import)."""
    assert job.finished_at is not None, "only a finished import was written"  # monitoring.jobs._finish sets it
    return checkpoint_date(*next_checkpoint(local_today(job.finished_at)))


def institution_deadline(job: ProgressImport) -> datetime:
    """The institution may withdraw its import until the end of the next checkpoint's day after it."""
    return end_of(next_checkpoint_day(job))


def may_withdraw(user, job: ProgressImport, *, now: datetime) -> bool:
    """Whether `user` may withdraw `job` now (the buttons show only then; the service checks again)."""
    if job.status != ImportStatus.DONE or job.withdrawn_at is not None:
        return False
    if user.role in OFFICE_ROLES:
        return True
    own = user.role == Role.INSTITUTION_STAFF and job.institution_id and job.institution_id == user.institution_id
    return bool(own) and now < institution_deadline(job)


def withdraw_import(*, actor, job: ProgressImport, reason: str) -> tuple[ProgressImport, int]:
    """Withdraw a finished import (see the module docstring for who may, and what it puts back).

    Side effects: moves the import's candidates to the superseded candidates and puts back the ones it
    replaced; recounts its lines and puts back their figures from before it (a line changed since keeps
    its figures); refreshes the rollups; marks the import withdrawn; one audit event with the lines'
    figures before and after and the reason. Returns the import and how many lines kept figures changed
    after it. Raises PermissionDenied or Refused.
    """
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason for withdrawing the import."))
    with transaction.atomic():
        year_lock(job.year)
        job = ProgressImport.objects.select_for_update().get(pk=job.pk)
        now = timezone.now()
        if not may_withdraw(actor, job, now=now):
            if actor.role in OFFICE_ROLES or job.status != ImportStatus.DONE or job.withdrawn_at is not None:
                raise Refused(_("Only a finished import that has not been withdrawn can be withdrawn."))
            if job.institution_id != actor.institution_id:
                raise PermissionDenied
            raise Refused(
                _("The checkpoint of %(date)s has passed: only the provincial office can withdraw this import now.")
                % {"date": next_checkpoint_day(job).isoformat()}
            )
        lines, kept = _undo(job, now)
        job.withdrawn_at, job.withdrawn_by, job.withdraw_reason = now, actor, reason
        job.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        record(
            actor=actor, action="monitoring.import.withdraw", obj=job, before=lines[0], after=lines[1], reason=reason
        )
    return job, kept


def _undo(job: ProgressImport, now: datetime) -> tuple[tuple[dict, dict], int]:
    """Candidates out, replaced ones back, figures back; returns the lines' (before, after) and how many
    lines kept figures someone changed after the import."""
    wrote = {int(line): entry for line, entry in job.figures.items()}
    current = importlines.states(wrote)
    put_back = {line: entry["before"] for line, entry in wrote.items() if current[line] == entry["after"]}
    lines = set(wrote) | _supersede_candidates(job, now)
    before = importlines.states(lines)
    _recount(lines)
    _put_back(put_back)
    after = importlines.states(lines)
    institutions, certificates = set(), set()
    for institution, certificate in PlanLine.objects.filter(pk__in=lines).values_list(
        "plan__institution_id", "certificate_id"
    ):
        institutions.add(institution)
        certificates.add(certificate)
    refresh_institutions(job.year, institutions)
    refresh_certificates(job.year, certificates)
    figures = ({str(k): v for k, v in before.items()}, {str(k): v for k, v in after.items()})
    return figures, len(wrote) - len(put_back)


def _supersede_candidates(job: ProgressImport, now: datetime) -> set[int]:
    """Move the import's candidates out and put back those it replaced; returns the lines touched."""
    at = connection.ops.adapt_datetimefield_value(now)
    same_key = " AND ".join(f"c.{k} = s.{k}" for k in KEY)
    same_key_outer = " AND ".join(f"c.{k} = {SUPERSEDED}.{k}" for k in KEY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SUPERSEDED} ({COLS}, superseded_by_id, cause, superseded_at) "  # noqa: S608 - constants
            f"SELECT {COLS}, %s, %s, %s FROM {CANDIDATES} WHERE source_import_id = %s",
            [job.pk, Superseded.WITHDRAWN, at, job.pk],
        )
        cursor.execute(f"DELETE FROM {CANDIDATES} WHERE source_import_id = %s", [job.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {CANDIDATES} ({COLS}) SELECT {', '.join(f's.{c}' for c in COLUMNS)} "  # noqa: S608
            f"FROM {SUPERSEDED} s WHERE s.superseded_by_id = %s AND s.cause = %s AND s.restored_at IS NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} c WHERE {same_key})",
            [job.pk, Superseded.REPLACED],
        )
        cursor.execute(
            f"UPDATE {SUPERSEDED} SET restored_at = %s WHERE superseded_by_id = %s AND cause = %s "  # noqa: S608
            f"AND restored_at IS NULL AND EXISTS (SELECT 1 FROM {CANDIDATES} c WHERE "
            f"{same_key_outer} AND c.sealed = {SUPERSEDED}.sealed)",
            [at, job.pk, Superseded.REPLACED],
        )
    return set(SupersededCandidate.objects.filter(superseded_by=job).values_list("line_id", flat=True).distinct())


def _recount(lines: set[int]) -> None:
    """The lines' candidate counts counted again (through the candidates' unique index: certificate,
    level, year); lines whose figures are their candidates' follow."""
    progress = {p.line_id: p for p in LineProgress.objects.filter(line_id__in=lines)}
    for line in PlanLine.objects.filter(pk__in=progress).select_related("plan__round"):
        found = dict(
            Candidate.objects.filter(
                certificate_id=line.certificate_id, level=line.level, year=line.plan.round.year, line_id=line.pk
            )
            .values_list("result")
            .annotate(n=Count("result"))
            .order_by()
        )
        row = progress[line.pk]
        row.candidate_registered = sum(found.values())
        row.candidate_examined = sum(found.get(result, 0) for result in Result.examined())
        row.candidate_passed = found.get(Result.PASSED, 0)
        if row.source == ProgressSource.CANDIDATES:
            row.registered, row.examined, row.passed = (
                row.candidate_registered,
                row.candidate_examined,
                row.candidate_passed,
            )
        row.updated_at = timezone.now()
        row.save()


def _put_back(before: dict[int, list | None]) -> None:
    """The figures the lines had before the import; a line that had none loses its row when no candidate
    is left on it."""
    for row in LineProgress.objects.filter(line_id__in=before):
        was = before[row.line_id]
        if was is None:
            if not (row.candidate_registered or row.candidate_examined or row.candidate_passed):
                row.delete()
            continue
        row.source, row.registered, row.examined, row.passed = was
        row.updated_at = timezone.now()
        row.save()
