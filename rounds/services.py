"""Reading the calendar for a person: which windows are open or next, with days left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts.models import User
from core.dates import local_today
from rounds.calendar import Window
from rounds.enums import Stage
from rounds.models import Extension, Round


@dataclass(frozen=True)
class CalendarEntry:
    round: Round
    window: Window
    is_open: bool
    days_left: int
    days_until_start: int


def stages_for(user: User) -> list[str]:
    """The windows that concern this role."""
    if user.is_institution_user:
        return [Stage.FILING]
    if user.is_bureau_reviewer:
        return [Stage.BUREAU_REVIEW]
    return [Stage.FILING, Stage.BUREAU_REVIEW, Stage.PROVINCIAL_REVIEW]


def calendar_entries(*, user: User, at: datetime) -> list[CalendarEntry]:
    """Open and upcoming windows of this year and the next for `user`, soonest first."""
    today = local_today(at)
    rounds = Round.objects.filter(year__gte=today.year - 1).prefetch_related("extensions")
    institution = user.institution if user.institution_id else None
    bureau = user.bureau if user.bureau_id else None
    entries = []
    for rnd in rounds:
        for stage in stages_for(user):
            window = rnd.window_for(stage, institution=institution, bureau=bureau)
            if window.has_ended(at=at):
                continue
            entries.append(
                CalendarEntry(
                    round=rnd,
                    window=window,
                    is_open=window.is_open(at=at),
                    days_left=window.days_left(at=at),
                    days_until_start=max((window.start - today).days, 0),
                )
            )
    return sorted(entries, key=lambda e: (not e.is_open, e.window.start))


def grant_extension(
    *, actor: User, round: Round, stage: str, until, reason: str, institution=None, bureau=None
) -> Extension:
    """Give one institution or bureau more time for one stage. Side effects: an Extension row, an audit event."""
    from audit.services import record

    extension = Extension.objects.create(
        round=round, stage=stage, until=until, reason=reason, institution=institution, bureau=bureau, granted_by=actor
    )
    record(
        actor=actor,
        action="extension.grant",
        obj=extension,
        after={"stage": stage, "until": until, "institution": str(institution or ""), "bureau": str(bureau or "")},
        reason=reason,
    )
    return extension


def create_round(*, actor: User | None, year: int, season: str, **dates) -> Round:
    """Create a round with the notice's dates unless others are given. Side effects: audit event."""
    from audit.services import record

    values = Round.notice_defaults(year, season) | dates
    rnd = Round.objects.create(year=year, season=season, **values)
    record(actor=actor, action="round.create", obj=rnd, after={"year": year, "season": season} | values)
    return rnd
