"""Year-end forecasts and what-if caps (issue 20): `monitoring`'s stored forecasts, scoped like the forecast page,
and the what-if simulation of the provincial office and observers (it writes nothing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from api.common import role_refusal
from api.fields import example
from api.pagination import PageIn, PageOut
from api.problems import problems
from core.models import ProvinceSettings
from core.numbers import round_half_up
from institutions.enums import InstitutionKind
from monitoring import outlook, scenarios, whatif
from monitoring.access import WHATIF_ROLES
from monitoring.checkpoints import live_target
from monitoring.enums import ForecastStatus, WhatIfSource
from monitoring.forecast import Forecast, explain
from monitoring.forecast_rows import InstitutionForecast
from monitoring.rates import parse_targets

router = Router(tags=["forecasts"])

Year = Field(ge=2019, le=2100)
Rate = Field(description="In %, rounded half up to one decimal; null when nothing can be forecast yet.")


class RangeOut(Schema):
    approved: int
    examined: int = Field(description="Examined so far, each line counting at most its approved headcount.")
    expected: int = Field(description="Examined expected by the year end.")
    low: int
    high: int
    rate: Decimal | None = Rate
    rate_low: Decimal | None = Rate
    rate_high: Decimal | None = Rate
    explanation: str = Field(description="The forecast in one sentence, with the figures it came from.")


class GroupOut(RangeOut):
    name: str
    institutions: int
    at_risk: int = Field(description="Institutions expected to end the year below the threshold (预计未达标).")


class ForecastOut(RangeOut):
    institution_id: int
    institution: str
    bureau: str
    kind: InstitutionKind
    scheduled: int = Field(description="Candidates registered with an exam date still ahead.")
    status: ForecastStatus
    still_needed: int = Field(description="Candidates still to examine to reach the threshold.")
    months_left: int


class ForecastPage(PageOut):
    year: int
    as_of: date | None = Field(description="The day the forecasts speak of; null before any was computed.")
    threshold: Decimal = Field(description="The R3 threshold the forecasts are judged by, in %.")
    total: GroupOut = Field(description="Everything the caller sees (the province for the office).")
    bureaus: list[GroupOut]
    items: list[ForecastOut]


class ForecastQuery(PageIn):
    year: int = Year
    at_risk: bool = Field(False, description="Only the institutions expected to miss the threshold.")


def _range(found: Forecast) -> dict:
    return {
        "approved": found.approved,
        "examined": found.examined,
        "expected": found.expected,
        "low": found.low,
        "high": found.high,
        "rate": round_half_up(found.rate),
        "rate_low": round_half_up(found.rate_low),
        "rate_high": round_half_up(found.rate_high),
        "explanation": explain(found),
    }


def _group(group: outlook.Group) -> dict:
    return {**_range(group.forecast), "name": group.name, "institutions": group.institutions, "at_risk": group.at_risk}


def forecast_out(row: InstitutionForecast) -> dict:
    found = row.forecast
    status = ForecastStatus.AT_RISK if row.at_risk else ForecastStatus.ON_COURSE
    return {
        **_range(found),
        "institution_id": row.institution_id,
        "institution": row.institution.name,
        "bureau": row.bureau.display_name,
        "kind": row.kind,
        "scheduled": row.scheduled,
        "status": status if found.rate is not None else ForecastStatus.UNKNOWN,
        "still_needed": row.still_needed if row.at_risk else 0,
        "months_left": row.months_left,
    }


@router.get(
    "/forecasts",
    response={200: ForecastPage, **problems(422)},
    operation_id="forecasts_list",
    summary="Year-end completion forecasts, summed and per institution, at-risk ones first",
    description="Any signed-in role, scoped like the pages: the province sees every institution, a bureau its "
    "secondary schools, an institution itself. Forecasts are recomputed by a job whenever progress changes.",
)
def forecasts_list(request, query: Query[ForecastQuery]):
    window = slice(query.offset, query.offset + query.limit)
    found = outlook.outlook(request.user, query.year, at_risk_only=query.at_risk, window=window)
    return {
        "count": found.total,
        "limit": query.limit,
        "offset": query.offset,
        "year": query.year,
        "as_of": found.as_of,
        "threshold": found.threshold,
        "total": _group(found.province),
        "bureaus": [_group(b) for b in found.bureaus],
        "items": [forecast_out(row) for row in found.rows],
    }


class ScenarioIn(Schema):
    threshold: Decimal = Field(ge=0, le=100, description="Completion below this (in %) caps next year's plan.")
    targets: list[Decimal] = Field(
        default_factory=list,
        max_length=6,
        description="Checkpoint targets for Feb, Apr, Jun, Aug, Oct, Dec in %; empty: the settings' targets.",
    )
    source: WhatIfSource = WhatIfSource.FORECAST


class WhatIfIn(Schema):
    model_config = example(
        {
            "year": 2027,
            "scenarios": [
                {"threshold": 50, "source": "forecast"},
                {"threshold": 40, "targets": [0, 10, 30, 45, 65, 85], "source": "current"},
            ],
        }
    )

    year: int = Year
    scenarios: list[ScenarioIn] = Field(min_length=1, max_length=whatif.MAX_SCENARIOS)


class TallyOut(Schema):
    name: str
    capped: int
    limited_by: int


class CappedOut(Schema):
    institution_id: int
    institution: str
    bureau: str
    kind: InstitutionKind
    rate: Decimal = Field(description="The rate the scenario judged it by, in %, rounded half up to one decimal.")
    cap: int = Field(description="Next year's plan may not exceed this (this year's approved headcount).")
    demand: int = Field(description="Next year's plans so far, else the headcount asked for this year.")
    limited_by: int


class OutcomeOut(Schema):
    threshold: Decimal
    targets: list[Decimal]
    source: WhatIfSource
    capped_count: int
    limited_by: int = Field(description="Headcount of next year's demand above the caps, summed.")
    behind: int = Field(description="Institutions below the scenario's target at the year's last checkpoint.")
    judged: int = Field(description="Institutions with a rate from the scenario's source.")
    bureaus: list[TallyOut] = Field(description="Capped institutions and headcount limited per bureau.")
    kinds: list[TallyOut] = Field(description="The same per institution kind (its label).")
    capped: list[CappedOut]


class WhatIfOut(Schema):
    year: int
    scenarios: list[OutcomeOut]


def outcome_out(found: whatif.Outcome) -> dict:
    return {
        "threshold": found.scenario.threshold,
        "targets": list(found.scenario.targets.values()),
        "source": found.scenario.source,
        "capped_count": len(found.capped),
        "limited_by": found.limited_by,
        "behind": found.behind,
        "judged": found.judged,
        "bureaus": [{"name": k, "capped": t.capped, "limited_by": t.limited_by} for k, t in found.by_bureau.items()],
        "kinds": [{"name": k, "capped": t.capped, "limited_by": t.limited_by} for k, t in found.by_kind.items()],
        "capped": [
            {
                "institution_id": c.case.institution_id,
                "institution": c.case.name,
                "bureau": c.case.bureau,
                "kind": c.case.kind_code,
                "rate": round_half_up(c.rate),
                "cap": c.case.approved,
                "demand": c.case.demand,
                "limited_by": c.limited_by,
            }
            for c in found.capped
        ],
    }


@router.post(
    "/what-if",
    response={200: WhatIfOut, **problems(400, 403, 422)},
    operation_id="what_if_create",
    summary="Simulate next year's caps under up to three scenarios (nothing is changed)",
    description="The provincial office (reviewers, admin) and observers; others get 403. A simulation writes "
    "nothing: making a scenario the province's settings is the admin's separate, audited step on the page.",
)
def what_if_create(request, payload: WhatIfIn):
    if request.user.role not in WHATIF_ROLES:
        raise PermissionDenied(role_refusal(request.user))
    settings = ProvinceSettings.current()
    _target, month = live_target(payload.year, today=timezone.localdate())
    cases = scenarios.cases(request.user, payload.year)
    results = []
    for scenario in payload.scenarios:
        text = ",".join(f"{v}" for v in scenario.targets) or settings.checkpoint_targets
        chosen = whatif.Scenario(scenario.threshold, parse_targets(text), scenario.source)
        results.append(outcome_out(whatif.simulate(cases, chosen, month=month or 12)))
    return {"year": payload.year, "scenarios": results}
