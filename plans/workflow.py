"""Who may take which step on a plan, in which status and when: DOMAIN.md §7 as one table.

`TABLE.move` is the only code that changes a plan's status (the services of `plans` and `reviews` call it),
`TABLE.check` guards the steps that keep it (editing lines, deciding lines), and `allowed_steps` is what the
pages and the API offer. `manage.py workflow` prints the table.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.models import User
from plans.enums import PlanStatus, ReviewLevel
from plans.errors import PlanError, ReviewError, RuleError
from plans.models import Plan
from plans.rules import filing_window
from plans.rules.r1_window import outside_the_window, r1_violation
from plans.transitions import Notice, Row, Table, When, Who
from rounds.calendar import Window
from rounds.enums import Stage

S = PlanStatus


class Step(models.TextChoices):
    EDIT = "edit", gettext_lazy("edit lines and application forms")
    SEND_FOR_SIGNOFF = "send_for_signoff", gettext_lazy("send for sign-off")
    SEND_BACK = "send_back", gettext_lazy("send back (reason)")
    SIGN_OFF = "sign_off", gettext_lazy("sign off = submit")
    RECOMMEND = "recommend", gettext_lazy("recommend per line")
    APPROVE = "approve", gettext_lazy("approve")
    RETURN = "return", gettext_lazy("return (reason)")
    DECIDE = "decide", gettext_lazy("decide per line")
    PUBLISH = "publish", gettext_lazy("publish")


# Keyed by the text a plan stores (its returned_from level, its status), so any str finds its entry.
STAGE_OF: dict[str, Stage] = {ReviewLevel.BUREAU: Stage.BUREAU_REVIEW, ReviewLevel.PROVINCE: Stage.PROVINCIAL_REVIEW}
STATUS_OF: dict[str, PlanStatus] = {ReviewLevel.BUREAU: S.BUREAU_REVIEW, ReviewLevel.PROVINCE: S.PROVINCIAL_REVIEW}
LEVEL_HOLDING: dict[str, ReviewLevel] = {S.BUREAU_REVIEW: ReviewLevel.BUREAU, S.PROVINCIAL_REVIEW: ReviewLevel.PROVINCE}
RETURNED_TO: dict[str, PlanStatus] = {
    ReviewLevel.BUREAU: S.RETURNED_BY_BUREAU,
    ReviewLevel.PROVINCE: S.RETURNED_BY_PROVINCE,
}


# --- who ----------------------------------------------------------------------------------------------------------


def level_of(user) -> str | None:
    """The review level `user` acts at, if any."""
    if user.is_authenticated and user.role == Role.BUREAU_REVIEWER:
        return ReviewLevel.BUREAU
    if user.is_authenticated and user.role == Role.PROVINCIAL_REVIEWER:
        return ReviewLevel.PROVINCE
    return None


def may_review(user, plan: Plan, level: str) -> bool:
    """`user` is the reviewer of `plan` at `level`: the bureau of a secondary school, or the province."""
    if level == ReviewLevel.BUREAU:
        return (
            level_of(user) == ReviewLevel.BUREAU
            and user.bureau_id == plan.institution.bureau_id
            and plan.institution.is_secondary
        )
    return level_of(user) == ReviewLevel.PROVINCE


def role_refused(user, error=PlanError) -> PlanError:
    return error(_("Your role (%(role)s) may not do this.") % {"role": user.get_role_display()})


def _institution(role: str) -> Who:
    def allows(user, plan: Plan) -> bool:
        return getattr(user, "role", None) == role and plan.institution_id == user.institution_id

    def refusal(user, plan: Plan) -> PlanError:
        if user.role != role:
            return role_refused(user)
        return PlanError(_("This plan belongs to another institution."))

    return Who(Role(role).label, frozenset({role}), allows, refusal)


def _reviewer(level: str) -> Who:
    role = Role.BUREAU_REVIEWER if level == ReviewLevel.BUREAU else Role.PROVINCIAL_REVIEWER
    label = gettext_lazy("bureau reviewer of the school's bureau") if level == ReviewLevel.BUREAU else role.label
    return Who(
        label,
        frozenset({role}),
        lambda user, plan: may_review(user, plan, level),
        lambda user, plan: role_refused(user, ReviewError),
    )


# --- when ---------------------------------------------------------------------------------------------------------


def review_window(plan: Plan, level: str) -> Window:
    """The window of `level` for this plan, stretched by an extension of its institution or bureau."""
    return plan.round.window_for(STAGE_OF[level], institution=plan.institution, bureau=plan.institution.bureau)


def _filing_problem(plan: Plan, at: datetime) -> RuleError | None:
    window = filing_window(plan)
    if window.is_open(at=at):
        return None
    return RuleError([r1_violation(window)])


WINDOW_LABELS: dict[str, Promise] = {
    ReviewLevel.BUREAU: gettext_lazy("bureau window"),
    ReviewLevel.PROVINCE: gettext_lazy("provincial window"),
}


def _review_time(level: str) -> When:
    def problem(plan: Plan, at: datetime) -> ReviewError | None:
        window = review_window(plan, level)
        if window.is_open(at=at):
            return None
        return ReviewError(outside_the_window(window))

    return When(WINDOW_LABELS[level], problem)


FILING = When(gettext_lazy("filing window (a returned plan: the returning level's window)"), _filing_problem)


# --- in which status ------------------------------------------------------------------------------------------------


def _not_editable(plan: Plan) -> PlanError:
    return PlanError(
        _("The plan is %(status)s and can no longer be changed by the institution.")
        % {"status": plan.get_status_display()}
    )


def _cannot_send_back(plan: Plan) -> PlanError:
    return PlanError(_("Only a plan awaiting sign-off can be sent back."))


def _cannot_sign_off(plan: Plan) -> PlanError:
    return PlanError(_("Only a plan awaiting sign-off can be signed off."))


def _not_in_review(level: str):
    def refusal(plan: Plan) -> ReviewError:
        return ReviewError(
            _("The plan is %(status)s; this needs it in %(stage)s.")
            % {"status": plan.get_status_display(), "stage": PlanStatus(STATUS_OF[level]).label}
        )

    return refusal


def next_status_after_signoff(plan: Plan) -> str:
    """Secondary schools go to their bureau, others to the province; a returned plan to the level that returned it."""
    if plan.returned_from == ReviewLevel.PROVINCE:
        return S.PROVINCIAL_REVIEW
    if plan.returned_from == ReviewLevel.BUREAU or plan.institution.is_secondary:
        return S.BUREAU_REVIEW
    return S.PROVINCIAL_REVIEW


# --- who hears of it ----------------------------------------------------------------------------------------------


def _people(plan: Plan, *roles: str):
    return User.objects.people_of(plan.institution_id, *roles)


def _provincial_reviewers():
    return User.objects.provincial_reviewers()


def _reviewers_for(plan: Plan):
    """The reviewers of the level the plan has just reached."""
    return User.objects.reviewers_for(plan.institution, level=LEVEL_HOLDING[plan.status])


def _url(name: str):
    return lambda plan: reverse(name, args=[plan.pk])


def _plan_and_actor(plan: Plan, actor) -> dict:
    return {"plan": plan, "actor": actor}


def _returned_context(plan: Plan, actor) -> dict:
    level = plan.returned_from
    window = review_window(plan, level).describe()
    return {"plan": str(plan), "level": ReviewLevel(level).label, "reason": plan.returned_reason, "window": window}


SENT_FOR_SIGNOFF = Notice(
    "plan_sent_for_signoff",
    lambda plan: _people(plan, Role.INSTITUTION_LEADER),
    _url("plan_detail"),
    _plan_and_actor,
)
SENT_BACK = Notice(
    "plan_sent_back", lambda plan: _people(plan, Role.INSTITUTION_STAFF), _url("plan_detail"), _plan_and_actor
)
SUBMITTED = Notice(
    "plan_submitted",
    lambda plan: [*_reviewers_for(plan), *_people(plan, Role.INSTITUTION_STAFF)],
    _url("plan_detail"),
    lambda plan, actor: _plan_and_actor(plan, actor) | {"stage": plan.get_status_display()},
)
BUREAU_APPROVED = Notice(
    "plan_bureau_approved",
    lambda plan: _provincial_reviewers(),
    _url("review_plan"),
    lambda plan, actor: {"plan": str(plan), "actor": str(actor)},
)
RETURNED = Notice(
    "plan_returned", lambda plan: _people(plan, *Role.institution_roles()), _url("plan_detail"), _returned_context
)
PUBLISHED = Notice(
    "plan_published",
    lambda plan: _people(plan, *Role.institution_roles()),
    _url("review_decisions"),
    lambda plan, actor: {"plan": str(plan)},
)


# --- the table ------------------------------------------------------------------------------------------------------


def _lock(plan: Plan) -> Plan:
    # of=("self",): lock the plan row only, not the institution, bureau and round rows joined to it.
    return Plan.objects.select_for_update(of=("self",)).select_related("institution__bureau", "round").get(pk=plan.pk)


STAFF = _institution(Role.INSTITUTION_STAFF)
LEADER = _institution(Role.INSTITUTION_LEADER)
BUREAU, PROVINCE = ReviewLevel.BUREAU, ReviewLevel.PROVINCE
SECONDARY_OR_HIGHER = gettext_lazy(
    "bureau review (secondary) / provincial review (higher); a returned plan: the level that returned it"
)

TABLE = Table(
    [
        Row(
            S.editable(),
            Step.EDIT,
            STAFF,
            None,
            None,
            _not_editable,
            to_label=gettext_lazy("unchanged"),
        ),
        Row(
            S.editable(),
            Step.SEND_FOR_SIGNOFF,
            STAFF,
            S.AWAITING_SIGNOFF,
            FILING,
            _not_editable,
            "plan.send_for_signoff",
            SENT_FOR_SIGNOFF,
        ),
        Row(
            frozenset({S.AWAITING_SIGNOFF}),
            Step.SEND_BACK,
            LEADER,
            S.DRAFT,
            None,
            _cannot_send_back,
            "plan.send_back",
            SENT_BACK,
        ),
        Row(
            frozenset({S.AWAITING_SIGNOFF}),
            Step.SIGN_OFF,
            LEADER,
            next_status_after_signoff,
            FILING,
            _cannot_sign_off,
            "plan.sign_off",
            SUBMITTED,
            to_any=frozenset({S.BUREAU_REVIEW, S.PROVINCIAL_REVIEW}),
            to_label=SECONDARY_OR_HIGHER,
        ),
        Row(
            frozenset({S.BUREAU_REVIEW}),
            Step.RECOMMEND,
            _reviewer(BUREAU),
            S.BUREAU_REVIEW,
            _review_time(BUREAU),
            _not_in_review(BUREAU),
        ),
        Row(
            frozenset({S.BUREAU_REVIEW}),
            Step.APPROVE,
            _reviewer(BUREAU),
            S.PROVINCIAL_REVIEW,
            _review_time(BUREAU),
            _not_in_review(BUREAU),
            "review.bureau_approve",
            BUREAU_APPROVED,
        ),
        Row(
            frozenset({S.BUREAU_REVIEW}),
            Step.RETURN,
            _reviewer(BUREAU),
            S.RETURNED_BY_BUREAU,
            _review_time(BUREAU),
            _not_in_review(BUREAU),
            "review.return",
            RETURNED,
        ),
        Row(
            frozenset({S.PROVINCIAL_REVIEW}),
            Step.DECIDE,
            _reviewer(PROVINCE),
            S.PROVINCIAL_REVIEW,
            _review_time(PROVINCE),
            _not_in_review(PROVINCE),
        ),
        Row(
            frozenset({S.PROVINCIAL_REVIEW}),
            Step.RETURN,
            _reviewer(PROVINCE),
            S.RETURNED_BY_PROVINCE,
            _review_time(PROVINCE),
            _not_in_review(PROVINCE),
            "review.return",
            RETURNED,
        ),
        Row(
            frozenset({S.PROVINCIAL_REVIEW}),
            Step.PUBLISH,
            _reviewer(PROVINCE),
            S.PUBLISHED,
            _review_time(PROVINCE),
            _not_in_review(PROVINCE),
            "review.publish",
            PUBLISHED,
        ),
    ],
    lock=_lock,
)


def allowed_steps(user, plan: Plan, at: datetime | None = None) -> list[str]:
    """The steps `user` may take on `plan` now (see `Table.allowed_steps`)."""
    return TABLE.allowed_steps(user, plan, at)


def move(plan: Plan, step: str, *, actor, at: datetime | None, reason: str = "", prepare=None, **fields) -> Plan:
    """Take `step` on `plan` (see `Table.move`): lock, check the table, save, audit, notify."""
    return TABLE.move(plan, step, actor=actor, at=at, reason=reason, prepare=prepare, **fields)


def check(plan: Plan, step: str, *, actor, at: datetime | None = None) -> Row:
    """Refuse a step that keeps the status (editing, deciding lines) unless the table allows it now."""
    return TABLE.check(plan, step, actor=actor, at=at)
