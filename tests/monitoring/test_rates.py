from datetime import date
from decimal import Decimal

import pytest

from monitoring.enums import Standing
from monitoring.rates import (
    Figures,
    checkpoint_date,
    expected_examined,
    is_due,
    last_checkpoint,
    next_checkpoint,
    parse_targets,
    rate,
    standing,
    stored,
)


@pytest.mark.parametrize(
    ("examined", "expected"),
    [
        (30, Standing.ON_TRACK),  # exactly the target
        (29, Standing.SLOW),  # one below
        (15, Standing.SLOW),  # exactly half the target is slow, not serious
        (14, Standing.SERIOUS),  # below half
        (0, Standing.SERIOUS),
        (130, Standing.ON_TRACK),
    ],
)
def test_standing_at_the_target_boundaries(examined, expected):
    assert standing(examined=examined, approved=100, target=Decimal(30)) == expected


def test_standing_boundaries_with_a_target_that_does_not_divide():
    # 45 % of 7 = 3.15: 4 examined meet it, 3 do not; half is 1.575: 2 is slow, 1 is serious.
    assert [standing(examined=n, approved=7, target=Decimal(45)) for n in (4, 3, 2, 1)] == [
        Standing.ON_TRACK,
        Standing.SLOW,
        Standing.SLOW,
        Standing.SERIOUS,
    ]


def test_standing_with_a_zero_target_is_on_track_and_without_a_plan_is_none():
    assert standing(examined=0, approved=50, target=Decimal(0)) == Standing.ON_TRACK
    assert standing(examined=0, approved=0, target=Decimal(30)) is None


def test_rate_is_exact_and_none_without_a_denominator():
    assert rate(2999, 10000) == Decimal("29.99")
    assert rate(1, 3) == Decimal(100) / 3
    assert rate(5, 0) is None


def test_stored_rate_is_cut_so_a_threshold_compares_as_the_exact_rate():
    # 49.99999997 % would round to 50.000000 and escape a 50 % cap; cut, it stays below.
    assert stored(rate(4999999997, 10**10)) == Decimal("49.999999")
    assert stored(rate(1, 2)) == Decimal("50.000000")
    assert stored(None) is None


def test_figures_rates_follow_domain_definitions():
    figures = Figures(approved=200, registered=150, examined=120, passed=90)

    assert (figures.completion, figures.participation, figures.pass_rate) == (
        Decimal("60.0"),
        Decimal("80.0"),
        Decimal("75.0"),
    )
    assert figures + Figures(1, 2, 3, 4) == Figures(201, 152, 123, 94)


def test_expected_examined_rounds_up():
    assert expected_examined(approved=7, target=Decimal(45)) == 4
    assert expected_examined(approved=100, target=Decimal(30)) == 30
    assert expected_examined(approved=0, target=Decimal(90)) == 0


def test_parse_targets_reads_the_setting():
    assert parse_targets("0,10,30,45,65,90") == {
        2: Decimal(0),
        4: Decimal(10),
        6: Decimal(30),
        8: Decimal(45),
        10: Decimal(65),
        12: Decimal(90),
    }
    assert parse_targets("5, 50")[12] == Decimal(50)


def test_checkpoint_calendar():
    assert checkpoint_date(2028, 2) == date(2028, 2, 29)
    assert (is_due(2027, 4, today=date(2027, 4, 29)), is_due(2027, 4, today=date(2027, 4, 30))) == (False, True)
    assert is_due(2027, 5, today=date(2027, 12, 31)) is False
    assert last_checkpoint(date(2027, 1, 15)) == (2026, 12)
    assert last_checkpoint(date(2027, 6, 30)) == (2027, 6)
    assert last_checkpoint(date(2027, 7, 1)) == (2027, 6)
    assert next_checkpoint(date(2027, 7, 1)) == (2027, 8)
    assert next_checkpoint(date(2027, 12, 31)) == (2027, 12)
    assert next_checkpoint(date(2027, 12, 31).replace(day=31, month=12)) == (2027, 12)
