"""R3 cap: below the completion threshold last year, this year's plans stay within last year's approved headcount."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.numbers import round_half_up
from plans.enums import Severity
from plans.rules.facts import PlanFacts, Violation


def r3_cap(facts: PlanFacts) -> list[Violation]:
    cap = facts.cap
    rate = facts.last_year.completion_rate  # known whenever there is a cap (`PlanFacts.cap`)
    if cap is None or rate is None or facts.year_headcount <= cap:
        return []
    message = _(
        "The plans for %(year)d ask for %(planned)d people (this round %(this)d, other rounds %(other)d), but the "
        "completion rate of %(prior)d was %(rate).1f %% (below %(threshold)s %%), so the cap is %(prior)d's approved "
        "headcount of %(cap)d."
    ) % {
        "year": facts.plan.round.year,
        "planned": facts.year_headcount,
        "this": facts.this_plan_headcount,
        "other": facts.other_rounds_headcount,
        "prior": facts.last_year.year,
        "rate": float(round_half_up(rate)),
        "threshold": f"{facts.settings.cap_completion_threshold.normalize():f}",
        "cap": cap,
    }
    return [Violation("R3", Severity.ERROR, message)]
