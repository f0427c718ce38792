"""Every review action writes exactly one audit record, with no empty field."""

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from reviews import services
from tests.reviews.factories import BUREAU_DAY, in_bureau_review, in_provincial_review

FIELDS = [
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
]


def _decided(cast, spring, cert):
    plan = in_provincial_review(cast, spring, cert)
    for line in plan.lines.all():
        services.decide_line(actor=cast.provincial_reviewer, line=line, outcome="approve", at=BUREAU_DAY)
    return plan


ACTIONS = {
    "review.recommend_line": (
        in_bureau_review,
        "bureau_reviewer",
        lambda plan: reverse("review_recommend_line", args=[plan.lines.first().pk]),
        {"outcome": "approve"},
    ),
    "review.bureau_approve": (
        in_bureau_review,
        "bureau_reviewer",
        lambda plan: reverse("review_approve", args=[plan.pk]),
        {},
    ),
    "review.return": (
        in_bureau_review,
        "bureau_reviewer",
        lambda plan: reverse("review_return", args=[plan.pk]),
        {"reason": "请修改"},
    ),
    "review.decide_line": (
        in_provincial_review,
        "provincial_reviewer",
        lambda plan: reverse("review_decide_line", args=[plan.lines.first().pk]),
        {"outcome": "reject", "reason": "不予批准"},
    ),
    "review.publish": (
        _decided,
        "provincial_reviewer",
        lambda plan: reverse("review_publish", args=[plan.pk]),
        {},
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_review_action_writes_exactly_one_complete_audit_record(client, cast, spring, logistics, action):
    build, username, url, data = ACTIONS[action]
    with time_machine.travel(BUREAU_DAY, tick=False):
        plan = build(cast, spring, logistics)
        client.force_login(getattr(cast, username))
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

        client.post(url(plan), data, REMOTE_ADDR="10.1.2.3")

    events = list(AuditEvent.objects.filter(id__gt=last).values(*FIELDS))
    assert [e["action"] for e in events] == [action]
    assert [name for name in FIELDS if events[0][name] in (None, "", {}, [])] == []
    assert (events[0]["actor_name"], events[0]["actor_role"], events[0]["ip"]) == (username, username, "10.1.2.3")
