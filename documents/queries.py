"""Queries the summaries share: last year's figures for many institutions at once.

`plans.continuity.last_year_for` answers for one institution (two queries); a summary of a
bureau or of the province needs the same answer for thousands, so it is asked here in one
query each, with the same definition (published lines of Y−1 with an approved headcount > 0).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum

from core.numbers import round_half_up
from plans.enums import Continuity, PlanStatus
from plans.models import InstitutionYear, Plan, PlanLine

SUBMITTED = sorted(PlanStatus.submitted())
# What the province's papers count: plans the bureau approved (secondary) or that went straight to the
# province (higher education), whether decided yet or not. A plan still at bureau review is not there yet.
AT_PROVINCE = sorted({PlanStatus.PROVINCIAL_REVIEW, PlanStatus.PUBLISHED})


def last_year_headcounts(year: int, institution_ids: Iterable[int] | None = None) -> dict[tuple[int, int], int]:
    """(institution id, certificate id) → approved headcount in year `year` − 1."""
    lines = PlanLine.objects.filter(
        plan__round__year=year - 1, plan__status=PlanStatus.PUBLISHED, approved_headcount__gt=0
    )
    if institution_ids is not None:
        lines = lines.filter(plan__institution_id__in=list(institution_ids))
    rows = lines.values_list("plan__institution_id", "certificate_id").annotate(total=Sum("approved_headcount"))
    return {(institution_id, certificate_id): total for institution_id, certificate_id, total in rows}


def last_year_rates(year: int, institution_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Institution id → completion rate of year `year` − 1 (only where one was fixed)."""
    years = InstitutionYear.objects.filter(year=year - 1)
    if institution_ids is not None:
        years = years.filter(institution_id__in=list(institution_ids))
    return {
        # As shown on the pages: rounded half up to one decimal (the sheet's 0.0 format shows it as is).
        institution_id: float(round_half_up(rate))
        for institution_id, rate in years.values_list("institution_id", "completion_rate")
        if rate is not None
    }


def continuity(headcounts: dict[tuple[int, int], int], institution_id: int, certificate_id: int) -> str:
    return Continuity.CONTINUING if (institution_id, certificate_id) in headcounts else Continuity.NEW


def year_total(plan: Plan) -> int:
    """This year's planned headcount so far: the plans of the year that left the institution, plus this one."""
    lines = PlanLine.objects.filter(plan__institution_id=plan.institution_id, plan__round__year=plan.round.year)
    lines = lines.filter(plan__status__in=SUBMITTED).exclude(plan_id=plan.pk)
    other = lines.aggregate(total=Sum("headcount"))["total"] or 0
    own = plan.lines.aggregate(total=Sum("headcount"))["total"] or 0
    return other + own


def last_year_by_level(institution_id: int, year: int) -> dict[tuple[int, str], tuple[int, int]]:
    """(certificate id, level) → (applied, approved) headcount of the institution's published plans of `year` − 1."""
    rows = (
        PlanLine.objects.filter(
            plan__institution_id=institution_id, plan__round__year=year - 1, plan__status=PlanStatus.PUBLISHED
        )
        .values_list("certificate_id", "level")
        .annotate(applied=Sum("headcount"), approved=Sum("approved_headcount"))
        .order_by()
    )
    return {(certificate_id, level): (applied or 0, approved or 0) for certificate_id, level, applied, approved in rows}
