"""R5 restricted certificates: new applications refused, continuing ones need a justification."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plans.enums import Continuity, Severity
from plans.rules.facts import PlanFacts, Violation, by_certificate


def r5_restricted(facts: PlanFacts) -> list[Violation]:
    violations = []
    for certificate_id, lines in by_certificate(facts.lines).items():
        certificate = lines[0].certificate
        if not certificate.restricted:
            continue
        ids = tuple(line.pk for line in lines)
        values = {"certificate": certificate.short_name, "reason": certificate.restricted_reason}
        if facts.continuity(certificate_id) == Continuity.NEW:
            message = _("%(certificate)s is restricted (%(reason)s): new applications are refused.") % values
            violations.append(Violation("R5", Severity.ERROR, message, ids))
        else:
            message = _("%(certificate)s is restricted (%(reason)s): continuing it needs a justification.") % values
            violations.append(Violation("R5", Severity.WARNING, message, ids, needs_justification=True))
    return violations
