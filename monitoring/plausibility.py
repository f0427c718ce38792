"""Figures that cannot be right as they stand (issue 14): more examined than registered, more passed than
examined, more examined than the line's approved headcount. They are shown with their numbers and
written only when someone confirms them with a reason; such lines are then flagged. No queries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, Q, Sum, When
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class LineFigures:
    """One line's figures as they would be written: what is shown when they are implausible."""

    line: int
    label: str
    approved: int | None
    registered: int
    examined: int
    passed: int

    @property
    def problems(self) -> list[str]:
        return problems(approved=self.approved, registered=self.registered, examined=self.examined, passed=self.passed)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "label": self.label,
            "approved": self.approved,
            "registered": self.registered,
            "examined": self.examined,
            "passed": self.passed,
            "problems": self.problems,
        }


def problems(*, approved: int | None, registered: int, examined: int, passed: int) -> list[str]:
    """What is implausible about one line's figures, each in words with its numbers ([]: nothing). A line without
    an approved headcount has none to exceed, as in FLAGGED (SQL's comparison with NULL is not true)."""
    found = []
    if examined > registered:
        found.append(
            _("examined %(examined)s exceeds registered %(registered)s")
            % {"examined": examined, "registered": registered}
        )
    if passed > examined:
        found.append(_("passed %(passed)s exceeds examined %(examined)s") % {"passed": passed, "examined": examined})
    if approved is not None and examined > approved:
        found.append(
            _("examined %(examined)s exceeds the approved headcount %(approved)s")
            % {"examined": examined, "approved": approved}
        )
    return found


def is_implausible(*, approved: int | None, registered: int, examined: int, passed: int) -> bool:
    return examined > registered or passed > examined or (approved is not None and examined > approved)


# The same test in SQL over approved lines joined to their progress: 1 for a flagged line, else 0.
FLAGGED = Case(
    When(
        Q(progress__examined__gt=F("progress__registered"))
        | Q(progress__passed__gt=F("progress__examined"))
        | Q(progress__examined__gt=F("approved_headcount")),
        then=1,
    ),
    default=0,
)
FLAGGED_SUM = Sum(FLAGGED)
