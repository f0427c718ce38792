"""Rates, standings and the checkpoint calendar (DOMAIN.md §10). Pure: no database.

Rates are exact percentages (Decimal quotients); people read them rounded half up to one
decimal through core.numbers.percent, on every page and in every export. Where a rate is
stored (the year-end close, InstitutionYear), it is cut to six decimals, which keeps every
comparison with a threshold of up to six decimals the same as the exact fraction's. Standings
compare exact fractions.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from monitoring.enums import Standing

CHECKPOINT_MONTHS = (2, 4, 6, 8, 10, 12)
STORED = Decimal("0.000001")
HUNDRED = Decimal(100)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator in %, exact; None when there is nothing to divide by."""
    if not denominator:
        return None
    return Decimal(numerator) * HUNDRED / Decimal(denominator)


def stored(value: Decimal | None) -> Decimal | None:
    """A rate as a six-decimal column keeps it: cut, so that it is below a threshold exactly when the rate is."""
    return None if value is None else value.quantize(STORED, rounding=ROUND_DOWN)


def capped_examined(*, examined: int, approved: int) -> int:
    """What a line's examined count adds to completion: at most its approved headcount, so that no line
    counts more than 100 % (3,053 examined on a line approved for 60 count 60). Every completion used for
    standings, warnings and caps sums this per line; rollups store the sum (`counted`, see rollups.COUNTED)."""
    return max(0, min(examined, approved))


def standing(*, examined: int, approved: int, target: Decimal) -> Standing | None:
    """On track at or above the target, slow below it, serious below half of it; None without a plan.
    `examined` is the counted figure (see `capped_examined`)."""
    if approved <= 0:
        return None
    done = Decimal(examined) * HUNDRED
    wanted = Decimal(target) * approved
    if done * 2 < wanted:
        return Standing.SERIOUS
    if done < wanted:
        return Standing.SLOW
    return Standing.ON_TRACK


def expected_examined(*, approved: int, target: Decimal) -> int:
    """The fewest examined candidates that meet `target` % of `approved` (rounded up)."""
    wanted = Decimal(target) * approved
    whole = int(wanted // HUNDRED)
    return whole if whole * HUNDRED >= wanted else whole + 1


@dataclass(frozen=True)
class Figures:
    """Approved (planned) headcount and progress of anything: a line, an institution, a bureau, the province.

    `counted` is the examined figure summed line by line with each line capped at its approved headcount
    (`capped_examined`); None for one line, where it follows from the line's own figures."""

    approved: int = 0
    registered: int = 0
    examined: int = 0
    passed: int = 0
    counted: int | None = field(default=None, compare=False)

    @property
    def toward_completion(self) -> int:
        return capped_examined(examined=self.examined, approved=self.approved) if self.counted is None else self.counted

    @property
    def completion(self) -> Decimal | None:
        return rate(self.toward_completion, self.approved)

    @property
    def participation(self) -> Decimal | None:
        return rate(self.examined, self.registered)

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.examined)

    def standing(self, target: Decimal) -> Standing | None:
        return standing(examined=self.toward_completion, approved=self.approved, target=target)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            approved=self.approved + other.approved,
            registered=self.registered + other.registered,
            examined=self.examined + other.examined,
            passed=self.passed + other.passed,
            counted=self.toward_completion + other.toward_completion,
        )

    @classmethod
    def of(cls, row) -> Figures:
        """From a dict or an object with the four counts (None counts as 0) and, if it has it, `counted`."""
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name, None)
        approved, registered, examined, passed = (
            int(get(name) or 0) for name in ("approved", "registered", "examined", "passed")
        )
        found = get("counted")
        return cls(approved, registered, examined, passed, counted=None if found is None else int(found))


# ---------------------------------------------------------------- checkpoints


def parse_targets(text: str) -> dict[int, Decimal]:
    """'0,10,30,45,65,90' → {2: 0, 4: 10, …, 12: 90}; a short list repeats its last value."""
    values = [Decimal(part.strip()) for part in text.split(",") if part.strip()] or [Decimal(0)]
    values += [values[-1]] * (len(CHECKPOINT_MONTHS) - len(values))
    return dict(zip(CHECKPOINT_MONTHS, values[: len(CHECKPOINT_MONTHS)], strict=True))


def checkpoint_date(year: int, month: int) -> date:
    """The last day of the checkpoint's month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def is_due(year: int, month: int, *, today: date) -> bool:
    """A checkpoint may be taken from the last day of its month on."""
    return month in CHECKPOINT_MONTHS and today >= checkpoint_date(year, month)


def last_checkpoint(today: date) -> tuple[int, int]:
    """The latest checkpoint whose last day has come (December of last year in January)."""
    months = [m for m in CHECKPOINT_MONTHS if checkpoint_date(today.year, m) <= today]
    return (today.year, months[-1]) if months else (today.year - 1, 12)


def next_checkpoint(today: date) -> tuple[int, int]:
    """The first checkpoint whose last day is still ahead (or is today)."""
    for month in CHECKPOINT_MONTHS:
        if checkpoint_date(today.year, month) >= today:
            return today.year, month
    return today.year + 1, CHECKPOINT_MONTHS[0]
