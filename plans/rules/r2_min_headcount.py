"""R2 minimum headcount: per certificate and level, summed over majors."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from plans.enums import Severity
from plans.models import PlanLine
from plans.rules.facts import PlanFacts, Violation, level_name


def r2_min_headcount(facts: PlanFacts) -> list[Violation]:
    groups: dict[tuple[int, str], list[PlanLine]] = defaultdict(list)
    for line in facts.lines:
        groups[(line.certificate_id, line.level)].append(line)
    violations = []
    for (certificate_id, level), lines in groups.items():
        total = sum(line.headcount for line in lines)
        minimum = facts.min_headcount(certificate_id, level)
        if total < minimum:
            message = _(
                "%(certificate)s (%(level)s) plans %(total)d people in all majors; "
                "the minimum headcount is %(minimum)d."
            ) % {
                "certificate": lines[0].certificate.short_name,
                "level": level_name(level),
                "total": total,
                "minimum": minimum,
            }
            violations.append(Violation("R2", Severity.ERROR, message, tuple(line.pk for line in lines)))
    return violations


def rest_of_level(facts: PlanFacts, headcounts: dict[int, int]) -> dict[int, tuple[int, int]]:
    """For each line of `facts`: what the rest of its certificate-level plans in all majors, and the level's
    minimum — so a decision form can say at once, before saving, that rejecting or reducing the line breaks R2.
    `headcounts` (by line id) are the figures as decided so far; other lines count as planned."""
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for line in facts.lines:
        totals[(line.certificate_id, line.level)] += headcounts.get(line.pk, line.headcount)
    return {
        line.pk: (
            totals[(line.certificate_id, line.level)] - headcounts.get(line.pk, line.headcount),
            facts.min_headcount(line.certificate_id, line.level),
        )
        for line in facts.lines
    }
