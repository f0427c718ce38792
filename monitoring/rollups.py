"""Keeping the pre-computed figures right: per line from candidates, per institution and per
certificate from the approved lines and their progress. Set-based; callers hold `year_lock`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import F, Sum
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from monitoring import forecast_queue
from monitoring.enums import ProgressSource, Result
from monitoring.figure_cache import figures_changed
from monitoring.models import Candidate, CertificateProgress, InstitutionProgress, LineProgress
from monitoring.plausibility import FLAGGED_SUM
from plans.enums import PlanStatus
from plans.models import PlanLine

CHUNK = 500  # ids per IN (…): SQLite's host-parameter limit
# rates.capped_examined in SQL, over approved lines joined to their progress: a line counts at most its
# approved headcount toward completion.
COUNTED = Greatest(Least(Coalesce(F("progress__examined"), 0), F("approved_headcount")), 0)


def chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def year_lock(year: int) -> None:
    """Serialise writers of one year's figures until the transaction ends (SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x0E1, year])


def approved_lines(year: int):
    """Lines of published plans of `year` with an approved headcount: the plan of record."""
    return PlanLine.objects.filter(plan__round__year=year, plan__status=PlanStatus.PUBLISHED, approved_headcount__gt=0)


def recount_candidates(year: int) -> None:
    """Every line's candidate counts of `year` counted again from the candidates (imports keep them
    by deltas; this is the check, run with every full refresh). One scan of the year's candidates."""
    progress, candidate = LineProgress._meta.db_table, Candidate._meta.db_table
    examined = ", ".join(f"'{r}'" for r in sorted(Result.examined()))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {progress} SET candidate_registered = c.n, candidate_examined = c.e, candidate_passed = c.p, "  # noqa: S608
            f"registered = CASE WHEN source = %s THEN c.n ELSE registered END, "
            f"examined = CASE WHEN source = %s THEN c.e ELSE examined END, "
            f"passed = CASE WHEN source = %s THEN c.p ELSE passed END "
            f"FROM (SELECT line_id, count(*) AS n, sum(CASE WHEN result IN ({examined}) THEN 1 ELSE 0 END) AS e, "
            f"sum(CASE WHEN result = %s THEN 1 ELSE 0 END) AS p FROM {candidate} WHERE year = %s GROUP BY line_id) c "
            f"WHERE {progress}.line_id = c.line_id AND ({progress}.candidate_registered, "
            f"{progress}.candidate_examined, {progress}.candidate_passed) IS DISTINCT FROM (c.n, c.e, c.p)",
            [ProgressSource.CANDIDATES] * 3 + [Result.PASSED, year],
        )


def upsert_lines(rows: list[LineProgress]) -> None:
    LineProgress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["line"],
        update_fields=["registered", "examined", "passed", "source", "updated_at"],
        batch_size=1000,
    )


def _summed(lines, group: str):
    return (
        lines.values(group_id=F(group))
        .annotate(
            approved_sum=Sum("approved_headcount"),
            registered_sum=Coalesce(Sum("progress__registered"), 0),
            examined_sum=Coalesce(Sum("progress__examined"), 0),
            passed_sum=Coalesce(Sum("progress__passed"), 0),
            counted_sum=Coalesce(Sum(COUNTED), 0),
            implausible_sum=Coalesce(FLAGGED_SUM, 0),
        )
        .order_by()
    )


def refresh_institutions(year: int, institution_ids: Iterable[int] | None = None) -> int:
    """Recompute the institution rollup of `year` (for some institutions, or all); returns rows written.
    Progress changed: the year's forecasts are recomputed by a job once the transaction commits."""
    forecast_queue.schedule(year)
    return _refresh(InstitutionProgress, "institution", "plan__institution_id", year, institution_ids)


def refresh_certificates(year: int, certificate_ids: Iterable[int] | None = None) -> int:
    """Recompute the certificate rollup of `year` (for some certificates, or all)."""
    return _refresh(CertificateProgress, "certificate", "certificate_id", year, certificate_ids)


def _refresh(model, field: str, group: str, year: int, ids: Iterable[int] | None) -> int:
    now = timezone.now()
    written = 0
    for batch in [None] if ids is None else list(chunks(ids)):
        lines = approved_lines(year)
        if batch is not None:
            lines = lines.filter(**{f"{group}__in": batch})
        rows = [
            model(
                **{f"{field}_id": row["group_id"]},
                year=year,
                approved=row["approved_sum"],
                registered=row["registered_sum"],
                examined=row["examined_sum"],
                passed=row["passed_sum"],
                counted=row["counted_sum"],
                implausible=row["implausible_sum"],
                refreshed_at=now,
            )
            for row in _summed(lines, group)
        ]
        model.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=[field, "year"],
            update_fields=["approved", "registered", "examined", "passed", "counted", "implausible", "refreshed_at"],
            batch_size=1000,
        )
        # What was not written now has no approved line any more (a plan withdrawn, a line cut to 0).
        stale = model.objects.filter(year=year, refreshed_at__lt=now)
        if batch is not None:
            stale = stale.filter(**{f"{field}_id__in": batch})
        stale.delete()
        written += len(rows)
    figures_changed()  # the dashboard's figures are summed from these rows: after they are written
    return written


def refresh_year(year: int) -> None:
    """Everything of `year` again: picks up plans published and adjustments approved since the last
    import, and checks the lines' candidate counts."""
    recount_candidates(year)
    refresh_institutions(year)
    refresh_certificates(year)
