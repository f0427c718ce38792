"""A plan's lines as an Excel round trip: the template with the plan's lines, the upload's preview (lines added,
changed, missing) and its confirmation, applied in one transaction — plans.excel and plans.line_import, as on the
plan page.

The API keeps nothing between the two calls: the confirmation sends the same file again with the preview's
`digest`, and is applied only if the file still does to the plan exactly what the preview showed.
"""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpResponse
from ninja import File, Form, Path, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from pydantic import Field

from api.common import require_step
from api.downloads import binary
from api.fields import Id
from api.limits import EXPORT_DOC
from api.problems import BAD_FILE, problem, problems
from api.routes.documents import _upload_refusal, limited
from api.schemas import Ref
from catalog.enums import Level
from catalog.models import Certificate
from core.downloads import private
from documents.sheets import XLSX
from plans import workflow
from plans.access import get_plan_for_user
from plans.excel import template_response
from plans.line_import import Applied, FileLine, LineDiff, apply_lines, compare, read_lines
from plans.models import Plan
from plans.workflow import Step

router = Router(tags=["plan-lines"])
MAX_ERRORS = 50  # as many row messages as the page shows


class FileLineOut(Schema):
    row: int = Field(description="The spreadsheet row it came from.")
    certificate: Ref
    level: Level
    major_name: str
    major_code: str
    headcount: int
    remark: str
    justification: str


class FieldChangeOut(Schema):
    field: str = Field(description="The field's label.")
    before: str
    after: str


class ChangedOut(Schema):
    line_id: int
    row: int
    changes: list[FieldChangeOut]


class MissingOut(Schema):
    line_id: int
    certificate: Ref
    level: Level
    major_name: str
    headcount: int


class PreviewOut(Schema):
    digest: str = Field(description="What this preview shows: send it with the same file to apply exactly this.")
    added: list[FileLineOut]
    changed: list[ChangedOut]
    missing: list[MissingOut] = Field(
        description="Lines of the plan the file lacks: removed only if listed in `remove` when applying."
    )
    unchanged: int


def _ref(certificate_id: int, names: dict[int, str]) -> dict:
    return {"id": certificate_id, "name": names[certificate_id]}


def preview_out(diff: LineDiff) -> dict:
    wanted = [new.certificate_id for new in diff.added] + [line.certificate_id for line in diff.missing]
    names = dict(Certificate.objects.filter(pk__in=wanted).values_list("pk", "name"))
    added = [
        {**asdict(new), "certificate": _ref(new.certificate_id, names)}  # the row, the line's cells
        for new in diff.added
    ]
    changed = [
        {
            "line_id": change.line.pk,
            "row": change.new.row,
            "changes": [{"field": field, "before": before, "after": after} for field, before, after in change.fields],
        }
        for change in diff.changed
    ]
    missing = [
        {
            "line_id": line.pk,
            "certificate": _ref(line.certificate_id, names),
            "level": line.level,
            "major_name": line.major_name,
            "headcount": line.headcount,
        }
        for line in diff.missing
    ]
    return {"digest": diff.digest, "added": added, "changed": changed, "missing": missing, "unchanged": diff.unchanged}


@router.get(
    "/{plan_id}/lines/template.xlsx",
    response={200: None, **problems(404, 422)},
    openapi_extra=binary(XLSX),
    operation_id="plan_lines_template_download",
    summary="The plan's lines as an Excel template, to fill in and upload again",
    description="Anyone who sees the plan, in any state (404 outside scope). The workbook has the plan's lines and "
    f"drop-downs for certificates and levels; plan_lines_import_preview reads it back. {EXPORT_DOC}",
)
def plan_lines_template_download(request, plan_id: Path[Id]):
    return private(template_response(get_plan_for_user(request.user, plan_id)))


def _read(request, plan_id: int, file) -> tuple[Plan, list[FileLine]] | HttpResponse:
    """(plan, the file's checked lines), or the problem that refuses the request (the file, its rows)."""
    user = request.user
    plan = get_plan_for_user(user, plan_id, write=True)
    require_step(user, plan, workflow.TABLE, Step.EDIT)
    if refusal := _upload_refusal(request):
        return refusal
    read = read_lines(file)
    if read.errors:
        errors = [{"field": "file", "location": "file", "message": e, "code": "row"} for e in read.errors[:MAX_ERRORS]]
        detail = "; ".join(read.errors[:3])
        return problem(422, type=BAD_FILE, title="File refused", detail=detail, errors=errors)
    return plan, read.lines


EDIT_DOC = (
    "Institution staff of the plan's institution while it is editable (draft or returned; 403 for other roles, "
    "404 outside scope). A file that is not the template or has bad rows answers 422 file-refused with one entry "
    "in `errors` per bad row (its spreadsheet row number and why)."
)


@router.post(
    "/{plan_id}/lines/import/preview",
    response={200: PreviewOut, **problems(400, 403, 404, 409, 413, 422)},
    operation_id="plan_lines_import_preview",
    summary="Read a filled-in template and say what it would change; nothing is written",
    description=EDIT_DOC,
)
@decorate_view(limited)
def plan_lines_import_preview(request, plan_id: Path[Id], file: File[UploadedFile]):
    read = _read(request, plan_id, file)
    if isinstance(read, HttpResponse):
        return read
    plan, lines = read
    return preview_out(compare(plan, lines))


class ApplyIn(Schema):
    digest: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$", description="The preview's `digest`.")
    remove: list[Id] = Field(
        default_factory=list, max_length=900, description="Missing lines to remove (ids from the preview's `missing`)."
    )


class AppliedOut(Schema):
    added: int
    changed: int
    removed: int


def applied_out(applied: Applied) -> dict:
    return {"added": applied.added, "changed": applied.changed, "removed": applied.removed}


@router.post(
    "/{plan_id}/lines/import",
    response={200: AppliedOut, **problems(400, 403, 404, 409, 413, 422)},
    operation_id="plan_lines_import_apply",
    summary="Apply a previewed template to the plan, all of it or nothing",
    description=f"{EDIT_DOC} Send the same file with the preview's `digest`: 409 step-refused when the plan or the "
    "file changed since (preview again); a line the rules refuse (R1 window, R4, R5…) undoes the whole import "
    "(409, or 422 with `violations`). Each line written is audited as on the page.",
)
@decorate_view(limited)
def plan_lines_import_apply(request, plan_id: Path[Id], payload: Form[ApplyIn], file: File[UploadedFile]):
    read = _read(request, plan_id, file)
    if isinstance(read, HttpResponse):
        return read
    plan, lines = read
    applied = apply_lines(actor=request.user, plan=plan, lines=lines, digest=payload.digest, remove=set(payload.remove))
    return applied_out(applied)
