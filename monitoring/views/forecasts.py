"""The year-end forecast page (every role, scoped): the province or bureau summed, by bureau, the institutions with
the at-risk ones (预计未达标) first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.numbers import round_half_up
from monitoring import forecasting, outlook
from monitoring.rates import CHECKPOINT_MONTHS
from monitoring.views.common import year_from

PER_PAGE = 100
CHART_LABELS = {
    "rate": _("expected completion (%)"),
    "low": _("low end of the range"),
    "high": _("high end of the range"),
    "threshold": _("threshold"),
    "at_risk": _("at risk"),
    "empty": _("No figures yet."),
}


def chart_rows(found: outlook.Outlook) -> list[dict]:
    """The bureaus' forecast completion and its range, for the chart."""
    return [
        {
            "label": group.name,
            "rate": _number(group.forecast.rate),
            "low": _number(group.forecast.rate_low),
            "high": _number(group.forecast.rate_high),
            "at_risk": group.at_risk,
        }
        for group in found.bureaus
    ]


def _number(value) -> float | None:
    shown = round_half_up(value)
    return None if shown is None else float(shown)


@login_required
@require_GET
def forecasts(request):
    year = year_from(request)
    risk_only = request.GET.get("risk") == "1"
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    window = slice((number - 1) * PER_PAGE, number * PER_PAGE)
    month = request.GET.get("month", "")
    month = int(month) if month.isdigit() and int(month) in CHECKPOINT_MONTHS else None
    found = outlook.outlook(request.user, year, month=month, at_risk_only=risk_only, window=window)
    return render(
        request,
        "monitoring/forecasts.html",
        {
            "year": year,
            "outlook": found,
            "risk_only": risk_only,
            "month": month,
            "months": forecasting.months_stored(year),
            "page": number,
            "pages": max((found.total - 1) // PER_PAGE + 1, 1),
            "chart": {"rows": chart_rows(found), "threshold": float(found.threshold)},
            "chart_labels": CHART_LABELS,
        },
    )
