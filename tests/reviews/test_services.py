"""The review steps of DOMAIN.md §7: recommend, approve, return, decide, publish."""

from datetime import date

import pytest
from django.core import mail

from audit.models import AuditEvent
from notifications.models import Notification
from plans.enums import PlanStatus, ReviewLevel
from plans.models import PlanLine
from plans.services import RuleError
from reviews import services
from reviews.enums import Outcome
from reviews.models import LineDecision
from rounds.enums import Stage
from rounds.services import grant_extension
from tests.conftest import make_certificate
from tests.reviews.factories import (
    BUREAU_DAY,
    CLOSED,
    PROVINCE_DAY,
    J,
    in_bureau_review,
    in_provincial_review,
)


def lines_of(plan):
    return list(plan.lines.order_by("id"))


# --- bureau -------------------------------------------------------------------------------------------------------


def test_recommend_line_records_a_bureau_recommendation_and_leaves_the_plan_in_bureau_review(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)
    first, _second = lines_of(plan)

    decision = services.recommend_line(
        actor=cast.bureau_reviewer,
        line=first,
        outcome=Outcome.REDUCE,
        headcount=30,
        reason="实训条件不足",
        at=BUREAU_DAY,
    )

    plan.refresh_from_db()
    assert (decision.level, decision.outcome, decision.headcount, decision.reason) == (
        ReviewLevel.BUREAU,
        Outcome.REDUCE,
        30,
        "实训条件不足",
    )
    assert plan.status == PlanStatus.BUREAU_REVIEW
    assert PlanLine.objects.get(pk=first.pk).approved_headcount is None


def test_recommend_line_again_supersedes_the_previous_recommendation(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)
    line = lines_of(plan)[0]
    services.recommend_line(actor=cast.bureau_reviewer, line=line, outcome=Outcome.REJECT, reason="x", at=BUREAU_DAY)

    services.recommend_line(actor=cast.bureau_reviewer, line=line, outcome=Outcome.APPROVE, at=BUREAU_DAY)

    assert LineDecision.objects.filter(line=line).count() == 2
    assert list(LineDecision.objects.current().filter(line=line).values_list("outcome", flat=True)) == ["approve"]


@pytest.mark.parametrize(
    ("outcome", "headcount", "reason", "message"),
    [
        (Outcome.REDUCE, 30, "", "Give a reason for reducing or rejecting a line."),
        (Outcome.REJECT, None, " ", "Give a reason for reducing or rejecting a line."),
        (Outcome.REDUCE, 40, "too many", "A reduced headcount must be above 0 and below the planned 40."),
        (Outcome.REDUCE, 0, "too many", "A reduced headcount must be above 0 and below the planned 40."),
        ("maybe", None, "", "Choose approve, reduce or reject."),
    ],
)
def test_recommend_line_refuses_an_unexplained_or_impossible_decision(
    cast, spring, logistics, outcome, headcount, reason, message
):
    plan = in_bureau_review(cast, spring, logistics)

    with pytest.raises(services.ReviewError) as refused:
        services.recommend_line(
            actor=cast.bureau_reviewer,
            line=lines_of(plan)[0],
            outcome=outcome,
            headcount=headcount,
            reason=reason,
            at=BUREAU_DAY,
        )

    assert str(refused.value) == message
    assert LineDecision.objects.count() == 0


def test_approve_by_bureau_sends_the_plan_to_the_province_and_tells_the_provincial_reviewers(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)

    services.approve_by_bureau(actor=cast.bureau_reviewer, plan=plan, at=BUREAU_DAY)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROVINCIAL_REVIEW
    assert list(AuditEvent.objects.filter(action="review.bureau_approve").values_list("before", "after")) == [
        ({"status": "bureau_review"}, {"status": "provincial_review", "recommendations": 0})
    ]
    assert list(Notification.objects.values_list("recipient__username", "name")) == [
        ("provincial_reviewer", "plan_bureau_approved")
    ]


def test_approve_by_bureau_after_the_bureau_window_is_refused_naming_the_window(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)

    with pytest.raises(services.ReviewError) as refused:
        services.approve_by_bureau(actor=cast.bureau_reviewer, plan=plan, at=PROVINCE_DAY)

    assert str(refused.value) == "Outside the window: bureau review（2027年04月08日至2027年04月12日）."
    plan.refresh_from_db()
    assert plan.status == PlanStatus.BUREAU_REVIEW


def test_approve_by_bureau_inside_an_extension_granted_to_the_bureau_is_allowed(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)
    grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage=Stage.BUREAU_REVIEW,
        until=date(2027, 4, 14),
        reason="系统故障",
        bureau=cast.bureau1,
    )

    services.approve_by_bureau(actor=cast.bureau_reviewer, plan=plan, at=PROVINCE_DAY)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROVINCIAL_REVIEW


def test_approve_by_bureau_of_another_bureaus_school_is_refused(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics, institution=cast.school2)

    with pytest.raises(services.ReviewError):
        services.approve_by_bureau(actor=cast.bureau_reviewer, plan=plan, at=BUREAU_DAY)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.BUREAU_REVIEW


def test_approve_by_bureau_is_refused_while_a_rule_error_stands(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics, headcounts=(10,))

    with pytest.raises(RuleError) as refused:
        services.approve_by_bureau(actor=cast.bureau_reviewer, plan=plan, at=BUREAU_DAY)

    assert [v.code for v in refused.value.violations] == ["R2"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.BUREAU_REVIEW


def test_return_plan_by_the_bureau_sends_it_back_with_the_reason_and_supersedes_recommendations(
    cast, spring, logistics
):
    plan = in_bureau_review(cast, spring, logistics)
    services.recommend_line(actor=cast.bureau_reviewer, line=lines_of(plan)[0], outcome=Outcome.APPROVE, at=BUREAU_DAY)

    services.return_plan(actor=cast.bureau_reviewer, plan=plan, reason="请补充实训条件说明", at=BUREAU_DAY)

    plan.refresh_from_db()
    assert (plan.status, plan.returned_from, plan.returned_reason) == (
        PlanStatus.RETURNED_BY_BUREAU,
        ReviewLevel.BUREAU,
        "请补充实训条件说明",
    )
    assert LineDecision.objects.current().count() == 0
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "leader",
        "office_head",
        "staff",
    ]
    assert "请补充实训条件说明" in Notification.objects.first().body


def test_return_plan_mails_the_reason_to_people_with_an_address(cast, spring, logistics):
    cast.staff.email = "staff@example.org"
    cast.staff.save()
    plan = in_bureau_review(cast, spring, logistics)

    services.return_plan(actor=cast.bureau_reviewer, plan=plan, reason="请补充实训条件说明", at=BUREAU_DAY)

    assert [m.to for m in mail.outbox] == [["staff@example.org"]]
    assert "请补充实训条件说明" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"


def test_return_plan_without_a_reason_is_refused(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)

    with pytest.raises(services.ReviewError) as refused:
        services.return_plan(actor=cast.bureau_reviewer, plan=plan, reason="  ", at=BUREAU_DAY)

    assert str(refused.value) == "Give a reason for returning the plan."
    plan.refresh_from_db()
    assert plan.status == PlanStatus.BUREAU_REVIEW


def test_return_plan_by_the_province_marks_it_returned_by_the_province(cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)

    services.return_plan(actor=cast.provincial_reviewer, plan=plan, reason="预算来源不明", at=PROVINCE_DAY)

    plan.refresh_from_db()
    assert (plan.status, plan.returned_from) == (PlanStatus.RETURNED_BY_PROVINCE, ReviewLevel.PROVINCE)


def test_the_province_cannot_act_on_a_plan_still_in_bureau_review(cast, spring, logistics):
    plan = in_bureau_review(cast, spring, logistics)

    with pytest.raises(services.ReviewError) as refused:
        services.decide_line(
            actor=cast.provincial_reviewer, line=lines_of(plan)[0], outcome=Outcome.APPROVE, at=BUREAU_DAY
        )

    assert str(refused.value) == "The plan is bureau review; this needs it in provincial review."


# --- province -----------------------------------------------------------------------------------------------------


def test_decide_line_holds_the_decision_out_of_the_institutions_sight(cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)
    line = lines_of(plan)[0]

    services.decide_line(
        actor=cast.provincial_reviewer, line=line, outcome=Outcome.REDUCE, headcount=30, reason="压减", at=PROVINCE_DAY
    )

    assert LineDecision.objects.for_user(cast.college_staff).count() == 0
    assert LineDecision.objects.for_user(cast.provincial_reviewer).count() == 1
    assert PlanLine.objects.get(pk=line.pk).approved_headcount is None


def test_decide_line_reducing_below_the_minimum_headcount_is_refused_with_r2(cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics, headcounts=(40,))

    with pytest.raises(RuleError) as refused:
        services.decide_line(
            actor=cast.provincial_reviewer,
            line=lines_of(plan)[0],
            outcome=Outcome.REDUCE,
            headcount=20,
            reason="压减",
            at=PROVINCE_DAY,
        )

    assert [v.code for v in refused.value.violations] == ["R2"]
    assert LineDecision.objects.count() == 0


def test_decide_line_approving_a_line_a_rule_now_forbids_is_refused_but_rejecting_it_is_allowed(cast, spring):
    restricted = make_certificate("网店运营推广职业技能等级证书", levels=[J])
    plan = in_provincial_review(cast, spring, restricted, headcounts=(40,))
    restricted.restricted, restricted.restricted_reason = True, "培训质量不高"
    restricted.save()
    line = lines_of(plan)[0]

    with pytest.raises(RuleError) as refused:
        services.decide_line(actor=cast.provincial_reviewer, line=line, outcome=Outcome.APPROVE, at=PROVINCE_DAY)
    services.decide_line(
        actor=cast.provincial_reviewer, line=line, outcome=Outcome.REJECT, reason="限制申报", at=PROVINCE_DAY
    )

    assert [v.code for v in refused.value.violations] == ["R5"]
    assert list(LineDecision.objects.values_list("outcome", "headcount")) == [("reject", 0)]


def test_publish_with_an_undecided_line_is_refused(cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics)
    services.decide_line(actor=cast.provincial_reviewer, line=lines_of(plan)[0], outcome="approve", at=PROVINCE_DAY)

    with pytest.raises(services.ReviewError) as refused:
        services.publish(actor=cast.provincial_reviewer, plan=plan, at=PROVINCE_DAY)

    assert str(refused.value).startswith("1 lines have no decision yet: ")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROVINCIAL_REVIEW


def test_publish_makes_the_decided_headcounts_the_plan_of_record_and_shows_them_to_the_institution(
    cast, spring, logistics
):
    plan = in_provincial_review(cast, spring, logistics, headcounts=(40, 35))
    first, second = lines_of(plan)
    services.decide_line(
        actor=cast.provincial_reviewer, line=first, outcome="reduce", headcount=32, reason="压减", at=PROVINCE_DAY
    )
    services.decide_line(actor=cast.provincial_reviewer, line=second, outcome="approve", at=PROVINCE_DAY)

    services.publish(actor=cast.provincial_reviewer, plan=plan, at=PROVINCE_DAY)

    plan.refresh_from_db()
    assert (plan.status, plan.published_at) == (PlanStatus.PUBLISHED, PROVINCE_DAY)
    assert list(plan.lines.order_by("id").values_list("approved_headcount", flat=True)) == [32, 35]
    assert sorted(LineDecision.objects.for_user(cast.college_staff).values_list("headcount", flat=True)) == [32, 35]
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "college_leader",
        "college_office_head",
        "college_staff",
    ]
    assert "67 of 75 people approved" in Notification.objects.first().body


def test_publish_after_the_provincial_window_is_refused(cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics, headcounts=(40,))
    services.decide_line(actor=cast.provincial_reviewer, line=lines_of(plan)[0], outcome="approve", at=PROVINCE_DAY)

    with pytest.raises(services.ReviewError) as refused:
        services.publish(actor=cast.provincial_reviewer, plan=plan, at=CLOSED)

    assert str(refused.value) == "Outside the window: provincial review（2027年04月08日至2027年04月15日）."


def test_publish_by_a_bureau_reviewer_is_refused(cast, spring, logistics):
    plan = in_provincial_review(cast, spring, logistics, institution=cast.school1, headcounts=(40,))
    services.decide_line(actor=cast.provincial_reviewer, line=lines_of(plan)[0], outcome="approve", at=PROVINCE_DAY)

    with pytest.raises(services.ReviewError):
        services.publish(actor=cast.bureau_reviewer, plan=plan, at=PROVINCE_DAY)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROVINCIAL_REVIEW
