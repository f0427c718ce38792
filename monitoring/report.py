"""The checkpoint report (通报) and an institution's own standing, from snapshots and rollups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from institutions.enums import InstitutionKind
from monitoring.checkpoints import live_target, target_for
from monitoring.enums import Standing
from monitoring.figures import SUMS, summed
from monitoring.models import Checkpoint, InstitutionProgress, InstitutionSnapshot, LineProgress
from monitoring.plausibility import problems
from monitoring.rates import Figures, checkpoint_date, expected_examined, next_checkpoint
from monitoring.rollups import approved_lines


@dataclass
class BureauLine:
    bureau_id: int
    name: str
    figures: Figures
    institutions: int
    slow: int
    serious: int


@dataclass
class BehindLine:
    institution_id: int
    name: str
    bureau: str
    kind: str  # InstitutionKind
    figures: Figures
    standing: str
    trend: list[Decimal | None] = field(default_factory=list)

    @property
    def standing_label(self) -> str:
        return str(Standing(self.standing).label)

    @property
    def kind_label(self) -> str:
        return str(dict(InstitutionKind.choices).get(self.kind, self.kind))


@dataclass
class Report:
    checkpoint: Checkpoint
    province: Figures
    bureaus: list[BureauLine]
    behind: list[BehindLine]
    earlier: list[Checkpoint]

    @property
    def slow_count(self) -> int:
        return sum(b.slow for b in self.bureaus)

    @property
    def serious_count(self) -> int:
        return sum(b.serious for b in self.bureaus)

    @property
    def behind_count(self) -> int:
        return self.slow_count + self.serious_count


def build(checkpoint: Checkpoint, user, *, bureau: int | None = None, window: slice | None = None) -> Report:
    """Everything the 通报 says, in five queries whatever the number of bureaus or institutions.

    `bureau` narrows it to one bureau's institutions; `window` takes a page of the institutions
    behind (nationally they are thousands; the downloads take them all).
    """
    rows = InstitutionSnapshot.objects.for_user(user).filter(checkpoint=checkpoint)
    if bureau is not None:
        rows = rows.filter(bureau_id=bureau)
    behind_rows = rows.filter(standing__in=Standing.behind()).order_by("bureau_id", "institution__name")
    if window is not None:
        behind_rows = behind_rows[window]
    behind = _behind_lines(behind_rows)
    earlier = list(Checkpoint.objects.filter(year=checkpoint.year, month__lt=checkpoint.month).order_by("month"))
    _with_trends(behind, checkpoint, earlier, behind_rows)
    return Report(
        checkpoint=checkpoint,
        province=summed(rows.aggregate(**SUMS)),
        bureaus=_bureau_lines(rows),
        behind=behind,
        earlier=earlier,
    )


def _bureau_lines(rows) -> list[BureauLine]:
    """One line per bureau: its summed figures and how many of its institutions are behind (one query)."""
    return [
        BureauLine(
            bureau_id=row["bureau_id"],
            name=row["bureau__name"],
            figures=summed(row),
            institutions=row["n"],
            slow=row["slow"],
            serious=row["serious"],
        )
        for row in rows.values("bureau_id", "bureau__name")
        .annotate(
            **SUMS,
            n=Count("institution_id"),
            slow=Count("standing", filter=Q(standing=Standing.SLOW)),
            serious=Count("standing", filter=Q(standing=Standing.SERIOUS)),
        )
        .order_by("bureau_id")
    ]


def _behind_lines(behind_rows) -> list[BehindLine]:
    return [
        BehindLine(
            institution_id=s.institution_id,
            name=s.institution.name,
            bureau=s.bureau.name,
            kind=s.kind,
            figures=s.figures,
            standing=s.standing,
        )
        for s in behind_rows.select_related("institution", "bureau")
    ]


def _with_trends(behind: list[BehindLine], checkpoint: Checkpoint, earlier: list[Checkpoint], behind_rows) -> None:
    """Each institution behind gets its completion at the `earlier` checkpoints of the year (None where it had no
    snapshot). One query whether or not anyone is behind (a subquery, not a list of ids)."""
    past: defaultdict[int, dict] = defaultdict(dict)
    for row in InstitutionSnapshot.objects.filter(
        checkpoint__year=checkpoint.year,
        checkpoint__month__lt=checkpoint.month,
        institution_id__in=behind_rows.values("institution_id"),
    ).values("institution_id", "checkpoint_id", "approved", "examined", "counted"):
        past[row["institution_id"]][row["checkpoint_id"]] = Figures(
            approved=row["approved"], examined=row["examined"], counted=row["counted"]
        ).completion
    for line in behind:
        line.trend = [past[line.institution_id].get(c.pk) for c in earlier]


@dataclass
class InstitutionStanding:
    """Where one institution stands in a year, and what the next checkpoint expects of it."""

    year: int
    figures: Figures
    target: Decimal
    target_month: int | None
    standing: str | None
    next_year: int
    next_month: int
    next_date: date
    next_target: Decimal
    expected: int
    still_needed: int
    history: list[InstitutionSnapshot]
    lines: list

    @property
    def standing_label(self) -> str:
        return str(Standing(self.standing).label) if self.standing else ""


def _with_figures(lines: list) -> None:
    """Each approved line's figures, where they come from (`source` the label, `source_code` the value; empty and
    None while there are none) and what is implausible about them."""
    progress_by_line = {p.line_id: p for p in LineProgress.objects.filter(line__in=[line.pk for line in lines])}
    for line in lines:
        found = progress_by_line.get(line.pk)
        line.figures = Figures(
            approved=line.approved_headcount,
            registered=found.registered if found else 0,
            examined=found.examined if found else 0,
            passed=found.passed if found else 0,
        )
        line.source = found.get_source_display() if found else ""
        line.source_code = found.source if found else None
        line.implausible = problems(
            approved=line.approved_headcount,
            **{k: getattr(line.figures, k) for k in ("registered", "examined", "passed")},
        )


def institution_standing(institution, year: int, *, today: date) -> InstitutionStanding:
    progress = InstitutionProgress.objects.filter(institution=institution, year=year).first()
    figures = progress.figures if progress else Figures()
    target, month = live_target(year, today=today)
    next_year, next_month = next_checkpoint(today)
    if next_year != year:
        next_year, next_month = year, 12
    next_target = target_for(next_month)
    expected = expected_examined(approved=figures.approved, target=next_target)
    return InstitutionStanding(
        year=year,
        figures=figures,
        target=target,
        target_month=month,
        standing=figures.standing(target),
        next_year=next_year,
        next_month=next_month,
        next_date=checkpoint_date(next_year, next_month),
        next_target=next_target,
        expected=expected,
        still_needed=max(expected - figures.toward_completion, 0),
        history=list(
            InstitutionSnapshot.objects.filter(institution=institution, checkpoint__year=year)
            .select_related("checkpoint")
            .order_by("checkpoint__month")
        ),
        lines=_lines_with_figures(institution, year),
    )


def _lines_with_figures(institution, year: int) -> list:
    """The institution's approved lines of `year`, each with its figures (`_with_figures`)."""
    lines = list(
        approved_lines(year)
        .filter(plan__institution=institution)
        .select_related("certificate", "plan__round")
        .order_by("certificate__name", "level", "major_name", "pk")
    )
    _with_figures(lines)
    return lines
