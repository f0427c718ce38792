"""R4 one line per certificate, level and major."""

from plans.rules import gather_facts, r4_duplicates
from tests.factories import J, draft


def test_r4_same_certificate_level_and_major_twice_is_an_error(cast, spring, logistics):
    from plans.models import PlanLine

    plan = draft(cast.school1, spring)
    lines = [
        PlanLine(plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=30),
        PlanLine(plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=10),
    ]

    violations = r4_duplicates(gather_facts(plan, lines=lines))

    assert [(v.code, v.message) for v in violations] == [
        ("R4", "物流管理 (初级) for the major 物流管理 appears 2 times; one line each.")
    ]


def test_r4_different_majors_are_fine(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30), (logistics, J, "电子商务", 30)])

    assert r4_duplicates(gather_facts(plan)) == []
