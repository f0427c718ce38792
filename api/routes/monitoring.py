"""Exam progress: an institution's standing and its lines' figures, typed figures, imports of the national
platform's exports, and the bi-monthly checkpoints with their report — `monitoring`'s own services and scope."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import File, Form, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from api.common import role_refusal
from api.fields import MAX_ID, Id, example, line
from api.pagination import PageIn, PageOut, paged
from api.problems import field_error, problems
from api.routes.documents import limited
from catalog.enums import Level
from core.numbers import round_half_up
from institutions.models import Institution
from monitoring import report, services
from monitoring.access import (
    IMPORT_ROLES,
    get_import_for_user,
    get_institution_for_user,
    get_line_for_user,
)
from monitoring.enums import ImportKind, ImportMode, ImportStatus, ProgressSource, Standing
from monitoring.models import ProgressImport

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
    level: Level
    major_name: str
    source: ProgressSource | None = Field(description="Where the figures come from; null while there are none.")
    figures: FiguresOut


class StandingOut(Schema):
    institution_id: int
    year: int
    figures: FiguresOut
    target: Decimal = Field(description="The completion the last checkpoint expected, in %.")
    standing: Standing | None = Field(description="Against that target; null before the first checkpoint.")
    next_checkpoint: date
    next_target: Decimal
    still_needed: int = Field(description="Examined candidates still needed by the next checkpoint.")
    lines: list[LineFiguresOut]


class YearQuery(Schema):
    year: int = Field(default_factory=lambda: timezone.localdate().year, ge=2019, le=2100)


@router.get(
    "/institutions/{institution_id}/progress",
    operation_id="progress_get",
    response={200: StandingOut, **problems(404, 422)},
    summary="An institution's exam progress in a year, line by line",
)
def institution_progress(request, institution_id: Path[Id], query: Query[YearQuery]):
    """Anyone who may see the institution (404 otherwise). The figures per approved line, the target of the last
    checkpoint and the standing against it."""
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
                "source": ln.source_code,
                "figures": figures_out(ln.figures),
            }
            for ln in standing.lines
        ],
    }


class CountsIn(Schema):
    model_config = example({"registered": 40, "examined": 36, "passed": 30})

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
    source: ProgressSource


@router.put(
    "/lines/{line_id}/progress",
    operation_id="line_progress_update",
    response={200: CountsOut, **problems(400, 403, 404, 409, 422)},
    summary="Type an approved line's registered / examined / passed figures (its institution's staff)",
)
def line_progress(request, line_id: Path[Id], payload: CountsIn):
    """Staff of the line's institution, on an approved line of a published plan. Implausible figures need a
    `reason` (422 without it)."""
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


class IssueOut(Schema):
    row: int = Field(description="The row of the file, as a spreadsheet numbers it.")
    kind: Literal["error", "duplicate"]
    message: str


class ImportOut(Schema):
    id: int
    kind: ImportKind
    year: int
    institution_id: int | None
    original_name: str
    status: ImportStatus
    headers: list[str]
    mapping: dict[str, str] = Field(description="OneX field → the file's column header (guessed until confirmed).")
    mode: ImportMode | None = Field(description="Chosen when the import is confirmed; null before.")
    rows_total: int
    rows_read: int
    rows_written: int
    duplicates: int
    error_count: int
    issues: list[IssueOut] = Field(description="The first bad rows and why.")
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
        "mode": job.mode or None,
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


@router.get(
    "/imports",
    operation_id="progress_imports_list",
    response={200: ImportPage, **problems(403, 422)},
    summary="Progress imports in my scope",
)
def import_list(request, page: Query[PageIn]):
    """Institution staff and the provincial office (403 for other roles). Newest first."""
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
    operation_id="progress_imports_create",
    response={201: ImportOut, **problems(400, 403, 409, 413, 422)},
    summary="Upload an export of the national platform (.xlsx); answers with its headers and a guessed mapping",
)
@decorate_view(limited)
def import_create(request, payload: Form[ImportIn], file: File[UploadedFile]):
    """Institution staff (for their own institution) and the provincial office. An .xlsx export of at most the
    upload limit (413); the answer lists its headers and a guessed mapping to confirm."""
    user = request.user
    _import_gate(user)
    institution = None
    if payload.institution_id is not None and user.sees_everything:
        institution = Institution.objects.filter(pk=payload.institution_id).first()
        if institution is None:
            return field_error("institution_id", "No such institution.")
    job = services.create_import(actor=user, upload=file, kind=payload.kind, year=payload.year, institution=institution)
    return Status(201, import_out(job))


@router.get(
    "/imports/{import_id}",
    operation_id="progress_imports_get",
    response={200: ImportOut, **problems(403, 404, 422)},
    summary="One import",
)
def import_detail(request, import_id: Path[Id]):
    """Institution staff and the provincial office, for an import in their scope (404 otherwise). Poll it until
    `status` is finished."""
    _import_gate(request.user)
    return import_out(get_import_for_user(request.user, import_id))


class ConfirmIn(Schema):
    model_config = example(
        {"mapping": {"name": "姓名", "id_number": "身份证号", "result": "考核结果"}, "mode": "good_rows"}
    )

    mapping: dict[line(50), line(200)] = Field(  # type: ignore[valid-type]
        description="OneX field → the file's column header.", max_length=50
    )
    mode: ImportMode
    layout_name: line(100) = ""  # type: ignore[valid-type]


@router.post(
    "/imports/{import_id}/confirm",
    operation_id="progress_imports_confirm",
    response={200: ImportOut, **problems(400, 403, 404, 409, 422)},
    summary="Fix the mapping and what to do with bad rows, and start the import",
)
def import_confirm(request, import_id: Path[Id], payload: ConfirmIn):
    """Who uploaded it or the provincial office, while the import is `uploaded` (409 otherwise). Starts the import
    as a job."""
    _import_gate(request.user)
    job = get_import_for_user(request.user, import_id)
    job = services.confirm_import(
        actor=request.user, job=job, mapping=payload.mapping, mode=payload.mode, layout_name=payload.layout_name
    )
    return import_out(job)
