"""Receiving stamped scans and serving them back, only inside the user's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Certificate
from core.downloads import attach, private
from core.forms import error_messages
from documents.access import get_bureau_for_user, get_round_for_user, get_scan_for_user
from documents.forms import BureauScanForm, PlanScanForm
from documents.scans import ScanRefused, too_big_message
from documents.services import upload_bureau_scan, upload_plan_scan
from documents.uploads import limit_uploads, payload_too_large, too_large
from plans.access import get_plan_for_user
from plans.models import PlanLine


def guarded(view):
    """Refuse an oversized body before anything reads it, then check CSRF (see documents.uploads)."""
    inner = csrf_protect(require_POST(view))

    @csrf_exempt
    @login_required
    def wrapper(request, *args, **kwargs):
        if too_large(request):
            return payload_too_large()
        request.upload_limit = limit_uploads(request)
        return inner(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _refused(request) -> str | None:
    """Parse the body (within the guards of `guarded`) and say why it is refused, if it is."""
    request.FILES  # noqa: B018 - parsing happens here, after the scope check
    if request.upload_limit.exceeded:
        return too_big_message()
    if request.upload_limit.unsafe_names:
        return _("The file name %(name)r is not acceptable.") % {"name": request.upload_limit.unsafe_names[0][:80]}
    return None


def _report(request, form) -> None:
    for message in error_messages(form):
        messages.error(request, message)


@guarded
def plan_scan_upload(request, pk: int):
    plan = get_plan_for_user(request.user, pk, write=True)
    if refused := _refused(request):
        messages.error(request, refused)
        return redirect("plan_documents", plan.pk)
    lines = PlanLine.objects.filter(plan=plan).order_by("certificate_id")
    certificates = lines.values_list("certificate_id", "certificate__name").distinct()
    form = PlanScanForm(request.POST, request.FILES, certificates=list(certificates))
    if not form.is_valid():
        _report(request, form)
        return redirect("plan_documents", plan.pk)
    data = form.cleaned_data
    certificate = get_object_or_404(Certificate, pk=data["certificate"]) if data["certificate"] else None
    try:
        upload_plan_scan(user=request.user, plan=plan, kind=data["kind"], upload=data["file"], certificate=certificate)
    except ScanRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The stamped scan was received."))
    return redirect("plan_documents", plan.pk)


@guarded
def bureau_scan_upload(request, pk: int, bureau_id: int):
    round_ = get_round_for_user(request.user, pk)
    bureau = get_bureau_for_user(request.user, bureau_id)
    if refused := _refused(request):
        messages.error(request, refused)
        return redirect("bureau_documents", round_.pk, bureau.pk)
    form = BureauScanForm(request.POST, request.FILES)
    if not form.is_valid():
        _report(request, form)
        return redirect("bureau_documents", round_.pk, bureau.pk)
    try:
        upload_bureau_scan(user=request.user, bureau=bureau, round_=round_, upload=form.cleaned_data["file"])
    except ScanRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The stamped scan was received."))
    return redirect("bureau_documents", round_.pk, bureau.pk)


@login_required
@require_GET
def scan_download(request, pk: int):
    scan = get_scan_for_user(request.user, pk)
    response = FileResponse(default_storage.open(scan.stored_name, "rb"), content_type=scan.content_type)
    return private(attach(response, scan.download_name))
