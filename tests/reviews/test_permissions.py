"""Every review action × every role: the right reviewer acts; everyone else gets 404 when the plan is out of their
scope and 403 when it is in it, and nothing changes."""

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Notification
from plans.models import Plan
from reviews import services
from reviews.models import LineDecision
from rounds.models import Extension
from tests.reviews.factories import BUREAU_DAY, in_bureau_review, in_provincial_review

EVERYONE = [
    "staff",
    "office_head",
    "leader",
    "college_staff",
    "college_office_head",
    "college_leader",
    "other_staff",
    "bureau_reviewer",
    "other_bureau_reviewer",
    "provincial_reviewer",
    "provincial_admin",
    "observer",
]
# Who sees a secondary school of bureau 1 once submitted, and who sees a higher-education plan (DOMAIN.md §3).
SEES_SCHOOL1 = {
    "staff",
    "office_head",
    "leader",
    "bureau_reviewer",
    "provincial_reviewer",
    "provincial_admin",
    "observer",
}
SEES_COLLEGE1 = {
    "college_staff",
    "college_office_head",
    "college_leader",
    "provincial_reviewer",
    "provincial_admin",
    "observer",
}


def _bureau_plan(cast, spring, cert):
    return in_bureau_review(cast, spring, cert)


def _province_plan(cast, spring, cert):
    return in_provincial_review(cast, spring, cert)


def _decided_province_plan(cast, spring, cert):
    plan = in_provincial_review(cast, spring, cert)
    for line in plan.lines.all():
        services.decide_line(actor=cast.provincial_reviewer, line=line, outcome="approve", at=BUREAU_DAY)
    return plan


# name: (build the plan, url of the action, POST data, the one role allowed, who sees the plan)
ACTIONS = {
    "recommend_line": (
        _bureau_plan,
        lambda plan: reverse("review_recommend_line", args=[plan.lines.first().pk]),
        {"outcome": "reject", "reason": "不符合条件"},
        "bureau_reviewer",
        SEES_SCHOOL1,
    ),
    "approve": (
        _bureau_plan,
        lambda plan: reverse("review_approve", args=[plan.pk]),
        {},
        "bureau_reviewer",
        SEES_SCHOOL1,
    ),
    "bureau_return": (
        _bureau_plan,
        lambda plan: reverse("review_return", args=[plan.pk]),
        {"reason": "请修改"},
        "bureau_reviewer",
        SEES_SCHOOL1,
    ),
    "decide_line": (
        _province_plan,
        lambda plan: reverse("review_decide_line", args=[plan.lines.first().pk]),
        {"outcome": "reduce", "headcount": "30", "reason": "压减"},
        "provincial_reviewer",
        SEES_COLLEGE1,
    ),
    "province_return": (
        _province_plan,
        lambda plan: reverse("review_return", args=[plan.pk]),
        {"reason": "请修改"},
        "provincial_reviewer",
        SEES_COLLEGE1,
    ),
    "publish": (
        _decided_province_plan,
        lambda plan: reverse("review_publish", args=[plan.pk]),
        {},
        "provincial_reviewer",
        SEES_COLLEGE1,
    ),
}


def state(plan: Plan) -> tuple:
    plan.refresh_from_db()
    return (
        plan.status,
        plan.returned_reason,
        tuple(plan.lines.values_list("approved_headcount", flat=True)),
        LineDecision.objects.count(),
        LineDecision.objects.current().count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def frozen():
    with time_machine.travel(BUREAU_DAY, tick=False):
        yield


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("username", EVERYONE)
def test_review_action_is_refused_to_every_role_but_the_reviewer(
    client, cast, spring, logistics, frozen, action, username
):
    build, url, data, allowed, sees = ACTIONS[action]
    plan = build(cast, spring, logistics)
    user = getattr(cast, username)
    client.force_login(user)
    before = state(plan)

    response = client.post(url(plan), data)

    if username == allowed:
        assert response.status_code == 302
        assert state(plan) != before
    else:
        assert response.status_code == (403 if username in sees else 404)
        assert state(plan) == before


@pytest.mark.parametrize("username", EVERYONE)
def test_review_page_is_for_reviewers_observers_and_admins_in_scope(client, cast, spring, logistics, username):
    plan = in_bureau_review(cast, spring, logistics)
    client.force_login(getattr(cast, username))

    response = client.get(reverse("review_plan", args=[plan.pk]))

    if username not in SEES_SCHOOL1:
        assert response.status_code == 404
    elif username in {"staff", "office_head", "leader"}:
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("username", EVERYONE)
def test_bulk_approval_is_for_reviewers_and_never_reaches_outside_their_scope(
    client, cast, spring, logistics, frozen, username
):
    plan = in_bureau_review(cast, spring, logistics)
    client.force_login(getattr(cast, username))
    before = state(plan)
    preview = services.bulk_approve_preview(actor=cast.bureau_reviewer, plan_ids=[plan.pk], at=BUREAU_DAY)

    response = client.post(
        reverse("review_bulk_confirm"), {"plans": [str(plan.pk)], "fingerprint": preview.fingerprint}
    )

    if username == "bureau_reviewer":
        assert response.status_code == 302
        assert state(plan) != before
    elif username in {"other_bureau_reviewer", "provincial_reviewer"}:
        # Their preview of this selection differs (the plan is not theirs to approve): refused, nothing done.
        assert response.status_code == 409
        assert state(plan) == before
    else:
        assert response.status_code == 403
        assert state(plan) == before


@pytest.mark.parametrize("username", EVERYONE)
def test_granting_an_extension_is_for_the_provincial_admin_only(client, cast, spring, username):
    client.force_login(getattr(cast, username))
    data = {
        "round": spring.pk,
        "stage": "bureau_review",
        "bureau": cast.bureau1.pk,
        "until": "2027-04-14",
        "reason": "系统故障",
    }

    response = client.post(reverse("review_extensions"), data)

    assert response.status_code == (302 if username == "provincial_admin" else 403)
    assert Extension.objects.count() == (1 if username == "provincial_admin" else 0)


@pytest.mark.parametrize("username", EVERYONE)
def test_audit_search_and_export_are_for_the_provincial_admin_only(client, cast, username):
    client.force_login(getattr(cast, username))

    export = client.get(reverse("audit_export"))
    if export.streaming:
        b"".join(export.streaming_content)  # reading it to the end closes the file
    statuses = {client.get(reverse("audit_search")).status_code, export.status_code}

    assert statuses == ({200} if username == "provincial_admin" else {403})
