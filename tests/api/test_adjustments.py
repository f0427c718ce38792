"""Adjustment requests through the API: the whole way from a school's request to the province's decision, R7
refusals as problem+json, and who may take each step (403) or see the request at all (404)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from adjustments.models import AdjustmentRequest
from audit.models import AuditEvent
from tests.adjustments.factories import DAY, J, draft, line, published, raise_line, signed
from tests.api.conftest import ApiClient
from tests.conftest import make_certificate
from tests.documents.builders import pdf_bytes
from tests.test_scope_matrix import EVERYONE

# Every test here stores its files in a fresh directory (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J])


@pytest.fixture
def college_plan(cast, spring, logistics):
    return published(cast.college1, spring, [(logistics, J, "物流管理", 100)])


def test_adjustment_goes_from_the_school_to_the_province_through_the_api(api, cast, college_plan):
    staff, head, leader = api(cast.college_staff), api(cast.college_office_head), api(cast.college_leader)
    province = api(cast.provincial_reviewer)
    line_id = line(college_plan, "物流管理").pk

    with time_machine.travel(DAY, tick=False):
        created = staff.post(
            f"/plans/{college_plan.pk}/adjustments",
            {"reason": "报名人数超过计划", "changes": [{"line_id": line_id, "headcount": 120}]},
        )
        adjustment_id = created.json()["id"]
        steps = [
            staff.post(f"/adjustments/{adjustment_id}/actions/send_for_signoff"),
            head.post(f"/adjustments/{adjustment_id}/actions/sign_office_head"),
            leader.post(f"/adjustments/{adjustment_id}/actions/sign_leader"),
        ]
        scan = staff.client.post(
            f"/api/v1/adjustments/{adjustment_id}/scans",
            {"file": SimpleUploadedFile("附件3.pdf", pdf_bytes())},
            headers=staff.headers,
        )
        paper = staff.get(f"/adjustments/{adjustment_id}/request/pdf")
        decided = province.post(f"/adjustments/{adjustment_id}/actions/decide", {"outcome": "approve"})
        listed = staff.get("/adjustments", plan_id=college_plan.pk).json()

    assert created.status_code == 201
    assert [(i["before"], i["after"], i["line_id"]) for i in created.json()["items"]] == [(100, 120, line_id)]
    assert [(s.status_code, s.json()["adjustment"]["status"]) for s in steps] == [
        (200, "awaiting_office_head"),
        (200, "awaiting_leader"),
        (200, "provincial_review"),
    ]
    assert (scan.status_code, paper.status_code, paper.content[:5]) == (201, 200, b"%PDF-")
    assert (decided.status_code, decided.json()["status"]) == (200, "approved")
    assert [i["approved"] for i in decided.json()["adjustment"]["items"]] == [120]
    assert line(college_plan, "物流管理").approved_headcount == 120
    assert [(a["id"], a["status"]) for a in listed["items"]] == [(adjustment_id, "approved")]


def test_adjustment_that_lowers_a_line_is_refused_with_r7(api, cast, college_plan):
    line_id = line(college_plan, "物流管理").pk

    with time_machine.travel(DAY, tick=False):
        answer = api(cast.college_staff).post(
            f"/plans/{college_plan.pk}/adjustments",
            {"reason": "减少", "changes": [{"line_id": line_id, "headcount": 80}]},
        )

    assert answer.status_code == 422
    assert [(v["rule"], v["line"]) for v in answer.json()["violations"]] == [("R7", line_id)]
    assert AdjustmentRequest.objects.count() == 0


def test_adjustment_of_a_plan_that_is_not_published_is_refused(api, cast, spring, logistics):
    from tests.reviews.factories import plan_in

    plan = plan_in(cast.college1, spring, "provincial_review", [(logistics, J, "物流管理", 40)])

    with time_machine.travel(DAY, tick=False):
        answer = api(cast.college_staff).post(
            f"/plans/{plan.pk}/adjustments",
            {"reason": "增加", "changes": [{"line_id": plan.lines.get().pk, "headcount": 50}]},
        )

    assert (answer.status_code, answer.json()["type"]) == (409, "urn:onex:problem:step-refused")


# --- who may take each step ---------------------------------------------------------------------------------------

SCHOOL1 = {"staff", "office_head", "leader"}
PROVINCE = {"provincial_reviewer", "provincial_admin", "observer"}


def _prepare(cast, plan, stage: str) -> AdjustmentRequest:
    """school1's request at `stage`: draft, awaiting_office_head, awaiting_leader, bureau_review, provincial_review."""
    raise_to = raise_line(plan, "物流管理", 80)
    if stage in ("bureau_review", "provincial_review"):
        request = signed(cast.staff, cast.office_head, cast.leader, plan, raise_to)
        if stage == "provincial_review":
            from adjustments import services

            services.bureau_forward(actor=cast.bureau_reviewer, request=request, at=DAY)
        return request
    request = draft(cast.staff, plan, raise_to)
    from adjustments import services

    if stage != "draft":
        services.send_for_signoff(actor=cast.staff, request=request, at=DAY)
    if stage == "awaiting_leader":
        services.sign_as_office_head(actor=cast.office_head, request=request, at=DAY)
    return request


# (action, the request's stage, body, the one allowed, who else may ask but not now: 409)
STEPS = [
    ("send_for_signoff", "draft", None, "staff", {}),
    ("sign_office_head", "awaiting_office_head", None, "office_head", {}),
    ("sign_leader", "awaiting_leader", None, "leader", {}),
    ("send_back", "awaiting_leader", {"reason": "再核"}, "leader", {"office_head": 409}),
    ("withdraw", "draft", None, "staff", {}),
    ("bureau_forward", "bureau_review", None, "bureau_reviewer", {}),
    ("bureau_return", "bureau_review", {"reason": "补充材料"}, "bureau_reviewer", {}),
    ("decide", "provincial_review", {"outcome": "approve"}, "provincial_reviewer", {}),
]


@pytest.mark.parametrize(("action", "stage", "body", "allowed", "not_now"), STEPS, ids=[s[0] for s in STEPS])
def test_adjustment_step_answers_by_role_and_scope(
    client, cast, spring, logistics, action, stage, body, allowed, not_now
):
    plan = published(cast.school1, spring, [(logistics, J, "物流管理", 60)])
    with time_machine.travel(DAY, tick=False):
        request = _prepare(cast, plan, stage)
        seen = {}
        for user in User.objects.filter(username__in=EVERYONE):
            events = AuditEvent.objects.count() + 1  # the token's creation
            with transaction.atomic():
                answer = ApiClient(client, user).post(f"/adjustments/{request.pk}/actions/{action}", body)
                seen[user.username] = (answer.status_code, AuditEvent.objects.count() > events)
                transaction.set_rollback(True)

    # Everyone at the school and the province sees the request; its bureau once it left the school.
    sees = SCHOOL1 | PROVINCE | ({"bureau_reviewer"} if stage.endswith("review") else set())
    assert {u: status for u, (status, _) in seen.items()} == {
        u: 200 if u == allowed else not_now.get(u, 403) if u in sees else 404 for u in EVERYONE
    }
    assert {u for u, (_, changed) in seen.items() if changed} == {allowed}


def test_adjustment_step_that_takes_the_request_out_of_scope_answers_without_it(api, cast, spring, logistics):
    plan = published(cast.school1, spring, [(logistics, J, "物流管理", 60)])
    with time_machine.travel(DAY, tick=False):
        request = _prepare(cast, plan, "bureau_review")
        answer = api(cast.bureau_reviewer).post(
            f"/adjustments/{request.pk}/actions/bureau_return", {"reason": "补材料"}
        )

    assert answer.status_code == 200
    assert answer.json() == {"action": "bureau_return", "status": "draft", "adjustment": None}
