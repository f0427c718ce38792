"""R4 no duplicates: one line per certificate, level and major in a plan."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from plans.enums import Severity
from plans.models import PlanLine
from plans.rules.facts import PlanFacts, Violation, level_name


def r4_duplicates(facts: PlanFacts) -> list[Violation]:
    seen: dict[tuple, list[PlanLine]] = defaultdict(list)
    for line in facts.lines:
        seen[(line.certificate_id, line.level, line.major_name.strip())].append(line)
    return [
        Violation(
            "R4",
            Severity.ERROR,
            _("%(certificate)s (%(level)s) for the major %(major)s appears %(count)d times; one line each.")
            % {
                "certificate": lines[0].certificate.short_name,
                "level": level_name(lines[0].level),
                "major": lines[0].major_name,
                "count": len(lines),
            },
            tuple(line.pk for line in lines),
        )
        for lines in seen.values()
        if len(lines) > 1
    ]
