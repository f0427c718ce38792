"""The bi-monthly checkpoints of exam progress and their report (通报): `monitoring`'s own services and scope."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from api.common import role_refusal
from api.fields import Id, example
from api.pagination import PageIn, PageOut, paged
from api.problems import problems
from api.routes.monitoring import FiguresOut, Year, figures_out
from institutions.enums import InstitutionKind
from monitoring import report, services
from monitoring.access import OFFICE_ROLES, get_checkpoint_for_user
from monitoring.enums import Standing
from monitoring.models import Checkpoint
from monitoring.rates import CHECKPOINT_MONTHS, is_due

router = Router(tags=["monitoring"])


class CheckpointOut(Schema):
    id: int
    year: int
    month: int
    name: str


def checkpoint_out(checkpoint: Checkpoint) -> dict:
    return {"id": checkpoint.pk, "year": checkpoint.year, "month": checkpoint.month, "name": str(checkpoint)}


class CheckpointPage(PageOut):
    items: list[CheckpointOut]


@router.get(
    "/checkpoints",
    operation_id="checkpoints_list",
    response={200: CheckpointPage, **problems(422)},
    summary="The checkpoints taken",
)
def checkpoint_list(request, page: Query[PageIn]):
    """Anyone with a token. Newest first."""
    return paged(Checkpoint.objects.order_by("-year", "-month", "-pk"), page, checkpoint_out)


class CheckpointIn(Schema):
    model_config = example({"year": 2027, "month": 6})

    year: int = Year
    month: int = Field(description=f"One of {', '.join(map(str, sorted(CHECKPOINT_MONTHS)))}.", ge=1, le=12)


@router.post(
    "/checkpoints",
    operation_id="checkpoints_take",
    response={200: CheckpointOut, 201: CheckpointOut, **problems(400, 403, 409, 422)},
    summary="Take a checkpoint once its day has come (the province); 200 when it was taken before",
)
def checkpoint_take(request, payload: CheckpointIn):
    """The provincial office, once the checkpoint's day has come (409 before). Answers 201 when taken now, 200
    when it was taken before."""
    if request.user.role not in OFFICE_ROLES:
        raise PermissionDenied(role_refusal(request.user))
    # The page's check, in the page's words; a month that is no checkpoint is the service's to refuse.
    if payload.month in CHECKPOINT_MONTHS and not is_due(payload.year, payload.month, today=timezone.localdate()):
        raise services.Refused(
            _("The checkpoint %(year)s-%(month)02d has not come yet.") % {"year": payload.year, "month": payload.month}
        )
    checkpoint, taken = services.take_checkpoint(year=payload.year, month=payload.month, actor=request.user)
    return Status(201 if taken else 200, checkpoint_out(checkpoint))


class BureauLineOut(Schema):
    bureau: str
    institutions: int
    slow: int
    serious: int
    figures: FiguresOut


class BehindOut(Schema):
    institution_id: int
    institution: str
    bureau: str
    kind: InstitutionKind
    standing: Standing
    figures: FiguresOut
    trend: list[Decimal | None] = Field(description="Completion at the year's earlier checkpoints, in %.")


class ReportOut(Schema):
    checkpoint: CheckpointOut
    province: FiguresOut
    bureaus: list[BureauLineOut]
    behind: list[BehindOut] = Field(description="Institutions below the checkpoint's target (slow, serious).")
    earlier: list[CheckpointOut]


@router.get(
    "/checkpoints/{checkpoint_id}/report",
    operation_id="checkpoint_reports_get",
    response={200: ReportOut, **problems(403, 404, 422)},
    summary="A checkpoint's report (通报), scoped to what I see (bureaus, the province)",
)
def checkpoint_report(request, checkpoint_id: Path[Id]):
    """Bureaus and the province (institutions: 403; they read their own progress). Scoped to what the caller sees."""
    if request.user.is_institution_user:
        # The page sends institutions to their own progress page: /institutions/{id}/progress here.
        raise PermissionDenied(role_refusal(request.user))
    built = report.build(get_checkpoint_for_user(request.user, checkpoint_id), request.user)
    return {
        "checkpoint": checkpoint_out(built.checkpoint),
        "province": figures_out(built.province),
        "bureaus": [
            {
                "bureau": b.name,
                "institutions": b.institutions,
                "slow": b.slow,
                "serious": b.serious,
                "figures": figures_out(b.figures),
            }
            for b in built.bureaus
        ],
        "behind": [
            {
                "institution_id": b.institution_id,
                "institution": b.name,
                "bureau": b.bureau,
                "kind": b.kind,
                "standing": b.standing,
                "figures": figures_out(b.figures),
                "trend": b.trend,
            }
            for b in built.behind
        ],
        "earlier": [checkpoint_out(c) for c in built.earlier],
    }
