"""The home page's plan to-dos (plans/todos.py): "the round is open and you have no plan yet" for the clerk, and
each plan on the list of the one whose step it waits on."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import translation

from core.dates import SHANGHAI
from plans import services
from plans.enums import PlanStatus
from plans.todos import plan_todos
from tests.conftest import FILING_DAY
from tests.factories import draft
from tests.reviews.factories import BUREAU_DAY, CLOSED, PROVINCE_DAY

AT = datetime.combine(FILING_DAY, time(10), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def texts(user, at=AT) -> list[str]:
    return [todo.text for todo in plan_todos(user, at=at)]


@pytest.mark.django_db
def test_plan_todos_open_round_without_plan_until_the_clerk_opens_one(cast, spring):
    assert texts(cast.staff) == [f"The round {spring} is open and you have no plan yet: open one"]
    assert texts(cast.office_head) == texts(cast.leader) == texts(cast.bureau_reviewer) == []
    plan = services.open_plan(actor=cast.staff, round=spring, at=AT)
    assert texts(cast.staff) == [f"Finish and send for sign-off: {plan}"]


@pytest.mark.django_db
def test_plan_todos_no_reminder_outside_the_filing_window(cast, spring):
    assert texts(cast.staff, at=datetime(2027, 3, 20, 10, tzinfo=SHANGHAI)) == []
    assert texts(cast.staff, at=datetime(2027, 4, 9, 10, tzinfo=SHANGHAI)) == []


@pytest.mark.django_db
def test_plan_todos_reminder_is_per_institution(cast, spring):
    draft(cast.school2, spring)
    assert texts(cast.other_staff) == [f"Finish and send for sign-off: {spring.plans.get()}"]
    assert texts(cast.staff) == [f"The round {spring} is open and you have no plan yet: open one"]


@pytest.mark.django_db
def test_plan_todos_sign_off_waits_on_the_leader_until_signed(cast, spring):
    plan = draft(cast.school1, spring, status=PlanStatus.AWAITING_SIGNOFF)
    assert texts(cast.leader) == [f"Sign off: {plan}"]
    plan.status = PlanStatus.BUREAU_REVIEW
    plan.save(update_fields=["status"])
    assert texts(cast.leader) == []
    assert texts(cast.bureau_reviewer, at=BUREAU_DAY) == [f"Review: {plan}"]


@pytest.mark.django_db
def test_plan_todos_follow_the_workflows_allowed_steps_and_their_windows(cast, spring):
    school = draft(cast.school1, spring, status=PlanStatus.BUREAU_REVIEW)
    college = draft(cast.college1, spring, status=PlanStatus.PROVINCIAL_REVIEW)

    # The bureau's window opens on 8 April: before it, and after it closes, the plan waits on no one.
    assert texts(cast.bureau_reviewer) == []
    assert texts(cast.bureau_reviewer, at=BUREAU_DAY) == [f"Review: {school}"]
    assert texts(cast.bureau_reviewer, at=CLOSED) == []
    # Another bureau's reviewer may not take the step, whatever the status.
    assert texts(cast.other_bureau_reviewer, at=BUREAU_DAY) == []
    assert texts(cast.provincial_reviewer, at=PROVINCE_DAY) == [f"Review: {college}"]
    unsent = draft(cast.school2, spring)
    assert texts(cast.other_staff) == [f"Finish and send for sign-off: {unsent}"]
    assert texts(cast.other_staff, at=CLOSED) == []  # nothing the clerk can send once filing has closed
