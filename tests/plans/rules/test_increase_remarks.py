"""A continuing certificate's increase needs a remark."""

from plans.rules import gather_facts, increase_remarks
from tests.factories import J, draft, published_plan


def test_continuing_increase_needs_a_remark(cast, spring, logistics):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40)])
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 41)])

    assert [(v.code, v.message) for v in increase_remarks(gather_facts(plan))] == [
        ("REMARK", "物流管理 plans 41 people, more than last year's 40: explain the increase in the remark.")
    ]


def test_continuing_same_headcount_or_with_remark_passes(cast, spring, autumn, logistics):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40)])
    same = draft(cast.school1, spring, [(logistics, J, "物流管理", 40)])
    remarked = draft(cast.school1, autumn, [(logistics, J, "物流管理", 60, "新增物流专业班级")])

    assert increase_remarks(gather_facts(same)) == []
    assert increase_remarks(gather_facts(remarked)) == []
