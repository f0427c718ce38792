"""The year-end close: what each institution's completion rate for year Y will be, and what R3 then
does to it in Y+1. The close page shows these rows; services.close_year fixes exactly them.

Per institution (every one with approved lines in Y, and every one with a rate recorded for Y):
- with progress data (any figures typed or imported for its lines): the computed rate;
- without: the recorded rate is kept (none stays none), unless the office chooses the computed rate
  for it explicitly (`use_computed`).
R3 then caps it at Y's approved headcount when the fixed rate is below the threshold, it had a plan
in Y and its cap is not lifted (plans.rules.PlanFacts.cap reads the same).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from core.models import ProvinceSettings
from institutions.models import Institution
from monitoring.models import InstitutionProgress, LineProgress
from monitoring.rates import Figures, stored
from monitoring.records import RateSource
from plans.models import InstitutionYear
from plans.rules import year_headcount


@dataclass
class CapRow:
    institution_id: int
    institution_name: str
    bureau_name: str
    kind: str
    figures: Figures
    recorded: Decimal | None
    has_data: bool
    source: str
    threshold: Decimal
    cap_lifted: bool = False
    next_planned: int = 0

    @property
    def computed(self) -> Decimal | None:
        return self.figures.completion

    @property
    def rate(self) -> Decimal | None:
        """The rate the close fixes (six decimals, cut)."""
        return stored(self.computed) if self.source != RateSource.KEPT else self.recorded

    @property
    def capped(self) -> bool:
        """R3 will cap next year's plan (unless lifted): a plan this year and a fixed rate below the threshold."""
        return self.figures.approved > 0 and self.rate is not None and self.rate < self.threshold

    @property
    def cap(self) -> int:
        """Next year's plan may not exceed this year's approved headcount (R3)."""
        return self.figures.approved

    @property
    def over_cap(self) -> bool:
        """Next year's plans (published or in review) already ask for more than the cap would allow."""
        return self.capped and not self.cap_lifted and self.next_planned > self.cap

    @property
    def changes(self) -> bool:
        return self.rate != self.recorded


def review(year: int, *, threshold: Decimal | None = None, use_computed: Collection[int] = ()) -> list[CapRow]:
    """Every institution the close concerns, with its rate-to-be and what R3 will do with it."""
    if threshold is None:
        threshold = ProvinceSettings.current().cap_completion_threshold
    progress = {p.institution_id: p.figures for p in InstitutionProgress.objects.filter(year=year)}
    years = {y.institution_id: y for y in InstitutionYear.objects.filter(year=year)}
    recorded = {pk: y.completion_rate for pk, y in years.items() if y.completion_rate is not None}
    with_data = set(LineProgress.objects.filter(year=year).values_list("institution_id", flat=True).distinct())
    rows = []
    for institution in (
        Institution.objects.filter(pk__in=set(progress) | set(recorded))
        .select_related("bureau")
        .order_by("bureau_id", "name")
    ):
        pk = institution.pk
        has_data = pk in with_data
        source = RateSource.COMPUTED if has_data else RateSource.CHOSEN if pk in use_computed else RateSource.KEPT
        row = CapRow(
            institution_id=pk,
            institution_name=institution.name,
            bureau_name=institution.bureau.name,
            kind=institution.get_kind_display(),
            figures=progress.get(pk, Figures()),
            recorded=recorded.get(pk),
            has_data=has_data,
            source=source,
            threshold=threshold,
            cap_lifted=pk in years and years[pk].cap_lifted,
        )
        if row.capped:
            row.next_planned = year_headcount(pk, year + 1)
        rows.append(row)
    return rows


def fingerprint(rows: list[CapRow]) -> str:
    """What the office reviewed, so that the close fixes exactly that (and refuses if figures moved)."""
    text = "\n".join(
        f"{r.institution_id}:{r.figures.approved}:{r.figures.toward_completion}:{r.recorded}:{r.has_data}" for r in rows
    )
    return hashlib.sha256(text.encode()).hexdigest()
