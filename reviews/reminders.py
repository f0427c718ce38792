"""Reminders before each deadline (DOMAIN.md §4), to whoever still has something to do.

Who, for which deadline:
- institution staff, while their plan is a draft or returned: the filing window, or for a returned plan the
  window of the level that returned it (with the institution's extension);
- institution leaders, while a plan awaits their sign-off: the same window;
- bureau reviewers of the school's bureau, while a plan is in bureau review: the bureau review window;
- provincial reviewers, while a plan is in provincial review: the provincial review window.

A reminder "d days before" is due once the deadline (the end of the window's last day, Asia/Shanghai) is at
most d days away; of the configured days (ProvinceSettings.reminder_day_list, default 3 and 1) only the
smallest that applies is sent, so a job that missed a day does not send two at once. Nothing is sent once
the window has closed. A `ReminderSent` row (unique per person, round, stage and d) is written before each
message, in the same transaction: running the job twice sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from core.dates import local_today
from core.models import ProvinceSettings
from notifications.services import notify
from plans.enums import PlanStatus, ReviewLevel
from plans.models import Plan
from rounds.calendar import Window
from rounds.enums import Stage
from rounds.models import Round

WAITING = (
    PlanStatus.DRAFT,
    PlanStatus.RETURNED_BY_BUREAU,
    PlanStatus.RETURNED_BY_PROVINCE,
    PlanStatus.AWAITING_SIGNOFF,
    PlanStatus.BUREAU_REVIEW,
    PlanStatus.PROVINCIAL_REVIEW,
)
INSTITUTION_STAGE: dict[str, Stage] = {
    ReviewLevel.BUREAU: Stage.BUREAU_REVIEW,
    ReviewLevel.PROVINCE: Stage.PROVINCIAL_REVIEW,
}


@dataclass
class Due:
    """One reminder for one person: a round's stage closing in `days_before` days or less."""

    user: User
    round: Round
    stage: str
    days_before: int
    window: Window
    days_left: int
    items: list[str] = field(default_factory=list)


def _whose_turn(plan: Plan) -> tuple[str, str]:
    """(stage whose deadline matters, who acts) for a waiting plan."""
    if plan.status == PlanStatus.BUREAU_REVIEW:
        return Stage.BUREAU_REVIEW, Role.BUREAU_REVIEWER
    if plan.status == PlanStatus.PROVINCIAL_REVIEW:
        return Stage.PROVINCIAL_REVIEW, Role.PROVINCIAL_REVIEWER
    stage = INSTITUTION_STAGE.get(plan.returned_from, Stage.FILING)
    role = Role.INSTITUTION_LEADER if plan.status == PlanStatus.AWAITING_SIGNOFF else Role.INSTITUTION_STAFF
    return stage, role


def _scope(plan: Plan, role: str) -> int | None:
    """Whose people `role` acts for on `plan`: the province (None), the school's bureau, or the school."""
    if role == Role.PROVINCIAL_REVIEWER:
        return None
    if role == Role.BUREAU_REVIEWER:
        return plan.institution.bureau_id
    return plan.institution_id


def _window(plan: Plan, stage: str) -> Window:
    bureau = plan.institution.bureau if stage != Stage.FILING else None
    return plan.round.window_for(stage, institution=plan.institution, bureau=bureau)


def _people(plans: list[Plan]) -> dict[tuple, list[User]]:
    """The active users to remind, keyed by (role, institution id) / (role, bureau id) / (role, None)."""
    institution_ids = {plan.institution_id for plan in plans}
    bureau_ids = {plan.institution.bureau_id for plan in plans}
    people: dict[tuple, list[User]] = defaultdict(list)
    users = User.objects.filter(is_active=True).filter(
        Q(role__in=[Role.INSTITUTION_STAFF, Role.INSTITUTION_LEADER], institution_id__in=institution_ids)
        | Q(role=Role.BUREAU_REVIEWER, bureau_id__in=bureau_ids)
        | Q(role=Role.PROVINCIAL_REVIEWER)
    )
    for user in users:
        if user.role == Role.PROVINCIAL_REVIEWER:
            people[(user.role, None)].append(user)
        elif user.role == Role.BUREAU_REVIEWER:
            people[(user.role, user.bureau_id)].append(user)
        else:
            people[(user.role, user.institution_id)].append(user)
    return people


def _days_before(days_left: int, days: list[int]) -> int | None:
    fitting = [d for d in days if days_left <= d]
    return min(fitting) if fitting else None


def due_reminders(*, at: datetime) -> list[Due]:
    """Every reminder due at `at`, one per (person, round, stage), whether or not it went out already."""
    days = ProvinceSettings.current().reminder_day_list
    if not days:
        return []
    plans = list(
        Plan.objects.filter(round__year__gte=local_today(at).year - 1, status__in=WAITING)
        .select_related("institution__bureau", "round")
        .prefetch_related("round__extensions")
        .order_by("pk")
    )
    people = _people(plans) if plans else {}
    due: dict[tuple, Due] = {}
    for plan in plans:
        stage, role = _whose_turn(plan)
        window = _window(plan, stage)
        if not window.is_open(at=at):
            continue
        days_left = window.days_left(at=at)
        days_before = _days_before(days_left, days)
        if days_before is None:
            continue
        for user in people.get((role, _scope(plan, role)), []):
            key = (user.pk, plan.round_id, stage, days_before)
            entry = due.setdefault(key, Due(user, plan.round, stage, days_before, window, days_left))
            entry.items.append(str(plan))
    return list(due.values())


def _url(entry: Due) -> str:
    if entry.user.is_institution_user:
        return reverse("plan_list")
    return reverse("review_queue")


def send_due_reminders(*, at: datetime) -> int:
    """Send every reminder due at `at` that has not gone out yet; returns how many were sent.

    Side effects: per reminder a ReminderSent row and a notification (inbox + e-mail), in one transaction.
    """
    from reviews.models import ReminderSent

    sent = 0
    for entry in due_reminders(at=at):
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                user=entry.user,
                round=entry.round,
                stage=entry.stage,
                days_before=entry.days_before,
                defaults={"sent_at": at},
            )
            if not created:
                continue
            notify(
                recipients=[entry.user],
                name="reminder",
                context={
                    "round": str(entry.round),
                    "stage": Stage(entry.stage).label,
                    "deadline": entry.window.last_day,
                    "days_left": entry.days_left,
                    "items": entry.items,
                },
                url=_url(entry),
            )
            sent += 1
    return sent
