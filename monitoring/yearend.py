"""The year-end close: fix every institution's completion rate for year Y, which R3 reads in Y+1."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from core.models import ProvinceSettings
from monitoring.models import InstitutionProgress
from monitoring.rates import Figures
from plans.models import InstitutionYear


@dataclass(frozen=True)
class CapRow:
    institution_id: int
    institution_name: str
    bureau_name: str
    kind: str
    figures: Figures
    capped: bool
    cap_lifted: bool = False

    @property
    def rate(self) -> Decimal | None:
        return self.figures.completion

    @property
    def cap(self) -> int:
        """Next year's plan may not exceed this year's approved headcount (R3)."""
        return self.figures.approved


def review(year: int, *, threshold: Decimal | None = None) -> list[CapRow]:
    """Every institution with approved lines in `year`: its fixed rate-to-be and whether R3 caps it."""
    if threshold is None:
        threshold = ProvinceSettings.current().cap_completion_threshold
    lifted = set(InstitutionYear.objects.filter(year=year, cap_lifted=True).values_list("institution_id", flat=True))
    rows = []
    for progress in (
        InstitutionProgress.objects.filter(year=year)
        .select_related("institution__bureau")
        .order_by("institution__bureau_id", "institution__name")
    ):
        figures = progress.figures
        rate = figures.completion
        rows.append(
            CapRow(
                institution_id=progress.institution_id,
                institution_name=progress.institution.name,
                bureau_name=progress.institution.bureau.name,
                kind=progress.institution.get_kind_display(),
                figures=figures,
                capped=rate is not None and rate < threshold,
                cap_lifted=progress.institution_id in lifted,
            )
        )
    return rows


def fingerprint(rows: list[CapRow]) -> str:
    """What the office reviewed, so that the close fixes exactly that (and refuses if figures moved)."""
    text = "\n".join(f"{r.institution_id}:{r.figures.approved}:{r.figures.examined}" for r in rows)
    return hashlib.sha256(text.encode()).hexdigest()
