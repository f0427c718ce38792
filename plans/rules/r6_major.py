"""R6 major: one of the certificate's majors when the catalogue lists them, else a justification."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plans.enums import Severity
from plans.rules.facts import PlanFacts, Violation


def r6_major(facts: PlanFacts) -> list[Violation]:
    violations = []
    for line in facts.lines:
        majors = facts.majors.get(line.certificate_id, [])
        if not majors:
            continue
        names = {m.name for m in majors} | {m.code for m in majors if m.code}
        if line.major_name.strip() in names or (line.major_code and line.major_code in names):
            continue
        message = _(
            "%(major)s is not one of the majors the catalogue lists for %(certificate)s (%(majors)s): "
            "give a justification."
        ) % {
            "major": line.major_name,
            "certificate": line.certificate.short_name,
            "majors": "、".join(m.name for m in majors),
        }
        violations.append(Violation("R6", Severity.WARNING, message, (line.pk,), needs_justification=True))
    return violations
