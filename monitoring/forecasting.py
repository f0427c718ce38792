"""Forecasts from the database: the profile learnt from earlier years' candidates, each institution's forecast
computed from its rollup, its scheduled candidates and its pace since the last checkpoint, and stored per
checkpoint period by a job on the task engine whenever progress changes (monitoring.tasks.refresh_forecasts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from core.dates import local_today
from core.models import ProvinceSettings
from institutions.models import Institution
from monitoring import forecast
from monitoring.asof import figures_at
from monitoring.enums import Result
from monitoring.forecast_rows import InstitutionForecast, share_column
from monitoring.models import Candidate, Checkpoint, InstitutionProgress, InstitutionSnapshot
from monitoring.rates import checkpoint_date, next_checkpoint
from monitoring.rollups import approved_lines

HISTORY_YEARS = 3


def profile_for(year: int) -> forecast.Profile:
    """The seasonal profile learnt from the examined candidates (with an exam date) of the three years before
    `year`; flat when there are none. One query."""
    rows = (
        Candidate.objects.filter(
            year__lt=year, year__gte=year - HISTORY_YEARS, result__in=Result.examined(), exam_date__isnull=False
        )
        .annotate(month=ExtractMonth("exam_date"))
        .values("year", "month")
        .annotate(n=Count("line_id"))
        .order_by()
    )
    by_month: dict[int, int] = {}
    years = set()
    for row in rows:
        by_month[row["month"]] = by_month.get(row["month"], 0) + row["n"]
        years.add(row["year"])
    return forecast.learnt(by_month, tuple(years))


def scheduled(year: int, day: date) -> dict[int, int]:
    """Institution id → candidates registered with an exam date after `day`. One query."""
    rows = (
        Candidate.objects.filter(year=year, result=Result.REGISTERED, exam_date__gt=day)
        .values("line__plan__institution_id")
        .annotate(n=Count("line_id"))
        .order_by()
    )
    return {row["line__plan__institution_id"]: row["n"] for row in rows}


def period(year: int, day: date) -> tuple[int, date]:
    """The checkpoint month a forecast made on `day` belongs to, and the day it speaks of (the year's last
    day once the year is over)."""
    if day.year > year:
        return 12, date(year, 12, 31)
    if day.year < year:
        return 2, date(year, 1, 1)
    return next_checkpoint(day)[1] if next_checkpoint(day)[0] == year else 12, day


def paces(year: int, day: date, profile: forecast.Profile) -> tuple[Fraction, dict[int, int]]:
    """The profile's share since the last checkpoint taken before `day`, and each institution's counted
    examined at it (empty without one). Two queries."""
    last = Checkpoint.objects.filter(year=year, month__lt=day.month).order_by("-month").first()
    if last is None:
        return Fraction(0), {}
    since = forecast.elapsed(profile, day) - forecast.elapsed(profile, checkpoint_date(year, last.month))
    rows = InstitutionSnapshot.objects.filter(checkpoint=last).values_list("institution_id", "counted")
    return since, dict(rows)


def rollups(year: int) -> list[InstitutionProgress]:
    """Every institution's rollup of `year`, and an empty one for each institution with approved lines and no
    rollup yet (nothing typed or imported: it is the one most at risk). Two queries."""
    found = list(InstitutionProgress.objects.filter(year=year, approved__gt=0).select_related("institution__bureau"))
    missing = (
        approved_lines(year)
        .exclude(plan__institution_id__in=[p.institution_id for p in found])
        .values("plan__institution_id")
        .annotate(approved=Sum("approved_headcount"))
        .order_by()
    )
    institutions = Institution.objects.select_related("bureau").in_bulk(
        [row["plan__institution_id"] for row in missing]
    )
    for row in missing:
        institution = institutions[row["plan__institution_id"]]
        found.append(InstitutionProgress(institution=institution, year=year, approved=row["approved"]))
    return found


@dataclass(frozen=True)
class Place:
    """An institution's counts a forecast starts from."""

    institution_id: int
    bureau_id: int
    kind: str
    approved: int
    counted: int


def standing_on(year: int, day: date, *, today: date) -> list[Place]:
    """The live rollups from `today` on; for a day past, the figures as they stood at its end (monitoring.asof), so
    that a forecast made late for a checkpoint equals the one made on its day."""
    if day >= today:
        return [
            Place(
                p.institution_id, p.institution.bureau_id, p.institution.kind, p.approved, p.figures.toward_completion
            )
            for p in rollups(year)
        ]
    found = figures_at(year, day)
    return [Place(pk, *found.places[pk], s.approved, s.counted) for pk, s in sorted(found.institutions.items())]


def compute(year: int, day: date, *, today: date) -> list[tuple[Place, forecast.Forecast, int]]:
    """Every institution with approved lines in `year`: (its counts, its forecast on `day`, scheduled)."""
    profile = profile_for(year)
    share = forecast.elapsed(profile, min(day, date(year, 12, 31))) if day.year >= year else Fraction(0)
    ahead = scheduled(year, day)
    since, before = paces(year, day, profile)
    found = []
    for place in standing_on(year, day, today=today):
        pace = None
        if place.institution_id in before and since > 0:
            pace = forecast.Pace(max(0, place.counted - before[place.institution_id]), since)
        projected = forecast.project(
            approved=place.approved,
            examined=place.counted,
            share=share,
            scheduled=ahead.get(place.institution_id, 0),
            pace=pace,
            flat_profile=profile.is_flat,
        )
        found.append((place, projected, ahead.get(place.institution_id, 0)))
    return found


def refresh(year: int, *, day: date | None = None) -> int:
    """Compute and store the forecasts of `year` as of `day` (today) under the current threshold, replacing the
    period's rows. Safe to run twice: the second run writes the same rows. Returns how many were stored."""
    today = local_today(timezone.now())
    month, as_of = period(year, day or today)
    threshold = ProvinceSettings.current().cap_completion_threshold
    now = timezone.now()
    rows = [
        _row(year, month, as_of, progress, projected, ahead, threshold, now)
        for progress, projected, ahead in compute(year, as_of, today=today)
    ]
    with transaction.atomic():
        InstitutionForecast.objects.filter(year=year, month=month).delete()
        InstitutionForecast.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _row(year, month, as_of, progress: Place, projected, ahead, threshold: Decimal, now) -> InstitutionForecast:
    return InstitutionForecast(
        year=year,
        month=month,
        institution_id=progress.institution_id,
        bureau_id=progress.bureau_id,
        kind=progress.kind,
        approved=projected.approved,
        examined=projected.examined,
        scheduled=ahead,
        expected=projected.expected,
        low=projected.low,
        high=projected.high,
        elapsed=share_column(projected.elapsed),
        flat_profile=projected.flat_profile,
        threshold=threshold,
        at_risk=projected.at_risk(threshold),
        still_needed=projected.still_needed(threshold),
        as_of=as_of,
        computed_at=now,
    )


def latest(year: int, month: int | None = None):
    """The stored forecasts of `year` from the latest period computed, or from checkpoint `month`'s (an empty
    queryset before any)."""
    stored = InstitutionForecast.objects.filter(year=year)
    if month is None:
        month = stored.order_by("-month").values_list("month", flat=True).first()
    return stored.filter(month=month or 0)


def months_stored(year: int) -> list[int]:
    return list(
        InstitutionForecast.objects.filter(year=year).values_list("month", flat=True).distinct().order_by("month")
    )
