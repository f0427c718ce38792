"""The reference imports (bureaus, institutions, certificates incl. the national platform's JSON) as jobs: the
provincial admin uploads a file, the job engine runs the same importer as the import page
(`institutions.reference_imports`), and the job answers with its state and the importer's report."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from accounts.enums import Role
from api.common import require_role
from api.fields import Id
from api.pagination import PageIn, PageOut, paged
from api.problems import problems
from institutions import reference_imports
from institutions.enums import ImportState, ReferenceKind
from institutions.models import ReferenceImport

router = Router(tags=["reference imports"])

ADMIN_ONLY = "Provincial admin only (any other role: 403)."


class ImportIssueOut(Schema):
    row: int | None = Field(description="The row (or JSON item) number; null for the file as a whole.")
    unit: str = Field(description="What `row` counts: `row` or `item`.")
    message: str


class ImportReportOut(Schema):
    created: int
    updated: int
    unchanged: int
    extra: dict[str, int] = Field(description="Further counts by name (e.g. levels added).")
    errors: list[ImportIssueOut] = Field(description="Any error means nothing was imported.")
    warnings: list[ImportIssueOut]


class ReferenceImportOut(Schema):
    id: int
    kind: ReferenceKind
    state: ImportState
    file_name: str
    created_at: datetime
    finished_at: datetime | None
    report: ImportReportOut | None = Field(description="Once done or refused.")


class ReferenceImportPage(PageOut):
    items: list[ReferenceImportOut]


def import_out(job: ReferenceImport) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "file_name": job.original_name,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "report": job.report or None,
    }


@router.post(
    "/reference-imports",
    response={202: ReferenceImportOut, **problems(400, 403, 409, 413, 422)},
    operation_id="reference_imports_create",
    summary="Upload a reference file and queue its import",
    description=f"{ADMIN_ONLY} A multipart form: `kind` and `file`. `institutions` and `bureaus` take CSV or "
    "XLSX; `certificates` CSV, XLSX or the "
    "national platform's JSON. Answers with the job; read it again until its state is `done` or `refused` "
    "(then its report lists every row's error, and nothing was imported). `urn:onex:problem:file-refused` (422) "
    "for a file too large or of a format the kind does not take. Audited.",
)
def reference_imports_create(request, kind: Form[ReferenceKind], file: File[UploadedFile]):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    job = reference_imports.queue_import(actor=request.user, kind=kind, upload=file, at=timezone.now())
    job.refresh_from_db()
    return Status(202, import_out(job))


@router.get(
    "/reference-imports",
    response={200: ReferenceImportPage, **problems(403, 422)},
    operation_id="reference_imports_list",
    summary="The reference imports, newest first",
    description=ADMIN_ONLY,
)
def reference_imports_list(request, page: Query[PageIn]):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    return paged(ReferenceImport.objects.order_by("-created_at", "-pk"), page, import_out)


@router.get(
    "/reference-imports/{import_id}",
    response={200: ReferenceImportOut, **problems(403, 404, 422)},
    operation_id="reference_imports_read",
    summary="One reference import: its state and report",
    description=ADMIN_ONLY,
)
def reference_imports_read(request, import_id: Path[Id]):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    return import_out(get_object_or_404(ReferenceImport, pk=import_id))
