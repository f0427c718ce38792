"""A continuing certificate planned above last year's headcount needs a remark (notice §二)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plans.enums import Continuity, Severity
from plans.rules.facts import PlanFacts, Violation, by_certificate


def increase_remarks(facts: PlanFacts) -> list[Violation]:
    """A continuing certificate planned above last year's headcount needs a remark (notice §二)."""
    violations = []
    for certificate_id, lines in by_certificate(facts.lines).items():
        if facts.continuity(certificate_id) != Continuity.CONTINUING:
            continue
        total, last = sum(line.headcount for line in lines), facts.last_year.headcount_for(certificate_id)
        if total > last and not any(line.remark.strip() for line in lines):
            message = _(
                "%(certificate)s plans %(total)d people, more than last year's %(last)d: explain the increase in the "
                "remark."
            ) % {"certificate": lines[0].certificate.short_name, "total": total, "last": last}
            violations.append(Violation("REMARK", Severity.ERROR, message, tuple(line.pk for line in lines)))
    return violations
