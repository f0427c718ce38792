"""Adjustment requests (调增, DOMAIN.md §8): list, file, change, read, every step, 附件3 and its stamped scan — each
one call of `adjustments.services`, scoped by `adjustments.access`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.utils import timezone
from ninja import File, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from accounts.enums import Role
from adjustments import services, workflow
from adjustments.access import get_request_for_user
from adjustments.attachment import paper
from adjustments.enums import AdjustmentStatus, ItemKind
from adjustments.enums import Outcome as AdjustmentOutcome
from adjustments.models import AdjustmentRequest
from adjustments.pages import request_comparison
from adjustments.rules import Change
from adjustments.workflow import Step
from api import serializers
from api.common import require_role, require_step
from api.downloads import binary
from api.fields import MAX_HEADCOUNT, Id, example, line, required_text, text
from api.pagination import PageIn, PageOut, paged
from api.problems import problems, violation_out
from api.routes.documents import ScanOut, _upload_refusal, limited, scan_out
from api.schemas import InstitutionRef, Ref, ViolationOut
from catalog.enums import Level
from core.downloads import download
from documents import adjustment_request as attachment3
from documents.application_form import DOCX, PDF
from plans.access import get_plan_for_user

router = Router(tags=["adjustments"])


class ItemOut(Schema):
    id: int
    kind: ItemKind
    line_id: int | None
    certificate: Ref
    level: Level
    major_name: str
    major_code: str
    before: int
    after: int
    approved: int | None


class SignatureOut(Schema):
    by: str | None
    at: datetime | None


class AdjustmentSummaryOut(Schema):
    id: int
    plan_id: int
    institution: InstitutionRef
    round: Ref
    status: AdjustmentStatus
    reason: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None


class AdjustmentOut(AdjustmentSummaryOut):
    office_head: SignatureOut
    leader: SignatureOut
    bureau_forwarded: SignatureOut
    returned_reason: str
    decision_reason: str
    items: list[ItemOut]
    blockers: list[ViolationOut] = Field(description="The errors that stop the request going further now.")
    scans: list[ScanOut]


class AdjustmentActionOut(Schema):
    action: AdjustmentAction
    status: AdjustmentStatus
    adjustment: AdjustmentOut | None = Field(
        description="The request after the step; null when the step took it out of your scope (a bureau's return "
        "sends it back inside the school)."
    )


class AdjustmentPage(PageOut):
    items: list[AdjustmentSummaryOut]


class AdjustmentFilters(Schema):
    plan_id: Id | None = None
    status: AdjustmentStatus | None = None


class ChangeIn(Schema):
    """An approved line (`line_id`) at a new headcount, or a new major or level of an approved certificate
    (`certificate_id`, `level`, `major_name`). Lowering, removing or changing anything is refused (rule R7)."""

    headcount: int = Field(ge=0, le=MAX_HEADCOUNT)
    line_id: Id | None = None
    certificate_id: Id | None = None
    level: Level | None = None
    major_name: line(100) = ""  # type: ignore[valid-type]
    major_code: line(20) = ""  # type: ignore[valid-type]


class AdjustmentIn(Schema):
    model_config = example(
        {
            "reason": "合作企业新增订单班",
            "changes": [
                {"line_id": 101, "headcount": 60},
                {"certificate_id": 7, "level": "intermediate", "major_name": "物流管理", "headcount": 20},
            ],
        }
    )

    reason: required_text(2000)  # type: ignore[valid-type]
    changes: list[ChangeIn] = Field(min_length=1, max_length=500)


class ApprovedFigureIn(Schema):
    item_id: Id
    headcount: int = Field(ge=0, le=MAX_HEADCOUNT)


class AdjustmentActionIn(Schema):
    """`reason` for send_back and bureau_return (optional for withdraw and bureau_forward); for decide: `outcome`,
    a `reason` unless approving as asked, and `approved` figures when approving lower ones."""

    model_config = example(
        {"outcome": "reduce", "reason": "超出考点容量", "approved": [{"item_id": 55, "headcount": 50}]}
    )

    reason: text(2000) = ""  # type: ignore[valid-type]
    outcome: AdjustmentOutcome | None = None
    approved: list[ApprovedFigureIn] = Field(default_factory=list, max_length=500)


class AdjustmentAction(StrEnum):
    SEND_FOR_SIGNOFF = "send_for_signoff"
    SIGN_OFFICE_HEAD = "sign_office_head"
    SIGN_LEADER = "sign_leader"
    SEND_BACK = "send_back"
    WITHDRAW = "withdraw"
    BUREAU_FORWARD = "bureau_forward"
    BUREAU_RETURN = "bureau_return"
    DECIDE = "decide"


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
