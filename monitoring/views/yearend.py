"""The year-end close: review what every institution's rate will be and what R3 then does, confirm (a new
version of the year's rates), reopen with a reason, and lift one cap with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.enums import Role
from core.models import ProvinceSettings
from monitoring import services, yearend
from monitoring.access import OFFICE_ROLES, get_institution_for_user
from monitoring.forms import CloseForm, ReasonForm
from monitoring.models import YearEndClose


@role_required(*OFFICE_ROLES, Role.OBSERVER)
def year_end_default(request):
    """December closes this year; the rest of the year the last one is the one to close."""
    today = timezone.localdate()
    return redirect("monitoring:year_end", today.year if today.month == 12 else today.year - 1)


@role_required(*OFFICE_ROLES, Role.OBSERVER)
@require_http_methods(["GET"])
def year_end(request, year: int):
    versions = list(YearEndClose.objects.filter(year=year).select_related("confirmed_by", "reopened_by"))
    closed = next((v for v in versions if v.reopened_at is None), None)
    rows = services.prepare_review(year=year)
    capped = [r for r in rows if r.capped]
    return render(
        request,
        "monitoring/year_end.html",
        {
            "year": year,
            "rows": rows,
            "capped": capped,
            "over_cap": [r for r in capped if r.over_cap],
            "closed": closed,
            "versions": versions,
            "threshold": ProvinceSettings.current().cap_completion_threshold,
            "close_form": CloseForm(initial={"reviewed": yearend.fingerprint(rows)}),
            "can_close": request.user.role in OFFICE_ROLES,
            "can_reopen": request.user.is_provincial_admin,
            "can_lift": request.user.is_provincial_admin,
            "lift_form": ReasonForm(),
        },
    )


@role_required(*OFFICE_ROLES)
@require_POST
def year_end_close(request, year: int):
    form = CloseForm(request.POST)
    closed = None
    if form.is_valid():
        chosen = {int(pk) for pk in request.POST.getlist("use_computed") if pk.isdigit()}
        try:
            # Closed already by this user (a second click): the same result as the first.
            closed, _now = services.close_year_once(
                actor=request.user, year=year, reviewed=form.cleaned_data["reviewed"], use_computed=chosen
            )
        except services.Refused as exc:
            messages.error(request, exc.message)
        if closed is not None:
            messages.success(
                request,
                _("The year %(year)s is closed: %(n)s rates fixed, %(capped)s institutions capped next year.")
                % {"year": year, "n": closed.institutions, "capped": closed.capped},
            )
    return redirect("monitoring:year_end", year)


@role_required(Role.PROVINCIAL_ADMIN)
@require_POST
def year_end_reopen(request, year: int):
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.Refused(_("Give the reason for reopening the year."))
        services.reopen_year(actor=request.user, year=year, reason=form.cleaned_data["reason"])
    except services.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The year %(year)s is reopened: the previous rates are back.") % {"year": year})
    return redirect("monitoring:year_end", year)


@role_required(Role.PROVINCIAL_ADMIN)
@require_POST
def lift_cap(request, year: int, institution: int):
    found = get_institution_for_user(request.user, institution)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for lifting the cap."))
        return redirect("monitoring:year_end", year)
    try:
        services.lift_cap(actor=request.user, institution=found, year=year, reason=form.cleaned_data["reason"])
    except services.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The cap of %(name)s for %(next)s is lifted.") % {"name": found, "next": year + 1})
    return redirect("monitoring:year_end", year)
