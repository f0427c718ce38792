"""Checkpoints: the list, taking one, and the report (通报) as a page, a workbook and a PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from core.ratelimit import export_limit
from monitoring import exports, report, services
from monitoring.access import OFFICE_ROLES, get_checkpoint_for_user
from monitoring.forms import CheckpointForm
from monitoring.models import Checkpoint
from monitoring.rates import is_due, last_checkpoint
from monitoring.records import WarningSent
from monitoring.views.common import download


@login_required
@require_GET
def checkpoint_list(request):
    year, month = last_checkpoint(timezone.localdate())
    form = CheckpointForm(initial={"year": year, "month": month})
    return render(
        request,
        "monitoring/checkpoints.html",
        {"checkpoints": Checkpoint.objects.all(), "form": form, "can_take": request.user.role in OFFICE_ROLES},
    )


@role_required(*OFFICE_ROLES)
@require_POST
def checkpoint_take(request):
    form = CheckpointForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year and a checkpoint month."))
        return redirect("monitoring:checkpoints")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    if not is_due(year, month, today=timezone.localdate()):
        messages.error(
            request, _("The checkpoint %(year)s-%(month)02d has not come yet.") % {"year": year, "month": month}
        )
        return redirect("monitoring:checkpoints")
    checkpoint, taken = services.take_checkpoint(year=year, month=month, actor=request.user)
    if taken:
        messages.success(request, _("Checkpoint %(checkpoint)s taken.") % {"checkpoint": checkpoint})
    else:
        messages.info(
            request, _("Checkpoint %(checkpoint)s was taken before; nothing changed.") % {"checkpoint": checkpoint}
        )
    return redirect("monitoring:report", checkpoint.pk)


BEHIND_PER_PAGE = 200


def _bureau(request) -> int | None:
    value = request.GET.get("bureau", "")
    return int(value) if value.isdigit() else None


@login_required
@require_GET
def checkpoint_report(request, pk: int):
    if request.user.is_institution_user:
        return redirect("monitoring:mine")
    checkpoint = get_checkpoint_for_user(request.user, pk)
    bureau = _bureau(request)
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    window = slice((number - 1) * BEHIND_PER_PAGE, number * BEHIND_PER_PAGE)
    built = report.build(checkpoint, request.user, bureau=bureau, window=window)
    pages = max((built.behind_count - 1) // BEHIND_PER_PAGE + 1, 1)
    context: dict[str, object] = {
        "report": built,
        "bureau": bureau,
        "page": number,
        "pages": pages,
        "query": _query(bureau),
    }
    if request.user.sees_everything:
        context["warned"] = warned(checkpoint)
    context["can_draft"] = request.user.role in OFFICE_ROLES
    return render(request, "monitoring/report.html", context)


def warned(checkpoint: Checkpoint) -> list:
    """Who was warned after `checkpoint` (the office's view): one row per message, with read and e-mailed."""
    return list(
        WarningSent.objects.filter(checkpoint=checkpoint)
        .select_related("notification__recipient", "institution", "bureau")
        .order_by("bureau_id", "institution__name", "notification__recipient__username")
    )


def _query(bureau: int | None) -> str:
    return f"bureau={bureau}" if bureau else ""


@login_required
@require_GET
@export_limit
def report_xlsx(request, pk: int):
    if request.user.is_institution_user:
        return redirect("monitoring:mine")
    checkpoint = get_checkpoint_for_user(request.user, pk)
    built = report.build(checkpoint, request.user, bureau=_bureau(request))
    return download(exports.report_xlsx(built), exports.report_filename(checkpoint, "xlsx"))


@login_required
@require_GET
@export_limit
def report_pdf(request, pk: int):
    if request.user.is_institution_user:
        return redirect("monitoring:mine")
    checkpoint = get_checkpoint_for_user(request.user, pk)
    pdf = exports.report_pdf(report.build(checkpoint, request.user, bureau=_bureau(request)))
    return download(pdf, exports.report_filename(checkpoint, "pdf"), "application/pdf")
