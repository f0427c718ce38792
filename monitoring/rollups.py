"""Keeping the pre-computed figures right: per line from candidates, per institution and per
certificate from the approved lines and their progress. Set-based; callers hold `year_lock`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from monitoring.enums import ProgressSource, Result
from monitoring.models import Candidate, CertificateProgress, InstitutionProgress, LineProgress
from plans.enums import PlanStatus
from plans.models import PlanLine

CHUNK = 500  # ids per IN (…): SQLite's host-parameter limit


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


def lines_from_candidates(line_ids: set[int], *, year: int) -> tuple[set[int], set[int]]:
    """Recount `line_ids` from their candidates; returns the institutions and certificates touched."""
    now = timezone.now()
    institutions, certificates = set(), set()
    for ids in chunks(line_ids):
        counts = {
            row["line_id"]: row
            for row in Candidate.objects.filter(line_id__in=ids)
            .values("line_id")
            .annotate(
                registered=Count("*"),
                examined=Count("result", filter=Q(result__in=Result.examined())),
                passed=Count("result", filter=Q(result=Result.PASSED)),
            )
            .order_by()
        }
        rows = []
        for pk, institution, certificate in PlanLine.objects.filter(pk__in=ids).values_list(
            "pk", "plan__institution_id", "certificate_id"
        ):
            found = counts.get(pk, {})
            institutions.add(institution)
            certificates.add(certificate)
            rows.append(
                LineProgress(
                    line_id=pk,
                    institution_id=institution,
                    year=year,
                    certificate_id=certificate,
                    registered=found.get("registered", 0),
                    examined=found.get("examined", 0),
                    passed=found.get("passed", 0),
                    source=ProgressSource.CANDIDATES,
                    updated_at=now,
                )
            )
        upsert_lines(rows)
    return institutions, certificates


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
        )
        .order_by()
    )


def refresh_institutions(year: int, institution_ids: Iterable[int] | None = None) -> int:
    """Recompute the institution rollup of `year` (for some institutions, or all); returns rows written."""
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
                refreshed_at=now,
            )
            for row in _summed(lines, group)
        ]
        model.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=[field, "year"],
            update_fields=["approved", "registered", "examined", "passed", "refreshed_at"],
            batch_size=1000,
        )
        # What was not written now has no approved line any more (a plan withdrawn, a line cut to 0).
        stale = model.objects.filter(year=year, refreshed_at__lt=now)
        if batch is not None:
            stale = stale.filter(**{f"{field}_id__in": batch})
        stale.delete()
        written += len(rows)
    return written


def refresh_year(year: int) -> None:
    """Everything of `year` again: picks up plans published and adjustments approved since the last import."""
    refresh_institutions(year)
    refresh_certificates(year)
