"""The demo's two previous years of illustrative candidate history (issue 20), so that the forecasts have a seasonal
profile to learn and bench/bench_forecast.py has years to backtest. Everything here is invented and marked 示例:
the candidates are named 示例考生, their plans' lines carry the demo's remark. Idempotent: a year with candidates
is left alone."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from core.dates import start_of
from institutions.models import Institution
from monitoring import crypto, forecasting, idnumbers
from monitoring.enums import ProgressSource, Result
from monitoring.forecast_rows import InstitutionForecast
from monitoring.models import Candidate, LineProgress
from monitoring.rates import CHECKPOINT_MONTHS, checkpoint_date
from monitoring.rollups import approved_lines, refresh_year, year_lock
from plans.enums import PlanStatus
from plans.models import Plan
from rounds.models import Round
from rounds.services import create_round

# Share of a year's exams per month (illustrative: spring and late-autumn sittings, little in summer).
SEASON = {3: 4, 4: 8, 5: 14, 6: 22, 7: 4, 9: 4, 10: 10, 11: 14, 12: 20}
PASS_EVERY = 6  # one in six examined fails
ABSENT_EVERY = 9  # one absent for every nine examined
NAME = "示例考生"


def months_for(count: int) -> list[int]:
    """`count` exam months spread by SEASON (the k-th candidate at the middle of its slot)."""
    total = sum(SEASON.values())
    bounds, running = [], 0
    for month, weight in sorted(SEASON.items()):
        running += weight
        bounds.append((running, month))
    found = []
    for k in range(count):
        position = (2 * k + 1) * total / (2 * count)
        found.append(next(month for bound, month in bounds if position <= bound))
    return found


def copy_plans(source_year: int, year: int, remark: str) -> None:
    """Published plans of `year` with the same approved lines as `source_year`'s (the illustrative earlier year)."""
    for season in {r.season for r in Round.objects.filter(year=source_year)}:
        if not Round.objects.filter(year=year, season=season).exists():
            create_round(actor=None, year=year, season=season)
    rounds = {r.season: r for r in Round.objects.filter(year=year)}
    for plan in Plan.objects.filter(round__year=source_year, status=PlanStatus.PUBLISHED).select_related("round"):
        target = rounds[plan.round.season]
        if Plan.objects.filter(institution_id=plan.institution_id, round=target).exists():
            continue
        copy = Plan.objects.create(
            institution_id=plan.institution_id,
            round=target,
            status=PlanStatus.PUBLISHED,
            submitted_at=start_of(target.filing_end) + timedelta(hours=10),
            published_at=start_of(target.provincial_review_end) + timedelta(hours=16),
        )
        for line in plan.lines.all():
            line.pk, line.plan, line.remark = None, copy, remark
            line.save()


def candidates_of(line, year: int, rate: Decimal, sealer, serial: int) -> list[Candidate]:
    """One line's illustrative candidates: `rate` % of its approved headcount examined, spread by SEASON, some
    failed, some absent. `serial` numbers them within the year."""
    examined = round(line.approved_headcount * rate / 100)
    results = [(m, Result.FAILED if k % PASS_EVERY == 0 else Result.PASSED) for k, m in enumerate(months_for(examined))]
    results += [(m, Result.ABSENT) for m in months_for(examined // ABSENT_EVERY)]
    found = []
    for offset, (month, result) in enumerate(results, start=serial + 1):
        born = f"{2004 + offset % 3}0{1 + offset % 9}1{offset % 10}"
        number = idnumbers.make_valid(f"340100{born}{offset % 1000:03d}")
        found.append(
            Candidate(
                line=line,
                year=year,
                certificate_id=line.certificate_id,
                level=line.level,
                id_hash=sealer.hash(number),
                sealed=sealer.seal(f"{NAME}{offset}", number),
                id_masked=idnumbers.mask(number),
                name_masked=f"{NAME}{offset}",
                exam_date=date(year, month, 15),
                result=result,
            )
        )
    return found


def load_candidates(year: int, rates: dict[str, Decimal]) -> int:
    """Candidates of `year` for the approved lines of the institutions named in `rates` (name → completion %),
    their line progress and the year's rollups. Returns how many were written (0 when the year has some)."""
    if Candidate.objects.filter(year=year).exists():
        return 0
    sealer = crypto.Sealer()
    names = {i.pk: i.name for i in Institution.objects.filter(name__in=rates)}
    rows: list[Candidate] = []
    for line in approved_lines(year).filter(plan__institution_id__in=names).select_related("plan").order_by("pk"):
        rows += candidates_of(line, year, rates[names[line.plan.institution_id]], sealer, len(rows))
        LineProgress.objects.get_or_create(
            line=line,
            defaults={
                "institution_id": line.plan.institution_id,
                "year": year,
                "certificate_id": line.certificate_id,
                "source": ProgressSource.CANDIDATES,
                "updated_at": timezone.now(),
            },
        )
    Candidate.objects.bulk_create(rows, batch_size=1000)
    year_lock(year)
    refresh_year(year)
    return len(rows)


def load_history(year: int, *, last_year: dict[str, Decimal], year_before: dict[str, Decimal], remark: str) -> int:
    """The two years before `year`: last year's plans get candidates at `last_year`'s rates; the year before gets
    copies of those plans (marked `remark`) and candidates at `year_before`'s rates."""
    copy_plans(year - 1, year - 2, remark)
    written = load_candidates(year - 2, year_before) + load_candidates(year - 1, last_year)
    if not InstitutionForecast.objects.filter(year=year - 1).exists():
        # The forecasts last year's office would have seen at each checkpoint (made from the figures of the day).
        for month in CHECKPOINT_MONTHS[:-1]:
            forecasting.refresh(year - 1, day=checkpoint_date(year - 1, month))
    return written
