"""The round bundle: ask for it, watch it being built (htmx polling), download it within a week."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.downloads import attach, private
from core.ratelimit import export_limit
from documents.access import get_bundle_for_user, get_round_for_user, require_province
from documents.bundle import bundle_filename, open_bundle
from documents.services import request_bundle


@login_required
@require_POST
def bundle_request(request, pk: int):
    require_province(request.user)
    bundle = request_bundle(user=request.user, round_=get_round_for_user(request.user, pk))
    return redirect("bundle_detail", bundle.pk)


@login_required
@require_GET
def bundle_detail(request, pk: int):
    bundle = get_bundle_for_user(request.user, pk)
    return render(request, "documents/bundle.html", {"bundle": bundle, "now": timezone.now()})


@login_required
@require_GET
def bundle_progress(request, pk: int):
    bundle = get_bundle_for_user(request.user, pk)
    return render(request, "documents/_bundle_progress.html", {"bundle": bundle, "now": timezone.now()})


@login_required
@require_GET
@export_limit
def bundle_download(request, pk: int):
    bundle = get_bundle_for_user(request.user, pk)
    stored = open_bundle(bundle, at=timezone.now())
    if stored is None:
        return HttpResponse(_("This bundle is no longer available; ask for a new one."), status=410)
    return private(attach(FileResponse(stored, content_type="application/zip"), bundle_filename(bundle.round)))
