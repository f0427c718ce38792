"""Upload, map and preview, confirm, and follow an import; the template and the bad-row list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from core.ratelimit import export_limit
from monitoring import exports, services, withdrawals, xlsx
from monitoring.access import IMPORT_ROLES, get_import_for_user
from monitoring.enums import ImportKind, ImportStatus
from monitoring.forms import MappingForm, ReasonForm, UploadForm
from monitoring.models import ProgressImport
from monitoring.previewing import header_choices, preview, unmapped
from monitoring.views.common import download

RECENT = 30


@role_required(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def imports(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_import(
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                institution=form.cleaned_data.get("institution"),
            )
        except services.Refused as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:imports")
        return redirect("monitoring:import_map", job.pk)
    recent = ProgressImport.objects.for_user(request.user).select_related("institution", "created_by")[:RECENT]
    return render(request, "monitoring/imports.html", {"form": form, "imports": recent})


@role_required(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def import_map(request, pk: int):
    job = get_import_for_user(request.user, pk)
    if job.status != ImportStatus.UPLOADED:
        return redirect("monitoring:import_detail", job.pk)
    form = MappingForm(request.POST or None, job=job)
    mapping = job.mapping
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if "confirm" in request.POST:
            try:
                services.confirm_import(
                    actor=request.user,
                    job=job,
                    mapping=mapping,
                    mode=form.cleaned_data["mode"],
                    layout_name=form.cleaned_data["layout_name"],
                )
            except services.Refused as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("monitoring:import_detail", job.pk)
    try:
        fields, rows = preview(job, mapping)
        choices = header_choices(job)
    except xlsx.UnreadableFile as exc:
        messages.error(request, exc.message)
        fields, rows, choices = [], [], []
    context = {
        "job": job,
        "form": form,
        "fields": fields,
        "rows": rows,
        "header_choices": choices,
        "unmapped": unmapped(job, mapping),
    }
    return render(request, "monitoring/import_map.html", context)


@role_required(*IMPORT_ROLES)
@require_POST
def import_header(request, pk: int):
    """Another row is the header: the mapping is guessed again from its names."""
    job = get_import_for_user(request.user, pk)
    try:
        number = int(request.POST.get("header_row", ""))
    except ValueError:
        number = 0
    try:
        services.choose_header_row(actor=request.user, job=job, number=number)
    except services.Refused as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:import_map", job.pk)


@role_required(*IMPORT_ROLES)
@require_GET
def import_detail(request, pk: int):
    job = get_import_for_user(request.user, pk)
    template = "monitoring/_import_progress.html" if request.headers.get("HX-Request") else "monitoring/import.html"
    context = {
        "job": job,
        "issues": job.issues[:200],
        "may_withdraw": withdrawals.may_withdraw(request.user, job, now=timezone.now()),
        "reason_form": ReasonForm(),
    }
    if job.status == ImportStatus.DONE and job.institution_id:
        context["deadline"] = withdrawals.next_checkpoint_day(job)
    return render(request, template, context)


@role_required(*IMPORT_ROLES)
@require_POST
def import_confirm_figures(request, pk: int):
    """The implausible figures of a held import are right: it is queued again with the reason."""
    job = get_import_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.Refused(_("Give the reason the figures are right."))
        services.confirm_implausible(actor=request.user, job=job, reason=form.cleaned_data["reason"])
    except services.Refused as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:import_detail", job.pk)


@role_required(*IMPORT_ROLES)
@require_POST
def import_discard(request, pk: int):
    """A held import is dropped (its file is wrong): nothing was written, its file is deleted."""
    job = get_import_for_user(request.user, pk)
    try:
        services.discard_held(actor=request.user, job=job)
    except services.Refused as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:import_detail", job.pk)


@role_required(*IMPORT_ROLES)
@require_POST
def import_withdraw(request, pk: int):
    """撤销导入: the import's figures are taken back (see monitoring.withdrawals)."""
    job = get_import_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.Refused(_("Give the reason for withdrawing the import."))
        _job, kept = withdrawals.withdraw_import(actor=request.user, job=job, reason=form.cleaned_data["reason"])
    except services.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The import was withdrawn and the figures recomputed."))
        if kept:
            messages.warning(
                request,
                _("%(count)s lines were changed after this import and keep their present figures.") % {"count": kept},
            )
    return redirect("monitoring:import_detail", job.pk)


@role_required(*IMPORT_ROLES)
@require_GET
@export_limit
def import_issues(request, pk: int):
    job = get_import_for_user(request.user, pk)
    if not job.issues:
        raise Http404
    return download(exports.issues_xlsx(job), _("import-issues-%(pk)s.xlsx") % {"pk": job.pk})


@role_required(*IMPORT_ROLES)
@require_GET
@export_limit
def import_template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404
    name = "考生成绩导入模板.xlsx" if kind == ImportKind.CANDIDATES else "条目进度导入模板.xlsx"
    return download(exports.template_xlsx(kind), name)
