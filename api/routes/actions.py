"""Every workflow step of a plan as `POST /plans/{id}/actions/{action}`, and bulk approval; each is a call of
`plans.services` or `reviews.services`, with its schemas. Each action names its step of `plans.workflow`, whose table
gates it (403, `api.common.require_step`) before the service is asked; whether the step may happen now (state,
window, rules) is the service's word alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from api.common import require_step, role_refusal
from api.fields import Headcount, Id, example, required_line, text
from api.plan_schemas import PlanOut
from api.problems import field_error, problems
from api.routes.plans import plan_out
from plans import services as plan_services
from plans import workflow
from plans.access import get_plan_for_user
from plans.enums import ReviewLevel
from plans.models import Plan
from plans.workflow import Step
from reviews import services as review_services
from reviews.enums import Outcome

router = Router(tags=["plans"])


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


class LineDecisionIn(Schema):
    line_id: Id
    outcome: Outcome
    headcount: Headcount | None = Field(None, description="The reduced headcount; only for outcome `reduce`.")
    reason: text(2000) = Field("", description="Required to reduce or reject.")  # type: ignore[valid-type]


class ActionIn(Schema):
    """What an action needs: `reason` for send_back and return (optional for approve); `decisions` for recommend
    and decide (one per line, carried out all or none). Other actions need nothing."""

    model_config = example(
        {"decisions": [{"line_id": 101, "outcome": "reduce", "headcount": 30, "reason": "实训条件不足"}]}
    )

    reason: text(2000) = ""  # type: ignore[valid-type]
    decisions: list[LineDecisionIn] = Field(default_factory=list, max_length=1000)


class ActionOut(Schema):
    action: Action
    plan: PlanOut
    copied_lines: int | None = None


class BulkIn(Schema):
    model_config = example({"plan_ids": [31, 32, 35]})

    plan_ids: list[Id] = Field(min_length=1, max_length=500)


class BulkConfirmIn(BulkIn):
    model_config = example({"plan_ids": [31, 32, 35], "fingerprint": "3f9a0c…"})

    fingerprint: required_line(64)  # type: ignore[valid-type]


class BulkLineOut(Schema):
    line_id: int
    headcount: int
    outcome: Outcome
    already_decided: bool


class BulkItemOut(Schema):
    plan_id: int
    institution: str
    planned: int
    approved: int
    lines: list[BulkLineOut]
    blockers: list[str]


class BulkPreviewOut(Schema):
    level: ReviewLevel
    fingerprint: str = Field(description="Send it back with the same plan_ids to carry the preview out.")
    ready: list[BulkItemOut]
    blocked: list[BulkItemOut]


class BulkDoneOut(Schema):
    approved: list[int]


@dataclass(frozen=True)
class ActionStep:
    """The step of the table an action takes (its gate: `api.common.require_step`) and what it does."""

    write: bool  # the plan must be the user's own institution's (403 otherwise)
    step: str
    run: Callable  # (user, plan, body, at) -> dict of extra output
    holding: bool = False  # only the reviewer holding the plan (see `Table.who_may`)


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


ACTION_STEPS: dict[Action, ActionStep] = {
    Action.COPY_LAST_YEAR: ActionStep(write=True, step=Step.EDIT, run=_copy_last_year),
    Action.SEND_FOR_SIGNOFF: ActionStep(write=True, step=Step.SEND_FOR_SIGNOFF, run=_send_for_signoff),
    Action.SEND_BACK: ActionStep(write=True, step=Step.SEND_BACK, run=_send_back),
    Action.SIGN_OFF: ActionStep(write=True, step=Step.SIGN_OFF, run=_sign_off),
    Action.RECOMMEND: ActionStep(write=False, step=Step.RECOMMEND, run=_decisions(review_services.recommend_line)),
    Action.APPROVE: ActionStep(write=False, step=Step.APPROVE, run=_approve),
    Action.RETURN: ActionStep(write=False, step=Step.RETURN, run=_return, holding=True),
    Action.DECIDE: ActionStep(write=False, step=Step.DECIDE, run=_decisions(review_services.decide_line)),
    Action.PUBLISH: ActionStep(write=False, step=Step.PUBLISH, run=_publish),
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
    operation_id="plan_steps_take",
    response={200: ActionOut, **problems(400, 403, 404, 409, 422)},
    summary="Take a workflow step on a plan",
    description=ACTIONS_DOC,
)
def plan_action(request, plan_id: Path[Id], action: Path[Action], payload: ActionIn | None = None):
    user = request.user
    step = ACTION_STEPS[action]
    body = payload or ActionIn()
    plan = get_plan_for_user(user, plan_id, write=step.write)
    require_step(user, plan, workflow.TABLE, step.step, holding=step.holding)
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
    operation_id="reviews_bulk_preview",
    response={200: BulkPreviewOut, **problems(400, 403, 422)},
    tags=["reviews"],
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
    operation_id="reviews_bulk_approve",
    response={200: BulkDoneOut, **problems(400, 403, 409, 422)},
    tags=["reviews"],
    summary="Approve the plans of a preview",
    description="All of it or none of it; refused (409) when the plans changed since the preview.",
)
def bulk_confirm(request, payload: BulkConfirmIn):
    _bulk_gate(request.user)
    done = review_services.bulk_approve(
        actor=request.user, plan_ids=payload.plan_ids, fingerprint=payload.fingerprint, at=timezone.now()
    )
    return {"approved": [plan.pk for plan in done]}
