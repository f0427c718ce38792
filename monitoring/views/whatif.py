"""What-if caps (the provincial office and observers): up to three scenarios side by side, their chart and their
Excel; nothing is written. Making a scenario the province's settings is the admin's separate, audited step."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.enums import Role
from core.models import ProvinceSettings
from core.ratelimit import export_limit
from monitoring import scenarios, whatif, whatif_export
from monitoring.access import WHATIF_ROLES
from monitoring.checkpoints import live_target
from monitoring.enums import WhatIfSource
from monitoring.errors import Refused
from monitoring.rates import parse_targets
from monitoring.views.common import download, year_from

SUGGESTED = (None, Decimal(40), Decimal(60))  # the settings' threshold first, then 40 % and 60 %
CHART_LABELS = {
    "capped": gettext_lazy("institutions capped"),
    "limited": gettext_lazy("headcount limited"),
    "none": gettext_lazy("No institution capped."),
}


class ScenarioForm(forms.Form):
    threshold = forms.DecimalField(
        label=gettext_lazy("threshold (%)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    targets = forms.RegexField(
        label=gettext_lazy("checkpoint targets (Feb, Apr, Jun, Aug, Oct, Dec) in %"),
        regex=r"^\s*\d{1,3}(\.\d{1,2})?(\s*,\s*\d{1,3}(\.\d{1,2})?){0,5}\s*$",
        max_length=100,
        required=False,
    )
    source = forms.ChoiceField(label=gettext_lazy("rates"), choices=WhatIfSource.choices, required=False)


def scenario_forms(query) -> list[ScenarioForm]:
    """The three scenario forms: from the query, else the settings' threshold, 40 % and 60 % on the forecasts."""
    settings = ProvinceSettings.current()
    found = []
    for number, suggested in enumerate(SUGGESTED, start=1):
        initial = {
            "threshold": suggested or settings.cap_completion_threshold,
            "targets": settings.checkpoint_targets,
            "source": WhatIfSource.FORECAST,
        }
        data = query if any(key.startswith("s") and "-" in key for key in query) else None
        found.append(ScenarioForm(data, prefix=f"s{number}", initial=initial))
    return found


def chosen(forms_: list[ScenarioForm]) -> list[whatif.Scenario]:
    found = []
    for form in forms_:
        values = (form.cleaned_data if form.is_bound and form.is_valid() else None) or {
            name: form.initial[name] for name in ("threshold", "targets", "source")
        }
        if form.is_bound and (not form.is_valid() or values.get("threshold") is None):
            continue
        found.append(
            whatif.Scenario(
                threshold=Decimal(values["threshold"]),
                targets=parse_targets(values["targets"] or ProvinceSettings.current().checkpoint_targets),
                source=values["source"] or WhatIfSource.FORECAST,
            )
        )
    return found[: whatif.MAX_SCENARIOS]


def outcomes(request) -> tuple[int, list[ScenarioForm], list[whatif.Outcome]]:
    year = year_from(request)
    forms_ = scenario_forms(request.GET)
    _target, month = live_target(year, today=timezone.localdate())
    found = scenarios.cases(request.user, year)
    return year, forms_, [whatif.simulate(found, s, month=month or 12) for s in chosen(forms_)]


@role_required(*WHATIF_ROLES)
@require_GET
def what_if(request):
    year, forms_, results = outcomes(request)
    return render(
        request,
        "monitoring/whatif.html",
        {
            "year": year,
            "forms": forms_,
            "outcomes": results,
            "chart": whatif_export.chart_data(results),
            "chart_labels": CHART_LABELS,
            "query": request.GET.urlencode(),
            "can_apply": request.user.is_provincial_admin,
            "settings": ProvinceSettings.current(),
        },
    )


@role_required(*WHATIF_ROLES)
@require_GET
@export_limit
def what_if_xlsx(request):
    year, _forms, results = outcomes(request)
    return download(whatif_export.workbook(results, year=year), f"{year}年完成率限报情景模拟.xlsx")


@role_required(Role.PROVINCIAL_ADMIN)
@require_POST
def what_if_apply(request):
    form = ScenarioForm(request.POST)
    if not form.is_valid() or form.cleaned_data["threshold"] is None:
        messages.error(request, _("Enter a threshold from 0 to 100 and targets like 0,10,30,45,65,90."))
        return redirect("monitoring:what_if")
    try:
        scenarios.apply_scenario(
            actor=request.user,
            threshold=form.cleaned_data["threshold"],
            targets=form.cleaned_data["targets"] or ProvinceSettings.current().checkpoint_targets,
        )
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The province's threshold and checkpoint targets are changed."))
    return redirect(reverse("monitoring:what_if"))
