"""The line figures an import writes: candidate counts moved by deltas (`apply_deltas`, after monitoring.bulk
wrote the candidates), or totals set as read (`write_totals`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from monitoring.enums import ProgressSource, Result
from monitoring.models import LineProgress
from monitoring.rollups import chunks
from plans.models import PlanLine

EXAMINED = Result.examined()
ROWS_PER_STATEMENT = 1_000


def apply_deltas(deltas: dict[tuple[int, str], int], *, year: int) -> tuple[set[int], set[int]]:
    """Move each line's candidate counts by `deltas` ((line, result) → rows); they become the line's
    figures of record. Returns the institutions and certificates touched."""
    per_line = _per_line(deltas)
    institutions, certificates, rows = set(), set(), []
    for ids in chunks(per_line):
        for pk, institution, certificate in PlanLine.objects.filter(pk__in=ids).values_list(
            "pk", "plan__institution_id", "certificate_id"
        ):
            institutions.add(institution)
            certificates.add(certificate)
            registered, examined, passed = per_line[pk]
            # The row as first inserted must pass the table's checks even when these are deltas of
            # an existing row (which then wins the conflict and takes the raw deltas below).
            first_registered = max(registered, 0)
            first_examined = max(min(examined, first_registered), 0)
            first_passed = max(min(passed, first_examined), 0)
            rows.append(
                (pk, institution, year, certificate, first_registered, first_examined, first_passed)
                + (registered, examined, passed)
            )
    now = timezone.now()
    with connection.cursor() as cursor:
        # A thousand lines a statement, their figures as literals (integers only): one statement a line
        # cost PostgreSQL ~0.15 ms each, and as parameters psycopg spent longer finding the placeholders in
        # the long statement than PostgreSQL running it (bench/bench_progress_import.py).
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            cursor.execute(_add_deltas_sql(rows[start : start + ROWS_PER_STATEMENT]), [now])
    return institutions, certificates


def _per_line(deltas: dict[tuple[int, str], int]) -> dict[int, list[int]]:
    """(line, result) → rows as line → [registered, examined, passed] moves."""
    per_line: dict[int, list[int]] = {}
    for (line, result), n in deltas.items():
        counts = per_line.setdefault(line, [0, 0, 0])
        counts[0] += n
        if result in EXAMINED:
            counts[1] += n
        if result == Result.PASSED:
            counts[2] += n
    return per_line


def _add_deltas_sql(rows: Sequence[tuple[int, ...]]) -> str:
    """The upsert of `rows` (integers: line, institution, year, certificate, then the first and the added
    figures); its one parameter is the time."""
    table = LineProgress._meta.db_table
    values = ", ".join(f"({', '.join(str(int(value)) for value in row)})" for row in rows)
    # Increments, not values: two imports of one year may meet here and both must count. "WHERE true" keeps
    # SQLite from reading ON CONFLICT as a join constraint.
    return (
        f"INSERT INTO {table} (line_id, institution_id, year, certificate_id, registered, examined, passed, "  # noqa: S608
        "candidate_registered, candidate_examined, candidate_passed, source, updated_at) "
        f"SELECT v.*, '{ProgressSource.CANDIDATES}', %s FROM (VALUES {values}) AS v WHERE true "
        "ON CONFLICT (line_id) DO UPDATE SET "
        f"candidate_registered = {table}.candidate_registered + excluded.candidate_registered, "
        f"candidate_examined = {table}.candidate_examined + excluded.candidate_examined, "
        f"candidate_passed = {table}.candidate_passed + excluded.candidate_passed, "
        f"registered = {table}.candidate_registered + excluded.candidate_registered, "
        f"examined = {table}.candidate_examined + excluded.candidate_examined, "
        f"passed = {table}.candidate_passed + excluded.candidate_passed, "
        "source = excluded.source, updated_at = excluded.updated_at"
    )


def write_totals(records: list[tuple], *, year: int, source: str = ProgressSource.TOTALS) -> tuple[set, set]:
    """Set (registered, examined, passed) of lines: records are (line id, registered, examined, passed).
    Returns the institutions and certificates touched."""
    from monitoring.rollups import upsert_lines

    by_line = {r[0]: r for r in records}
    now = timezone.now()
    rows, institutions, certificates = [], set(), set()
    for ids in chunks(by_line):
        for pk, institution, certificate in PlanLine.objects.filter(pk__in=ids).values_list(
            "pk", "plan__institution_id", "certificate_id"
        ):
            _line, registered, examined, passed = by_line[pk]
            institutions.add(institution)
            certificates.add(certificate)
            rows.append(
                LineProgress(
                    line_id=pk,
                    institution_id=institution,
                    year=year,
                    certificate_id=certificate,
                    registered=registered,
                    examined=examined,
                    passed=passed,
                    source=source,
                    updated_at=now,
                )
            )
    upsert_lines(rows)
    return institutions, certificates
