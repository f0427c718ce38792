"""An institution's progress page, typed figures, the candidates of a line, and the audited reveal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.ratelimit import rate_limit
from monitoring import crypto, idnumbers, outlook, services
from monitoring.access import (
    CANDIDATES_PER_PAGE,
    TYPE_ROLES,
    candidates_of,
    get_candidate_for_user,
    get_institution_for_user,
    get_line_for_user,
)
from monitoring.forms import IdSearchForm, LineProgressForm, ReasonForm
from monitoring.report import institution_standing
from monitoring.views.common import year_from


@login_required
def mine(request):
    if not request.user.institution_id:
        return redirect("monitoring:dashboard")
    return redirect(reverse("monitoring:institution", args=[request.user.institution_id]))


@login_required
@require_GET
def institution(request, pk: int):
    found = get_institution_for_user(request.user, pk)
    year = year_from(request)
    standing = institution_standing(found, year, today=timezone.localdate())
    can_type = request.user.role in TYPE_ROLES and request.user.institution_id == found.pk
    forecast = outlook.institution_forecast(found.pk, year)
    outlook.with_line_forecasts(standing.lines, year, today=timezone.localdate())
    return render(
        request,
        "monitoring/institution.html",
        {"institution": found, "year": year, "standing": standing, "can_type": can_type, "forecast": forecast},
    )


@login_required
@require_POST
def line_progress(request, pk: int):
    line = get_line_for_user(request.user, pk, write=True)
    form = LineProgressForm(request.POST)
    target = reverse("monitoring:institution", args=[line.plan.institution_id]) + f"?year={line.plan.round.year}"
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("Enter whole numbers of 0 or more.")]:
            messages.error(request, str(error))
        return redirect(target)
    counts = services.Counts(**{k: form.cleaned_data[k] for k in ("registered", "examined", "passed")})
    try:
        services.record_line_progress(actor=request.user, line=line, counts=counts, reason=form.cleaned_data["reason"])
    except services.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved: %(line)s") % {"line": line})
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("candidates")
@rate_limit("id-lookup", methods=("POST",))
def line_candidates(request, pk: int):
    """A line's candidates, masked, 50 a page; each page shown is audited (who, which line, which page, when)."""
    line = get_line_for_user(request.user, pk)
    candidates = candidates_of(line)
    search = IdSearchForm(request.POST or None)
    searched = False
    if request.method == "POST" and search.is_valid():
        # Looked up by keyed hash: the number itself is neither stored nor put in a URL.
        searched = True
        try:
            number = idnumbers.clean(search.cleaned_data["id_number"])
        except idnumbers.IdNumberError as exc:
            search.add_error("id_number", exc.message)
            candidates = candidates.none()
        else:
            candidates = candidates.filter(id_hash=crypto.id_hash(number))
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    services.record_candidates_viewed(actor=request.user, line=line, page=page.number, shown=len(page.object_list))
    return render(
        request,
        "monitoring/candidates.html",
        {"line": line, "page": page, "search": IdSearchForm() if not searched else search, "searched": searched},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("reveal", methods=("POST",))
def reveal(request, pk: int):
    if not request.user.is_provincial_admin:
        raise PermissionDenied
    candidate = get_candidate_for_user(request.user, pk)
    form = ReasonForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = services.reveal_id_number(
                actor=request.user, candidate=candidate, reason=form.cleaned_data["reason"]
            )
        except services.Refused as exc:
            form.add_error("reason", exc.message)
    response = render(request, "monitoring/reveal.html", {"candidate": candidate, "form": form, "revealed": revealed})
    response["Cache-Control"] = "no-store"
    return response
