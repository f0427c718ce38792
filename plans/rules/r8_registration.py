"""R8 registration: no submission before the national platform registration is recorded (notice §四)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plans.enums import Severity
from plans.rules.facts import PlanFacts, Violation


def r8_registration(facts: PlanFacts) -> list[Violation]:
    if facts.plan.institution.is_registered_on_platform:
        return []
    message = _(
        "%(institution)s has not recorded its national platform registration: register on the national platform "
        "(https://vslc.ncb.edu.cn/) first and record the account; until then the plan can be drafted but not submitted."
    ) % {"institution": facts.plan.institution.name}
    return [Violation("R8", Severity.ERROR, message)]
