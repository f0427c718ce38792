"""What the plan page shows: the lines with their violations, new/continuing, last year, and the cap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from catalog.enums import Level
from plans.enums import Continuity
from plans.models import Plan, PlanLine
from plans.rules import PlanFacts, Violation, blocking, check_facts, filing_window, gather_facts
from plans.rules.placing import Placed, place
from rounds.extension_cache import prefetch_extensions

ID_MARK = 9_876_543_210  # stands for the id in a URL reversed once for many rows


@dataclass
class LineRow:
    """A line as its row shows it; the names, labels and URLs made in Python once per page, not per row in the
    template."""

    line: PlanLine
    continuity: str
    last_year_headcount: int
    violations: list[Violation] = field(default_factory=list)
    certificate_name: str = ""
    awarding_body: str = ""
    level_label: str = ""
    edit_url: str = ""
    delete_url: str = ""

    @property
    def is_new(self) -> bool:
        return self.continuity == Continuity.NEW


@dataclass
class PlanPage:
    plan: Plan
    facts: PlanFacts
    rows: list[LineRow]
    plan_violations: list[Violation]
    violations: list[Violation]
    blockers: list[Violation]
    new_certificates: list
    window: object
    extensions: list

    @property
    def approved_total(self) -> int:
        return sum(line.approved_headcount or 0 for line in self.facts.lines)

    @property
    def cap_percent(self) -> int:
        cap = self.facts.cap
        return min(100, round(100 * self.facts.year_headcount / cap)) if cap else 0


def plan_page(plan: Plan, *, at: datetime, lines: list[PlanLine] | None = None) -> PlanPage:
    if not hasattr(plan.round, "_prefetched_objects_cache"):  # read once: the window, the steps and the banners
        prefetch_extensions(plan.round)  # from the cache, dropped when an extension is granted or revoked
    facts = gather_facts(plan, lines=lines)
    violations = check_facts(facts, at=at)
    placed = place(violations)
    rows = line_rows(facts, placed)
    return PlanPage(
        plan=plan,
        facts=facts,
        rows=rows,
        plan_violations=placed.loose,
        violations=violations,
        blockers=blocking(violations, facts.lines),
        new_certificates=new_certificates(rows, facts),
        window=filing_window(plan),
        extensions=[
            e
            for e in plan.round.extensions.all()
            if e.institution_id == plan.institution_id or e.bureau_id == plan.institution.bureau_id
        ],
    )


def line_rows(facts: PlanFacts, placed: Placed) -> list[LineRow]:
    """The rows of the lines, by certificate, level and id."""
    levels = {value: str(label) for value, label in Level.choices}
    edit_url, delete_url = id_url("line_edit"), id_url("line_delete")
    return [
        LineRow(
            line=line,
            continuity=facts.continuity(line.certificate_id),
            last_year_headcount=facts.last_year.headcount_for(line.certificate_id),
            violations=placed.on(line.pk),
            certificate_name=line.certificate.short_name,
            awarding_body=str(line.certificate.awarding_body or ""),
            level_label=levels.get(line.level, line.level),
            edit_url=edit_url(line.pk),
            delete_url=delete_url(line.pk),
        )
        for line in sorted(facts.lines, key=lambda ln: (ln.certificate.name, Level.values.index(ln.level), ln.pk or 0))
    ]


def id_url(name: str, *first: object) -> Callable[[int | None], str]:
    """reverse(name, args=[*first, pk]) for many ids: reversed once, each id put in the place of ID_MARK."""
    head, tail = reverse(name, args=[*first, ID_MARK]).split(str(ID_MARK))
    return lambda pk: f"{head}{pk}{tail}"


def new_certificates(rows: list[LineRow], facts: PlanFacts) -> list[tuple]:
    """Each certificate new to the institution, once, with its application form (None before one is started)."""
    found: dict[int, tuple] = {}
    for row in rows:
        if row.is_new and row.line.certificate_id not in found:
            found[row.line.certificate_id] = (row.line.certificate, facts.forms.get(row.line.certificate_id))
    return list(found.values())
