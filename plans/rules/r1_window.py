"""R1 window (DOMAIN.md §4): the institution acts inside its window; the one place R1's message is written."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from plans.enums import ReviewLevel, Severity
from plans.models import Plan
from plans.rules.facts import PlanFacts, Violation
from rounds.calendar import Window
from rounds.enums import Stage


def filing_window(plan: Plan) -> Window:
    """Where the institution may act: the filing window, or for a returned plan the returning level's window."""
    stages: dict[str, str] = {ReviewLevel.BUREAU: Stage.BUREAU_REVIEW, ReviewLevel.PROVINCE: Stage.PROVINCIAL_REVIEW}
    stage = stages.get(plan.returned_from, Stage.FILING)
    return plan.round.window_for(stage, institution=plan.institution)


def outside_the_window(window: Window) -> str:
    """R1's message wherever a step is refused for its date (filing, review, adjustment): the window, its dates."""
    return _("Outside the window: %(window)s.") % {"window": window.describe()}


def r1_violation(window: Window) -> Violation:
    return Violation("R1", Severity.ERROR, outside_the_window(window))


def r1_window(facts: PlanFacts, *, at: datetime) -> list[Violation]:
    window = filing_window(facts.plan)
    if window.is_open(at=at):
        return []
    return [r1_violation(window)]
