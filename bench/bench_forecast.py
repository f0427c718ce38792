"""Backtest of the year-end forecast (issue 20 item 4) on the imported candidates of past years.

For each past year with candidates (exam dates known), at each checkpoint (end of Feb … Oct) the forecast is made
from the figures as they stood that day (monitoring.asof), the profile learnt from the years before it (flat when
there are none) and the pace since the previous checkpoint; it is compared with the year-end rate. Prints the mean
absolute error in percentage points by checkpoint month (with the flat profile beside it), and the share of
institutions whose cap status (below the R3 threshold or not) was forecast right. Registered candidates with a
future exam date are not used: the history does not say when they registered. Read only; nothing is asserted.

Prints which data it used (the database, the years, institutions and candidates, and whether they are the demo's
illustrative 示例 rows).

    .venv/bin/python bench/bench_forecast.py            # the database of DATABASE_URL (SQLite by default)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")


@dataclass
class Score:
    errors: list[Decimal] = field(default_factory=list)
    flat_errors: list[Decimal] = field(default_factory=list)
    right: int = 0
    judged: int = 0
    unknown: int = 0


def mean(values: list[Decimal]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else "–"


def actual_rates(year: int) -> dict[int, Decimal]:
    from datetime import date

    from monitoring.asof import figures_at
    from monitoring.rates import rate

    found = figures_at(year, date(year, 12, 31)).institutions
    return {pk: r for pk, s in found.items() if (r := rate(s.counted, s.approved)) is not None}


def forecasts_at(year: int, month: int, profile) -> dict[int, Decimal | None]:
    from monitoring.asof import figures_at
    from monitoring.forecast import Pace, elapsed, project
    from monitoring.rates import checkpoint_date

    day = checkpoint_date(year, month)
    now = figures_at(year, day).institutions
    before, since = {}, None
    if month > 2:
        earlier = checkpoint_date(year, month - 2)
        before = figures_at(year, earlier).institutions
        since = elapsed(profile, day) - elapsed(profile, earlier)
    share = elapsed(profile, day)
    found = {}
    for pk, sums in now.items():
        pace = Pace(max(0, sums.counted - before[pk].counted), since) if since and pk in before else None
        forecast = project(approved=sums.approved, examined=sums.counted, share=share, pace=pace)
        found[pk] = forecast.rate
    return found


def backtest(year: int, threshold: Decimal) -> dict[int, Score]:
    from monitoring.forecast import flat
    from monitoring.forecasting import profile_for

    profile = profile_for(year)
    actual = actual_rates(year)
    scores = {}
    for month in (2, 4, 6, 8, 10):
        score = scores.setdefault(month, Score())
        learnt, even = forecasts_at(year, month, profile), forecasts_at(year, month, flat())
        for pk, real in actual.items():
            guess = learnt.get(pk)
            if guess is None:
                score.unknown += 1
                continue
            score.errors.append(abs(guess - real))
            if even.get(pk) is not None:
                score.flat_errors.append(abs(even[pk] - real))
            score.judged += 1
            score.right += (guess < threshold) == (real < threshold)
    return scores


def describe_data(years: list[int]) -> None:
    from django.db import connection

    from monitoring.forecasting import profile_for
    from monitoring.models import Candidate

    print(f"Data: database {connection.settings_dict['NAME']} ({connection.vendor})")
    for year in years:
        rows = Candidate.objects.filter(year=year)
        demo = rows.filter(name_masked__startswith="示例").count()
        institutions = rows.values("line__plan__institution_id").distinct().count()
        kind = "illustrative demo data (示例)" if demo == rows.count() else f"{demo} of them marked 示例"
        profile = profile_for(year)
        learnt = f"profile learnt from {list(profile.years)}" if profile.years else "flat profile (no earlier year)"
        print(f"  {year}: {rows.count()} candidates, {institutions} institutions, {kind}; {learnt}")


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from core.models import ProvinceSettings
    from monitoring.models import Candidate

    this_year = timezone.localdate().year
    years = sorted(
        set(Candidate.objects.filter(year__lt=this_year, exam_date__isnull=False).values_list("year", flat=True))
    )
    if not years:
        print("No past year with imported candidates: load the demo (manage.py load_demo) or import some.")
        return
    threshold = ProvinceSettings.current().cap_completion_threshold
    describe_data(years)
    print(f"R3 threshold: {threshold}%\n")
    print("year  month  institutions  MAE (pp)  MAE flat (pp)  cap status right  no forecast")
    for year in years:
        for month, score in backtest(year, threshold).items():
            share = f"{100 * score.right / score.judged:.0f}%" if score.judged else "–"
            print(
                f"{year}  {month:>5}  {score.judged:>12}  {mean(score.errors):>8}  {mean(score.flat_errors):>13}"
                f"  {share:>16}  {score.unknown:>11}"
            )


if __name__ == "__main__":
    main()
