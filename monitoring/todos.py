"""Early warnings on the home page (预计未达标): an institution's own forecast below the R3 threshold, and for a
bureau or the office how many of the institutions they see are expected to miss it."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import local_today
from core.numbers import percent
from core.todos import Todo
from monitoring import outlook


def forecast_todos(user, *, at: datetime) -> list[Todo]:
    year = local_today(at).year
    if user.institution_id:
        row = outlook.at_risk(user, year).first()
        if row is None:
            return []
        text = _(
            "Expected to miss the threshold: completion about %(rate)s at the year end; %(n)s more to examine in "
            "%(months)s months"
        ) % {"rate": percent(row.forecast.rate), "n": row.still_needed, "months": row.months_left}
        return [Todo(text=text, url=reverse("monitoring:institution", args=[row.institution_id]) + f"?year={year}")]
    if not (user.bureau_id or user.sees_everything):
        return []
    count = outlook.at_risk(user, year).count()
    if not count:
        return []
    text = ngettext(
        "%(n)s institution is expected to miss the threshold this year",
        "%(n)s institutions are expected to miss the threshold this year",
        count,
    ) % {"n": count}
    return [Todo(text=text, url=reverse("monitoring:forecasts") + f"?year={year}&risk=1")]
