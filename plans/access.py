"""The one place that says which plan a user may read or change (404 outside scope)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plans.models import Plan


def get_plan_for_user(user, pk: int, *, write: bool = False) -> Plan:
    """The plan `pk` if `user` may see it, else 404; with write=True only its institution's users, else 403."""
    plan = get_object_or_404(Plan.objects.for_user(user).select_related("institution__bureau", "round"), pk=pk)
    if write and plan.institution_id != user.institution_id:
        raise PermissionDenied
    return plan
