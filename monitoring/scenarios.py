"""What-if caps from the database: the year's institutions with their recorded, current and forecast rates and
next year's demand (read only, a fixed number of queries), and the one audited step that makes a scenario the
province's settings."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from core.models import ProvinceSettings
from institutions.enums import InstitutionKind
from institutions.models import Institution
from monitoring import forecasting
from monitoring.enums import WhatIfSource
from monitoring.errors import Refused
from monitoring.rates import parse_targets, rate
from monitoring.whatif import Case
from plans.enums import PlanStatus
from plans.models import InstitutionYear, PlanLine
from plans.rules.facts import submitted_figure

SETTINGS_FIELDS = ["cap_completion_threshold", "checkpoint_targets"]


def demand(year: int) -> dict[int, int]:
    """Institution id → next year's planned headcount (plans that left the institution); where there is none yet,
    the headcount it asked for in `year`. Two queries."""
    asked = (
        PlanLine.objects.filter(plan__round__year=year, plan__status=PlanStatus.PUBLISHED)
        .values("plan__institution_id")
        .annotate(n=Sum("headcount"))
        .order_by()
    )
    found = {row["plan__institution_id"]: row["n"] or 0 for row in asked}
    following = (
        PlanLine.objects.filter(plan__round__year=year + 1, plan__status__in=PlanStatus.submitted())
        .values("plan__institution_id")
        .annotate(n=Sum(submitted_figure()))
        .order_by()
    )
    found.update({row["plan__institution_id"]: row["n"] or 0 for row in following if row["n"]})
    return found


def cases(user, year: int) -> list[Case]:
    """Every institution with approved lines in `year` the user sees, with what a scenario may judge it by."""
    years = {y.institution_id: y for y in InstitutionYear.objects.filter(year=year)}
    forecasts = {row.institution_id: row.forecast.rate for row in forecasting.latest(year).for_user(user)}
    wanted = demand(year)
    kinds = dict(InstitutionKind.choices)
    visible = set(Institution.objects.for_user(user).values_list("pk", flat=True))
    found = []
    for progress in forecasting.rollups(year):
        institution = progress.institution
        if institution.pk not in visible:
            continue
        recorded = years.get(institution.pk)
        counted = progress.figures.toward_completion
        found.append(
            Case(
                institution_id=institution.pk,
                name=institution.name,
                bureau=institution.bureau.display_name,
                kind=str(kinds.get(institution.kind, institution.kind)),
                approved=progress.approved,
                counted=counted,
                demand=wanted.get(institution.pk, 0),
                rates={
                    WhatIfSource.RECORDED: recorded.completion_rate if recorded else None,
                    WhatIfSource.CURRENT: rate(counted, progress.approved),
                    WhatIfSource.FORECAST: forecasts.get(institution.pk),
                },
                cap_lifted=bool(recorded and recorded.cap_lifted),
                kind_code=institution.kind,
            )
        )
    return sorted(found, key=lambda c: (c.bureau, c.name))


def apply_scenario(*, actor, threshold: Decimal, targets: str) -> ProvinceSettings:
    """Make a scenario's threshold and checkpoint targets the province's settings (the provincial admin only).

    Side effects: ProvinceSettings saved (its cache dropped); one audit event with before and after.
    """
    if not actor.is_provincial_admin:
        raise Refused(_("Only the provincial admin may change the province's settings."))
    if not Decimal(0) <= threshold <= Decimal(100):
        raise Refused(_("The threshold is a percentage from 0 to 100."))
    schedule = ",".join(f"{value.normalize():f}" for value in parse_targets(targets).values())
    with transaction.atomic():
        settings = ProvinceSettings.objects.select_for_update().get_or_create(pk=1)[0]
        before = snapshot(settings, SETTINGS_FIELDS)
        settings.cap_completion_threshold, settings.checkpoint_targets = threshold, schedule
        settings.save()
        record(
            actor=actor,
            action="monitoring.whatif.apply",
            obj=settings,
            before=before,
            after=snapshot(settings, SETTINGS_FIELDS),
        )
    return settings
