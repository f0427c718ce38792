"""The rules of the notice (DOMAIN.md §6), one module each (`plans/rules/r1_window.py` …), returning violations
that name their numbers.

The functions read a `PlanFacts` built once per check (a handful of queries), so the plan page can re-run every
rule on each keystroke. Services enforce them (errors block sign-off and submission); pages show them while drafting.
"""

from __future__ import annotations

from datetime import datetime

from plans.enums import PlanStatus
from plans.models import Plan, PlanLine
from plans.rules.facts import PlanFacts, Violation, gather_facts, rule_label, year_headcount
from plans.rules.forms_complete import forms_complete
from plans.rules.increase_remarks import increase_remarks
from plans.rules.line_problems import line_problems
from plans.rules.r1_window import filing_window, r1_window
from plans.rules.r2_min_headcount import r2_min_headcount
from plans.rules.r3_cap import r3_cap
from plans.rules.r4_duplicates import r4_duplicates
from plans.rules.r5_restricted import r5_restricted
from plans.rules.r6_major import r6_major
from plans.rules.r8_registration import r8_registration

__all__ = [
    "PlanFacts",
    "Violation",
    "blocking",
    "check_facts",
    "check_plan",
    "filing_window",
    "rule_label",
    "forms_complete",
    "gather_facts",
    "increase_remarks",
    "line_problems",
    "r1_window",
    "r2_min_headcount",
    "r3_cap",
    "r4_duplicates",
    "r5_restricted",
    "r6_major",
    "r8_registration",
    "year_headcount",
]


def check_facts(facts: PlanFacts, *, at: datetime) -> list[Violation]:
    # A published plan was filed inside its window with its forms as they were: its filing window having closed
    # since, or a form field added since, says nothing anyone can act on (the page and the queue's tags).
    filed = facts.plan.status == PlanStatus.PUBLISHED
    return [
        *([] if filed else r1_window(facts, at=at)),
        *r2_min_headcount(facts),
        *r3_cap(facts),
        *r4_duplicates(facts),
        *r5_restricted(facts),
        *r6_major(facts),
        *r8_registration(facts),
        *([] if filed else forms_complete(facts)),
        *increase_remarks(facts),
    ]


def check_plan(plan: Plan, *, at: datetime, lines: list[PlanLine] | None = None) -> list[Violation]:
    """Every rule on `plan` now (or on `lines` in its place)."""
    return check_facts(gather_facts(plan, lines=lines), at=at)


def blocking(violations: list[Violation], lines: list[PlanLine]) -> list[Violation]:
    """What stops sign-off: errors, and warnings whose lines carry no written justification."""
    justified = {line.pk for line in lines if line.justification.strip()}
    return [
        v for v in violations if v.is_error or (v.needs_justification and not all(pk in justified for pk in v.line_ids))
    ]
