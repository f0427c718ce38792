from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.todos import Todo
from plans.enums import PlanStatus
from plans.models import Plan
from rounds.enums import Stage
from rounds.models import Round


def plan_todos(user, *, at: datetime) -> list[Todo]:
    return _rounds_without_plan(user, at=at) + _plans_waiting(user)


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


def _plans_waiting(user) -> list[Todo]:
    plans = Plan.objects.for_user(user).select_related("institution", "round")
    wanted: frozenset[str] | set[str]
    if user.role == Role.INSTITUTION_STAFF:
        wanted = PlanStatus.editable()
        text = _("Finish and send for sign-off: %(plan)s")
    elif user.role == Role.INSTITUTION_LEADER:
        wanted = {PlanStatus.AWAITING_SIGNOFF}
        text = _("Sign off: %(plan)s")
    elif user.role == Role.BUREAU_REVIEWER:
        wanted = {PlanStatus.BUREAU_REVIEW}
        text = _("Review: %(plan)s")
    elif user.role == Role.PROVINCIAL_REVIEWER:
        wanted = {PlanStatus.PROVINCIAL_REVIEW}
        text = _("Review: %(plan)s")
    else:
        return []
    return [
        Todo(text=text % {"plan": plan}, url=reverse("plan_detail", args=[plan.pk]))
        for plan in plans.filter(status__in=wanted)[:50]
    ]
