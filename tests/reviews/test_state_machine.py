"""The whole workflow of DOMAIN.md §7 as a property: random steps by random people at random times never make a
transition the table forbids, never let a secondary school's plan skip its bureau, and never show an institution
a decision before it is published."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from accounts.enums import Role
from audit.models import AuditEvent
from core.dates import SHANGHAI
from plans import services as plan_services
from plans.enums import PlanStatus, ReviewLevel
from plans.models import Plan
from plans.services import PlanError
from plans.workflow import TABLE as WORKFLOW
from plans.workflow import Step
from reviews import services
from reviews.models import LineDecision
from tests.conftest import make_certificate, make_round
from tests.reviews.factories import J, M, complete_form

S = PlanStatus
TIMES = {
    "filing": datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI),
    "both_reviews": datetime(2027, 4, 9, 10, 0, tzinfo=SHANGHAI),
    "province_only": datetime(2027, 4, 14, 10, 0, tzinfo=SHANGHAI),
    "closed": datetime(2027, 4, 16, 10, 0, tzinfo=SHANGHAI),
}
PEOPLE = [
    "staff",
    "leader",
    "office_head",
    "college_staff",
    "college_leader",
    "other_staff",
    "bureau_reviewer",
    "other_bureau_reviewer",
    "provincial_reviewer",
    "provincial_admin",
    "observer",
]


def from_the_table(step: str, role: str | None = None) -> tuple[set[tuple[str, str]], str]:
    """Every (from, to) the table of plans/workflow.py allows for `step` (taken by `role`), and who takes it."""
    rows = [row for row in WORKFLOW.rows_of(step) if role is None or role in row.who.roles]
    [who] = {r for row in rows for r in row.who.roles}
    return set().union(*(row.pairs() for row in rows)), who


# DOMAIN.md §7 as the code has it: the rules of this machine → {(from, to)} and who may take the step.
TABLE = {
    "send_for_signoff": from_the_table(Step.SEND_FOR_SIGNOFF),
    "send_back": from_the_table(Step.SEND_BACK),
    "sign_off": from_the_table(Step.SIGN_OFF),
    "edit_line": from_the_table(Step.EDIT),
    "recommend_line": from_the_table(Step.RECOMMEND),
    "approve_by_bureau": from_the_table(Step.APPROVE),
    "bureau_return": from_the_table(Step.RETURN, Role.BUREAU_REVIEWER),
    "province_return": from_the_table(Step.RETURN, Role.PROVINCIAL_REVIEWER),
    "decide_line": from_the_table(Step.DECIDE),
    "publish": from_the_table(Step.PUBLISH),
}
STEPS = int(os.environ.get("REVIEW_MACHINE_STEPS", "20"))
EXAMPLES = int(os.environ.get("REVIEW_MACHINE_EXAMPLES", "20"))


class ReviewMachine(RuleBasedStateMachine):
    cast = None  # set by the test: the fixed cast lives outside each example's savepoint
    reached: set = set()  # (plan, status) pairs seen across all examples: how deep the walk went

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        rnd = make_round(2027, "spring")
        cert = make_certificate("物流管理职业技能等级证书", levels=[J, M])
        self.plans = {}
        for key, institution in (("school", self.cast.school1), ("college", self.cast.college1)):
            plan = Plan.objects.create(institution=institution, round=rnd)
            plan.lines.create(certificate=cert, level=J, major_name="物流管理", headcount=40)
            plan.lines.create(certificate=cert, level=M, major_name="物流管理", headcount=35)
            complete_form(plan, cert)
            self.plans[key] = plan
        self.at = TIMES["filing"]
        self.bureau_approved = {key: False for key in self.plans}

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- taking steps ---------------------------------------------------------------------------------------------

    def _plan(self, key) -> Plan:
        return Plan.objects.select_related("institution__bureau", "round").get(pk=self.plans[key].pk)

    def _step(self, name: str, key: str, who: str, call) -> None:
        plan = self._plan(key)
        actor = getattr(self.cast, who)
        before = (plan.status, plan.returned_from)
        try:
            call(actor, plan)
        except PlanError:
            after = self._plan(key)
            assert (after.status, after.returned_from) == before, f"{name} refused but changed the plan"
            return
        after = self._plan(key)
        allowed, role = TABLE[name]
        assert (before[0], after.status) in allowed, f"{who} {name}: {before[0]} → {after.status}"
        assert actor.role == role, f"{who} ({actor.role}) took the step {name}"
        if name == "sign_off" and plan.institution.is_secondary and after.status == S.PROVINCIAL_REVIEW:
            assert before[1] == ReviewLevel.PROVINCE, "a secondary school's plan went straight to the province"
        if name == "approve_by_bureau":
            self.bureau_approved[key] = True

    @rule(moment=st.sampled_from(list(TIMES)))
    def clock(self, moment):
        self.at = TIMES[moment]

    @rule(key=st.sampled_from(["school", "college"]), who=st.sampled_from(PEOPLE))
    def send_for_signoff(self, key, who):
        self._step(
            "send_for_signoff", key, who, lambda a, p: plan_services.send_for_signoff(actor=a, plan=p, at=self.at)
        )

    @rule(key=st.sampled_from(["school", "college"]), who=st.sampled_from(PEOPLE), reason=st.sampled_from(["", "改"]))
    def send_back(self, key, who, reason):
        self._step("send_back", key, who, lambda a, p: plan_services.send_back(actor=a, plan=p, reason=reason))

    @rule(key=st.sampled_from(["school", "college"]), who=st.sampled_from(PEOPLE))
    def sign_off(self, key, who):
        self._step("sign_off", key, who, lambda a, p: plan_services.sign_off(actor=a, plan=p, at=self.at))

    @rule(key=st.sampled_from(["school", "college"]), who=st.sampled_from(PEOPLE), n=st.sampled_from([30, 45]))
    def edit_line(self, key, who, n):
        self._step(
            "edit_line", key, who, lambda a, p: plan_services.update_line(actor=a, line=p.lines.first(), headcount=n)
        )

    @rule(
        key=st.sampled_from(["school", "college"]),
        who=st.sampled_from(PEOPLE),
        outcome=st.sampled_from(["approve", "reduce", "reject"]),
        reason=st.sampled_from(["", "理由"]),
    )
    def recommend_line(self, key, who, outcome, reason):
        def call(actor, plan):
            line = plan.lines.first()
            services.recommend_line(
                actor=actor, line=line, outcome=outcome, headcount=line.headcount - 5, reason=reason, at=self.at
            )

        self._step("recommend_line", key, who, call)

    @rule(
        key=st.sampled_from(["school", "college"]),
        who=st.sampled_from(PEOPLE),
        outcome=st.sampled_from(["approve", "reduce", "reject"]),
        reason=st.sampled_from(["", "理由"]),
        last=st.booleans(),
    )
    def decide_line(self, key, who, outcome, reason, last):
        def call(actor, plan):
            line = plan.lines.order_by("-id" if last else "id").first()
            services.decide_line(
                actor=actor, line=line, outcome=outcome, headcount=line.headcount - 5, reason=reason, at=self.at
            )

        self._step("decide_line", key, who, call)

    @rule(key=st.sampled_from(["school", "college"]), who=st.sampled_from(PEOPLE))
    def approve_by_bureau(self, key, who):
        self._step("approve_by_bureau", key, who, lambda a, p: services.approve_by_bureau(actor=a, plan=p, at=self.at))

    @rule(key=st.sampled_from(["school", "college"]), who=st.sampled_from(PEOPLE), reason=st.sampled_from(["", "改"]))
    def return_plan(self, key, who, reason):
        name = "bureau_return" if getattr(self.cast, who).role == Role.BUREAU_REVIEWER else "province_return"
        self._step(name, key, who, lambda a, p: services.return_plan(actor=a, plan=p, reason=reason, at=self.at))

    @rule(key=st.sampled_from(["school", "college"]), who=st.sampled_from(PEOPLE))
    def publish(self, key, who):
        self._step("publish", key, who, lambda a, p: services.publish(actor=a, plan=p, at=self.at))

    @rule(who=st.sampled_from(PEOPLE))
    def bulk_approve(self, who):
        actor = getattr(self.cast, who)
        ids = [plan.pk for plan in self.plans.values()]
        before = {key: self._plan(key).status for key in self.plans}
        try:
            preview = services.bulk_approve_preview(actor=actor, plan_ids=ids, at=self.at)
            services.bulk_approve(actor=actor, plan_ids=ids, fingerprint=preview.fingerprint, at=self.at)
        except PlanError:
            assert {key: self._plan(key).status for key in self.plans} == before
            return
        for key in self.plans:
            after = self._plan(key).status
            if after == before[key]:
                continue
            name = "approve_by_bureau" if actor.role == Role.BUREAU_REVIEWER else "publish"
            allowed, role = TABLE[name]
            assert (before[key], after) in allowed and actor.role == role, f"bulk by {who}: {before[key]} → {after}"
            if name == "approve_by_bureau":
                self.bureau_approved[key] = True

    @initialize(
        school=st.sampled_from([S.DRAFT, S.BUREAU_REVIEW, S.RETURNED_BY_BUREAU, S.PROVINCIAL_REVIEW, S.PUBLISHED]),
        college=st.sampled_from([S.DRAFT, S.AWAITING_SIGNOFF, S.PROVINCIAL_REVIEW, S.RETURNED_BY_PROVINCE]),
    )
    def start_from(self, school, college):
        """Begin each walk somewhere along the way, reached by the regular steps (checked like any other)."""
        for key, target in (("school", school), ("college", college)):
            returned = target in S.returned()
            goal = {S.RETURNED_BY_BUREAU: S.BUREAU_REVIEW, S.RETURNED_BY_PROVINCE: S.PROVINCIAL_REVIEW}.get(
                target, target
            )
            for _ in range(8):
                if self._plan(key).status == goal:
                    break
                self._next_step(key)
            if returned:
                self.reviewer_returns(key)
            assert self._plan(key).status == target, (key, target, self._plan(key).status)

    @rule(key=st.sampled_from(["school", "college"]), steps=st.integers(min_value=1, max_value=6))
    def progress(self, key, steps):
        """Up to `steps` natural next steps, each by the right person at a time its window is open: this takes the
        walk deep, while the other rules try everything else."""
        for _ in range(steps):
            if not self._next_step(key):
                return

    def _next_step(self, key) -> bool:
        plan = self._plan(key)
        staff, leader = ("staff", "leader") if key == "school" else ("college_staff", "college_leader")
        self.at = TIMES["both_reviews"] if plan.returned_from or plan.status in S.in_review() else TIMES["filing"]
        if plan.status in S.editable():
            self.send_for_signoff(key, staff)
        elif plan.status == S.AWAITING_SIGNOFF:
            self.sign_off(key, leader)
        elif plan.status == S.BUREAU_REVIEW:
            self.approve_by_bureau(key, "bureau_reviewer")
        elif plan.status == S.PROVINCIAL_REVIEW:
            held = services.held_decisions(plan)
            undecided = [line for line in plan.lines.order_by("id") if line.pk not in held]
            if undecided:
                self.decide_line_of(key, undecided[0])
            else:
                self.publish(key, "provincial_reviewer")
        after = self._plan(key).status
        if after != plan.status and after in S.in_review():
            return False  # a plan arriving at a reviewer waits there, so the other rules get their turn
        return after != plan.status or plan.status == S.PROVINCIAL_REVIEW

    @rule(key=st.sampled_from(["school", "college"]))
    def reviewer_returns(self, key):
        """The reviewer holding the plan returns it, with a reason, inside the window: the resubmission loop."""
        self.at = TIMES["both_reviews"]
        who = "bureau_reviewer" if self._plan(key).status == S.BUREAU_REVIEW else "provincial_reviewer"
        self.return_plan(key, who, "请修改")

    def decide_line_of(self, key, line):
        self._step(
            "decide_line",
            key,
            "provincial_reviewer",
            lambda a, p: services.decide_line(actor=a, line=line, outcome="approve", at=self.at),
        )

    # --- what must always hold ------------------------------------------------------------------------------------

    @invariant()
    def secondary_plans_never_skip_the_bureau(self):
        plan = self._plan("school")
        self.reached.add(("school", plan.status))
        self.reached.add(("college", self._plan("college").status))
        if plan.status in {S.PROVINCIAL_REVIEW, S.RETURNED_BY_PROVINCE, S.PUBLISHED}:
            assert self.bureau_approved["school"]
            assert AuditEvent.objects.filter(
                action="review.bureau_approve", object_type="plans.plan", object_id=str(plan.pk)
            ).exists()

    @invariant()
    def institutions_never_see_unpublished_decisions(self):
        for key, people in (("school", ["staff", "leader", "office_head"]), ("college", ["college_staff"])):
            plan = self._plan(key)
            published = plan.status == S.PUBLISHED
            for who in people:
                seen = LineDecision.objects.for_user(getattr(self.cast, who)).filter(plan=plan)
                assert all(d.published_at is not None for d in seen)
                assert seen.exists() == published
            approved = list(plan.lines.values_list("approved_headcount", flat=True))
            assert all(v is not None for v in approved) if published else all(v is None for v in approved)

    @invariant()
    def a_published_plan_has_one_published_decision_per_line(self):
        for key in self.plans:
            plan = self._plan(key)
            if plan.status == S.PUBLISHED:
                decided = LineDecision.objects.current().filter(plan=plan, level=ReviewLevel.PROVINCE)
                assert sorted(d.line_id for d in decided) == sorted(plan.lines.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=False)
def test_review_state_machine_never_breaks_the_table(cast):
    ReviewMachine.cast = cast
    ReviewMachine.reached = set()
    run_state_machine_as_test(
        ReviewMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
            derandomize=True,
        ),
    )

    # The walk went deep enough to mean something (deterministic: derandomized).
    deep = {(key, status) for key in ("school", "college") for status in (S.PUBLISHED, S.PROVINCIAL_REVIEW)} | {
        ("school", S.RETURNED_BY_BUREAU),
        ("college", S.RETURNED_BY_PROVINCE),
    }
    assert deep <= ReviewMachine.reached, sorted(ReviewMachine.reached)
