"""The audit log for the provincial admin: search it, export it. (A plan's timeline lives with the review.)"""

from __future__ import annotations

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.exporters import AuditExcelExporter
from audit.forms import AuditSearchForm
from audit.models import AuditEvent
from audit.services import record
from core.access import user_passes
from core.downloads import attach
from core.ratelimit import export_limit


@user_passes(lambda user: user.is_provincial_admin)
def search(request):
    form = AuditSearchForm(request.GET or None)
    events = form.apply(AuditEvent.objects.all())
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


@user_passes(lambda user: user.is_provincial_admin)
@export_limit
def export(request):
    form = AuditSearchForm(request.GET or None)
    events = form.apply(AuditEvent.objects.all())
    # Large logs go through a temporary file, not memory; it is removed when the response closes it.
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    rows = AuditExcelExporter(events).write(target)
    target.seek(0)
    record(
        actor=request.user,
        action="audit.export",
        obj=request.user,
        before={"criteria": form.criteria() or "all"},
        after={"rows": rows},
        reason=_("export of the audit log"),
    )
    filename = f"审计日志{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(target, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return attach(response, filename)
