"""Who may take which step on an adjustment request, in which status and when: DOMAIN.md §8 as one table.

`TABLE.move` is the only code that changes a request's status (`adjustments.services` calls it), `allowed_steps`
is what the pages and the API offer. `manage.py workflow adjustments` prints the table.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.models import User
from adjustments.enums import AdjustmentStatus
from adjustments.guards import AdjustmentError, may_bureau_review, window_problem
from adjustments.models import AdjustmentRequest
from plans.transitions import Notice, Row, Table, When, Who

A = AdjustmentStatus


class Step(models.TextChoices):
    EDIT = "edit", gettext_lazy("edit the reason and the lines")
    SEND_FOR_SIGNOFF = "send_for_signoff", gettext_lazy("send to the office head")
    SIGN_OFFICE_HEAD = "sign_office_head", gettext_lazy("office head signs")
    SIGN_LEADER = "sign_leader", gettext_lazy("leader signs = submit")
    SEND_BACK = "send_back", gettext_lazy("send back (reason)")
    WITHDRAW = "withdraw", gettext_lazy("withdraw")
    BUREAU_FORWARD = "bureau_forward", gettext_lazy("forward to the province")
    BUREAU_RETURN = "bureau_return", gettext_lazy("return (reason)")
    DECIDE = "decide", gettext_lazy("decide: approve, approve lower figures or reject")


def role_refused(user) -> AdjustmentError:
    return AdjustmentError(_("Your role (%(role)s) may not do this.") % {"role": user.get_role_display()})


def _institution(role: str) -> Who:
    def allows(user, request: AdjustmentRequest) -> bool:
        return getattr(user, "role", None) == role and request.plan.institution_id == user.institution_id

    def refusal(user, request: AdjustmentRequest) -> AdjustmentError:
        if user.role != role:
            return role_refused(user)
        return AdjustmentError(_("This request belongs to another institution."))

    return Who(Role(role).label, frozenset({role}), allows, refusal)


BUREAU = Who(
    gettext_lazy("bureau reviewer of the school's bureau"),
    frozenset({Role.BUREAU_REVIEWER}),
    lambda user, request: may_bureau_review(user, request),
    lambda user, request: role_refused(user),
)
PROVINCE = Who(
    Role.PROVINCIAL_REVIEWER.label,
    frozenset({Role.PROVINCIAL_REVIEWER}),
    lambda user, request: getattr(user, "role", None) == Role.PROVINCIAL_REVIEWER,
    lambda user, request: role_refused(user),
)


def _window_problem(request: AdjustmentRequest, at: datetime) -> AdjustmentError | None:
    problem = window_problem(request.plan, at)
    return AdjustmentError(problem) if problem else None


WINDOW = When(gettext_lazy("adjustment window (opens once the plan is published)"), _window_problem)


def _needs(*statuses: str):
    def refusal(request: AdjustmentRequest) -> AdjustmentError:
        return AdjustmentError(
            _("The request is %(status)s; this step needs it %(needed)s.")
            % {
                "status": request.get_status_display(),
                "needed": " / ".join(str(AdjustmentStatus(s).label) for s in sorted(statuses)),
            }
        )

    return refusal


def after_leader(request: AdjustmentRequest) -> str:
    """A secondary school's request goes to its bureau, any other to the province."""
    return A.BUREAU_REVIEW if request.plan.institution.is_secondary else A.PROVINCIAL_REVIEW


# --- who hears of it ----------------------------------------------------------------------------------------------


def _people(request: AdjustmentRequest, *roles: str):
    return User.objects.people_of(request.plan.institution_id, *roles)


def _provincial_reviewers():
    return User.objects.provincial_reviewers()


def _reviewers_after_leader(request: AdjustmentRequest):
    return User.objects.reviewers_for(request.plan.institution)


def _url(request: AdjustmentRequest) -> str:
    return reverse("adjustment_detail", args=[request.pk])


def _waiting(recipients) -> Notice:
    return Notice(
        "adjustment_waiting", recipients, _url, lambda request, actor: {"request": str(request), "actor": str(actor)}
    )


def _named(request: AdjustmentRequest, actor) -> dict:
    return {"request": str(request)}


RETURNED = Notice("adjustment_returned", lambda request: _people(request, Role.INSTITUTION_STAFF), _url, _named)
DECIDED = Notice("adjustment_decided", lambda request: _people(request, *Role.institution_roles()), _url, _named)


# --- the table ------------------------------------------------------------------------------------------------------


def _lock(request: AdjustmentRequest) -> AdjustmentRequest:
    # of=("self",): lock the request row only, not the plan, institution and round rows joined to it.
    return (
        AdjustmentRequest.objects.select_for_update(of=("self",))
        .select_related("plan__institution__bureau", "plan__round")
        .get(pk=request.pk)
    )


STAFF = _institution(Role.INSTITUTION_STAFF)
OFFICE_HEAD = _institution(Role.INSTITUTION_OFFICE_HEAD)
LEADER = _institution(Role.INSTITUTION_LEADER)
DRAFT, AWAITING_OFFICE_HEAD, AWAITING_LEADER = (
    frozenset({A.DRAFT}),
    frozenset({A.AWAITING_OFFICE_HEAD}),
    frozenset({A.AWAITING_LEADER}),
)
IN_BUREAU, IN_PROVINCE = frozenset({A.BUREAU_REVIEW}), frozenset({A.PROVINCIAL_REVIEW})

TABLE = Table(
    [
        Row(DRAFT, Step.EDIT, STAFF, None, WINDOW, _needs(A.DRAFT), to_label=gettext_lazy("unchanged")),
        Row(
            DRAFT,
            Step.SEND_FOR_SIGNOFF,
            STAFF,
            A.AWAITING_OFFICE_HEAD,
            WINDOW,
            _needs(A.DRAFT),
            "adjustment.send_for_signoff",
            _waiting(lambda r: _people(r, Role.INSTITUTION_OFFICE_HEAD)),
        ),
        Row(
            AWAITING_OFFICE_HEAD,
            Step.SIGN_OFFICE_HEAD,
            OFFICE_HEAD,
            A.AWAITING_LEADER,
            WINDOW,
            _needs(A.AWAITING_OFFICE_HEAD),
            "adjustment.sign_office_head",
            _waiting(lambda r: _people(r, Role.INSTITUTION_LEADER)),
        ),
        Row(
            AWAITING_LEADER,
            Step.SIGN_LEADER,
            LEADER,
            after_leader,
            WINDOW,
            _needs(A.AWAITING_LEADER),
            "adjustment.sign_leader",
            _waiting(_reviewers_after_leader),
            to_any=frozenset({A.BUREAU_REVIEW, A.PROVINCIAL_REVIEW}),
            to_label=gettext_lazy("bureau review (secondary) / provincial review (higher)"),
        ),
        Row(
            AWAITING_OFFICE_HEAD,
            Step.SEND_BACK,
            OFFICE_HEAD,
            A.DRAFT,
            None,
            _needs(A.AWAITING_OFFICE_HEAD),
            "adjustment.send_back",
            RETURNED,
        ),
        Row(
            AWAITING_LEADER,
            Step.SEND_BACK,
            LEADER,
            A.DRAFT,
            None,
            _needs(A.AWAITING_LEADER),
            "adjustment.send_back",
            RETURNED,
        ),
        Row(
            A.withdrawable(), Step.WITHDRAW, STAFF, A.WITHDRAWN, None, _needs(*A.withdrawable()), "adjustment.withdraw"
        ),
        Row(
            IN_BUREAU,
            Step.BUREAU_FORWARD,
            BUREAU,
            A.PROVINCIAL_REVIEW,
            WINDOW,
            _needs(A.BUREAU_REVIEW),
            "adjustment.bureau_forward",
            _waiting(lambda r: _provincial_reviewers()),
        ),
        Row(
            IN_BUREAU,
            Step.BUREAU_RETURN,
            BUREAU,
            A.DRAFT,
            WINDOW,
            _needs(A.BUREAU_REVIEW),
            "adjustment.bureau_return",
            RETURNED,
        ),
        Row(
            IN_PROVINCE,
            Step.DECIDE,
            PROVINCE,
            None,
            WINDOW,
            _needs(A.PROVINCIAL_REVIEW),
            "adjustment.decide",
            DECIDED,
            to_any=frozenset({A.APPROVED, A.REDUCED, A.REJECTED}),
            to_label=gettext_lazy("approved / approved lower / rejected"),
        ),
    ],
    lock=_lock,
    audit_ids=True,
)


def allowed_steps(user, request: AdjustmentRequest, at: datetime | None = None) -> list[str]:
    """The steps `user` may take on `request` now (see `plans.transitions.Table.allowed_steps`)."""
    return TABLE.allowed_steps(user, request, at)


def move(request: AdjustmentRequest, step: str, *, actor, at: datetime, reason: str = "", prepare=None, **fields):
    """Take `step` on `request` (see `plans.transitions.Table.move`): lock, check the table, save, audit, notify."""
    return TABLE.move(request, step, actor=actor, at=at, reason=reason, prepare=prepare, **fields)


def check(request: AdjustmentRequest, step: str, *, actor, at: datetime | None = None) -> Row:
    """Refuse a step that keeps the status (editing a draft) unless the table allows it now."""
    return TABLE.check(request, step, actor=actor, at=at)
