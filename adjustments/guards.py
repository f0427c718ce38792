"""Who may take an adjustment step, and when: the checks every step of `adjustments.services` starts with."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.enums import Role
from adjustments.enums import AdjustmentStatus
from adjustments.models import AdjustmentRequest
from plans.enums import PlanStatus
from plans.models import Plan
from plans.rules.r1_window import outside_the_window
from plans.services import PlanError
from rounds.calendar import Window
from rounds.enums import Stage


class AdjustmentError(PlanError):
    """A step that may not happen now; the message says why."""


# --- who, when, what -----------------------------------------------------------------------------------------------


def adjustment_window(plan: Plan) -> Window:
    """The round's adjustment window, stretched by an extension of the institution or its bureau."""
    return plan.round.window_for(Stage.ADJUSTMENT, institution=plan.institution, bureau=plan.institution.bureau)


def window_problem(plan: Plan, at: datetime) -> str | None:
    """Why no adjustment step may happen on `plan` at `at`, or None: the plan must be published, and `at` inside
    the window (from publication until the round's adjustment_end)."""
    if plan.status != PlanStatus.PUBLISHED or (plan.published_at and at < plan.published_at):
        return _("Adjustments open once the provincial decisions on the plan are published.")
    window = adjustment_window(plan)
    if not window.is_open(at=at):
        return outside_the_window(window)
    return None


def require_window(plan: Plan, at: datetime) -> None:
    if problem := window_problem(plan, at):
        raise AdjustmentError(problem)


def require_role(actor, *roles: str) -> None:
    if actor.role not in roles:
        raise AdjustmentError(_("Your role (%(role)s) may not do this.") % {"role": actor.get_role_display()})


def require_own(actor, plan: Plan) -> None:
    if plan.institution_id != actor.institution_id:
        raise AdjustmentError(_("This request belongs to another institution."))


def require_status(request: AdjustmentRequest, *statuses: str) -> None:
    if request.status not in statuses:
        raise AdjustmentError(
            _("The request is %(status)s; this step needs it %(needed)s.")
            % {
                "status": request.get_status_display(),
                "needed": " / ".join(str(AdjustmentStatus(s).label) for s in statuses),
            }
        )


def may_bureau_review(user, request: AdjustmentRequest) -> bool:
    institution = request.plan.institution
    return user.role == Role.BUREAU_REVIEWER and user.bureau_id == institution.bureau_id and institution.is_secondary


def require_reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise AdjustmentError(message)
    return reason


def require_bureau(actor, request: AdjustmentRequest) -> None:
    if not may_bureau_review(actor, request):
        raise AdjustmentError(_("Your role (%(role)s) may not do this.") % {"role": actor.get_role_display()})
