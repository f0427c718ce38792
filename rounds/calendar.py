"""Pure date logic: windows are whole days in Asia/Shanghai, inclusive of the last day (DOMAIN.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.dates import end_of, local_today, start_of

# The notice's dates (month, day) per season: filing, bureau review, provincial review, scans due.
NOTICE_DEFAULTS = {
    "spring": {
        "filing": ((4, 1), (4, 7)),
        "bureau_review": ((4, 8), (4, 12)),
        "provincial_review": ((4, 8), (4, 15)),
        "scan_deadline": (4, 12),
    },
    "autumn": {
        "filing": ((9, 13), (9, 19)),
        "bureau_review": ((9, 20), (9, 24)),
        "provincial_review": ((9, 20), (9, 27)),
        "scan_deadline": (9, 24),
    },
}
ADJUSTMENT_END = (11, 30)


@dataclass(frozen=True)
class Window:
    label: str
    start: date
    end: date
    extended_until: date | None = None

    @property
    def last_day(self) -> date:
        if self.extended_until and self.extended_until > self.end:
            return self.extended_until
        return self.end

    def is_open(self, *, at: datetime) -> bool:
        return start_of(self.start) <= at < end_of(self.last_day)

    def has_ended(self, *, at: datetime) -> bool:
        return at >= end_of(self.last_day)

    def has_started(self, *, at: datetime) -> bool:
        return at >= start_of(self.start)

    def days_left(self, *, at: datetime) -> int:
        """Whole days left including today (1 on the last day), 0 once closed."""
        if self.has_ended(at=at):
            return 0
        return (self.last_day - max(local_today(at), self.start)).days + 1

    def describe(self) -> str:
        text = f"{self.label}（{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}）"
        if self.extended_until and self.extended_until > self.end:
            text += f"，已延期至{self.extended_until:%Y年%m月%d日}"
        return text
