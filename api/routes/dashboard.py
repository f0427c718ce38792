"""The progress dashboard as JSON: the year's totals and every chart's figures, scoped as on the dashboard page
(monitoring.figures builds both)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from api.problems import problems
from api.routes.checkpoints import CheckpointOut, checkpoint_out
from api.routes.monitoring import FiguresOut, YearQuery, figures_out
from core.numbers import round_half_up
from monitoring import figures
from monitoring.checkpoints import live_target
from monitoring.models import Checkpoint

router = Router(tags=["dashboard"])


class FigureRowOut(Schema):
    label: str = Field(description="What the row is about: a bureau, a kind, a certificate, a checkpoint.")
    key: int | str | None = Field(
        description="Its id (bureau, certificate, checkpoint) or value (institution kind); null for the funnel."
    )
    approved: int
    registered: int
    examined: int
    passed: int
    completion: Decimal | None = Field(description="In %, rounded half up to one decimal.")
    participation: Decimal | None
    pass_rate: Decimal | None
    target: Decimal | None = Field(None, description="The trend only: the checkpoint's target, in %.")
    slow: int | None = Field(None, description="The trend only: institutions slow at the checkpoint.")
    serious: int | None = Field(None, description="The trend only: institutions seriously behind.")


class FigureOut(Schema):
    name: Literal[tuple(figures.FIGURES)]  # type: ignore[valid-type]
    title: str
    chart: Literal["bar", "line", "funnel"]
    rows: list[FigureRowOut]


class DashboardOut(Schema):
    year: int
    total: FiguresOut
    flagged: int = Field(description="Lines with implausible figures confirmed with a reason.")
    target: Decimal = Field(description="The completion today's figures are judged by, in %.")
    target_month: int | None = Field(description="The checkpoint month of that target; null before the first.")
    refreshed_at: datetime | None = Field(description="When the year's figures were last brought up to date.")
    checkpoints: list[CheckpointOut]
    figures: list[FigureOut]


RATES = ("completion", "participation", "pass_rate", "target")


def figure_out(figure: figures.Figure) -> dict:
    rows = [{"key": None, **row, **{k: round_half_up(row[k]) for k in RATES if k in row}} for row in figure.rows]
    return {"name": figure.name, "title": str(figure.title), "chart": figure.chart, "rows": rows}


@router.get(
    "/dashboard",
    response={200: DashboardOut, **problems(422)},
    operation_id="dashboard_get",
    summary="The year's progress figures and every chart of the dashboard",
    description="Every role, scoped as on the dashboard page: an institution its own lines, a bureau its "
    "institutions, the province everything. `year` defaults to this year (Asia/Shanghai).",
)
def dashboard_get(request, query: Query[YearQuery]):
    user, year = request.user, query.year
    target, month = live_target(year, today=timezone.localdate())
    headline = figures.cached_headline(user, year)
    return {
        "year": year,
        "total": figures_out(headline["total"]),
        "flagged": headline["flagged"],
        "target": target,
        "target_month": month,
        "refreshed_at": headline["refreshed_at"],
        "checkpoints": [checkpoint_out(c) for c in Checkpoint.objects.filter(year=year).order_by("month")],
        "figures": [figure_out(figures.cached_figure(user, year, name)) for name in figures.FIGURES],
    }
