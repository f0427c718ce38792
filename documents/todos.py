"""Stamped scans a clerk (or a bureau) still owes while the round lasts (DOMAIN.md §9)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.todos import Todo
from documents.papers import bureau_papers, bureaus_owing, papers_for_plans
from documents.queries import SUBMITTED
from plans.models import Plan
from rounds.models import Round


def scan_todos(user, *, at: datetime) -> list[Todo]:
    """One to-do per submitted plan of the clerk's institution with a paper whose scan has not come back, until the
    round's adjustment requests close; a fixed number of queries per live round (one or two)."""
    if user.role == Role.BUREAU_REVIEWER:
        return _bureau_summary_todos(user, at=at)
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
                url = reverse("plan_documents", args=[owed.plan.pk])
                todos.append(Todo(text=text, url=url, due=_due(owed.plan.round)))
    return todos


def _due(round_: Round) -> str:
    return _("due %(date)s") % {"date": formats.date_format(round_.scan_deadline)}


def _bureau_summary_todos(user, *, at: datetime) -> list[Todo]:
    """The bureau's stamped summary, owed for each live round in which one of its secondary schools submitted."""
    rounds = Round.objects.for_user(user).filter(adjustment_end__gte=at.date()).order_by("pk")
    todos = []
    for round_ in rounds:
        if user.bureau not in bureaus_owing(round_):
            continue
        [(_bureau, paper)] = bureau_papers(round_, [user.bureau])
        if paper.missing:
            url = reverse("bureau_documents", args=[round_.pk, user.bureau_id])
            text = _("Upload the stamped bureau summary of %(round)s") % {"round": round_}
            todos.append(Todo(text=text, url=url, due=_due(round_)))
    return todos
