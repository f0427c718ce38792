"""R5 restricted certificates: new refused, continuing justified."""

from plans.enums import Severity
from plans.rules import gather_facts, r5_restricted
from tests.conftest import make_certificate
from tests.factories import J, draft, published_plan


def test_r5_new_restricted_certificate_is_refused(cast, spring):
    restricted = make_certificate("网店运营推广职业技能等级证书", restricted=True)
    plan = draft(cast.school1, spring, [(restricted, J, "电子商务", 30)])

    violations = r5_restricted(gather_facts(plan))

    assert [(v.code, v.severity, v.message) for v in violations] == [
        ("R5", Severity.ERROR, "网店运营推广 is restricted (培训质量不高): new applications are refused.")
    ]


def test_r5_continuing_restricted_certificate_is_a_warning_needing_justification(cast, spring):
    restricted = make_certificate("网店运营推广职业技能等级证书", restricted=True)
    published_plan(cast.school1, 2026, [(restricted, J, "电子商务", 40)])
    plan = draft(cast.school1, spring, [(restricted, J, "电子商务", 30)])

    violations = r5_restricted(gather_facts(plan))

    assert [(v.code, v.severity, v.needs_justification) for v in violations] == [("R5", Severity.WARNING, True)]
