"""The dashboard, each chart's data, each figure as a table and as Excel, and the drill-down."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.ratelimit import export_limit
from institutions.enums import InstitutionKind
from monitoring import drilldown, exports, figures
from monitoring.checkpoints import live_target
from monitoring.enums import Standing
from monitoring.models import Checkpoint
from monitoring.views.common import download, year_from

DRILL_FILTERS = ("bureau", "kind", "certificate", "checkpoint")
INSTITUTIONS_PER_PAGE = 100
CHART_LABELS = {
    "completion": _("completion rate (%)"),
    "target": _("target (%)"),
    "approved": _("approved headcount"),
    "registered": _("registered"),
    "examined": _("examined"),
    "passed": _("passed"),
    "top": _("top 10"),
    "bottom": _("bottom 10"),
    "empty": _("No figures yet."),
}


@login_required
def index(request):
    if request.user.is_institution_user:
        return redirect("monitoring:mine")
    return redirect("monitoring:dashboard")


@login_required
@require_GET
def dashboard(request):
    year = year_from(request)
    user = request.user
    target, month = live_target(year, today=timezone.localdate())
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "year": year,
            **figures.cached_headline(user, year),  # total, flagged, refreshed_at
            "target": target,
            "target_month": month,
            "charts": list(figures.TITLES.items()),
            "chart_labels": CHART_LABELS,
            "checkpoints": Checkpoint.objects.filter(year=year).order_by("month"),
        },
    )


def _figure(request, name: str):
    year = year_from(request)
    try:
        return year, figures.cached_figure(request.user, year, name)
    except KeyError as exc:
        raise Http404 from exc


@login_required
@require_GET
def figure_data(request, name: str):
    try:
        content = figures.cached_figure_json(request.user, year_from(request), name)
    except KeyError as exc:
        raise Http404 from exc
    return HttpResponse(content, content_type="application/json")


@login_required
@require_GET
def dashboard_data(request):
    """Every chart's figures in one answer, by name: the dashboard's script asks once (one session and sign-in
    check instead of one per chart)."""
    return HttpResponse(figures.cached_charts(request.user, year_from(request)), content_type="application/json")


@login_required
@require_GET
def figure_table(request, name: str):
    year, figure = _figure(request, name)
    return render(request, "monitoring/figure_table.html", {"figure": figure, "year": year, "name": name})


@login_required
@require_GET
@export_limit
def figure_xlsx(request, name: str):
    year, figure = _figure(request, name)
    return download(exports.figure_xlsx(figure, year=year), f"{year}年{figure.title}.xlsx")


def _drill(request, window: slice | None = None):
    year = year_from(request)
    filters = {}
    for key in DRILL_FILTERS:
        value = request.GET.get(key, "")
        if key == "kind":
            if value in InstitutionKind.values:
                filters[key] = value
        elif value.isdigit():
            filters[key] = int(value)
    standing = request.GET.get("standing", "")
    if standing in Standing.values or standing == "behind":
        filters["standing"] = standing
    if "checkpoint" in filters:
        checkpoint = Checkpoint.objects.filter(pk=filters["checkpoint"]).first()
        if checkpoint is None:
            raise Http404
        year, target = checkpoint.year, checkpoint.target
    else:
        target, _month = live_target(year, today=timezone.localdate())
    if window is None:  # the whole list, for Excel: built each time (exports are rate-limited)
        return year, filters, drilldown.institutions(request.user, year, target=target, filters=filters)
    return year, filters, drilldown.cached_page(request.user, year, target=target, filters=filters, window=window)


@login_required
@require_GET
def institutions(request):
    # A page at a time: nationally "everyone behind" is thousands of institutions (Excel has them all).
    number = request.GET.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    window = slice((number - 1) * INSTITUTIONS_PER_PAGE, number * INSTITUTIONS_PER_PAGE)
    year, filters, figure = _drill(request, window)
    query = request.GET.copy()
    query.pop("page", None)
    pages = max((figure.total - 1) // INSTITUTIONS_PER_PAGE + 1, 1)
    return render(
        request,
        "monitoring/institutions.html",
        {
            "figure": figure,
            "year": year,
            "filters": filters,
            "query": query.urlencode(),
            "page": number,
            "pages": pages,
        },
    )


@login_required
@require_GET
@export_limit
def institutions_xlsx(request):
    year, _filters, figure = _drill(request)
    return download(exports.figure_xlsx(figure, year=year), f"{year}年院校考核进度.xlsx")
