"""Year-end completion forecasts (issue 20). Pure: no database.

A forecast projects the examined count of one line, institution, bureau or the province to the end of the year:
- the seasonal profile says which share of a year's exams falls in each month (learnt from earlier years'
  candidates, flat without history); `elapsed` is the share of the year's exams held by a day;
- at the year's own pace, what is examined so far is `elapsed` of the year: the rest is examined × (1 − e) / e;
  when the pace since the last checkpoint is known, the rest is the mean of that and the same projection of the
  recent pace;
- candidates registered with an exam date still ahead are at least the rest;
- the range widens with the share of the year still ahead.
Fractions keep the arithmetic exact, so that the tests can be computed by hand; people read whole candidates and
rates rounded through core.numbers.percent. Completion counts at most the approved headcount (100 %).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from core.numbers import percent
from monitoring.rates import expected_examined, rate

MONTHS = tuple(range(1, 13))
ONE = Fraction(1)


@dataclass(frozen=True)
class Profile:
    """The share of a year's exams held in each month (twelve shares summing to 1), and the years it was learnt
    from (none: the flat profile)."""

    shares: tuple[Fraction, ...]
    years: tuple[int, ...] = ()

    @property
    def is_flat(self) -> bool:
        return not self.years


def flat() -> Profile:
    return Profile(tuple(Fraction(1, 12) for _ in MONTHS))


def learnt(exams_by_month: Mapping[int, int], years: tuple[int, ...] = ()) -> Profile:
    """The profile of `exams_by_month` ({month: exams held}); flat when it holds no exam."""
    total = sum(exams_by_month.get(m, 0) for m in MONTHS)
    if total <= 0:
        return flat()
    return Profile(tuple(Fraction(exams_by_month.get(m, 0), total) for m in MONTHS), tuple(sorted(years)))


def elapsed(profile: Profile, day: date) -> Fraction:
    """The share of the year's exams held by the end of `day`: the months before it, and its month pro rata."""
    before = sum(profile.shares[: day.month - 1], Fraction(0))
    days = calendar.monthrange(day.year, day.month)[1]
    return before + profile.shares[day.month - 1] * Fraction(day.day, days)


def half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


@dataclass(frozen=True)
class Forecast:
    """What the year end will bring: `expected` examined (`low`–`high`) of `approved`, `examined` so far.
    `elapsed` is None when nothing can be said yet (the profile has held no exam by now)."""

    approved: int = 0
    examined: int = 0
    expected: int = 0
    low: int = 0
    high: int = 0
    elapsed: Fraction | None = ONE
    flat_profile: bool = True

    def toward(self, value: int) -> int:
        return max(0, min(value, self.approved))

    @property
    def known(self) -> bool:
        return self.elapsed is not None and self.approved > 0

    @property
    def rate(self) -> Decimal | None:
        return rate(self.toward(self.expected), self.approved) if self.known else None

    @property
    def rate_low(self) -> Decimal | None:
        return rate(self.toward(self.low), self.approved) if self.known else None

    @property
    def rate_high(self) -> Decimal | None:
        return rate(self.toward(self.high), self.approved) if self.known else None

    def at_risk(self, threshold: Decimal) -> bool:
        """预计未达标: the expected completion is below the R3 threshold."""
        found = self.rate
        return found is not None and found < threshold

    def still_needed(self, threshold: Decimal) -> int:
        """Candidates still to examine to reach the threshold by the year end."""
        return max(0, expected_examined(approved=self.approved, target=threshold) - self.examined)

    def __add__(self, other: Forecast) -> Forecast:
        """Sums for a bureau or the province: each part counts at most its approved headcount."""
        shares = [f.elapsed for f in (self, other) if f.approved]
        held = [share for share in shares if share is not None]
        return Forecast(
            approved=self.approved + other.approved,
            examined=self.toward(self.examined) + other.toward(other.examined),
            expected=self.toward(self.expected) + other.toward(other.expected),
            low=self.toward(self.low) + other.toward(other.low),
            high=self.toward(self.high) + other.toward(other.high),
            elapsed=None if len(held) < len(shares) else max(held, default=ONE),
            flat_profile=self.flat_profile and other.flat_profile,
        )


@dataclass(frozen=True)
class Pace:
    """Examined since the last checkpoint, and the profile's share of the year between it and now."""

    examined: int
    share: Fraction


def rest_of_year(*, examined: int, share: Fraction, pace: Pace | None) -> Fraction | None:
    """The exams still to come at the year's own pace; None when the profile has held none by now."""
    if share <= 0:
        return None
    ahead = ONE - share
    rest = Fraction(examined) * ahead / share
    if pace is not None and pace.share > 0:
        rest = (rest + Fraction(pace.examined) * ahead / pace.share) / 2
    return rest


def spread(share: Fraction) -> Fraction:
    """The relative width of the range around the rest: 10 % at the year end, 30 % at its start."""
    return Fraction(1, 10) + (ONE - share) / 5


def project(
    *,
    approved: int,
    examined: int,
    share: Fraction,
    scheduled: int = 0,
    pace: Pace | None = None,
    flat_profile: bool = True,
) -> Forecast:
    """The forecast of one line or institution: `examined` (counted) so far, `share` of the year's exams held,
    `scheduled` candidates registered with an exam date still ahead."""
    if share >= 1:
        return Forecast(approved, examined, examined, examined, examined, ONE, flat_profile)
    rest = rest_of_year(examined=examined, share=share, pace=pace)
    if rest is None:
        floor = examined + scheduled
        return Forecast(approved, examined, floor, floor, max(approved, floor), None, flat_profile)
    rest = max(rest, Fraction(scheduled))
    width = spread(share)
    return Forecast(
        approved=approved,
        examined=examined,
        expected=examined + half_up(rest),
        low=examined + max(scheduled, half_up(rest * (1 - width))),
        high=examined + half_up(rest * (1 + width)),
        elapsed=share,
        flat_profile=flat_profile,
    )


def explain(forecast: Forecast) -> str:
    """The forecast in one sentence, with the figures it came from."""
    figures = {
        "examined": forecast.examined,
        "expected": forecast.expected,
        "low": forecast.low,
        "high": forecast.high,
        "rate": percent(forecast.rate),
        "rate_low": percent(forecast.rate_low),
        "rate_high": percent(forecast.rate_high),
    }
    if forecast.approved <= 0:
        return _("No approved headcount: nothing to forecast.")
    if forecast.elapsed is None:
        return _("%(examined)s examined so far; in past years no exams were held by now, so no forecast yet.") % figures
    if forecast.elapsed >= 1:
        return _("The year is over: %(examined)s examined, completion %(rate)s.") % figures
    if forecast.flat_profile:
        return (
            _(
                "%(examined)s examined so far; at an even pace over the year about %(expected)s are expected by the "
                "year end (%(low)s–%(high)s), completion about %(rate)s (%(rate_low)s–%(rate_high)s)."
            )
            % figures
        )
    return (
        _(
            "%(examined)s examined so far; at the pace of past years about %(expected)s are expected by the year end "
            "(%(low)s–%(high)s), completion about %(rate)s (%(rate_low)s–%(rate_high)s)."
        )
        % figures
    )
