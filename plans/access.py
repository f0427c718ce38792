"""The one place that says which plan (and line) a user may read or change (404 outside scope)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plans.models import Plan, PlanLine


def get_plan_for_user(user, pk: int, *, write: bool = False) -> Plan:
    """The plan `pk` if `user` may see it, else 404; with write=True only its institution's users, else 403."""
    plan = get_object_or_404(Plan.objects.for_user(user).select_related("institution__bureau", "round"), pk=pk)
    if write and plan.institution_id != user.institution_id:
        raise PermissionDenied
    return plan


def get_line_for_user(user, line_id: int, *, write: bool = False) -> PlanLine:
    line = get_object_or_404(
        PlanLine.objects.filter(plan__in=Plan.objects.for_user(user)).select_related(
            "certificate", "plan__institution__bureau", "plan__round"
        ),
        pk=line_id,
    )
    if write and line.plan.institution_id != user.institution_id:
        raise PermissionDenied
    return line
