"""A checkpoint's report (通报) as the files the page gives: Excel and PDF, built by monitoring.exports over
monitoring.report, scoped to what the caller sees."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from ninja import Path, Query, Router, Schema

from api.common import role_refusal
from api.downloads import binary
from api.fields import Id
from api.limits import EXPORT_DOC
from api.problems import problems
from core.downloads import download
from documents.sheets import XLSX
from monitoring import exports, report
from monitoring.access import get_checkpoint_for_user

router = Router(tags=["monitoring"])
PDF = "application/pdf"


class ReportFormat(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"


class ReportQuery(Schema):
    bureau_id: Id | None = None


@router.get(
    "/checkpoints/{checkpoint_id}/report.{fmt}",
    response={200: None, **problems(403, 404, 422)},
    openapi_extra=binary(XLSX, PDF),
    operation_id="checkpoint_report_download",
    summary="A checkpoint's report (通报) as Excel or PDF",
    description="Bureaus and the province (institutions read their own progress instead: 403), scoped as the "
    "report page: a bureau sees its institutions. `bureau_id` narrows the report to one bureau. " + EXPORT_DOC,
)
def checkpoint_report_download(request, checkpoint_id: Path[Id], fmt: Path[ReportFormat], query: Query[ReportQuery]):
    if request.user.is_institution_user:
        raise PermissionDenied(role_refusal(request.user))
    checkpoint = get_checkpoint_for_user(request.user, checkpoint_id)
    built = report.build(checkpoint, request.user, bureau=query.bureau_id)
    if fmt == ReportFormat.PDF:
        return download(exports.report_pdf(built), exports.report_filename(checkpoint, "pdf"), PDF)
    return download(exports.report_xlsx(built), exports.report_filename(checkpoint, "xlsx"), XLSX)
