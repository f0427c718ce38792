"""Every workflow step of a plan as `POST /plans/{id}/actions/{action}`, and bulk approval; each is a call of
`plans.services` or `reviews.services`. The role gate answers 403 before the service is asked; whether the step
may happen now (state, window, rules) is the service's word alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from ninja import Path, Router

from accounts.enums import Role
from api.fields import Id
from api.openapi import problems
from api.problems import field_error
from api.routes.plans import plan_out, require_role, role_refusal
from api.schemas import ActionIn, ActionOut, BulkConfirmIn, BulkDoneOut, BulkIn, BulkPreviewOut
from plans import services as plan_services
from plans import workflow
from plans.access import get_plan_for_user
from plans.enums import ReviewLevel
from plans.models import Plan
from reviews import services as review_services

router = Router(tags=["workflow"])


class Action(StrEnum):
    COPY_LAST_YEAR = "copy_last_year"
    SEND_FOR_SIGNOFF = "send_for_signoff"
    SEND_BACK = "send_back"
    SIGN_OFF = "sign_off"
    RECOMMEND = "recommend"
    APPROVE = "approve"
    RETURN = "return"
    DECIDE = "decide"
    PUBLISH = "publish"


@dataclass(frozen=True)
class Step:
    """Who may ask (`gate` raises PermissionDenied, given the user and the plan in scope) and what it does."""

    write: bool  # the plan must be the user's own institution's (403 otherwise)
    gate: Callable
    run: Callable  # (user, plan, body, at) -> dict of extra output


def _role(*roles: str) -> Callable:
    return lambda user, plan: require_role(user, *roles)


def _reviewer(level: str) -> Callable:
    def gate(user, plan: Plan) -> None:
        if not workflow.may_review(user, plan, level):
            raise PermissionDenied(role_refusal(user))

    return gate


def _returning_level(user, plan: Plan) -> str | None:
    # As on the review page: the level holding the plan returns it; otherwise the reviewer learns why not.
    return workflow.LEVEL_HOLDING.get(plan.status) or workflow.level_of(user)


def _return_gate(user, plan: Plan) -> None:
    level = _returning_level(user, plan)
    if level is None:
        raise PermissionDenied(role_refusal(user))
    _reviewer(level)(user, plan)


def _decisions(step_function) -> Callable:
    def run(user, plan: Plan, body: ActionIn, at) -> dict:
        if not body.decisions:
            raise _FieldRefusal("decisions", "Give at least one line decision.")
        lines = {line.pk: line for line in plan.lines.all()}
        with transaction.atomic():  # all of them or none
            for index, item in enumerate(body.decisions):
                if item.line_id not in lines:
                    raise _FieldRefusal(f"decisions.{index}.line_id", "Not a line of this plan.")
                step_function(
                    actor=user,
                    line=lines[item.line_id],
                    outcome=item.outcome,
                    headcount=item.headcount,
                    reason=item.reason,
                    at=at,
                )
        return {}

    return run


class _FieldRefusal(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _copy_last_year(user, plan, body, at) -> dict:
    return {"copied_lines": plan_services.copy_last_year(actor=user, plan=plan)}


def _send_for_signoff(user, plan, body, at) -> dict:
    plan_services.send_for_signoff(actor=user, plan=plan, at=at)
    return {}


def _send_back(user, plan, body, at) -> dict:
    plan_services.send_back(actor=user, plan=plan, reason=body.reason)
    return {}


def _sign_off(user, plan, body, at) -> dict:
    plan_services.sign_off(actor=user, plan=plan, at=at)
    return {}


def _approve(user, plan, body, at) -> dict:
    review_services.approve_by_bureau(actor=user, plan=plan, at=at, reason=body.reason)
    return {}


def _return(user, plan, body, at) -> dict:
    review_services.return_plan(actor=user, plan=plan, reason=body.reason, at=at)
    return {}


def _publish(user, plan, body, at) -> dict:
    review_services.publish(actor=user, plan=plan, at=at)
    return {}


STEPS: dict[Action, Step] = {
    Action.COPY_LAST_YEAR: Step(write=True, gate=_role(Role.INSTITUTION_STAFF), run=_copy_last_year),
    Action.SEND_FOR_SIGNOFF: Step(write=True, gate=_role(Role.INSTITUTION_STAFF), run=_send_for_signoff),
    Action.SEND_BACK: Step(write=True, gate=_role(Role.INSTITUTION_LEADER), run=_send_back),
    Action.SIGN_OFF: Step(write=True, gate=_role(Role.INSTITUTION_LEADER), run=_sign_off),
    Action.RECOMMEND: Step(
        write=False, gate=_reviewer(ReviewLevel.BUREAU), run=_decisions(review_services.recommend_line)
    ),
    Action.APPROVE: Step(write=False, gate=_reviewer(ReviewLevel.BUREAU), run=_approve),
    Action.RETURN: Step(write=False, gate=_return_gate, run=_return),
    Action.DECIDE: Step(write=False, gate=_reviewer(ReviewLevel.PROVINCE), run=_decisions(review_services.decide_line)),
    Action.PUBLISH: Step(write=False, gate=_reviewer(ReviewLevel.PROVINCE), run=_publish),
}

ACTIONS_DOC = """- `copy_last_year` (institution staff): copy last year's approved lines into the draft.
- `send_for_signoff` (institution staff): hand the plan to the leader; refused while a rule blocks.
- `send_back` (institution leader, `reason`): back to staff.
- `sign_off` (institution leader): submit; to the bureau (secondary schools) or the province.
- `recommend` (bureau reviewer, `decisions`): recommend approve / reduce / reject per line.
- `approve` (bureau reviewer, optional `reason`): on to the province.
- `return` (the reviewer holding the plan, `reason`): back to the institution for revision.
- `decide` (provincial reviewer, `decisions`): decide per line, held until published.
- `publish` (provincial reviewer): publish the decisions; every line must be decided."""


@router.post(
    "/plans/{plan_id}/actions/{action}",
    response={200: ActionOut, **problems(400, 403, 404, 409, 422)},
    summary="Take a workflow step on a plan",
    description=ACTIONS_DOC,
)
def plan_action(request, plan_id: Path[Id], action: Path[Action], payload: ActionIn | None = None):
    user = request.user
    step = STEPS[action]
    body = payload or ActionIn()
    plan = get_plan_for_user(user, plan_id, write=step.write)
    step.gate(user, plan)
    try:
        extra = step.run(user, plan, body, timezone.now())
    except _FieldRefusal as refusal:
        return field_error(refusal.field, refusal.message)
    return {"action": action.value, "plan": plan_out(plan, user)} | extra


def _bulk_item(item) -> dict:
    return {
        "plan_id": item.plan.pk,
        "institution": item.plan.institution.name,
        "planned": item.planned,
        "approved": item.approved,
        "lines": [
            {"line_id": bl.line.pk, "headcount": bl.headcount, "outcome": bl.outcome, "already_decided": bl.decided}
            for bl in item.lines
        ],
        "blockers": item.blockers,
    }


def _bulk_gate(user) -> None:
    if workflow.level_of(user) is None:
        raise PermissionDenied(role_refusal(user))


@router.post(
    "/reviews/bulk-approve/preview",
    response={200: BulkPreviewOut, **problems(400, 403, 422)},
    tags=["workflow"],
    summary="Preview approving many plans at once",
    description="Plans outside your scope are left out. Nothing changes; confirm with the fingerprint.",
)
def bulk_preview(request, payload: BulkIn):
    _bulk_gate(request.user)
    preview = review_services.bulk_approve_preview(actor=request.user, plan_ids=payload.plan_ids, at=timezone.now())
    return {
        "level": preview.level,
        "fingerprint": preview.fingerprint,
        "ready": [_bulk_item(item) for item in preview.ready],
        "blocked": [_bulk_item(item) for item in preview.blocked],
    }


@router.post(
    "/reviews/bulk-approve",
    response={200: BulkDoneOut, **problems(400, 403, 409, 422)},
    tags=["workflow"],
    summary="Approve the plans of a preview",
    description="All of it or none of it; refused (409) when the plans changed since the preview.",
)
def bulk_confirm(request, payload: BulkConfirmIn):
    _bulk_gate(request.user)
    done = review_services.bulk_approve(
        actor=request.user, plan_ids=payload.plan_ids, fingerprint=payload.fingerprint, at=timezone.now()
    )
    return {"approved": [plan.pk for plan in done]}
