"""R6 the certificate's majors."""

from plans.enums import Severity
from plans.rules import gather_facts, r6_major
from tests.conftest import make_certificate
from tests.factories import J, draft


def test_r6_major_outside_the_catalogue_list_is_a_warning(cast, spring):
    cert = make_certificate("物流管理职业技能等级证书", majors=["物流管理", "现代物流管理"])
    plan = draft(cast.school1, spring, [(cert, J, "物流管理", 30), (cert, J, "会计", 30)])

    violations = r6_major(gather_facts(plan))

    assert [(v.code, v.severity, v.message) for v in violations] == [
        (
            "R6",
            Severity.WARNING,
            "会计 is not one of the majors the catalogue lists for 物流管理 (物流管理、现代物流管理): "
            "give a justification.",
        )
    ]


def test_r6_no_catalogue_majors_means_no_warning(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "会计", 30)])

    assert r6_major(gather_facts(plan)) == []
