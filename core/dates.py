"""Dates in Asia/Shanghai, where every day of the notice is counted: a day starts at 00:00:00 there."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def end_of(day: date) -> datetime:
    """The first instant *after* `day` in Shanghai: a window is open while now < end_of(last day)."""
    return start_of(day + timedelta(days=1))


def local_today(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()
