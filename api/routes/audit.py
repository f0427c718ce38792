"""The whole audit log: search and export, for whoever the audit pages let in (audit.services.may_read_log), with
the pages' criteria (audit.forms.AuditSearchForm.apply) and the pages' export (audit.services.export_log)."""

from __future__ import annotations

import tempfile
from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from accounts.enums import Role
from api import serializers
from api.common import role_refusal
from api.downloads import binary
from api.fields import line
from api.limits import EXPORT_DOC
from api.pagination import PageIn, PageOut, paged
from api.problems import field_error, problems
from api.schemas import EventOut
from audit.forms import AuditSearchForm
from audit.models import AuditEvent
from audit.services import export_filename, export_log, may_read_log
from core.downloads import attach, private
from documents.sheets import XLSX

router = Router(tags=["audit"])
WHO = "The provincial admin only, as the audit pages (403 for every other role)."


class AuditQuery(Schema):
    actor: line(150) = Field("", description="Part of the actor's user name.")  # type: ignore[valid-type]
    role: Role | Literal["system"] | None = Field(None, description="The actor's role then; `system` for jobs.")
    action: line(60) = Field("", description="The start of the action: `review.` or `plan.sign_off`.")  # type: ignore[valid-type]
    object: line(200) = Field("", description="Part of the object's name, or `type#id` (`plans.plan#12`).")  # type: ignore[valid-type]
    date_from: date | None = Field(None, description="From this day on (Asia/Shanghai).")
    date_to: date | None = Field(None, description="Up to and including this day (Asia/Shanghai).")


class EventPage(PageOut):
    items: list[EventOut]


def _searched(request, query: AuditQuery):
    """The form of the audit page, bound to the query: (form, None), or (None, the 422 it refuses with)."""
    if not may_read_log(request.user):
        raise PermissionDenied(role_refusal(request.user))
    data = {name: "" if value is None else str(value) for name, value in query.model_dump().items()}
    form = AuditSearchForm(data)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        return None, field_error("date_from" if field == "__all__" else field, str(messages[0]), where="query")
    return form, None


SEARCH_DOC = (
    "Criteria combine (all must hold); dates are whole days in Asia/Shanghai, `date_from` ≤ `date_to` (else 422)."
)


@router.get(
    "/audit/events",
    response={200: EventPage, **problems(403, 422)},
    operation_id="audit_events_list",
    summary="Search the audit log, newest first",
    description=f"{WHO} {SEARCH_DOC}",
)
def audit_events_list(request, query: Query[AuditQuery], page: Query[PageIn]):
    form, refusal = _searched(request, query)
    if form is None:
        return refusal
    events = form.apply(AuditEvent.objects.all()).order_by("-at", "-id")
    return paged(events, page, lambda event: serializers.event(event, with_ip=True))


@router.get(
    "/audit/events/export.xlsx",
    response={200: None, **problems(403, 422)},
    openapi_extra=binary(XLSX),
    operation_id="audit_events_download",
    summary="The audit log's matching events as an Excel workbook",
    description=f"{WHO} {SEARCH_DOC} The export is itself audited (`audit.export`). {EXPORT_DOC}",
)
def audit_events_download(request, query: Query[AuditQuery]):
    form, refusal = _searched(request, query)
    if form is None:
        return refusal
    # Large logs go through a temporary file, not memory; the response closes (and so removes) it.
    target = tempfile.TemporaryFile()  # noqa: SIM115
    events = form.apply(AuditEvent.objects.all())
    export_log(actor=request.user, events=events, criteria=form.criteria(), target=target)
    target.seek(0)
    response = FileResponse(target, content_type=XLSX)
    return private(attach(response, export_filename(today=timezone.localdate())))
