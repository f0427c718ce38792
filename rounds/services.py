"""Reading the calendar for a person: which windows are open or next, with days left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import local_today
from core.refusals import StepRefused
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


ALL_STAGES = (Stage.FILING, Stage.BUREAU_REVIEW, Stage.PROVINCIAL_REVIEW, Stage.ADJUSTMENT)


def windows_for_user(*, round: Round, user: User) -> list[Window]:
    """Every window of `round` as it applies to `user`: stretched by an extension of their institution or bureau
    (prefetch the round's extensions for a list)."""
    institution = user.institution if user.institution_id else None
    bureau = user.bureau if user.bureau_id else None
    return [round.window_for(stage, institution=institution, bureau=bureau) for stage in ALL_STAGES]


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


class RoundRefused(StepRefused):
    code = "state"


DATE_PAIRS = (
    ("filing_start", "filing_end"),
    ("bureau_review_start", "bureau_review_end"),
    ("provincial_review_start", "provincial_review_end"),
    ("provincial_review_start", "adjustment_end"),
)
DATE_FIELDS = (
    "filing_start",
    "filing_end",
    "bureau_review_start",
    "bureau_review_end",
    "provincial_review_start",
    "provincial_review_end",
    "scan_deadline",
    "adjustment_end",
)


def extension_refusal(*, round: Round, stage: str, until: date) -> str:
    """Why an extension of `stage` until `until` would give no more time (empty when it would)."""
    window = round.window_for(stage)
    if until <= window.end:
        return _("The window already runs until %(end)s.") % {"end": f"{window.end:%Y-%m-%d}"}
    return ""


def grant_extension(
    *, actor: User, round: Round, stage: str, until, reason: str, institution=None, bureau=None
) -> Extension:
    """Give one institution or bureau more time for one stage. Refused (RoundRefused) without a reason, without
    exactly one target, or when the window already runs that long. Side effects: an Extension row, an audit event."""
    from audit.services import record

    if (institution is None) == (bureau is None):
        raise RoundRefused(_("Choose one institution or one bureau, not both."))
    if not reason.strip():
        raise RoundRefused(_("Give a reason."))
    if refusal := extension_refusal(round=round, stage=stage, until=until):
        raise RoundRefused(refusal)
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


def revoke_extension(*, actor: User, extension: Extension, reason: str) -> None:
    """Take an extension back: its institution or bureau keeps only the round's own window. Refused without a
    reason. Side effects: the Extension row deleted, an audit event (with what it granted)."""
    from audit.services import record

    if not reason.strip():
        raise RoundRefused(_("Give a reason."))
    record(
        actor=actor,
        action="extension.revoke",
        obj=extension,
        before={
            "stage": extension.stage,
            "until": extension.until,
            "institution": str(extension.institution or ""),
            "bureau": str(extension.bureau or ""),
        },
        reason=reason,
    )
    extension.delete()


def _label(name: str) -> str:
    return str(getattr(Round._meta.get_field(name), "verbose_name", name))


def _check_dates(values: dict[str, date]) -> None:
    for start, end in DATE_PAIRS:
        if values[start] > values[end]:
            raise RoundRefused(_("%(start)s must not be after %(end)s.") % {"start": _label(start), "end": _label(end)})


def create_round(*, actor: User | None, year: int, season: str, **dates) -> Round:
    """Create a round with the notice's dates unless others are given. Refused (RoundRefused) when the year and
    season exist already or a window would end before it starts. Side effects: audit event."""
    from audit.services import record

    values = Round.notice_defaults(year, season) | dates
    _check_dates(values)
    if Round.objects.filter(year=year, season=season).exists():
        raise RoundRefused(_("This round exists already."))
    rnd = Round.objects.create(year=year, season=season, **values)
    record(actor=actor, action="round.create", obj=rnd, after={"year": year, "season": season} | values)
    return rnd


def change_dates(*, actor: User, round: Round, **dates: date) -> Round:
    """Move a round's windows and deadlines (`dates`: any of DATE_FIELDS). Refused (RoundRefused) when a window
    would end before it starts. Side effects: the round saved, an audit event with the dates before and after."""
    from audit.services import record

    changed = {name: day for name, day in dates.items() if getattr(round, name) != day}
    if not changed:
        return round
    _check_dates({name: getattr(round, name) for name in DATE_FIELDS} | changed)
    before = {name: getattr(round, name) for name in changed}
    for name, day in changed.items():
        setattr(round, name, day)
    round.save(update_fields=list(changed))
    record(actor=actor, action="round.change", obj=round, before=before, after=changed)
    return round
