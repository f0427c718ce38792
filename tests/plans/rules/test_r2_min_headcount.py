"""R2 minimum headcount at its boundary."""

from core.models import ProvinceSettings
from plans.enums import Severity
from plans.rules import gather_facts, r2_min_headcount
from plans.rules.r2_min_headcount import rest_of_level
from tests.conftest import make_certificate
from tests.factories import J, M, draft


def test_r2_exactly_the_minimum_passes(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 20), (logistics, J, "电子商务", 10)])

    assert r2_min_headcount(gather_facts(plan)) == []


def test_r2_one_below_the_minimum_is_an_error_naming_the_numbers(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 20), (logistics, J, "电子商务", 9)])

    violations = r2_min_headcount(gather_facts(plan))

    assert len(violations) == 1
    assert violations[0].code == "R2"
    assert violations[0].severity == Severity.ERROR
    assert violations[0].message == "物流管理 (初级) plans 29 people in all majors; the minimum headcount is 30."
    assert set(violations[0].line_ids) == set(plan.lines.values_list("pk", flat=True))


def test_r2_levels_are_counted_separately(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30), (logistics, M, "物流管理", 29)])

    assert [v.message for v in r2_min_headcount(gather_facts(plan))] == [
        "物流管理 (中级) plans 29 people in all majors; the minimum headcount is 30."
    ]


def test_r2_uses_the_catalogue_minimum_and_the_province_default(cast, spring):
    special = make_certificate("特殊焊接技术职业技能等级证书", levels=[J], min_headcount=50)
    settings = ProvinceSettings.current()
    settings.default_min_headcount = 40
    settings.save()
    other = make_certificate("母婴护理职业技能等级证书", levels=[J])
    plan = draft(cast.school1, spring, [(special, J, "焊接技术", 49), (other, J, "护理", 39)])

    assert sorted(v.message for v in r2_min_headcount(gather_facts(plan))) == [
        "母婴护理 (初级) plans 39 people in all majors; the minimum headcount is 40.",
        "特殊焊接技术 (初级) plans 49 people in all majors; the minimum headcount is 50.",
    ]


def test_r2_rest_of_level_counts_the_other_lines_of_each_certificate_level_as_decided(cast, spring, logistics):
    plan = draft(
        cast.school1,
        spring,
        [(logistics, J, "物流管理", 20), (logistics, J, "电子商务", 15), (logistics, M, "物流管理", 40)],
    )
    first, second, senior = plan.lines.order_by("pk")

    rest = rest_of_level(gather_facts(plan), {second.pk: 10})  # the second line reduced to 10 so far

    assert rest == {first.pk: (10, 30), second.pk: (20, 30), senior.pk: (0, 30)}
