"""Plans: list, open, read; lines and application forms. Each write is one call of `plans.services`."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.responses import Status

from accounts.enums import Role
from api import serializers
from api.common import require_role, require_step
from api.fields import Id
from api.pagination import PageIn, PageOut, paged
from api.plan_schemas import (
    ApplicationFormIn,
    ApplicationFormOut,
    LineIn,
    LineOut,
    LinePatchIn,
    PlanCreateIn,
    PlanOut,
    PlanSummaryOut,
)
from api.problems import field_error, problems
from catalog.models import Certificate
from plans import services, workflow
from plans.access import get_line_for_user, get_plan_for_user
from plans.enums import PlanStatus
from plans.models import Plan
from plans.workflow import Step
from rounds.models import Round

router = Router(tags=["plans"])


class PlanPage(PageOut):
    items: list[PlanSummaryOut]


class PlanFilters(Schema):
    round_id: Id | None = None
    status: PlanStatus | None = None


def plan_out(plan: Plan, user) -> dict:
    plan = get_plan_for_user(user, plan.pk)
    return serializers.plan(plan, user=user, at=timezone.now())


def line_out(plan: Plan, line_id: int, user) -> dict:
    [line] = [row for row in plan_out(plan, user)["lines"] if row["id"] == line_id]
    return line


@router.get("", operation_id="plans_list", response={200: PlanPage, **problems(422)}, summary="Plans in my scope")
def plan_list(request, filters: Query[PlanFilters], page: Query[PageIn]):
    """Anyone with a token; each sees the plans of their scope (a bureau once a plan is submitted). Filter by
    round and status."""
    queryset = Plan.objects.for_user(request.user).select_related("institution", "round")
    if filters.round_id is not None:
        queryset = queryset.filter(round_id=filters.round_id)
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    return paged(
        queryset.order_by("-round__year", "round__season", "institution__name", "pk"), page, serializers.plan_summary
    )


@router.post(
    "",
    operation_id="plans_create",
    response={200: PlanOut, 201: PlanOut, **problems(400, 403, 409, 422)},
    summary="Open my institution's plan for a round",
    description="Institution staff only, inside the filing window. Answers 201 with a new draft, or 200 with the "
    "plan the institution already has for the round.",
)
def plan_create(request, payload: PlanCreateIn):
    user = request.user
    require_role(user, Role.INSTITUTION_STAFF)
    rnd = Round.objects.for_user(user).filter(pk=payload.round_id).first()
    if rnd is None:
        return field_error("round_id", "No such round.")
    existed = Plan.objects.filter(institution_id=user.institution_id, round=rnd).exists()
    plan = services.open_plan(actor=user, round=rnd, at=timezone.now())
    return Status(200 if existed else 201, plan_out(plan, user))


@router.get(
    "/{plan_id}",
    operation_id="plans_get",
    response={200: PlanOut, **problems(404, 422)},
    summary="One plan, as its page shows it",
)
def plan_detail(request, plan_id: Path[Id]):
    """Anyone who may see the plan (404 otherwise). Its lines, the violations of the rules R1–R8, FORM and REMARK
    as warnings, what blocks sign-off, the forms, the decisions the caller may see, and the timeline."""
    return serializers.plan(get_plan_for_user(request.user, plan_id), user=request.user, at=timezone.now())


def _certificate(certificate_id: int):
    return Certificate.objects.filter(pk=certificate_id).first()


@router.post(
    "/{plan_id}/lines",
    operation_id="plan_lines_create",
    response={201: LineOut, **problems(400, 403, 404, 409, 422)},
    summary="Add a line to a draft",
)
def line_add(request, plan_id: Path[Id], payload: LineIn):
    """Institution staff, while the plan is editable (draft or returned) and the filing window is open (R1, else
    409). A duplicate line (R4) or a restricted certificate (R5) answers 422 with `violations`; other rules show
    as warnings on the plan."""
    user = request.user
    plan = get_plan_for_user(user, plan_id, write=True)
    require_step(user, plan, workflow.TABLE, Step.EDIT)
    certificate = _certificate(payload.certificate_id)
    if certificate is None:
        return field_error("certificate_id", "No such certificate.")
    values = payload.model_dump(exclude={"certificate_id"})
    line = services.add_line(actor=user, plan=plan, certificate=certificate, **values)
    return Status(201, line_out(plan, line.pk, user))


def _line_in_plan(user, plan_id: int, line_id: int):
    line = get_line_for_user(user, line_id, write=True)
    if line.plan_id != plan_id:
        raise Http404
    return line


@router.patch(
    "/{plan_id}/lines/{line_id}",
    operation_id="plan_lines_update",
    response={200: LineOut, **problems(400, 403, 404, 409, 422)},
    summary="Change fields of a draft line",
)
def line_update(request, plan_id: Path[Id], line_id: Path[Id], payload: LinePatchIn):
    """Institution staff, while the plan is editable and the filing window open (409 otherwise). Only the fields
    sent change; null is refused (422). Rule violations as for adding a line."""
    user = request.user
    line = _line_in_plan(user, plan_id, line_id)
    require_step(user, line.plan, workflow.TABLE, Step.EDIT)
    changes = payload.model_dump(exclude_unset=True)
    if any(value is None for value in changes.values()):
        field = next(name for name, value in changes.items() if value is None)
        return field_error(field, "May not be null; leave the field out to keep its value.")
    if "certificate_id" in changes:
        certificate = _certificate(changes.pop("certificate_id"))
        if certificate is None:
            return field_error("certificate_id", "No such certificate.")
        changes["certificate"] = certificate
    services.update_line(actor=user, line=line, **changes)
    return line_out(line.plan, line.pk, user)


@router.delete(
    "/{plan_id}/lines/{line_id}",
    operation_id="plan_lines_delete",
    response={204: None, **problems(403, 404, 409, 422)},
    summary="Remove a draft line",
)
def line_delete(request, plan_id: Path[Id], line_id: Path[Id]):
    """Institution staff, while the plan is editable and the filing window open (409 otherwise)."""
    user = request.user
    line = _line_in_plan(user, plan_id, line_id)
    require_step(user, line.plan, workflow.TABLE, Step.EDIT)
    services.remove_line(actor=user, line=line)
    return Status(204, None)


@router.put(
    "/{plan_id}/forms/{certificate_id}",
    operation_id="plan_forms_save",
    response={200: ApplicationFormOut, **problems(400, 403, 404, 409, 422)},
    summary="Save the application form of a new certificate",
)
def form_save(request, plan_id: Path[Id], certificate_id: Path[Id], payload: ApplicationFormIn):
    """Institution staff, while the plan is editable. The 申报表 (attachment 1) of a certificate the institution did
    not have last year; it may be saved incomplete, sign-off needs it complete (rule FORM). 404 when the
    certificate does not exist."""
    user = request.user
    plan = get_plan_for_user(user, plan_id, write=True)
    require_step(user, plan, workflow.TABLE, Step.EDIT)
    certificate = _certificate(certificate_id)
    if certificate is None:
        raise Http404
    form = services.save_form(actor=user, plan=plan, certificate=certificate, **payload.model_dump(mode="python"))
    return serializers.application_form(form)
