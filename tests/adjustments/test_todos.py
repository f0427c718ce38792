"""The home page's adjustment to-dos: each request shows for the one person whose step it waits on, and goes
once that step is taken (adjustments/todos.py reads `workflow.allowed_steps`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from adjustments import services
from adjustments.todos import adjustment_todos
from tests.adjustments.factories import DAY, draft, raise_line

ROLES = ["staff", "office_head", "leader", "bureau_reviewer", "other_bureau_reviewer", "provincial_reviewer"]


def waiting_on(cast, request) -> list[str]:
    """Who has the request among their to-dos at DAY."""
    url = reverse("adjustment_detail", args=[request.pk])
    return [role for role in ROLES if [t.url for t in adjustment_todos(getattr(cast, role), at=DAY)] == [url]]


@pytest.mark.django_db
def test_adjustment_todos_follow_the_request_through_each_sign_off(cast, school_plan):
    request = draft(cast.staff, school_plan, raise_line(school_plan, "物流管理", 90))
    assert waiting_on(cast, request) == []
    request = services.send_for_signoff(actor=cast.staff, request=request, at=DAY)
    assert waiting_on(cast, request) == ["office_head"]
    request = services.sign_as_office_head(actor=cast.office_head, request=request, at=DAY)
    assert waiting_on(cast, request) == ["leader"]
    request = services.sign_as_leader(actor=cast.leader, request=request, at=DAY)
    assert waiting_on(cast, request) == ["bureau_reviewer"]
    request = services.bureau_forward(actor=cast.bureau_reviewer, request=request, at=DAY)
    assert waiting_on(cast, request) == ["provincial_reviewer"]
    request = services.decide(actor=cast.provincial_reviewer, request=request, outcome="approve", at=DAY)
    assert waiting_on(cast, request) == []


@pytest.mark.django_db
def test_adjustment_todos_text_names_the_step_and_the_request(cast, school_plan):
    request = draft(cast.staff, school_plan, raise_line(school_plan, "物流管理", 90))
    request = services.send_for_signoff(actor=cast.staff, request=request, at=DAY)
    [todo] = adjustment_todos(cast.office_head, at=DAY)
    assert todo.text == f"Sign off the adjustment request (office head): {request}"


@pytest.mark.django_db
def test_adjustment_todos_send_back_takes_it_off_the_leaders_list(cast, school_plan):
    request = draft(cast.staff, school_plan, raise_line(school_plan, "物流管理", 90))
    request = services.send_for_signoff(actor=cast.staff, request=request, at=DAY)
    request = services.sign_as_office_head(actor=cast.office_head, request=request, at=DAY)
    services.send_back(actor=cast.leader, request=request, reason="请修改", at=DAY)
    assert adjustment_todos(cast.leader, at=DAY) == []


@pytest.mark.django_db
def test_adjustment_todos_query_count_does_not_grow_with_requests(cast, school_plan, college_plan):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            adjustment_todos(cast.provincial_reviewer, at=DAY)
        return len(captured)

    first = draft(cast.college_staff, college_plan, raise_line(college_plan, "物流管理", 110))
    services.send_for_signoff(actor=cast.college_staff, request=first, at=DAY)
    services.sign_as_office_head(actor=cast.college_office_head, request=first, at=DAY)
    services.sign_as_leader(actor=cast.college_leader, request=first, at=DAY)
    one = queries()
    second = draft(cast.college_staff, college_plan, raise_line(college_plan, "电子商务", 50))
    services.send_for_signoff(actor=cast.college_staff, request=second, at=DAY)
    services.sign_as_office_head(actor=cast.college_office_head, request=second, at=DAY)
    services.sign_as_leader(actor=cast.college_leader, request=second, at=DAY)
    assert len(adjustment_todos(cast.provincial_reviewer, at=DAY)) == 2
    assert queries() == one == 2
