"""R8: an institution without a recorded national-platform registration drafts but cannot submit; the admin or the
institution's own staff record it on the institution's page (audited), and then it can."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client

from audit.models import AuditEvent
from core.dates import SHANGHAI
from plans import services as plan_services
from plans.enums import PlanStatus
from plans.models import Plan
from tests.conftest import make_certificate
from tests.factories import J, complete_form, draft

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def unregistered_plan(cast, spring):
    cast.school1.platform_account = ""
    cast.school1.save()
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    complete_form(plan, logistics)
    return plan


def test_r8_unregistered_institution_cannot_submit_and_is_told_where_to_register(cast, unregistered_plan):
    with pytest.raises(plan_services.RuleError) as raised:
        plan_services.send_for_signoff(actor=cast.staff, plan=unregistered_plan, at=FILING)

    [violation] = raised.value.violations
    assert violation.code == "R8"
    assert "https://vslc.ncb.edu.cn/" in violation.message
    unregistered_plan.refresh_from_db()
    assert unregistered_plan.status == PlanStatus.DRAFT


def test_r8_sign_off_is_refused_when_the_registration_was_cleared_meanwhile(cast, unregistered_plan):
    cast.school1.platform_account = "AH-TEST"
    cast.school1.save()
    plan_services.send_for_signoff(actor=cast.staff, plan=unregistered_plan, at=FILING)
    logged_in(cast.provincial_admin).post(f"/manage/institutions/{cast.school1.pk}/", {"platform_account": ""})

    with pytest.raises(plan_services.RuleError) as raised:
        plan_services.sign_off(actor=cast.leader, plan=Plan.objects.get(pk=unregistered_plan.pk), at=FILING)

    assert [v.code for v in raised.value.violations] == ["R8"]


def test_r8_after_the_staff_record_the_registration_the_plan_is_submitted(cast, unregistered_plan):
    response = logged_in(cast.staff).post(f"/manage/institutions/{cast.school1.pk}/", {"platform_account": " AH-0001 "})
    plan = Plan.objects.get(pk=unregistered_plan.pk)  # as the next request reads it
    plan_services.send_for_signoff(actor=cast.staff, plan=plan, at=FILING)
    plan_services.sign_off(actor=cast.leader, plan=plan, at=FILING)

    plan.refresh_from_db()
    cast.school1.refresh_from_db()
    assert (response.status_code, cast.school1.platform_account) == (302, "AH-0001")
    assert plan.status == PlanStatus.BUREAU_REVIEW
    event = AuditEvent.objects.for_object(cast.school1).get(action="institution.registration")
    assert (event.actor, event.before, event.after) == (
        cast.staff,
        {"platform_account": ""},
        {"platform_account": "AH-0001"},
    )


def test_registration_page_shows_the_r8_message_and_the_form_to_the_staff(cast, unregistered_plan):
    html = logged_in(cast.staff).get("/manage/institutions/mine/", follow=True).content.decode()

    assert "Not recorded: plans can be drafted but not submitted (R8)" in html
    assert 'data-testid="save-registration"' in html


def test_registration_admin_records_it_for_any_institution(cast):
    client = logged_in(cast.provincial_admin)

    client.post(f"/manage/institutions/{cast.college2.pk}/", {"platform_account": "AH-9"})

    cast.college2.refresh_from_db()
    assert cast.college2.platform_account == "AH-9"
    assert AuditEvent.objects.for_object(cast.college2).filter(action="institution.registration").count() == 1


@pytest.mark.parametrize(
    ("username", "target", "expected"),
    [
        ("staff", "college1", 404),  # another institution: not in scope
        ("leader", "school1", 403),  # own institution, but only the staff record it
        ("office_head", "school1", 403),
        ("bureau_reviewer", "school1", 403),  # sees the school, records nothing
        ("provincial_reviewer", "school1", 403),
        ("observer", "school1", 403),
    ],
)
def test_registration_refused_to_everyone_else(cast, username, target, expected):
    institution = getattr(cast, target)

    response = logged_in(getattr(cast, username)).post(
        f"/manage/institutions/{institution.pk}/", {"platform_account": "X"}
    )

    institution.refresh_from_db()
    assert (response.status_code, institution.platform_account) == (expected, "AH-TEST")
    assert AuditEvent.objects.filter(action="institution.registration").count() == 0


def test_registration_unchanged_value_writes_no_audit_event(cast):
    logged_in(cast.staff).post(f"/manage/institutions/{cast.school1.pk}/", {"platform_account": "AH-TEST"})

    assert AuditEvent.objects.filter(action="institution.registration").count() == 0


def test_r8_plan_page_links_the_staff_to_where_the_registration_is_recorded(cast, unregistered_plan):
    html = logged_in(cast.staff).get(f"/plans/{unregistered_plan.pk}/").content.decode()

    assert 'data-rule="R8"' in html
    assert 'href="/manage/institutions/mine/" data-testid="record-registration"' in html
