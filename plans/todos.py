from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.todos import Todo
from plans import workflow
from plans.models import Plan
from plans.workflow import Step
from rounds.enums import Stage
from rounds.models import Round


def plan_todos(user, *, at: datetime) -> list[Todo]:
    return _rounds_without_plan(user, at=at) + _plans_waiting(user, at=at)


def _rounds_without_plan(user, *, at: datetime) -> list[Todo]:
    """For the clerk: a round whose filing window is open now (with the institution's extension) and no plan yet."""
    if user.role != Role.INSTITUTION_STAFF or not user.institution_id:
        return []
    rounds = (
        Round.objects.for_user(user)
        .filter(filing_start__lte=at.date(), year__gte=at.year - 1)
        .exclude(plans__institution_id=user.institution_id)
        .prefetch_related("extensions")
    )
    return [
        Todo(
            text=_("The round %(round)s is open and you have no plan yet: open one") % {"round": rnd},
            url=reverse("plan_list"),
        )
        for rnd in rounds
        if rnd.window_for(Stage.FILING, institution=user.institution).is_open(at=at)
    ]


# The step that moves a plan on, and what the to-do asks of the one who may take it (the first allowed wins).
ACTIONS: dict[str, Callable[[], str]] = {
    Step.SEND_FOR_SIGNOFF: lambda: _("Finish and send for sign-off: %(plan)s"),
    Step.SIGN_OFF: lambda: _("Sign off: %(plan)s"),
    Step.APPROVE: lambda: _("Review: %(plan)s"),
    Step.DECIDE: lambda: _("Review: %(plan)s"),
}


def _plans_waiting(user, *, at: datetime) -> list[Todo]:
    """One to-do per plan whose next step `user` may take at `at` (`workflow.allowed_steps`); a fixed number of
    queries. Only the statuses the user's role acts in are read, so a province of thousands stays one page."""
    statuses = {
        status
        for row in workflow.TABLE.rows
        if row.step in ACTIONS and user.role in row.who.roles
        for status in row.source
    }
    if not statuses:
        return []
    plans = (
        Plan.objects.for_user(user)
        .filter(status__in=statuses)
        .select_related("institution__bureau", "round")
        .prefetch_related("round__extensions")
        .order_by("pk")[:50]
    )
    todos = []
    for plan in plans:
        step = next((s for s in workflow.allowed_steps(user, plan, at) if s in ACTIONS), None)
        if step is not None:
            todos.append(Todo(text=ACTIONS[step]() % {"plan": plan}, url=reverse("plan_detail", args=[plan.pk])))
    return todos
