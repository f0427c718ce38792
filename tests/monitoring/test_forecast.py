"""The forecast's arithmetic on cases computed by hand (monitoring/forecast.py, no database)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils import translation

from monitoring import forecast
from monitoring.forecast import Forecast, Pace, elapsed, explain, flat, learnt, project

FIFTY = Decimal(50)
JUNE_AND_DECEMBER = learnt({6: 50, 12: 50}, (2025, 2026))


def test_forecast_flat_profile_without_history_halfway_doubles_what_is_examined():
    share = elapsed(flat(), date(2027, 6, 30))  # 6 of 12 even months

    found = project(approved=500, examined=120, share=share)

    assert share == Fraction(1, 2)
    # rest 120 × (1/2) / (1/2) = 120; range ±(1/10 + (1/2)/5) = ±20 % of the rest: 96 … 144
    assert (found.expected, found.low, found.high) == (240, 216, 264)
    assert (found.rate, found.rate_low, found.rate_high) == (Decimal(48), Decimal("43.2"), Decimal("52.8"))
    assert found.at_risk(FIFTY) is True
    assert found.still_needed(FIFTY) == 130  # 250 of 500, 120 examined


def test_forecast_flat_profile_counts_the_days_of_the_current_month():
    assert elapsed(flat(), date(2027, 2, 14)) == Fraction(1, 12) + Fraction(1, 12) * Fraction(14, 28)


def test_forecast_profile_with_exams_in_june_and_december_only():
    assert JUNE_AND_DECEMBER.shares[5] == JUNE_AND_DECEMBER.shares[11] == Fraction(1, 2)
    assert elapsed(JUNE_AND_DECEMBER, date(2027, 4, 30)) == 0
    assert elapsed(JUNE_AND_DECEMBER, date(2027, 10, 31)) == Fraction(1, 2)
    assert elapsed(JUNE_AND_DECEMBER, date(2027, 12, 15)) == Fraction(1, 2) + Fraction(1, 2) * Fraction(15, 31)

    october = project(approved=200, examined=60, share=Fraction(1, 2), flat_profile=False)

    assert (october.expected, october.low, october.high) == (120, 108, 132)
    assert october.rate == Decimal(60)
    assert october.at_risk(FIFTY) is False


def test_forecast_before_the_profiles_first_exams_says_nothing_and_marks_no_one():
    april = project(approved=200, examined=0, share=Fraction(0), scheduled=30, flat_profile=False)

    assert april.rate is None
    assert (april.expected, april.low, april.high) == (30, 30, 200)
    assert april.at_risk(FIFTY) is False


def test_forecast_above_100_percent_counts_at_most_the_approved_headcount():
    found = project(approved=100, examined=90, share=Fraction(1, 2))

    assert found.expected == 180
    assert found.rate == found.rate_low == found.rate_high == Decimal(100)
    assert found.still_needed(FIFTY) == 0


def test_forecast_without_registered_candidates_expects_none_unless_scheduled():
    nobody = project(approved=80, examined=0, share=Fraction(1, 2))
    scheduled = project(approved=80, examined=0, share=Fraction(1, 2), scheduled=30)

    assert (nobody.expected, nobody.rate, nobody.at_risk(FIFTY), nobody.still_needed(FIFTY)) == (0, 0, True, 40)
    # the 30 with an exam date ahead are the floor of the rest: 30, low 30, high 30 × 1.2 = 36
    assert (scheduled.expected, scheduled.low, scheduled.high) == (30, 30, 36)
    assert scheduled.rate == Decimal("37.5")


def test_forecast_without_approved_headcount_has_no_rate():
    assert project(approved=0, examined=0, share=Fraction(1, 2)).rate is None


def test_forecast_blends_the_pace_since_the_last_checkpoint():
    # End of October on the flat profile (5/6 held); 200 examined at the end of August (2/3), 300 now.
    found = project(approved=600, examined=300, share=Fraction(5, 6), pace=Pace(examined=100, share=Fraction(1, 6)))

    # whole year: 300 × (1/6)/(5/6) = 60; recent pace: 100 × (1/6)/(1/6) = 100; mean 80; range ±2/15
    assert (found.expected, found.low, found.high) == (380, 369, 391)


def test_forecast_once_the_year_is_over_is_what_was_examined():
    found = project(approved=100, examined=47, share=Fraction(1))

    assert (found.expected, found.low, found.high, found.rate) == (47, 47, 47, Decimal(47))


def test_forecast_sums_count_each_part_at_most_its_approved_headcount():
    over = project(approved=100, examined=90, share=Fraction(1, 2))  # expects 180
    under = project(approved=300, examined=30, share=Fraction(1, 2))  # expects 60

    total = over + under

    assert (total.approved, total.examined, total.expected) == (400, 120, 160)
    assert total.rate == Decimal(40)


def test_forecast_learnt_from_nothing_is_flat():
    assert learnt({}) == flat()
    assert flat().is_flat is True
    assert JUNE_AND_DECEMBER.is_flat is False


def test_forecast_explained_in_one_sentence_with_its_figures():
    with translation.override("zh-hans"):
        text = explain(project(approved=500, examined=120, share=Fraction(1, 2), flat_profile=False))

    assert text == "已考 120 人，按往年同期进度，预计年底参考约 240 人（216–264），完成率约 48.0%（43.2%–52.8%）。"


def test_forecast_half_up_rounds_halves_up():
    assert (forecast.half_up(Fraction(5, 2)), forecast.half_up(Fraction(7, 3))) == (3, 2)
    assert Forecast().rate is None
