"""Every row of the state table in adjustments/workflow.py, from each of its statuses, taken through the service
that owns the step: the request lands where the row says, the move is audited, and nobody else may take it."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from adjustments import services
from adjustments.enums import AdjustmentStatus
from adjustments.models import AdjustmentRequest
from adjustments.workflow import TABLE, Step, allowed_steps
from audit.models import AuditEvent
from core.refusals import StepRefused
from tests.adjustments.factories import DAY, draft, raise_line

A = AdjustmentStatus
ACTOR_OF = {
    Role.INSTITUTION_STAFF: "staff",
    Role.INSTITUTION_OFFICE_HEAD: "office_head",
    Role.INSTITUTION_LEADER: "leader",
    Role.BUREAU_REVIEWER: "bureau_reviewer",
    Role.PROVINCIAL_REVIEWER: "provincial_reviewer",
}
# The way to each status of a school's request: the step before it, by whom.
PATH = [
    (A.AWAITING_OFFICE_HEAD, services.send_for_signoff, "staff"),
    (A.AWAITING_LEADER, services.sign_as_office_head, "office_head"),
    (A.BUREAU_REVIEW, services.sign_as_leader, "leader"),
    (A.PROVINCIAL_REVIEW, services.bureau_forward, "bureau_reviewer"),
]
CASES = [(index, status) for index, row in enumerate(TABLE.rows) for status in sorted(row.source)]
IDS = [f"{TABLE.rows[i].step}-{s}" for i, s in CASES]


@pytest.fixture
def request_at(cast, school_plan):
    def make(status: str) -> AdjustmentRequest:
        request = draft(cast.staff, school_plan, raise_line(school_plan, "物流管理", 90))
        for reached, step, who in PATH:
            if request.status == status:
                break
            request = step(actor=getattr(cast, who), request=request, at=DAY)
            assert request.status == reached
        assert request.status == status
        return AdjustmentRequest.objects.select_related("plan__institution__bureau", "plan__round").get(pk=request.pk)

    return make


def take(step: str, request: AdjustmentRequest, actor) -> None:
    """Take `step` through the service that owns it."""
    if step == Step.EDIT:
        change = raise_line(request.plan, "物流管理", 80)
        services.update_request(actor=actor, request=request, reason="新理由", changes=[change], at=DAY)
    elif step in {Step.SEND_BACK, Step.BUREAU_RETURN}:
        function = services.send_back if step == Step.SEND_BACK else services.bureau_return
        function(actor=actor, request=request, reason="请修改", at=DAY)
    elif step == Step.DECIDE:
        services.decide(actor=actor, request=request, outcome="approve", at=DAY)
    else:
        function = {
            Step.SEND_FOR_SIGNOFF: services.send_for_signoff,
            Step.SIGN_OFFICE_HEAD: services.sign_as_office_head,
            Step.SIGN_LEADER: services.sign_as_leader,
            Step.WITHDRAW: services.withdraw,
            Step.BUREAU_FORWARD: services.bureau_forward,
        }[step]
        function(actor=actor, request=request, at=DAY)


@pytest.mark.parametrize(("index", "status"), CASES, ids=IDS)
def test_adjustment_row_moves_the_request_as_the_table_says(cast, request_at, index, status):
    row = TABLE.rows[index]
    request = request_at(status)
    [role] = row.who.roles
    actor = getattr(cast, ACTOR_OF[role])

    assert row.step in allowed_steps(actor, request)
    take(row.step, request, actor)

    after = AdjustmentRequest.objects.get(pk=request.pk).status
    assert (status, after) in row.pairs()
    if row.action:
        assert AuditEvent.objects.filter(action=row.action, object_id=str(request.pk)).count() == 1


@pytest.mark.parametrize(("index", "status"), CASES, ids=IDS)
def test_adjustment_row_refuses_everyone_else(cast, request_at, index, status):
    row = TABLE.rows[index]
    request = request_at(status)

    for user in [*cast.one_of_every_role(), cast.other_staff, cast.other_bureau_reviewer]:
        if user.role in row.who.roles and row.who.allows(user, request):
            continue
        assert row.step not in allowed_steps(user, request)
        with pytest.raises(StepRefused):
            take(row.step, request, user)
        assert AdjustmentRequest.objects.get(pk=request.pk).status == status
