"""Every row of the state table in plans/workflow.py, from each of its statuses, taken through the service that
owns the step: the plan lands where the row says, the move is audited, and nobody else may take it."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import translation

from accounts.enums import Role
from audit.models import AuditEvent
from core.dates import SHANGHAI
from core.refusals import StepRefused
from plans import services as plan_services
from plans.enums import PlanStatus, ReviewLevel
from plans.models import Plan
from plans.workflow import TABLE, Step, allowed_steps
from reviews import services as review_services
from tests.conftest import make_certificate
from tests.reviews.factories import BUREAU_DAY, PROVINCE_DAY, J, M, plan_in

S = PlanStatus
FILING_DAY = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
ACTOR_OF = {
    Role.INSTITUTION_STAFF: "staff",
    Role.INSTITUTION_LEADER: "leader",
    Role.BUREAU_REVIEWER: "bureau_reviewer",
    Role.PROVINCIAL_REVIEWER: "provincial_reviewer",
}
RETURNED_FROM = {S.RETURNED_BY_BUREAU: ReviewLevel.BUREAU, S.RETURNED_BY_PROVINCE: ReviewLevel.PROVINCE}
CASES = [(index, status) for index, row in enumerate(TABLE.rows) for status in sorted(row.source)]


def _time(step: str, plan: Plan) -> datetime:
    if step in {Step.RECOMMEND, Step.APPROVE} or plan.returned_from:
        return BUREAU_DAY  # both review windows open
    if step in {Step.DECIDE, Step.PUBLISH, Step.RETURN}:
        return BUREAU_DAY if plan.status == S.BUREAU_REVIEW else PROVINCE_DAY
    return FILING_DAY


def take(step: str, plan: Plan, actor) -> None:
    """Take `step` through the service that owns it."""
    at = _time(step, plan)
    line = plan.lines.order_by("id").first()
    if step == Step.EDIT:
        plan_services.update_line(actor=actor, line=line, headcount=45)
    elif step == Step.SEND_FOR_SIGNOFF:
        plan_services.send_for_signoff(actor=actor, plan=plan, at=at)
    elif step == Step.SEND_BACK:
        plan_services.send_back(actor=actor, plan=plan, reason="请修改")
    elif step == Step.SIGN_OFF:
        plan_services.sign_off(actor=actor, plan=plan, at=at)
    elif step == Step.RECOMMEND:
        review_services.recommend_line(actor=actor, line=line, outcome="approve", at=at)
    elif step == Step.APPROVE:
        review_services.approve_by_bureau(actor=actor, plan=plan, at=at)
    elif step == Step.RETURN:
        review_services.return_plan(actor=actor, plan=plan, reason="请修改", at=at)
    elif step == Step.DECIDE:
        review_services.decide_line(actor=actor, line=line, outcome="approve", at=at)
    else:
        assert step == Step.PUBLISH
        review_services.publish(actor=actor, plan=plan, at=at)


@pytest.fixture
def plan_at(cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J, M])

    def make(status: str) -> Plan:
        lines = [(certificate, J, "物流管理", 40), (certificate, M, "物流管理", 35)]
        plan = plan_in(cast.school1, spring, status, lines)
        plan.returned_from = RETURNED_FROM.get(status, "")
        plan.save()
        return Plan.objects.select_related("institution__bureau", "round").get(pk=plan.pk)

    return make


@pytest.mark.parametrize(("index", "status"), CASES, ids=[f"{TABLE.rows[i].step}-{s}" for i, s in CASES])
def test_workflow_row_moves_the_plan_as_the_table_says(cast, plan_at, index, status):
    row = TABLE.rows[index]
    plan = plan_at(status)
    [role] = row.who.roles
    actor = getattr(cast, ACTOR_OF[role])
    if row.step == Step.PUBLISH:
        for line in plan.lines.all():
            review_services.decide_line(actor=actor, line=line, outcome="approve", at=PROVINCE_DAY)

    assert row.step in allowed_steps(actor, plan)
    take(row.step, plan, actor)

    after = Plan.objects.get(pk=plan.pk).status
    assert (status, after) in row.pairs()
    if row.action:
        assert AuditEvent.objects.filter(action=row.action, object_id=str(plan.pk)).count() == 1


@pytest.mark.parametrize(("index", "status"), CASES, ids=[f"{TABLE.rows[i].step}-{s}" for i, s in CASES])
def test_workflow_row_refuses_everyone_else(cast, plan_at, index, status):
    row = TABLE.rows[index]
    plan = plan_at(status)
    others = [user for user in cast.one_of_every_role() if user.role not in row.who.roles]

    for user in [*others, cast.other_staff, cast.other_bureau_reviewer]:
        if user.role in row.who.roles and row.who.allows(user, plan):
            continue
        assert row.step not in allowed_steps(user, plan)
        with pytest.raises(StepRefused):
            take(row.step, plan, user)
        assert Plan.objects.get(pk=plan.pk).status == status


def test_workflow_table_prints_as_domain_section_7():
    from onex.management.commands.workflow import markdown

    with translation.override("en"):
        text = markdown(TABLE, dict(S.choices))

    assert text.splitlines()[:2] == ["| from | step | who | to | when |", "|---|---|---|---|---|"]
    assert "| awaiting sign-off | send back (reason) | institution leader | draft | — |" in text
    assert len(text.splitlines()) == 2 + len(TABLE.rows)


def test_workflow_step_with_a_window_needs_the_time_it_is_taken_at(cast, plan_at):
    plan = plan_at(S.DRAFT)

    with pytest.raises(ValueError, match="give the time"):
        TABLE.check(plan, Step.SEND_FOR_SIGNOFF, actor=cast.staff, at=None)
