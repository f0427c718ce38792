"""Windows are whole days in Asia/Shanghai, inclusive of the last day (DOMAIN.md §4), checked on a frozen clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from core.dates import SHANGHAI
from rounds.enums import Stage
from rounds.models import Round
from rounds.services import grant_extension
from tests.conftest import make_round


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def open_at(rnd, stage, moment: datetime, **scope) -> bool:
    with time_machine.travel(moment, tick=False):
        return rnd.window_for(stage, **scope).is_open(at=timezone.now())


# (season, stage, first day, last day) as the notice has them.
NOTICE_WINDOWS = [
    ("spring", Stage.FILING, date(2027, 4, 1), date(2027, 4, 7)),
    ("spring", Stage.BUREAU_REVIEW, date(2027, 4, 8), date(2027, 4, 12)),
    ("spring", Stage.PROVINCIAL_REVIEW, date(2027, 4, 8), date(2027, 4, 15)),
    ("autumn", Stage.FILING, date(2027, 9, 13), date(2027, 9, 19)),
    ("autumn", Stage.BUREAU_REVIEW, date(2027, 9, 20), date(2027, 9, 24)),
    ("autumn", Stage.PROVINCIAL_REVIEW, date(2027, 9, 20), date(2027, 9, 27)),
]


@pytest.mark.parametrize(("season", "stage", "first", "last"), NOTICE_WINDOWS, ids=lambda v: str(v))
def test_calendar_window_edges_in_shanghai(request, season, stage, first, last):
    rnd = request.getfixturevalue(season)
    day_before = date.fromordinal(first.toordinal() - 1)
    day_after = date.fromordinal(last.toordinal() + 1)

    edges = {
        "day before 23:59:59": open_at(rnd, stage, shanghai(*day_before.timetuple()[:3], 23, 59, 59)),
        "first day 00:00:00": open_at(rnd, stage, shanghai(*first.timetuple()[:3], 0, 0, 0)),
        "last day 23:59:59": open_at(rnd, stage, shanghai(*last.timetuple()[:3], 23, 59, 59)),
        "day after 00:00:00": open_at(rnd, stage, shanghai(*day_after.timetuple()[:3], 0, 0, 0)),
    }

    assert edges == {
        "day before 23:59:59": False,
        "first day 00:00:00": True,
        "last day 23:59:59": True,
        "day after 00:00:00": False,
    }


def test_calendar_window_closes_at_shanghai_midnight_not_utc_midnight(spring):
    # 7 April 23:59:59 UTC is already 8 April 07:59:59 in Shanghai: filing has closed.
    moments = {
        "2027-04-07 15:59:59 UTC": open_at(spring, Stage.FILING, datetime(2027, 4, 7, 15, 59, 59, tzinfo=UTC)),
        "2027-04-07 16:00:00 UTC": open_at(spring, Stage.FILING, datetime(2027, 4, 7, 16, 0, 0, tzinfo=UTC)),
        "2027-04-07 23:59:59 UTC": open_at(spring, Stage.FILING, datetime(2027, 4, 7, 23, 59, 59, tzinfo=UTC)),
    }

    assert moments == {
        "2027-04-07 15:59:59 UTC": True,
        "2027-04-07 16:00:00 UTC": False,
        "2027-04-07 23:59:59 UTC": False,
    }


def test_calendar_extension_reopens_filing_for_one_institution_only(cast, spring):
    grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage=Stage.FILING,
        until=date(2027, 4, 10),
        reason="系统故障",
        institution=cast.school1,
    )
    spring.refresh_from_db()

    seen = {
        name: {
            "9 Apr noon": open_at(spring, Stage.FILING, shanghai(2027, 4, 9, 12, 0, 0), institution=institution),
            "10 Apr 23:59:59": open_at(
                spring, Stage.FILING, shanghai(2027, 4, 10, 23, 59, 59), institution=institution
            ),
            "11 Apr 00:00:00": open_at(spring, Stage.FILING, shanghai(2027, 4, 11, 0, 0, 0), institution=institution),
        }
        for name, institution in {"school1": cast.school1, "school2": cast.school2, "college1": cast.college1}.items()
    }

    assert seen == {
        "school1": {"9 Apr noon": True, "10 Apr 23:59:59": True, "11 Apr 00:00:00": False},
        "school2": {"9 Apr noon": False, "10 Apr 23:59:59": False, "11 Apr 00:00:00": False},
        "college1": {"9 Apr noon": False, "10 Apr 23:59:59": False, "11 Apr 00:00:00": False},
    }


def test_calendar_extension_leaves_other_stages_and_the_round_alone(cast, spring):
    grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage=Stage.FILING,
        until=date(2027, 4, 10),
        reason="系统故障",
        institution=cast.school1,
    )
    spring.refresh_from_db()

    moment = shanghai(2027, 4, 9, 12, 0, 0)

    assert {
        "filing, no institution": open_at(spring, Stage.FILING, moment),
        "bureau review, school1": open_at(spring, Stage.BUREAU_REVIEW, moment, institution=cast.school1),
    } == {"filing, no institution": False, "bureau review, school1": True}


def days_left_at(rnd, moment: datetime, **scope) -> int:
    with time_machine.travel(moment, tick=False):
        return rnd.window_for(Stage.FILING, **scope).days_left(at=timezone.now())


def test_calendar_days_left_counts_down_to_the_last_day(spring):
    countdown = {
        moment: days_left_at(spring, shanghai(*moment))
        for moment in [
            (2027, 3, 20, 9, 0, 0),  # before the window: its whole length
            (2027, 4, 1, 0, 0, 0),
            (2027, 4, 6, 23, 59, 59),
            (2027, 4, 7, 0, 0, 0),
            (2027, 4, 7, 23, 59, 59),
            (2027, 4, 8, 0, 0, 0),
        ]
    }

    assert countdown == {
        (2027, 3, 20, 9, 0, 0): 7,
        (2027, 4, 1, 0, 0, 0): 7,
        (2027, 4, 6, 23, 59, 59): 2,
        (2027, 4, 7, 0, 0, 0): 1,
        (2027, 4, 7, 23, 59, 59): 1,
        (2027, 4, 8, 0, 0, 0): 0,
    }


def test_calendar_days_left_counts_the_extension(cast, spring):
    grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage=Stage.FILING,
        until=date(2027, 4, 10),
        reason="系统故障",
        institution=cast.school1,
    )
    spring.refresh_from_db()

    assert {
        "school1": days_left_at(spring, shanghai(2027, 4, 7, 10, 0, 0), institution=cast.school1),
        "school2": days_left_at(spring, shanghai(2027, 4, 7, 10, 0, 0), institution=cast.school2),
    } == {"school1": 4, "school2": 1}


def test_calendar_autumn_round_has_the_notice_dates(autumn):
    assert {window.label: (window.start, window.end) for window in autumn.windows()} == {
        str(Stage.FILING.label): (date(2027, 9, 13), date(2027, 9, 19)),
        str(Stage.BUREAU_REVIEW.label): (date(2027, 9, 20), date(2027, 9, 24)),
        str(Stage.PROVINCIAL_REVIEW.label): (date(2027, 9, 20), date(2027, 9, 27)),
    }
    assert (autumn.scan_deadline, autumn.adjustment_end) == (date(2027, 9, 24), date(2027, 11, 30))


def test_current_round_is_the_newest_opened_else_the_next_to_open(db):
    spring = make_round(2027, "spring")
    autumn = make_round(2027, "autumn")

    assert Round.objects.current(today=date(2027, 3, 31)) == spring  # none opened yet: the next to open
    assert Round.objects.current(today=date(2027, 4, 1)) == spring
    assert Round.objects.current(today=date(2027, 12, 31)) == autumn
