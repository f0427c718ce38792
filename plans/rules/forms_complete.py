"""一证书一论证一申报: every new certificate needs a complete application form (附件1)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plans.enums import Continuity, Severity
from plans.rules.facts import PlanFacts, Violation, by_certificate


def forms_complete(facts: PlanFacts) -> list[Violation]:
    """一证书一论证一申报: every new certificate needs a complete application form."""
    violations = []
    for certificate_id, lines in by_certificate(facts.lines).items():
        if facts.continuity(certificate_id) != Continuity.NEW:
            continue
        form = facts.forms.get(certificate_id)
        missing = form.missing_fields() if form else [_("the whole form")]
        if missing:
            message = _("%(certificate)s is new: its application form is missing %(fields)s.") % {
                "certificate": lines[0].certificate.short_name,
                "fields": "、".join(missing),
            }
            violations.append(Violation("FORM", Severity.ERROR, message, tuple(line.pk for line in lines)))
    return violations
