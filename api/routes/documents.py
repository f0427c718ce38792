"""The papers of the paper trail: what a plan owes and what came back stamped, the generated documents, and
stamped-scan uploads. Each is the documents app's own generator, service and scope helper."""

from __future__ import annotations

import tempfile
from enum import StrEnum
from functools import wraps

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from ninja import File, Form, Path, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from api.downloads import binary
from api.fields import Id
from api.problems import BAD_FILE, field_error, problem, problems
from catalog.models import Certificate
from core.downloads import attach, download, private
from documents.access import get_bureau_for_user, get_round_for_user, get_scan_for_user, require_province
from documents.application_form import DOCX, PDF, ApplicationFormExport
from documents.bureau_summary import BureauSummary
from documents.enums import DocumentKind
from documents.institution_summary import InstitutionSummary
from documents.papers import papers_for_plans
from documents.provincial_summary import ProvincialSummary
from documents.scans import MAX_SCAN_BYTES, too_big_message
from documents.services import upload_bureau_scan, upload_plan_scan
from documents.sheets import XLSX
from documents.uploads import limit_uploads, too_large
from plans.access import get_plan_for_user
from plans.models import ApplicationForm

router = Router(tags=["documents"])


class ScanOut(Schema):
    id: int
    kind: DocumentKind
    certificate_id: int | None
    original_name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: str
    is_late: bool


class PaperOut(Schema):
    kind: DocumentKind
    title: str
    certificate_id: int | None
    can_generate: bool = Field(description="An application form can be generated once it has been filled in.")
    missing: bool = Field(description="No stamped scan of it has come back yet.")
    scans: list[ScanOut]


class PlanPapersOut(Schema):
    plan_id: int
    papers: list[PaperOut]


def scan_out(scan) -> dict:
    return {
        "id": scan.pk,
        "kind": scan.kind,
        "certificate_id": scan.certificate_id,
        "original_name": scan.original_name,
        "size": scan.size,
        "content_type": scan.content_type,
        "sha256": scan.sha256,
        "uploaded_at": scan.uploaded_at.isoformat(),
        "is_late": scan.is_late,
    }


@router.get(
    "/plans/{plan_id}/documents",
    operation_id="plan_documents_list",
    response={200: PlanPapersOut, **problems(404, 422)},
    summary="The papers a plan owes, and the stamped scans received",
)
def plan_papers(request, plan_id: Path[Id]):
    """Anyone who may see the plan. Each paper the plan owes back stamped (attachments 1 and 2), whether it can be
    generated, and the scans received."""
    plan = get_plan_for_user(request.user, plan_id)
    [papers] = papers_for_plans([plan])
    return {
        "plan_id": plan.pk,
        "papers": [
            {
                "kind": paper.kind,
                "title": paper.title,
                "certificate_id": paper.certificate_id,
                "can_generate": paper.has_form,
                "missing": paper.missing,
                "scans": [scan_out(scan) for scan in paper.scans],
            }
            for paper in papers.papers
        ],
    }


@router.get(
    "/plans/{plan_id}/documents/summary.xlsx",
    operation_id="plan_summary_download",
    response={200: None, **problems(404, 422)},
    openapi_extra=binary(XLSX),
    summary="The institution summary sheet (附件2), Excel",
)
def institution_summary(request, plan_id: Path[Id]):
    """Anyone who may see the plan. Counts against the per-user export limit (429 with `Retry-After`)."""
    export = InstitutionSummary(get_plan_for_user(request.user, plan_id))
    return download(export.render(), export.filename(), export.content_type)


class FormFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"


@router.get(
    "/plans/{plan_id}/documents/forms/{certificate_id}/{fmt}",
    operation_id="plan_forms_download",
    response={200: None, **problems(404, 422)},
    openapi_extra=binary(DOCX, PDF),
    summary="A new certificate's application form (附件1), Word or PDF",
)
def application_form(request, plan_id: Path[Id], certificate_id: Path[Id], fmt: Path[FormFormat]):
    """Anyone who may see the plan; 404 when the plan has no form for the certificate. Counts against the per-user
    export limit (429 with `Retry-After`)."""
    plan = get_plan_for_user(request.user, plan_id)
    try:
        export = ApplicationFormExport.for_plan(plan, certificate_id)
    except ApplicationForm.DoesNotExist as exc:
        raise Http404 from exc
    if fmt == FormFormat.DOCX:
        return download(export.docx(), export.filename("docx"), DOCX)
    return download(export.pdf(), export.filename("pdf"), PDF)


@router.get(
    "/rounds/{round_id}/bureaus/{bureau_id}/summary.xlsx",
    operation_id="bureau_summary_download",
    response={200: None, **problems(404, 422)},
    openapi_extra=binary(XLSX),
    summary="A bureau's summary of its schools, Excel (the bureau and the province)",
)
def bureau_summary(request, round_id: Path[Id], bureau_id: Path[Id]):
    """The bureau (its own) and the province. Counts against the per-user export limit (429 with `Retry-After`)."""
    export = BureauSummary(get_bureau_for_user(request.user, bureau_id), get_round_for_user(request.user, round_id))
    return download(export.render(), export.filename(), export.content_type)


@router.get(
    "/rounds/{round_id}/province/summary.xlsx",
    operation_id="province_summary_download",
    response={200: None, **problems(404, 422)},
    openapi_extra=binary(XLSX),
    summary="The province's summary by bureau, kind and certificate, Excel (the province)",
)
def provincial_summary(request, round_id: Path[Id]):
    """Provincial roles only (404 otherwise). Counts against the per-user export limit (429 with `Retry-After`)."""
    require_province(request.user)
    export = ProvincialSummary(get_round_for_user(request.user, round_id))
    # Tens of MB at national scale: streamed from disk, as on the page; the response closes the file.
    tmp = tempfile.TemporaryFile()  # noqa: SIM115
    export.write(tmp)
    tmp.seek(0)
    return private(attach(FileResponse(tmp, content_type=export.content_type), export.filename()))


@router.get(
    "/scans/{scan_id}",
    operation_id="scans_download",
    response={200: None, **problems(404, 422)},
    openapi_extra=binary("application/pdf", "image/jpeg", "image/png"),
    summary="Download a stamped scan",
)
def scan_download(request, scan_id: Path[Id]):
    """Anyone who may see the paper the scan belongs to (404 otherwise). Counts against the per-user export limit
    (429 with `Retry-After`)."""
    scan = get_scan_for_user(request.user, scan_id)
    response = FileResponse(default_storage.open(scan.stored_name, "rb"), content_type=scan.content_type)
    return private(attach(response, scan.download_name))


# --- uploads --------------------------------------------------------------------------------------------------


def limited(run):
    """Refuse an oversized body before anything reads it (413), and stop reading one that lies about its size —
    the guards of the upload pages (documents.uploads)."""

    @wraps(run)
    def guarded(request, *args, **kwargs):
        if too_large(request):
            return problem(413, type=BAD_FILE, title="File too large", detail=too_big_message())
        request.upload_limit = limit_uploads(request)
        return run(request, *args, **kwargs)

    return guarded


def _upload_refusal(request):
    if request.upload_limit.exceeded:
        return problem(413, type=BAD_FILE, title="File too large", detail=too_big_message())
    if request.upload_limit.unsafe_names:
        name = request.upload_limit.unsafe_names[0][:80]
        return problem(422, type=BAD_FILE, title="File refused", detail=f"The file name {name!r} is not acceptable.")
    return None


class PlanScanKind(StrEnum):
    INSTITUTION_SUMMARY = DocumentKind.INSTITUTION_SUMMARY.value
    APPLICATION_FORM = DocumentKind.APPLICATION_FORM.value


class PlanScanIn(Schema):
    kind: PlanScanKind
    certificate_id: Id | None = Field(None, description="For an application form: the new certificate it is for.")


UPLOAD_DOC = f"A PDF, JPG or PNG of at most {MAX_SCAN_BYTES // 1024 // 1024} MB, checked like on the page."


@router.post(
    "/plans/{plan_id}/scans",
    operation_id="plan_scans_upload",
    response={201: ScanOut, **problems(400, 403, 404, 413, 422)},
    summary="Upload the stamped scan of one of the plan's papers (the institution)",
    description=UPLOAD_DOC,
)
@decorate_view(limited)
def plan_scan_upload(request, plan_id: Path[Id], payload: Form[PlanScanIn], file: File[UploadedFile]):
    plan = get_plan_for_user(request.user, plan_id, write=True)
    if refusal := _upload_refusal(request):
        return refusal
    certificate = None
    if payload.certificate_id is not None:
        certificate = Certificate.objects.filter(pk=payload.certificate_id).first()
        if certificate is None:
            return field_error("certificate_id", "No such certificate.")
    scan = upload_plan_scan(user=request.user, plan=plan, kind=payload.kind, upload=file, certificate=certificate)
    return Status(201, scan_out(scan))


@router.post(
    "/rounds/{round_id}/bureaus/{bureau_id}/scans",
    operation_id="bureau_scans_upload",
    response={201: ScanOut, **problems(400, 403, 404, 413, 422)},
    summary="Upload the bureau's stamped summary of its schools (the bureau)",
    description=UPLOAD_DOC,
)
@decorate_view(limited)
def bureau_scan_upload(request, round_id: Path[Id], bureau_id: Path[Id], file: File[UploadedFile]):
    round_ = get_round_for_user(request.user, round_id)
    bureau = get_bureau_for_user(request.user, bureau_id)
    if refusal := _upload_refusal(request):
        return refusal
    scan = upload_bureau_scan(user=request.user, bureau=bureau, round_=round_, upload=file)
    return Status(201, scan_out(scan))
