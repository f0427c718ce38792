from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.todos import Todo
from plans.enums import PlanStatus
from plans.models import Plan


def plan_todos(user, *, at: datetime) -> list[Todo]:
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
