"""Exam progress: an institution's standing and its lines' figures, typed figures, imports of the national
platform's exports, and the bi-monthly checkpoints with their report — `monitoring`'s own services and scope."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from api.common import role_refusal
from api.fields import MAX_ID, Id, line
from api.pagination import PageIn, PageOut, paged
from api.problems import field_error, problems
from api.routes.documents import limited
from core.numbers import round_half_up
from institutions.models import Institution
from monitoring import report, services
from monitoring.access import (
    IMPORT_ROLES,
    OFFICE_ROLES,
    get_checkpoint_for_user,
    get_import_for_user,
    get_institution_for_user,
    get_line_for_user,
)
from monitoring.enums import ImportKind, ImportMode
from monitoring.models import Checkpoint, ProgressImport
from monitoring.rates import CHECKPOINT_MONTHS, is_due

router = Router(tags=["monitoring"])

Year = Field(ge=2019, le=2100)
Count = Field(ge=0, le=10_000_000)


class FiguresOut(Schema):
    approved: int
    registered: int
    examined: int
    passed: int
    completion: Decimal | None = Field(description="Examined ÷ approved, in %, rounded half up to one decimal.")
    participation: Decimal | None = Field(description="Examined ÷ registered, in %, rounded half up to one decimal.")
    pass_rate: Decimal | None = Field(description="Passed ÷ examined, in %, rounded half up to one decimal.")


def figures_out(figures) -> dict:
    return {
        "approved": figures.approved,
        "registered": figures.registered,
        "examined": figures.examined,
        "passed": figures.passed,
        "completion": round_half_up(figures.completion),
        "participation": round_half_up(figures.participation),
        "pass_rate": round_half_up(figures.pass_rate),
    }


class LineFiguresOut(Schema):
    line_id: int
    plan_id: int
    certificate: str
    level: str
    major_name: str
    source: str
    figures: FiguresOut


class StandingOut(Schema):
    institution_id: int
    year: int
    figures: FiguresOut
    target: Decimal = Field(description="The completion the last checkpoint expected, in %.")
    standing: str | None = Field(description="on_track, slow or serious against that target; null before any.")
    next_checkpoint: date
    next_target: Decimal
    still_needed: int = Field(description="Examined candidates still needed by the next checkpoint.")
    lines: list[LineFiguresOut]


class YearQuery(Schema):
    year: int = Field(default_factory=lambda: timezone.localdate().year, ge=2019, le=2100)


@router.get(
    "/institutions/{institution_id}/progress",
    response={200: StandingOut, **problems(404, 422)},
    summary="An institution's exam progress in a year, line by line",
)
def institution_progress(request, institution_id: Path[Id], query: Query[YearQuery]):
    institution = get_institution_for_user(request.user, institution_id)
    standing = report.institution_standing(institution, query.year, today=timezone.localdate())
    return {
        "institution_id": institution.pk,
        "year": standing.year,
        "figures": figures_out(standing.figures),
        "target": standing.target,
        "standing": standing.standing,
        "next_checkpoint": standing.next_date,
        "next_target": standing.next_target,
        "still_needed": standing.still_needed,
        "lines": [
            {
                "line_id": ln.pk,
                "plan_id": ln.plan_id,
                "certificate": ln.certificate.name,
                "level": ln.level,
                "major_name": ln.major_name,
                "source": ln.source,
                "figures": figures_out(ln.figures),
            }
            for ln in standing.lines
        ],
    }


class CountsIn(Schema):
    registered: int = Count
    examined: int = Count
    passed: int = Count
    reason: str = Field(
        "",
        max_length=500,
        description="Required when the figures are implausible (examined above registered or the approved "
        "headcount, passed above examined): why they are right.",
    )


class CountsOut(Schema):
    line_id: int
    registered: int
    examined: int
    passed: int
    source: str


@router.put(
    "/lines/{line_id}/progress",
    response={200: CountsOut, **problems(400, 403, 404, 409, 422)},
    summary="Type an approved line's registered / examined / passed figures (its institution's staff)",
)
def line_progress(request, line_id: Path[Id], payload: CountsIn):
    approved_line = get_line_for_user(request.user, line_id, write=True)
    counts = services.Counts(registered=payload.registered, examined=payload.examined, passed=payload.passed)
    progress = services.record_line_progress(
        actor=request.user, line=approved_line, counts=counts, reason=payload.reason
    )
    return {
        "line_id": approved_line.pk,
        "registered": progress.registered,
        "examined": progress.examined,
        "passed": progress.passed,
        "source": progress.source,
    }


# --- imports --------------------------------------------------------------------------------------------------


class ImportOut(Schema):
    id: int
    kind: str
    year: int
    institution_id: int | None
    original_name: str
    status: str
    headers: list[str]
    mapping: dict[str, str] = Field(description="OneX field → the file's column header (guessed until confirmed).")
    mode: str
    rows_total: int
    rows_read: int
    rows_written: int
    duplicates: int
    error_count: int
    issues: list = Field(description="The first bad rows and why.")
    message: str
    created_at: datetime
    finished_at: datetime | None


def import_out(job: ProgressImport) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "year": job.year,
        "institution_id": job.institution_id,
        "original_name": job.original_name,
        "status": job.status,
        "headers": [str(h) for h in job.headers],
        "mapping": {str(k): str(v) for k, v in job.mapping.items()},
        "mode": job.mode,
        "rows_total": job.rows_total,
        "rows_read": job.rows_read,
        "rows_written": job.rows_written,
        "duplicates": job.duplicates,
        "error_count": job.error_count,
        "issues": job.issues[:200],
        "message": job.message,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


class ImportPage(PageOut):
    items: list[ImportOut]


def _import_gate(user) -> None:
    if user.role not in IMPORT_ROLES:
        raise PermissionDenied(role_refusal(user))


@router.get("/imports", response={200: ImportPage, **problems(403, 422)}, summary="Progress imports in my scope")
def import_list(request, page: Query[PageIn]):
    _import_gate(request.user)
    queryset = ProgressImport.objects.for_user(request.user).order_by("-created_at", "-pk")
    return paged(queryset, page, import_out)


class ImportIn(Schema):
    kind: ImportKind
    year: int = Year
    institution_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The province only: every row belongs to this institution; leave out when the file names "
        "each row's institution. Institution staff always import for their own institution.",
    )


@router.post(
    "/imports",
    response={201: ImportOut, **problems(400, 403, 409, 413, 422)},
    summary="Upload an export of the national platform (.xlsx); answers with its headers and a guessed mapping",
)
@decorate_view(limited)
def import_create(request, payload: Form[ImportIn], file: File[UploadedFile]):
    user = request.user
    _import_gate(user)
    institution = None
    if payload.institution_id is not None and user.sees_everything:
        institution = Institution.objects.filter(pk=payload.institution_id).first()
        if institution is None:
            return field_error("institution_id", "No such institution.")
    job = services.create_import(actor=user, upload=file, kind=payload.kind, year=payload.year, institution=institution)
    return Status(201, import_out(job))


@router.get("/imports/{import_id}", response={200: ImportOut, **problems(403, 404, 422)}, summary="One import")
def import_detail(request, import_id: Path[Id]):
    _import_gate(request.user)
    return import_out(get_import_for_user(request.user, import_id))


class ConfirmIn(Schema):
    mapping: dict[line(50), line(200)] = Field(  # type: ignore[valid-type]
        description="OneX field → the file's column header.", max_length=50
    )
    mode: ImportMode
    layout_name: line(100) = ""  # type: ignore[valid-type]


@router.post(
    "/imports/{import_id}/confirm",
    response={200: ImportOut, **problems(400, 403, 404, 409, 422)},
    summary="Fix the mapping and what to do with bad rows, and start the import",
)
def import_confirm(request, import_id: Path[Id], payload: ConfirmIn):
    _import_gate(request.user)
    job = get_import_for_user(request.user, import_id)
    job = services.confirm_import(
        actor=request.user, job=job, mapping=payload.mapping, mode=payload.mode, layout_name=payload.layout_name
    )
    return import_out(job)


# --- checkpoints ----------------------------------------------------------------------------------------------


class CheckpointOut(Schema):
    id: int
    year: int
    month: int
    name: str


def checkpoint_out(checkpoint: Checkpoint) -> dict:
    return {"id": checkpoint.pk, "year": checkpoint.year, "month": checkpoint.month, "name": str(checkpoint)}


class CheckpointPage(PageOut):
    items: list[CheckpointOut]


@router.get("/checkpoints", response={200: CheckpointPage, **problems(422)}, summary="The checkpoints taken")
def checkpoint_list(request, page: Query[PageIn]):
    return paged(Checkpoint.objects.order_by("-year", "-month", "-pk"), page, checkpoint_out)


class CheckpointIn(Schema):
    year: int = Year
    month: int = Field(description=f"One of {', '.join(map(str, sorted(CHECKPOINT_MONTHS)))}.", ge=1, le=12)


@router.post(
    "/checkpoints",
    response={200: CheckpointOut, 201: CheckpointOut, **problems(400, 403, 409, 422)},
    summary="Take a checkpoint once its day has come (the province); 200 when it was taken before",
)
def checkpoint_take(request, payload: CheckpointIn):
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
    kind: str
    standing: str
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
    response={200: ReportOut, **problems(403, 404, 422)},
    summary="A checkpoint's report (通报), scoped to what I see (bureaus, the province)",
)
def checkpoint_report(request, checkpoint_id: Path[Id]):
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
