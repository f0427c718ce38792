"""What the forecast pages, the home page and the 通报 read: the stored forecasts, scoped to the user, summed by
bureau and over the province, and the at-risk list (预计未达标). A fixed number of queries however many rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce, Least

from core.models import ProvinceSettings
from core.numbers import percent
from monitoring import forecast as forecast_math
from monitoring import forecasting
from monitoring.forecast import Forecast, explain, project
from monitoring.forecast_rows import InstitutionForecast

CAPPED_SUMS = {
    "approved_sum": Coalesce(Sum("approved"), 0),
    "examined_sum": Coalesce(Sum(Least(F("examined"), F("approved"))), 0),
    "expected_sum": Coalesce(Sum(Least(F("expected"), F("approved"))), 0),
    "low_sum": Coalesce(Sum(Least(F("low"), F("approved"))), 0),
    "high_sum": Coalesce(Sum(Least(F("high"), F("approved"))), 0),
    "elapsed_max": Max("elapsed"),
    "unknown": Count("id", filter=Q(elapsed__isnull=True)),
    "learnt": Count("id", filter=Q(flat_profile=False)),
    "at_risk_count": Count("id", filter=Q(at_risk=True)),
    "institutions": Count("id"),
}


def summed(row: dict) -> Forecast:
    known = row["elapsed_max"] is not None and not row["unknown"]
    return Forecast(
        approved=row["approved_sum"],
        examined=row["examined_sum"],
        expected=row["expected_sum"],
        low=row["low_sum"],
        high=row["high_sum"],
        elapsed=Fraction(row["elapsed_max"]) if known else None,
        flat_profile=not row["learnt"],
    )


@dataclass
class Group:
    name: str
    forecast: Forecast
    institutions: int
    at_risk: int

    @property
    def sentence(self) -> str:
        return explain(self.forecast)


@dataclass
class Outlook:
    year: int
    threshold: Decimal
    province: Group
    bureaus: list[Group]
    rows: list[InstitutionForecast]
    total: int

    @property
    def as_of(self):
        return self.rows[0].as_of if self.rows else None


def rows_for(user, year: int, month: int | None = None):
    return forecasting.latest(year, month).for_user(user)


def outlook(
    user, year: int, *, month: int | None = None, at_risk_only: bool = False, window: slice | None = None
) -> Outlook:
    """The year's forecasts the user may see (the latest, or those made at checkpoint `month`): the province
    (their scope) summed, by bureau, and the rows."""
    rows = rows_for(user, year, month)
    province_row = rows.aggregate(**CAPPED_SUMS)
    bureaus = [
        Group(r["bureau__name"], summed(r), r["institutions"], r["at_risk_count"])
        for r in rows.values("bureau_id", "bureau__name").annotate(**CAPPED_SUMS).order_by("bureau_id")
    ]
    listed = rows.filter(at_risk=True) if at_risk_only else rows
    listed = listed.select_related("institution", "bureau").order_by("-at_risk", "bureau_id", "institution__name")
    total = province_row["at_risk_count"] if at_risk_only else province_row["institutions"]
    return Outlook(
        year=year,
        threshold=ProvinceSettings.current().cap_completion_threshold,
        province=Group("", summed(province_row), province_row["institutions"], province_row["at_risk_count"]),
        bureaus=bureaus,
        rows=list(listed[window] if window is not None else listed),
        total=total,
    )


def institution_forecast(institution_id: int, year: int) -> InstitutionForecast | None:
    return forecasting.latest(year).filter(institution_id=institution_id).first()


def at_risk(user, year: int):
    """The at-risk rows the user may see, with their institution and bureau (the 通报 and the home page)."""
    return (
        rows_for(user, year)
        .filter(at_risk=True)
        .select_related("institution", "bureau")
        .order_by("bureau_id", "institution__name")
    )


def with_line_forecasts(lines: list, year: int, *, today) -> None:
    """Give each approved line (with its `figures`) its forecast from its figures now and the share of the year's
    exams held by today (the profile: one query)."""
    profile = forecasting.profile_for(year)
    share = forecast_math.elapsed(profile, min(today, date(year, 12, 31))) if today.year >= year else Fraction(0)
    for line in lines:
        line.forecast = project(
            approved=line.figures.approved,
            examined=line.figures.toward_completion,
            share=share,
            flat_profile=profile.is_flat,
        )


def bulletin_paragraph(user, year: int) -> str:
    """The 通报's paragraph on the institutions expected to miss the threshold, in Chinese whatever the screen
    language (the document's language); empty without forecasts."""
    rows = list(at_risk(user, year))
    threshold = f"{ProvinceSettings.current().cap_completion_threshold.normalize():f}"
    if not forecasting.latest(year).exists():
        return ""
    if not rows:
        return f"四、年底完成率预测。按当前进度预测，全省院校年底考核完成率均可达到{threshold}%。"
    named = "；".join(
        f"{row.bureau.name}{row.institution.name}（预计约{percent(row.forecast.rate)}，还需考核{row.still_needed}人）"
        for row in rows
    )
    return (
        f"四、年底完成率预测。按当前进度预测，共有{len(rows)}所院校年底考核完成率预计低于{threshold}%（预计未达标）："
        f"{named}。请上述院校在剩余{rows[0].months_left}个月内加快组织考核。"
    )
