"""The steps of an adjustment request: who, in which order, when; and what the decision does to the plan of record."""

from __future__ import annotations

from datetime import datetime

import pytest

from accounts.enums import Role
from adjustments import granting, guards, services
from adjustments.enums import AdjustmentStatus, Outcome
from adjustments.models import AdjustmentRequest
from adjustments.rules import Change
from audit.models import AuditEvent
from core.dates import SHANGHAI
from notifications.models import Notification
from plans.models import PlanLine
from plans.services import RuleError
from tests.adjustments.factories import DAY, J, M, capped, draft, line, published, raise_line, signed
from tests.factories import published_plan

AdjustmentError = guards.AdjustmentError


@pytest.fixture
def sent(cast, college_plan):
    """A request of college1 waiting for its office head."""
    request = draft(cast.college_staff, college_plan, raise_line(college_plan, "物流管理", 120))
    return services.send_for_signoff(actor=cast.college_staff, request=request, at=DAY)


# --- the draft -----------------------------------------------------------------------------------------------------


def test_create_request_saves_the_items_with_both_figures_and_an_audit_event(cast, college_plan, logistics):
    request = draft(
        cast.college_staff,
        college_plan,
        raise_line(college_plan, "物流管理", 120),
        Change(headcount=30, certificate_id=logistics.pk, level=M, major_name="物流管理"),
    )

    assert request.status == AdjustmentStatus.DRAFT
    assert list(request.items.values_list("kind", "before", "after", "approved")) == [
        ("increase", 100, 120, None),
        ("new_line", 0, 30, None),
    ]
    event = AuditEvent.objects.get(action="adjustment.create")
    assert event.object_id == str(request.pk)
    assert [(i["before"], i["after"]) for i in event.after["items"]] == [(100, 120), (0, 30)]


def test_create_request_refused_to_other_roles_and_institutions(cast, college_plan):
    change = raise_line(college_plan, "物流管理", 120)
    for actor in (cast.college_office_head, cast.college_leader, cast.staff, cast.provincial_reviewer):
        with pytest.raises(AdjustmentError):
            draft(actor, college_plan, change)

    assert AdjustmentRequest.objects.count() == 0


def test_create_request_needs_a_reason(cast, college_plan):
    with pytest.raises(AdjustmentError, match="Give the reason"):
        draft(cast.college_staff, college_plan, raise_line(college_plan, "物流管理", 120), reason="  ")


def test_update_request_replaces_the_items_of_a_draft_and_refuses_a_reduction_whole(cast, college_plan):
    request = draft(cast.college_staff, college_plan, raise_line(college_plan, "物流管理", 120))

    services.update_request(
        actor=cast.college_staff,
        request=request,
        reason="新的理由",
        changes=[raise_line(college_plan, "电子商务", 50)],
        at=DAY,
    )
    with pytest.raises(RuleError):
        services.update_request(
            actor=cast.college_staff,
            request=request,
            reason="再改",
            changes=[raise_line(college_plan, "物流管理", 130), raise_line(college_plan, "电子商务", 30)],
            at=DAY,
        )

    request.refresh_from_db()
    assert request.reason == "新的理由"
    assert list(request.items.values_list("major_name", "before", "after")) == [("电子商务", 40, 50)]


# --- the window ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (datetime(2027, 4, 15, 11, 59, 59, tzinfo=SHANGHAI), False),  # before publication
        (datetime(2027, 4, 15, 12, 0, 0, tzinfo=SHANGHAI), True),  # the moment of publication
        (datetime(2027, 11, 30, 23, 59, 59, tzinfo=SHANGHAI), True),  # the last second of adjustment_end
        (datetime(2027, 12, 1, 0, 0, 0, tzinfo=SHANGHAI), False),
    ],
)
def test_window_is_from_publication_until_the_end_of_adjustment_end(cast, college_plan, at, open_):
    assert (guards.window_problem(college_plan, at) is None) is open_


def test_window_is_a_setting_of_the_round(cast, college_plan, spring):
    spring.adjustment_end = datetime(2027, 6, 30).date()
    spring.save()
    college_plan.round.refresh_from_db()

    with pytest.raises(AdjustmentError, match="2027年06月30日"):
        draft(
            cast.college_staff,
            college_plan,
            raise_line(college_plan, "物流管理", 120),
            at=datetime(2027, 7, 1, 9, tzinfo=SHANGHAI),
        )


def test_no_adjustment_before_the_plan_is_published(cast, spring, logistics):
    plan = published(cast.college1, spring, [(logistics, J, "物流管理", 100)])
    plan.status = "provincial_review"
    plan.save()

    with pytest.raises(AdjustmentError, match="published"):
        draft(cast.college_staff, plan, Change(headcount=120, line_id=plan.lines.get().pk))


# --- sign-offs -----------------------------------------------------------------------------------------------------


def test_sign_off_order_office_head_then_leader_then_the_province(cast, sent):
    services.sign_as_office_head(actor=cast.college_office_head, request=sent, at=DAY)
    services.sign_as_leader(actor=cast.college_leader, request=sent, at=DAY)

    sent.refresh_from_db()
    assert sent.status == AdjustmentStatus.PROVINCIAL_REVIEW
    assert (sent.office_head_signed_by, sent.leader_signed_by) == (cast.college_office_head, cast.college_leader)
    assert sent.submitted_at == DAY
    assert list(
        AuditEvent.objects.filter(object_type="adjustments.adjustmentrequest")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["adjustment.create", "adjustment.send_for_signoff", "adjustment.sign_office_head", "adjustment.sign_leader"]


def test_leader_cannot_sign_before_the_office_head(cast, sent):
    with pytest.raises(AdjustmentError, match="awaiting the leader"):
        services.sign_as_leader(actor=cast.college_leader, request=sent, at=DAY)

    sent.refresh_from_db()
    assert sent.status == AdjustmentStatus.AWAITING_OFFICE_HEAD
    assert sent.leader_signed_by is None


def test_leader_cannot_sign_as_office_head(cast, sent):
    with pytest.raises(AdjustmentError, match="may not do this"):
        services.sign_as_office_head(actor=cast.college_leader, request=sent, at=DAY)

    sent.refresh_from_db()
    assert sent.office_head_signed_by is None


def test_office_head_cannot_sign_as_leader(cast, sent):
    services.sign_as_office_head(actor=cast.college_office_head, request=sent, at=DAY)

    with pytest.raises(AdjustmentError, match="may not do this"):
        services.sign_as_leader(actor=cast.college_office_head, request=sent, at=DAY)


def test_two_person_rule_the_office_head_who_signed_cannot_sign_again_as_leader(cast, sent):
    services.sign_as_office_head(actor=cast.college_office_head, request=sent, at=DAY)
    # The same person, promoted to leader since, may not give the second signature.
    promoted = cast.college_office_head
    promoted.role = Role.INSTITUTION_LEADER
    promoted.save()

    with pytest.raises(AdjustmentError, match="another person"):
        services.sign_as_leader(actor=promoted, request=sent, at=DAY)

    sent.refresh_from_db()
    assert sent.status == AdjustmentStatus.AWAITING_LEADER


def test_two_person_rule_is_kept_by_the_database(cast, sent):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AdjustmentRequest.objects.filter(pk=sent.pk).update(
            office_head_signed_by=cast.college_leader, leader_signed_by=cast.college_leader
        )


def test_another_institutions_people_cannot_sign(cast, sent):
    with pytest.raises(AdjustmentError, match="another institution"):
        services.sign_as_office_head(actor=cast.office_head, request=sent, at=DAY)


def test_send_back_clears_the_sign_offs_and_both_sign_again(cast, sent):
    services.sign_as_office_head(actor=cast.college_office_head, request=sent, at=DAY)

    services.send_back(actor=cast.college_leader, request=sent, reason="请补充理由", at=DAY)

    sent.refresh_from_db()
    assert (sent.status, sent.returned_reason, sent.office_head_signed_by) == (
        AdjustmentStatus.DRAFT,
        "请补充理由",
        None,
    )
    event = AuditEvent.objects.get(action="adjustment.send_back")
    assert event.before["office_head_signed_by"] == cast.college_office_head.pk


def test_send_for_signoff_refused_while_r3_breaks(cast, college_plan, logistics):
    published_plan(cast.college1, 2026, [(logistics, J, "物流管理", 150)])
    capped(cast.college1, 2026)  # cap 150; approved now 140
    request = draft(cast.college_staff, college_plan, raise_line(college_plan, "物流管理", 120))

    with pytest.raises(RuleError) as refused:
        services.send_for_signoff(actor=cast.college_staff, request=request, at=DAY)

    assert [v.code for v in refused.value.violations] == ["R3"]
    request.refresh_from_db()
    assert request.status == AdjustmentStatus.DRAFT


def test_sign_offs_notify_the_next_signer(cast, sent):
    services.sign_as_office_head(actor=cast.college_office_head, request=sent, at=DAY)

    assert list(Notification.objects.order_by("id").values_list("recipient__username", "name")) == [
        ("college_office_head", "adjustment_waiting"),
        ("college_leader", "adjustment_waiting"),
    ]


# --- the bureau ----------------------------------------------------------------------------------------------------


def test_secondary_school_request_goes_to_its_bureau_first(cast, school_plan):
    request = signed(cast.staff, cast.office_head, cast.leader, school_plan, raise_line(school_plan, "物流管理", 80))

    assert request.status == AdjustmentStatus.BUREAU_REVIEW
    with pytest.raises(AdjustmentError, match="bureau review"):
        services.decide(actor=cast.provincial_reviewer, request=request, outcome=Outcome.APPROVE, at=DAY)
    with pytest.raises(AdjustmentError, match="may not do this"):
        services.bureau_forward(actor=cast.other_bureau_reviewer, request=request, at=DAY)

    services.bureau_forward(actor=cast.bureau_reviewer, request=request, at=DAY)

    request.refresh_from_db()
    assert (request.status, request.bureau_forwarded_by) == (AdjustmentStatus.PROVINCIAL_REVIEW, cast.bureau_reviewer)


def test_bureau_return_sends_the_request_back_through_both_sign_offs(cast, school_plan):
    request = signed(cast.staff, cast.office_head, cast.leader, school_plan, raise_line(school_plan, "物流管理", 80))

    services.bureau_return(actor=cast.bureau_reviewer, request=request, reason="人数依据不足", at=DAY)

    request.refresh_from_db()
    assert (request.status, request.leader_signed_by, request.submitted_at) == (AdjustmentStatus.DRAFT, None, None)
    assert request.returned_reason == "人数依据不足"


def test_bureau_cannot_touch_a_higher_institutions_request(cast, college_plan):
    request = signed(
        cast.college_staff,
        cast.college_office_head,
        cast.college_leader,
        college_plan,
        raise_line(college_plan, "物流管理", 120),
    )

    with pytest.raises(AdjustmentError):
        services.bureau_forward(actor=cast.bureau_reviewer, request=request, at=DAY)


# --- the province --------------------------------------------------------------------------------------------------


def _in_province(cast, plan, *changes):
    return signed(cast.college_staff, cast.college_office_head, cast.college_leader, plan, *changes)


def test_decide_approve_raises_the_plan_of_record_and_keeps_the_old_figure(cast, college_plan, logistics):
    request = _in_province(
        cast,
        college_plan,
        raise_line(college_plan, "物流管理", 120),
        Change(headcount=30, certificate_id=logistics.pk, level=M, major_name="物流管理", major_code="530802"),
    )

    services.decide(actor=cast.provincial_reviewer, request=request, outcome=Outcome.APPROVE, at=DAY)

    request.refresh_from_db()
    assert request.status == AdjustmentStatus.APPROVED
    assert (request.decided_by, request.decided_at) == (cast.provincial_reviewer, DAY)
    assert list(
        college_plan.lines.order_by("id").values_list("level", "major_name", "headcount", "approved_headcount")
    ) == [
        (J, "物流管理", 100, 120),
        (J, "电子商务", 40, 40),
        (M, "物流管理", 30, 30),
    ]
    assert list(request.items.values_list("before", "after", "approved")) == [(100, 120, 120), (0, 30, 30)]
    new_line = line(college_plan, "物流管理", M)
    assert request.items.get(kind="new_line").line == new_line
    adjusted = AuditEvent.objects.filter(action="line.adjust").order_by("id")
    assert [(e.before["approved_headcount"], e.after["approved_headcount"]) for e in adjusted] == [
        (100, 120),
        (None, 30),
    ]


def test_decide_reduce_approves_lower_figures_with_a_reason(cast, college_plan):
    request = _in_province(cast, college_plan, raise_line(college_plan, "物流管理", 120))
    item = request.items.get()

    with pytest.raises(AdjustmentError, match="reason"):
        services.decide(
            actor=cast.provincial_reviewer, request=request, outcome=Outcome.REDUCE, approved={item.pk: 110}, at=DAY
        )
    with pytest.raises(AdjustmentError, match="between 100 and 120"):
        services.decide(
            actor=cast.provincial_reviewer,
            request=request,
            outcome=Outcome.REDUCE,
            approved={item.pk: 90},
            reason="x",
            at=DAY,
        )
    services.decide(
        actor=cast.provincial_reviewer,
        request=request,
        outcome=Outcome.REDUCE,
        approved={item.pk: 110},
        reason="师资有限",
        at=DAY,
    )

    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (AdjustmentStatus.REDUCED, "师资有限")
    assert line(college_plan, "物流管理").approved_headcount == 110


def test_decide_reject_leaves_the_plan_of_record(cast, college_plan):
    request = _in_province(cast, college_plan, raise_line(college_plan, "物流管理", 120))

    services.decide(
        actor=cast.provincial_reviewer, request=request, outcome=Outcome.REJECT, reason="不符合条件", at=DAY
    )

    request.refresh_from_db()
    assert request.status == AdjustmentStatus.REJECTED
    assert line(college_plan, "物流管理").approved_headcount == 100
    assert list(
        Notification.objects.filter(name="adjustment_decided")
        .values_list("recipient__username", flat=True)
        .order_by("recipient__username")
    ) == [
        "college_leader",
        "college_office_head",
        "college_staff",
    ]


def test_decide_only_by_a_provincial_reviewer(cast, college_plan):
    request = _in_province(cast, college_plan, raise_line(college_plan, "物流管理", 120))

    for actor in (cast.provincial_admin, cast.observer, cast.bureau_reviewer, cast.college_leader):
        with pytest.raises(AdjustmentError, match="may not do this"):
            services.decide(actor=actor, request=request, outcome=Outcome.APPROVE, at=DAY)


def test_approving_one_request_rechecks_the_others_and_r3_now_bites(cast, college_plan, logistics):
    published_plan(cast.college1, 2026, [(logistics, J, "物流管理", 200)])
    capped(cast.college1, 2026)  # cap 200; approved now 140
    first = _in_province(cast, college_plan, raise_line(college_plan, "物流管理", 140))  # → 180
    second = _in_province(
        cast, college_plan, raise_line(college_plan, "电子商务", 70)
    )  # → 170 alone, 210 with the first
    assert granting.pending_blockers(college_plan) == {}

    services.decide(actor=cast.provincial_reviewer, request=first, outcome=Outcome.APPROVE, at=DAY)

    blocked = granting.pending_blockers(college_plan)
    assert list(blocked) == [second.pk]
    assert [v.code for v in blocked[second.pk]] == ["R3"]
    assert AuditEvent.objects.get(action="adjustment.decide").after["blocked_pending"] == {str(second.pk): ["R3"]}
    with pytest.raises(RuleError) as refused:
        services.decide(actor=cast.provincial_reviewer, request=second, outcome=Outcome.APPROVE, at=DAY)
    assert [v.code for v in refused.value.violations] == ["R3"]
    # The province may still approve what fits: 180 + 20 = 200.
    item = second.items.get()
    services.decide(
        actor=cast.provincial_reviewer,
        request=second,
        outcome=Outcome.REDUCE,
        approved={item.pk: 60},
        reason="上限",
        at=DAY,
    )
    assert sum(PlanLine.objects.filter(plan=college_plan).values_list("approved_headcount", flat=True)) == 200


def test_a_request_made_from_old_figures_is_refused_once_another_raised_the_same_line(cast, college_plan):
    first = _in_province(cast, college_plan, raise_line(college_plan, "物流管理", 120))
    second = _in_province(cast, college_plan, raise_line(college_plan, "物流管理", 130))
    services.decide(actor=cast.provincial_reviewer, request=first, outcome=Outcome.APPROVE, at=DAY)

    with pytest.raises(RuleError) as refused:
        services.decide(actor=cast.provincial_reviewer, request=second, outcome=Outcome.APPROVE, at=DAY)

    assert "the plan of record is now 120" in refused.value.violations[0].message
    assert line(college_plan, "物流管理").approved_headcount == 120


def test_withdraw_a_pending_request(cast, sent):
    services.withdraw(actor=cast.college_staff, request=sent, at=DAY)

    sent.refresh_from_db()
    assert sent.status == AdjustmentStatus.WITHDRAWN
    with pytest.raises(AdjustmentError):
        services.sign_as_office_head(actor=cast.college_office_head, request=sent, at=DAY)


def test_decide_outside_the_window_is_refused(cast, college_plan):
    request = _in_province(cast, college_plan, raise_line(college_plan, "物流管理", 120))

    with pytest.raises(AdjustmentError, match="Outside the window"):
        services.decide(
            actor=cast.provincial_reviewer,
            request=request,
            outcome=Outcome.APPROVE,
            at=datetime(2027, 12, 1, 0, 0, tzinfo=SHANGHAI),
        )


def test_an_extension_stretches_the_window_for_its_institution(cast, college_plan, spring):
    from rounds.enums import Stage
    from rounds.models import Extension

    Extension.objects.create(
        round=spring,
        stage=Stage.ADJUSTMENT,
        institution=cast.college1,
        until=datetime(2027, 12, 10).date(),
        reason="特殊情况",
        granted_by=cast.provincial_admin,
    )

    assert guards.window_problem(college_plan, datetime(2027, 12, 10, 23, 59, 59, tzinfo=SHANGHAI)) is None
