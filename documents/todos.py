"""Stamped scans a clerk still owes for their submitted plans while the round lasts (DOMAIN.md §9)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.todos import Todo
from documents.papers import papers_for_plans
from documents.queries import SUBMITTED
from plans.models import Plan


def scan_todos(user, *, at: datetime) -> list[Todo]:
    """One to-do per submitted plan of the clerk's institution with a paper whose scan has not come back, until the
    round's adjustment requests close; a fixed number of queries per live round (one or two)."""
    if user.role != Role.INSTITUTION_STAFF:
        return []
    plans = list(
        Plan.objects.for_user(user)
        .filter(status__in=SUBMITTED, round__adjustment_end__gte=at.date())
        .select_related("institution__bureau", "round")
        .order_by("round_id", "pk")
    )
    todos = []
    for round_id in dict.fromkeys(plan.round_id for plan in plans):
        for owed in papers_for_plans([plan for plan in plans if plan.round_id == round_id]):
            if owed.missing:
                text = _("Upload the stamped scans of %(plan)s: %(count)d missing") % {
                    "plan": owed.plan,
                    "count": len(owed.missing),
                }
                due = _("due %(date)s") % {"date": formats.date_format(owed.plan.round.scan_deadline)}
                todos.append(Todo(text=text, url=reverse("plan_documents", args=[owed.plan.pk]), due=due))
    return todos
