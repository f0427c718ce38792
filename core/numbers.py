"""How a rate is shown: rounded half up to one decimal on every page and in every export.

Rates are kept exact (or cut, never rounded, where a column has a fixed number of decimals) so
that a comparison with a threshold gives the same answer as the exact fraction; only what a
person reads is rounded, here and nowhere else.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

TENTH = Decimal("0.1")


@overload
def round_half_up(value: Decimal | float, places: Decimal = TENTH) -> Decimal: ...
@overload
def round_half_up(value: object, places: Decimal = TENTH) -> Decimal | None: ...
def round_half_up(value, places: Decimal = TENTH) -> Decimal | None:
    """40/45 = 88.888… → 88.9; 88.85 → 88.9 (half up, never to even); None stays None."""
    if value is None or value == "":
        return None
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(places, rounding=ROUND_HALF_UP)


def percent(value, empty: str = "–") -> str:
    """A rate in % as a person reads it: '88.9%', or `empty` when there is none."""
    shown = round_half_up(value)
    return empty if shown is None else f"{shown}%"
