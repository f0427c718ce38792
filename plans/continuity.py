"""New vs continuing (DOMAIN.md §5) and last year's figures, worked out from approved plans."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce

from plans.enums import Continuity, PlanStatus
from plans.models import InstitutionYear, PlanLine


@dataclass(frozen=True)
class LastYear:
    """What an institution had approved in year Y−1, and its completion rate."""

    year: int
    headcount_by_certificate: dict[int, int] = field(default_factory=dict)
    approved_total: int = 0
    completion_rate: Decimal | None = None
    has_plan: bool = False

    def continuity(self, certificate_id: int) -> str:
        """A certificate is continuing when last year had an approved line for it (either round)."""
        return Continuity.CONTINUING if certificate_id in self.headcount_by_certificate else Continuity.NEW

    def headcount_for(self, certificate_id: int) -> int:
        return self.headcount_by_certificate.get(certificate_id, 0)

    @classmethod
    def of(cls, year: int, by_certificate: dict[int, int], rate) -> LastYear:
        """Year `year` from its approved headcount by certificate and its completion rate (None if unknown)."""
        return cls(
            year=year,
            headcount_by_certificate=dict(by_certificate),
            approved_total=sum(by_certificate.values()),
            completion_rate=rate,
            has_plan=bool(by_certificate),
        )


def approved_lines(institution_id: int, year: int):
    """Published lines of `year` with an approved headcount above zero: the plan of record."""
    return PlanLine.objects.filter(
        plan__institution_id=institution_id,
        plan__round__year=year,
        plan__status=PlanStatus.PUBLISHED,
        approved_headcount__gt=0,
    )


def last_year_for(institution_id: int, year: int) -> LastYear:
    """Year `year`−1 for one institution, in two queries."""
    prior = year - 1
    by_certificate: dict[int, int] = defaultdict(int)
    for row in (
        approved_lines(institution_id, prior)
        .values("certificate_id")
        .annotate(total=Coalesce(Sum("approved_headcount"), 0))
    ):
        by_certificate[row["certificate_id"]] = row["total"]
    rate = (
        InstitutionYear.objects.filter(institution_id=institution_id, year=prior)
        .values_list("completion_rate", flat=True)
        .first()
    )
    return LastYear.of(prior, by_certificate, rate)
