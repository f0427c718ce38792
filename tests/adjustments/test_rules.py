"""R7: adjustments only increase — each refused kind of change, with the notice's words; R2 and R3 after it."""

from __future__ import annotations

import pytest

from adjustments.models import AdjustmentItem, AdjustmentRequest
from adjustments.rules import (
    NOTICE_QUOTE,
    Change,
    Checker,
    r4_once_each,
    r7_approved_only,
    r7_certificate_approved,
    r7_new_line_problems,
    r7_no_change_of_level_or_major,
    r7_no_reduction,
    r7_no_removal,
    r7_something_asked,
    r7_violations,
    read_record,
)
from adjustments.services import build_items
from audit.models import AuditEvent
from plans.enums import PlanStatus
from plans.models import PlanLine
from plans.services import RuleError
from tests.adjustments.factories import J, M, S, capped, draft, line, published, raise_line
from tests.conftest import make_certificate, make_round
from tests.factories import published_plan


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def test_r7_no_reduction_refuses_a_lower_headcount_citing_the_notice(college_plan):
    record = read_record(college_plan)

    violations = r7_no_reduction(record, [raise_line(college_plan, "物流管理", 80)])

    assert codes(violations) == ["R7"]
    assert "from 100 to 80" in violations[0].message
    assert NOTICE_QUOTE in violations[0].message
    assert violations[0].line_ids == (line(college_plan, "物流管理").pk,)


def test_r7_no_removal_refuses_a_line_set_to_zero(college_plan):
    record = read_record(college_plan)

    violations = r7_no_removal(record, [raise_line(college_plan, "电子商务", 0)])

    assert codes(violations) == ["R7"]
    assert "removed (40 approved)" in violations[0].message
    assert NOTICE_QUOTE in violations[0].message


def test_r7_no_change_of_level_refuses_another_level_on_an_approved_line(college_plan):
    record = read_record(college_plan)
    target = line(college_plan, "物流管理")

    violations = r7_no_change_of_level_or_major(record, [Change(headcount=120, line_id=target.pk, level=M)])

    assert codes(violations) == ["R7"]
    assert "level 初级 → 中级" in violations[0].message
    assert NOTICE_QUOTE in violations[0].message


def test_r7_no_change_of_major_refuses_another_major_on_an_approved_line(college_plan):
    record = read_record(college_plan)
    target = line(college_plan, "物流管理")

    violations = r7_no_change_of_level_or_major(
        record, [Change(headcount=120, line_id=target.pk, major_name="现代物流管理")]
    )

    assert codes(violations) == ["R7"]
    assert "major 物流管理 → 现代物流管理" in violations[0].message


def test_r7_no_change_of_level_or_major_accepts_the_same_values(college_plan):
    record = read_record(college_plan)
    target = line(college_plan, "物流管理")

    violations = r7_no_change_of_level_or_major(
        record, [Change(headcount=120, line_id=target.pk, level=J, major_name="物流管理")]
    )

    assert violations == []


def test_r7_certificate_approved_refuses_a_certificate_not_in_the_approved_plan(college_plan):
    other = make_certificate("电子商务数据分析职业技能等级证书")
    record = read_record(college_plan)

    violations = r7_certificate_approved(
        record, [Change(headcount=40, certificate_id=other.pk, level=J, major_name="电子商务")]
    )

    assert codes(violations) == ["R7"]
    assert "电子商务数据分析职业技能等级证书 is not approved in this plan" in violations[0].message
    assert NOTICE_QUOTE in violations[0].message


def test_r7_certificate_approved_refuses_a_certificate_whose_lines_were_all_rejected(cast, spring, logistics):
    other = make_certificate("电子商务数据分析职业技能等级证书")
    plan = published(cast.college1, spring, [(logistics, J, "物流管理", 100)])
    PlanLine.objects.create(
        plan=plan, certificate=other, level=J, major_name="电子商务", headcount=40, approved_headcount=0
    )
    record = read_record(plan)

    violations = r7_certificate_approved(
        record, [Change(headcount=40, certificate_id=other.pk, level=J, major_name="电子商务")]
    )

    assert codes(violations) == ["R7"]


def test_r7_approved_only_refuses_a_rejected_line(cast, spring, logistics):
    plan = published(cast.college1, spring, [(logistics, J, "物流管理", 100)])
    rejected = PlanLine.objects.create(
        plan=plan, certificate=logistics, level=J, major_name="电子商务", headcount=40, approved_headcount=0
    )
    record = read_record(plan)

    violations = r7_approved_only(record, [Change(headcount=40, line_id=rejected.pk)])

    assert codes(violations) == ["R7"]
    assert f"line {rejected.pk} is not an approved line of this plan" in violations[0].message


def test_r7_new_line_problems_refuses_a_level_the_certificate_lacks(college_plan, logistics):
    record = read_record(college_plan)

    violations = r7_new_line_problems(
        record, [Change(headcount=30, certificate_id=logistics.pk, level=S, major_name="物流管理")]
    )

    assert codes(violations) == ["R7"]
    assert violations[0].message == "物流管理 does not offer 高级; it offers: 初级、中级"


def test_r7_new_line_problems_needs_a_major_and_a_headcount(college_plan, logistics):
    record = read_record(college_plan)

    violations = r7_new_line_problems(
        record,
        [
            Change(headcount=30, certificate_id=logistics.pk, level=M, major_name=" "),
            Change(headcount=0, certificate_id=logistics.pk, level=M, major_name="物流管理"),
        ],
    )

    assert codes(violations) == ["R7", "R7"]


def test_a_new_line_without_a_certificate_is_refused_as_missing_its_certificate(college_plan):
    record = read_record(college_plan)

    violations = r7_violations(record, [Change(headcount=30, level=M, major_name="物流管理")])

    assert [(v.code, v.message) for v in violations] == [("R7", "the certificate is missing")]


def test_r4_once_each_refuses_a_new_line_that_is_already_approved(college_plan, logistics):
    record = read_record(college_plan)

    violations = r4_once_each(
        record, [Change(headcount=130, certificate_id=logistics.pk, level=J, major_name="物流管理")]
    )

    assert codes(violations) == ["R4"]
    assert violations[0].line_ids == (line(college_plan, "物流管理").pk,)


def test_r4_once_each_refuses_a_line_asked_twice(college_plan):
    record = read_record(college_plan)

    violations = r4_once_each(
        record, [raise_line(college_plan, "物流管理", 120), raise_line(college_plan, "物流管理", 130)]
    )

    assert codes(violations) == ["R4"]


def test_r7_something_asked_refuses_unchanged_figures(college_plan):
    record = read_record(college_plan)

    violations = r7_something_asked(record, [raise_line(college_plan, "物流管理", 100)])

    assert codes(violations) == ["R7"]
    assert r7_something_asked(record, []) == violations


def test_r7_violations_accepts_increases_and_new_majors_and_levels(college_plan, logistics):
    record = read_record(college_plan)
    changes = [
        raise_line(college_plan, "物流管理", 120),
        raise_line(college_plan, "电子商务", 40),  # unchanged: left out
        Change(headcount=30, certificate_id=logistics.pk, level=M, major_name="物流管理"),
        Change(headcount=35, certificate_id=logistics.pk, level=J, major_name="国际贸易"),
    ]

    violations = r7_violations(record, changes)
    items = build_items(record, changes)

    assert violations == []
    assert [(i.kind, i.level, i.major_name, i.before, i.after) for i in items] == [
        ("increase", J, "物流管理", 100, 120),
        ("new_line", M, "物流管理", 0, 30),
        ("new_line", J, "国际贸易", 0, 35),
    ]


def test_mixed_request_is_refused_whole_and_nothing_is_saved(cast, college_plan):
    lines_before = list(PlanLine.objects.order_by("id").values_list("id", "headcount", "approved_headcount"))

    with pytest.raises(RuleError) as refused:
        draft(
            cast.college_staff,
            college_plan,
            raise_line(college_plan, "物流管理", 130),
            raise_line(college_plan, "电子商务", 30),
        )

    assert codes(refused.value.violations) == ["R7"]
    assert "from 40 to 30" in refused.value.violations[0].message
    assert AdjustmentRequest.objects.count() == 0
    assert AdjustmentItem.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="adjustment.").count() == 0
    assert list(PlanLine.objects.order_by("id").values_list("id", "headcount", "approved_headcount")) == lines_before


# --- R2 and R3 after the adjustment --------------------------------------------------------------------------------


def test_r2_holds_on_a_new_level_below_the_minimum(cast, college_plan, logistics):
    request = draft(
        cast.college_staff,
        college_plan,
        Change(headcount=20, certificate_id=logistics.pk, level=M, major_name="物流管理"),
    )

    violations = Checker(college_plan).violations(request.items.all())

    assert codes(violations) == ["R2"]
    assert "plans 20 people" in violations[0].message and "minimum headcount is 30" in violations[0].message


def test_r3_counts_approved_figures_of_the_year(cast, college_plan, logistics):
    # 2026: 200 approved, completion 42 % → 2027 capped at 200. The autumn plan was planned at 90 but approved at 50.
    published_plan(cast.college1, 2026, [(logistics, J, "物流管理", 200)])
    capped(cast.college1, 2026)
    autumn = published(cast.college1, make_round(2027, "autumn"), [(logistics, J, "国际贸易", 50)])
    PlanLine.objects.filter(plan=autumn).update(headcount=90)
    fits = draft(cast.college_staff, college_plan, raise_line(college_plan, "物流管理", 110))  # 150 + 50 = 200
    over = draft(cast.college_staff, college_plan, raise_line(college_plan, "电子商务", 51))  # 151 + 50 = 201

    checker = Checker(college_plan)

    assert checker.base.other_rounds_headcount == 50
    assert checker.violations(fits.items.all()) == []
    [r3] = checker.violations(over.items.all())
    assert r3.code == "R3"
    assert "ask for 201 people (this round 151, other rounds 50)" in r3.message
    assert "the cap is 2026's approved headcount of 200" in r3.message


def test_r3_counts_planned_figures_of_plans_still_in_review(cast, college_plan, logistics):
    published_plan(cast.college1, 2026, [(logistics, J, "物流管理", 200)])
    capped(cast.college1, 2026)
    autumn = published(cast.college1, make_round(2027, "autumn"), [(logistics, J, "国际贸易", 50)])
    autumn.status = PlanStatus.PROVINCIAL_REVIEW
    autumn.save()
    PlanLine.objects.filter(plan=autumn).update(headcount=70, approved_headcount=None)

    assert Checker(college_plan).base.other_rounds_headcount == 70


def test_checker_reports_figures_that_changed_since_the_request(cast, college_plan):
    request = draft(cast.college_staff, college_plan, raise_line(college_plan, "物流管理", 120))
    PlanLine.objects.filter(pk=line(college_plan, "物流管理").pk).update(approved_headcount=110)

    violations = Checker(college_plan).violations(request.items.all())

    assert codes(violations) == ["R7"]
    assert "asked from an approved 100, but the plan of record is now 110" in violations[0].message


REFUSED = {
    "lower headcount": lambda plan, other: [raise_line(plan, "物流管理", 99)],
    "removed line": lambda plan, other: [raise_line(plan, "物流管理", 0)],
    "changed level": lambda plan, other: [Change(headcount=120, line_id=line(plan, "物流管理").pk, level=M)],
    "changed major": lambda plan, other: [Change(headcount=120, line_id=line(plan, "物流管理").pk, major_name="物流")],
    "certificate not approved": lambda plan, other: [
        Change(headcount=40, certificate_id=other.pk, level=J, major_name="物流管理")
    ],
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_each_refused_kind_of_change_is_refused_citing_the_notice_and_nothing_is_saved(cast, college_plan, kind):
    other = make_certificate("电子商务数据分析职业技能等级证书")

    with pytest.raises(RuleError) as refused:
        draft(cast.college_staff, college_plan, *REFUSED[kind](college_plan, other))

    assert codes(refused.value.violations) == ["R7"]
    assert NOTICE_QUOTE in refused.value.violations[0].message
    assert AdjustmentRequest.objects.count() == 0
    assert list(PlanLine.objects.order_by("id").values_list("approved_headcount", flat=True)) == [100, 40]
