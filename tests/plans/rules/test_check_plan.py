"""Every rule of DOMAIN.md §6 on one plan, in order."""

from plans.rules import check_plan
from tests.factories import J, M, draft
from tests.plans.rules.conftest import FILING, capped


def test_check_plan_reports_every_rule_in_order(cast, spring, logistics):
    capped(cast, logistics, "42.0", approved=40)
    cast.school1.platform_account = ""
    cast.school1.save()
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 41), (logistics, M, "物流管理", 10)])

    codes = [v.code for v in check_plan(plan, at=FILING)]

    assert codes == ["R2", "R3", "R8", "REMARK"]
