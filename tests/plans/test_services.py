"""The filing workflow: drafting, sign-off, submission (DOMAIN.md §5, §7)."""

from datetime import datetime

import pytest
from django.utils import translation

from audit.models import AuditEvent
from core.dates import SHANGHAI
from plans import services
from plans.enums import PlanStatus, ReviewLevel
from plans.models import Plan, PlanLine
from tests.conftest import make_certificate
from tests.factories import J, M, complete_form, completion, draft, published_plan

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
AFTER = datetime(2027, 4, 8, 0, 0, tzinfo=SHANGHAI)


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J, M])


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def ready_plan(cast, spring, logistics, institution=None, headcount=30):
    institution = institution or cast.school1
    plan = draft(institution, spring, [(logistics, J, "物流管理", headcount)])
    complete_form(plan, logistics)
    return plan


def test_open_plan_creates_one_draft_per_round(cast, spring):
    first = services.open_plan(actor=cast.staff, round=spring, at=FILING)
    again = services.open_plan(actor=cast.staff, round=spring, at=FILING)

    assert first.pk == again.pk
    assert (first.status, first.institution) == (PlanStatus.DRAFT, cast.school1)
    assert Plan.objects.count() == 1


def test_open_plan_outside_the_window_is_refused(cast, spring):
    with pytest.raises(services.RuleError) as raised:
        services.open_plan(actor=cast.staff, round=spring, at=AFTER)

    assert [v.code for v in raised.value.violations] == ["R1"]
    assert Plan.objects.count() == 0


def test_open_plan_by_a_leader_is_refused(cast, spring):
    with pytest.raises(services.PlanError):
        services.open_plan(actor=cast.leader, round=spring, at=FILING)


def test_add_line_refuses_a_level_the_certificate_does_not_offer(cast, spring, logistics):
    plan = draft(cast.school1, spring)

    with pytest.raises(services.PlanError) as raised:
        services.add_line(
            actor=cast.staff, plan=plan, certificate=logistics, level="senior", major_name="物流管理", headcount=30
        )

    assert str(raised.value) == "物流管理 does not offer 高级; it offers: 初级、中级"
    assert PlanLine.objects.count() == 0


def test_add_line_refuses_a_duplicate_line(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])

    with pytest.raises(services.RuleError) as raised:
        services.add_line(
            actor=cast.staff, plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=10
        )

    assert [v.code for v in raised.value.violations] == ["R4"]
    assert PlanLine.objects.count() == 1


def test_add_line_to_another_institutions_plan_is_refused(cast, spring, logistics):
    plan = draft(cast.school2, spring)

    with pytest.raises(services.PlanError):
        services.add_line(
            actor=cast.staff, plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=30
        )

    assert PlanLine.objects.count() == 0


def test_add_update_remove_are_audited_with_before_and_after(cast, spring, logistics):
    plan = draft(cast.school1, spring)

    line = services.add_line(
        actor=cast.staff, plan=plan, certificate=logistics, level=J, major_name="物流管理", headcount=30
    )
    services.update_line(actor=cast.staff, line=line, headcount=45)
    services.remove_line(actor=cast.staff, line=line)

    events = list(AuditEvent.objects.order_by("id").values_list("action", "before", "after"))
    assert [e[0] for e in events] == ["line.add", "line.update", "line.remove"]
    assert (events[1][1]["headcount"], events[1][2]["headcount"]) == (30, 45)
    assert events[2][1]["headcount"] == 45
    assert PlanLine.objects.count() == 0


def test_lines_cannot_change_after_submission(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)], status=PlanStatus.BUREAU_REVIEW)

    with pytest.raises(services.PlanError):
        services.update_line(actor=cast.staff, line=plan.lines.get(), headcount=99)

    assert plan.lines.get().headcount == 30


def test_copy_last_year_copies_approved_lines_once(cast, spring, logistics):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40), (logistics, M, "物流管理", 35)])
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 50)])

    added = services.copy_last_year(actor=cast.staff, plan=plan)
    again = services.copy_last_year(actor=cast.staff, plan=plan)

    assert (added, again) == (1, 0)
    assert sorted(plan.lines.values_list("level", "headcount")) == [(M, 35), (J, 50)]


def test_save_form_for_continuing_certificate_is_refused(cast, spring, logistics):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40)])
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 40)])

    with pytest.raises(services.PlanError):
        services.save_form(actor=cast.staff, plan=plan, certificate=logistics, facilities="实训室")


def test_send_for_signoff_blocked_by_r2_and_missing_form(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 29)])

    with pytest.raises(services.RuleError) as raised:
        services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)

    assert [v.code for v in raised.value.violations] == ["R2", "FORM"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_send_for_signoff_blocked_by_unjustified_warning_until_justified(cast, spring):
    cert = make_certificate("物流管理职业技能等级证书", majors=["物流管理"])
    plan = draft(cast.school1, spring, [(cert, J, "会计", 30)])
    complete_form(plan, cert)

    with pytest.raises(services.RuleError) as raised:
        services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)
    plan.lines.update(justification="会计专业开设供应链课程")
    services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)

    assert [v.code for v in raised.value.violations] == ["R6"]
    assert plan.status == PlanStatus.AWAITING_SIGNOFF


def test_send_for_signoff_outside_window_is_refused(cast, spring, logistics):
    plan = ready_plan(cast, spring, logistics)

    with pytest.raises(services.RuleError) as raised:
        services.send_for_signoff(actor=cast.staff, plan=plan, at=AFTER)

    assert [v.code for v in raised.value.violations] == ["R1"]


def test_unregistered_institution_may_draft_but_not_send(cast, spring, logistics):
    cast.school1.platform_account = ""
    cast.school1.save()
    plan = ready_plan(cast, spring, logistics)

    with pytest.raises(services.RuleError) as raised:
        services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)

    assert [v.code for v in raised.value.violations] == ["R8"]


def test_secondary_school_sign_off_goes_to_the_bureau(cast, spring, logistics):
    plan = ready_plan(cast, spring, logistics)
    services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)

    services.sign_off(actor=cast.leader, plan=plan, at=FILING)

    plan.refresh_from_db()
    assert (plan.status, plan.signed_off_by, plan.submitted_at) == (PlanStatus.BUREAU_REVIEW, cast.leader, FILING)
    assert list(AuditEvent.objects.for_object(plan).values_list("action", flat=True)) == [
        "plan.sign_off",
        "plan.send_for_signoff",
    ]


def test_higher_education_sign_off_goes_to_the_province(cast, spring, logistics):
    plan = ready_plan(cast, spring, logistics, institution=cast.college1)
    services.send_for_signoff(actor=cast.college_staff, plan=plan, at=FILING)

    services.sign_off(actor=cast.college_leader, plan=plan, at=FILING)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROVINCIAL_REVIEW


def test_staff_cannot_sign_off_and_other_leaders_cannot_either(cast, spring, logistics):
    plan = ready_plan(cast, spring, logistics)
    services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)

    for actor in (cast.staff, cast.office_head, cast.college_leader):
        with pytest.raises(services.PlanError):
            services.sign_off(actor=actor, plan=plan, at=FILING)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.AWAITING_SIGNOFF


def test_leader_sends_back_with_reason(cast, spring, logistics):
    plan = ready_plan(cast, spring, logistics)
    services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)

    with pytest.raises(services.PlanError):
        services.send_back(actor=cast.leader, plan=plan, reason="  ")
    services.send_back(actor=cast.leader, plan=plan, reason="人数再核实")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert AuditEvent.objects.for_object(plan).first().reason == "人数再核实"


def test_sign_off_rechecks_r3_against_the_other_round(cast, spring, autumn, logistics):
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 200)], season="autumn")
    completion(cast.school1, 2026, "42.0")
    draft(cast.school1, spring, [(logistics, J, "物流管理", 150)], status=PlanStatus.BUREAU_REVIEW)
    plan = draft(cast.school1, autumn, [(logistics, J, "物流管理", 60, "增加")], status=PlanStatus.AWAITING_SIGNOFF)
    at = datetime(2027, 9, 15, 9, 0, tzinfo=SHANGHAI)

    with pytest.raises(services.RuleError) as raised:
        services.sign_off(actor=cast.leader, plan=plan, at=at)

    assert [v.code for v in raised.value.violations] == ["R3"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AWAITING_SIGNOFF


def test_returned_plan_goes_back_to_the_level_that_returned_it(cast, spring, logistics):
    plan = ready_plan(cast, spring, logistics, institution=cast.school1)
    Plan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.RETURNED_BY_PROVINCE, returned_from=ReviewLevel.PROVINCE, returned_reason="补充材料"
    )
    plan.refresh_from_db()
    in_provincial_window = datetime(2027, 4, 14, 9, 0, tzinfo=SHANGHAI)

    services.send_for_signoff(actor=cast.staff, plan=plan, at=in_provincial_window)
    services.sign_off(actor=cast.leader, plan=plan, at=in_provincial_window)

    plan.refresh_from_db()
    assert (plan.status, plan.returned_from) == (PlanStatus.PROVINCIAL_REVIEW, "")


def test_returned_plan_may_not_be_resubmitted_after_that_levels_window(cast, spring, logistics):
    plan = ready_plan(cast, spring, logistics)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.RETURNED_BY_BUREAU, returned_from=ReviewLevel.BUREAU)
    plan.refresh_from_db()

    with pytest.raises(services.RuleError) as raised:
        services.send_for_signoff(actor=cast.staff, plan=plan, at=datetime(2027, 4, 13, 0, 0, tzinfo=SHANGHAI))

    assert [v.code for v in raised.value.violations] == ["R1"]


def test_workflow_notifies_leader_then_bureau_and_staff(cast, spring, logistics):
    from notifications.models import Notification

    plan = ready_plan(cast, spring, logistics)

    services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)
    after_send = sorted(Notification.objects.values_list("recipient__username", "name"))
    services.sign_off(actor=cast.leader, plan=plan, at=FILING)
    after_sign = sorted(Notification.objects.values_list("recipient__username", "name"))

    assert after_send == [("leader", "plan_sent_for_signoff")]
    assert after_sign == [
        ("bureau_reviewer", "plan_submitted"),
        ("leader", "plan_sent_for_signoff"),
        ("staff", "plan_submitted"),
    ]
