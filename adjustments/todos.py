"""Adjustment requests waiting on a user: the steps `workflow.allowed_steps` offers them now (DOMAIN.md §8)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from adjustments import workflow
from adjustments.enums import AdjustmentStatus
from adjustments.models import AdjustmentRequest
from core.todos import Todo

Step = workflow.Step

# The step that moves a request on, and what the to-do asks of its holder.
ACTIONS: dict[str, Callable[[], str]] = {
    Step.SIGN_OFFICE_HEAD: lambda: _("Sign off the adjustment request (office head): %(request)s"),
    Step.SIGN_LEADER: lambda: _("Sign off the adjustment request (leader): %(request)s"),
    Step.BUREAU_FORWARD: lambda: _("Forward or return the adjustment request: %(request)s"),
    Step.DECIDE: lambda: _("Decide the adjustment request: %(request)s"),
}
WAITING = [AdjustmentStatus.AWAITING_OFFICE_HEAD, AdjustmentStatus.AWAITING_LEADER, *AdjustmentStatus.in_review()]


def adjustment_todos(user, *, at: datetime) -> list[Todo]:
    """One to-do per request whose next step `user` may take at `at`; a fixed number of queries."""
    requests = (
        AdjustmentRequest.objects.for_user(user)
        .filter(status__in=WAITING)
        .select_related("plan__institution__bureau", "plan__round")
        .prefetch_related("plan__round__extensions")
        .order_by("pk")[:50]
    )
    todos = []
    for request in requests:
        step = next((s for s in workflow.allowed_steps(user, request, at) if s in ACTIONS), None)
        if step is not None:
            text = ACTIONS[step]() % {"request": request}
            todos.append(Todo(text=text, url=reverse("adjustment_detail", args=[request.pk])))
    return todos
