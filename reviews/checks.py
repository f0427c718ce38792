"""The rules of DOMAIN.md §6 as review sees them.

Reviewers re-run every rule now, except R1: the filing window is the institution's; review actions have
their own windows (checked by the services). On the province's decisions the rules run on the figures
the decisions would make: rejected lines dropped, reduced lines at their new headcount.
"""

from __future__ import annotations

import copy
from datetime import datetime

from django.db import models
from django.db.models import Case, F, Q, When

from plans.models import Plan, PlanLine
from plans.rules import Violation, check_facts, check_plan
from plans.rules.batch import gather_facts_for
from reviews.models import LineDecision, PlanCheck
from reviews.queue_counts import counts_changed

NOT_IN_REVIEW = frozenset({"R1"})
BATCH = 500  # plans whose facts are read together by refresh_checks


def review_violations(plan: Plan, *, at: datetime, lines: list[PlanLine] | None = None) -> list[Violation]:
    return in_review(check_plan(plan, at=at, lines=lines))


def in_review(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.code not in NOT_IN_REVIEW]


def errors_of(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.is_error]


def decided_lines(lines: list[PlanLine], decisions: dict[int, LineDecision]) -> list[PlanLine]:
    """`lines` as `decisions` (by line id) would make them; undecided lines stay as planned."""
    result = []
    for line in lines:
        decision = decisions.get(line.pk)
        if decision is None:
            result.append(line)
        elif decision.headcount > 0:
            decided = copy.copy(line)
            decided.headcount = decision.headcount
            result.append(decided)
    return result


def check_fields(plan: Plan, violations: list[Violation], *, at: datetime) -> dict:
    """What a PlanCheck stores of `violations`."""
    return {
        "status": plan.status,
        "submitted_at": plan.submitted_at,
        "errors": sum(1 for v in violations if v.is_error),
        "warnings": sum(1 for v in violations if not v.is_error),
        "codes": ",".join(sorted({v.code for v in violations}))[:200],
        "checked_at": at,
    }


def refresh_check(plan: Plan, *, at: datetime, violations: list[Violation] | None = None) -> PlanCheck:
    """Store the rule check of `plan` (run now unless `violations` are given) for the queues' filters."""
    if violations is None:
        violations = review_violations(plan, at=at)
    check, _created = PlanCheck.objects.update_or_create(plan=plan, defaults=check_fields(plan, violations, at=at))
    return check


def stale_plan_ids(plans: models.QuerySet) -> list[int]:
    """The plans of `plans` whose stored check is missing or older than their last submission (one query)."""
    # Compared in the database: a national queue holds thousands of plans and only a few are ever stale.
    same_submission = Q(review_check__submitted_at=F("submitted_at")) | Q(
        review_check__submitted_at__isnull=True, submitted_at__isnull=True
    )
    current = Case(When(Q(review_check__status=F("status")) & same_submission, then=True), default=False)
    return list(plans.alias(current=current).filter(current=False).values_list("pk", flat=True))


def refresh_checks(plan_ids, *, at: datetime) -> int:
    """Re-run the rules on those of `plan_ids` still stale; returns how many. Safe to run twice."""
    stale = stale_plan_ids(Plan.objects.filter(pk__in=list(plan_ids)))
    for start in range(0, len(stale), BATCH):
        plans = list(
            Plan.objects.filter(pk__in=stale[start : start + BATCH])
            .select_related("institution__bureau", "round")
            .prefetch_related("round__extensions")
        )
        facts = gather_facts_for(plans)
        checks = [
            PlanCheck(plan=plan, **check_fields(plan, in_review(check_facts(facts[plan.pk], at=at)), at=at))
            for plan in plans
        ]
        fields = ["status", "submitted_at", "errors", "warnings", "codes", "checked_at"]
        PlanCheck.objects.bulk_create(checks, update_conflicts=True, unique_fields=["plan"], update_fields=fields)
    if stale:
        counts_changed()  # no signal for a bulk write
    return len(stale)
