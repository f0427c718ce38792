"""The audit log for the provincial admin: search it, export it. (A plan's timeline lives with the review.)"""

from __future__ import annotations

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from audit.forms import AuditSearchForm
from audit.models import AuditEvent
from audit.services import export_filename, export_log, may_read_log
from core.access import user_passes
from core.downloads import attach
from core.ratelimit import export_limit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@user_passes(may_read_log)
def search(request):
    form = AuditSearchForm(request.GET or None)
    events = form.apply(AuditEvent.objects.all())
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


@user_passes(may_read_log)
@export_limit
def export(request):
    form = AuditSearchForm(request.GET or None)
    # Large logs go through a temporary file, not memory; it is removed when the response closes it.
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    export_log(actor=request.user, events=form.apply(AuditEvent.objects.all()), criteria=form.criteria(), target=target)
    target.seek(0)
    response = FileResponse(target, content_type=XLSX)
    return attach(response, export_filename(today=timezone.localdate()))
