"""Adjustment requests (调增, DOMAIN.md §8): list, file, change, read, every step, 附件3 and its stamped scan — each
one call of `adjustments.services`, scoped by `adjustments.access`."""

from __future__ import annotations

from enum import StrEnum

from django.utils import timezone
from ninja import File, Path, Query, Router
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.responses import Status

from accounts.enums import Role
from adjustments import services, workflow
from adjustments.access import get_request_for_user
from adjustments.attachment import paper
from adjustments.models import AdjustmentRequest
from adjustments.pages import request_comparison
from adjustments.rules import Change
from adjustments.workflow import Step
from api import serializers
from api.adjustment_schemas import (
    AdjustmentAction,
    AdjustmentActionIn,
    AdjustmentActionOut,
    AdjustmentFilters,
    AdjustmentIn,
    AdjustmentOut,
    AdjustmentPage,
)
from api.common import require_role, require_step
from api.downloads import binary
from api.fields import Id
from api.pagination import PageIn, paged
from api.problems import problems, violation_out
from api.routes.documents import ScanOut, _upload_refusal, limited, scan_out
from core.downloads import download
from documents import adjustment_request as attachment3
from documents.application_form import DOCX, PDF
from plans.access import get_plan_for_user

router = Router(tags=["adjustments"])


def _signature(user, at) -> dict:
    return {"by": str(user) if user else None, "at": at}


def summary(request: AdjustmentRequest) -> dict:
    plan = request.plan
    return {
        "id": request.pk,
        "plan_id": plan.pk,
        "institution": serializers.institution_ref(plan.institution),
        "round": serializers.ref(plan.round),
        "status": request.status,
        "reason": request.reason,
        "created_at": request.created_at,
        "submitted_at": request.submitted_at,
        "decided_at": request.decided_at,
    }


def detail(request: AdjustmentRequest) -> dict:
    """The request as its page shows it: items, both sign-offs, what blocks it now, its stamped scans."""
    comparison = request_comparison(request)
    items = request.items.select_related("certificate").order_by("id")
    return summary(request) | {
        "office_head": _signature(request.office_head_signed_by, request.office_head_signed_at),
        "leader": _signature(request.leader_signed_by, request.leader_signed_at),
        "bureau_forwarded": _signature(request.bureau_forwarded_by, request.bureau_forwarded_at),
        "returned_reason": request.returned_reason,
        "decision_reason": request.decision_reason,
        "items": [
            {
                "id": item.pk,
                "kind": item.kind,
                "line_id": item.line_id,
                "certificate": serializers.ref(item.certificate, item.certificate.name),
                "level": item.level,
                "major_name": item.major_name,
                "major_code": item.major_code,
                "before": item.before,
                "after": item.after,
                "approved": item.approved,
            }
            for item in items
        ],
        "blockers": [violation_out(v) for v in comparison.errors] if comparison else [],
        "scans": [scan_out(link.scan) for link in request.scans.select_related("scan").order_by("-scan__uploaded_at")],
    }


def _fresh(user, pk: int) -> dict:
    return detail(get_request_for_user(user, pk))


def _changes(payload: AdjustmentIn) -> list[Change]:
    return [
        Change(
            headcount=c.headcount,
            line_id=c.line_id,
            certificate_id=c.certificate_id,
            level=c.level or "",
            major_name=c.major_name,
            major_code=c.major_code,
        )
        for c in payload.changes
    ]


@router.get(
    "/adjustments",
    operation_id="adjustments_list",
    response={200: AdjustmentPage, **problems(422)},
    summary="Adjustment requests in my scope",
)
def adjustment_list(request, filters: Query[AdjustmentFilters], page: Query[PageIn]):
    """Anyone with a token; reviewers see a request once it has left the institution. Filter by plan and status."""
    queryset = AdjustmentRequest.objects.for_user(request.user).select_related("plan__institution", "plan__round")
    if filters.plan_id is not None:
        queryset = queryset.filter(plan_id=filters.plan_id)
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    return paged(queryset.order_by("-created_at", "-pk"), page, summary)


@router.post(
    "/plans/{plan_id}/adjustments",
    operation_id="adjustments_create",
    response={201: AdjustmentOut, **problems(400, 403, 404, 409, 422)},
    summary="File an adjustment request on a published plan (institution staff)",
)
def adjustment_create(request, plan_id: Path[Id], payload: AdjustmentIn):
    """Institution staff, on their institution's published plan, inside the adjustment window (R1, 409 otherwise).
    Only increases: a lower headcount or a changed line answers 422 with rule R7; R2, R3, R5 and R6 are checked as
    on a plan."""
    user = request.user
    plan = get_plan_for_user(user, plan_id, write=True)
    require_role(user, Role.INSTITUTION_STAFF)
    created = services.create_request(
        actor=user, plan=plan, reason=payload.reason, changes=_changes(payload), at=timezone.now()
    )
    return Status(201, _fresh(user, created.pk))


@router.get(
    "/adjustments/{adjustment_id}",
    operation_id="adjustments_get",
    response={200: AdjustmentOut, **problems(404, 422)},
    summary="One adjustment request",
)
def adjustment_detail(request, adjustment_id: Path[Id]):
    """Anyone who may see the request (404 otherwise): its items, the signatures, the blockers and the scans."""
    return detail(get_request_for_user(request.user, adjustment_id))


@router.put(
    "/adjustments/{adjustment_id}",
    operation_id="adjustments_update",
    response={200: AdjustmentOut, **problems(400, 403, 404, 409, 422)},
    summary="Change a draft request: its reason and all its changes (institution staff)",
)
def adjustment_update(request, adjustment_id: Path[Id], payload: AdjustmentIn):
    """Institution staff, while the request is a draft (409 otherwise). Replaces the reason and every change;
    rules as for filing (R7 and the plan's rules, 422)."""
    user = request.user
    adjustment = get_request_for_user(user, adjustment_id, write=True)
    require_step(user, adjustment, workflow.TABLE, Step.EDIT)
    services.update_request(
        actor=user, request=adjustment, reason=payload.reason, changes=_changes(payload), at=timezone.now()
    )
    return _fresh(user, adjustment.pk)


def _approved(body: AdjustmentActionIn) -> dict[int, int]:
    return {figure.item_id: figure.headcount for figure in body.approved}


# action: (write, the step of adjustments.workflow it takes, run(user, adjustment, body, at))
ADJUSTMENT_STEPS = {
    AdjustmentAction.SEND_FOR_SIGNOFF: (
        True,
        Step.SEND_FOR_SIGNOFF,
        lambda user, adj, body, at: services.send_for_signoff(actor=user, request=adj, at=at),
    ),
    AdjustmentAction.SIGN_OFFICE_HEAD: (
        True,
        Step.SIGN_OFFICE_HEAD,
        lambda user, adj, body, at: services.sign_as_office_head(actor=user, request=adj, at=at),
    ),
    AdjustmentAction.SIGN_LEADER: (
        True,
        Step.SIGN_LEADER,
        lambda user, adj, body, at: services.sign_as_leader(actor=user, request=adj, at=at),
    ),
    AdjustmentAction.SEND_BACK: (
        True,
        Step.SEND_BACK,
        lambda user, adj, body, at: services.send_back(actor=user, request=adj, reason=body.reason, at=at),
    ),
    AdjustmentAction.WITHDRAW: (
        True,
        Step.WITHDRAW,
        lambda user, adj, body, at: services.withdraw(actor=user, request=adj, reason=body.reason, at=at),
    ),
    AdjustmentAction.BUREAU_FORWARD: (
        False,
        Step.BUREAU_FORWARD,
        lambda user, adj, body, at: services.bureau_forward(actor=user, request=adj, reason=body.reason, at=at),
    ),
    AdjustmentAction.BUREAU_RETURN: (
        False,
        Step.BUREAU_RETURN,
        lambda user, adj, body, at: services.bureau_return(actor=user, request=adj, reason=body.reason, at=at),
    ),
    AdjustmentAction.DECIDE: (
        False,
        Step.DECIDE,
        lambda user, adj, body, at: services.decide(
            actor=user,
            request=adj,
            outcome=body.outcome or "",
            reason=body.reason,
            approved=_approved(body),
            at=at,
        ),
    ),
}

ADJUSTMENT_ACTIONS_DOC = """
- `send_for_signoff` (institution staff): to the certificate pilot office head; refused while R2 or R3 break.
- `sign_office_head` (office head), then `sign_leader` (leader, another person): the request leaves the institution,
  to the bureau (secondary schools) or the province.
- `send_back` (office head or leader, `reason`): back to staff; both sign again.
- `withdraw` (institution staff, optional `reason`): before the decision.
- `bureau_forward` (the school's bureau, optional `reason`), `bureau_return` (`reason`).
- `decide` (provincial reviewer, `outcome` approve / reduce / reject; `reason` unless approving as asked;
  `approved` figures per item when reducing)."""


@router.post(
    "/adjustments/{adjustment_id}/actions/{action}",
    operation_id="adjustment_steps_take",
    response={200: AdjustmentActionOut, **problems(400, 403, 404, 409, 422)},
    summary="Take a step on an adjustment request",
    description=ADJUSTMENT_ACTIONS_DOC,
)
def adjustment_action(
    request, adjustment_id: Path[Id], action: Path[AdjustmentAction], payload: AdjustmentActionIn | None = None
):
    user = request.user
    write, step, run = ADJUSTMENT_STEPS[action]
    adjustment = get_request_for_user(user, adjustment_id, write=write)
    require_step(user, adjustment, workflow.TABLE, step)
    after = run(user, adjustment, payload or AdjustmentActionIn(), timezone.now())
    visible = AdjustmentRequest.objects.for_user(user).filter(pk=adjustment.pk).exists()
    return {"action": action.value, "status": after.status, "adjustment": _fresh(user, after.pk) if visible else None}


class PaperFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"


@router.get(
    "/adjustments/{adjustment_id}/request/{fmt}",
    operation_id="adjustments_download",
    response={200: None, **problems(404, 422)},
    openapi_extra=binary(DOCX, PDF),
    summary="The adjustment request (附件3), Word or PDF",
)
def adjustment_paper(request, adjustment_id: Path[Id], fmt: Path[PaperFormat]):
    """Anyone who may see the request. Counts against the per-user export limit (429 with `Retry-After`)."""
    data = paper(get_request_for_user(request.user, adjustment_id))
    if fmt == PaperFormat.DOCX:
        return download(attachment3.docx(data), attachment3.filename(data, "docx"), DOCX)
    return download(attachment3.pdf(data), attachment3.filename(data, "pdf"), PDF)


@router.post(
    "/adjustments/{adjustment_id}/scans",
    operation_id="adjustment_scans_upload",
    response={201: ScanOut, **problems(400, 403, 404, 409, 413, 422)},
    summary="Upload the stamped scan of 附件3, once both have signed (the institution)",
)
@decorate_view(limited)
def adjustment_scan(request, adjustment_id: Path[Id], file: File[UploadedFile]):
    """Institution staff of the request's institution, once the office head and the leader have signed (409
    otherwise). A PDF, JPG or PNG, checked like on the page (413, 422 `file-refused`)."""
    user = request.user
    adjustment = get_request_for_user(user, adjustment_id, write=True)
    if refusal := _upload_refusal(request):
        return refusal
    link = services.attach_scan(actor=user, request=adjustment, upload=file, at=timezone.now())
    return Status(201, scan_out(link.scan))
