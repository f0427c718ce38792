"""Every action a page shows, and every step the API takes, is one `allowed_steps` allows that user on that object
— and every step it allows is shown: the pages and the API read the state tables of plans/workflow.py,
adjustments/workflow.py and notices/workflow.py instead of comparing roles and statuses themselves."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import transaction
from django.urls import Resolver404, resolve

from accounts.models import User
from adjustments import workflow as adjustment_workflow
from adjustments.enums import AdjustmentStatus
from api.routes.actions import ACTION_STEPS, Action
from notices import services as notice_services
from notices import workflow as notice_workflow
from notices.enums import Audience, NoticeState
from plans import workflow
from plans.enums import PlanStatus
from plans.workflow import Step
from reviews import services as review_services
from tests.adjustments.factories import DAY, draft, published, raise_line
from tests.api.conftest import ApiClient
from tests.api.test_matrix import CASES
from tests.conftest import make_certificate
from tests.reviews.factories import PROVINCE_DAY, J, plan_in

A = adjustment_workflow.Step
# The page's POST targets (form actions, htmx posts, the edit link of a request) → the step each one takes.
PLAN_TARGETS = {
    "line_add": Step.EDIT,
    "line_update": Step.EDIT,
    "line_delete": Step.EDIT,
    "plan_copy_last_year": Step.EDIT,
    "lines_upload": Step.EDIT,
    "plan_send_for_signoff": Step.SEND_FOR_SIGNOFF,
    "plan_sign_off": Step.SIGN_OFF,
    "plan_send_back": Step.SEND_BACK,
}
REVIEW_TARGETS = {
    "review_recommend_line": Step.RECOMMEND,
    "review_approve": Step.APPROVE,
    "review_return": Step.RETURN,
    "review_decide_line": Step.DECIDE,
    "review_publish": Step.PUBLISH,
}
ADJUSTMENT_TARGETS = {
    "adjustment_edit": A.EDIT,
    "adjustment_send": A.SEND_FOR_SIGNOFF,
    "adjustment_sign_office_head": A.SIGN_OFFICE_HEAD,
    "adjustment_sign_leader": A.SIGN_LEADER,
    "adjustment_send_back": A.SEND_BACK,
    "adjustment_withdraw": A.WITHDRAW,
    "adjustment_bureau_forward": A.BUREAU_FORWARD,
    "adjustment_bureau_return": A.BUREAU_RETURN,
    "adjustment_decide": A.DECIDE,
}
N = notice_workflow.Step
NOTICE_TARGETS = {
    "notice_edit": N.EDIT,
    "notice_attachment_add": N.EDIT,
    "notice_publish": N.PUBLISH,
    "notice_withdraw": N.WITHDRAW,
    "notice_remind": N.REMIND,
    "notice_confirm": N.CONFIRM,
}
# The notice's pages → the steps each one may offer: the notice, its draft's edit page, who has confirmed it.
NOTICE_PAGES = {"": {N.EDIT, N.PUBLISH, N.WITHDRAW, N.CONFIRM}, "edit/": {N.EDIT, N.PUBLISH}, "receipts/": {N.REMIND}}
TARGET = re.compile(r'(?:action|hx-post|href)="(/[^"]*)"')


def shown(html: str, targets: dict[str, str]) -> set[str]:
    """The steps a page offers: its links and forms that lead to a step."""
    steps = set()
    for url in TARGET.findall(html):
        try:
            name = resolve(url.split("?")[0]).url_name
        except Resolver404:
            continue  # a static file
        if name in targets:
            steps.add(targets[name])
    return steps


def people(cast) -> list[User]:
    return [*cast.one_of_every_role(), cast.other_staff, cast.other_bureau_reviewer, cast.college_staff]


def offered(client, user, url: str, targets: dict[str, str]) -> set[str] | None:
    client.force_login(user)
    response = client.get(url)
    if response.status_code != 200:
        return None  # out of scope (404) or not this user's page (403): nothing shown
    return shown(response.content.decode(), targets)


@pytest.mark.parametrize("status", PlanStatus.values)
def test_allowed_steps_are_exactly_the_actions_the_plan_pages_show(client, cast, spring, status):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, status, [(certificate, J, "物流管理", 40)])

    for user in people(cast):
        allowed = set(workflow.allowed_steps(user, plan))
        for url, targets in ((f"/plans/{plan.pk}/", PLAN_TARGETS), (f"/reviews/plans/{plan.pk}/", REVIEW_TARGETS)):
            seen = offered(client, user, url, targets)
            if seen is not None:
                assert seen == allowed & set(targets.values()), (user.username, url)


@pytest.mark.parametrize(
    "status",
    [
        AdjustmentStatus.DRAFT,
        AdjustmentStatus.AWAITING_OFFICE_HEAD,
        AdjustmentStatus.AWAITING_LEADER,
        AdjustmentStatus.BUREAU_REVIEW,
        AdjustmentStatus.PROVINCIAL_REVIEW,
        AdjustmentStatus.APPROVED,
        AdjustmentStatus.WITHDRAWN,
    ],
)
def test_allowed_steps_are_exactly_the_actions_the_request_page_shows(client, cast, spring, status):
    from adjustments import services

    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = published(cast.school1, spring, [(certificate, J, "物流管理", 60)])
    with time_machine.travel(DAY, tick=False):
        request = draft(cast.staff, plan, raise_line(plan, "物流管理", 80))
        path = [
            (services.send_for_signoff, cast.staff),
            (services.sign_as_office_head, cast.office_head),
            (services.sign_as_leader, cast.leader),
            (services.bureau_forward, cast.bureau_reviewer),
        ]
        for step, actor in path:
            if request.status == status:
                break
            request = step(actor=actor, request=request, at=DAY)
        if status == AdjustmentStatus.APPROVED:
            request = services.decide(actor=cast.provincial_reviewer, request=request, outcome="approve", at=DAY)
        if status == AdjustmentStatus.WITHDRAWN:
            request = services.withdraw(actor=cast.staff, request=request, at=DAY)
        assert request.status == status

        for user in people(cast):
            seen = offered(client, user, f"/adjustments/{request.pk}/", ADJUSTMENT_TARGETS)
            if seen is not None:
                assert seen == set(adjustment_workflow.allowed_steps(user, request)), user.username


# The API's write endpoints of tests/api/test_matrix.py → the step each takes.
CASE_STEPS = {"add line": Step.EDIT, "change line": Step.EDIT, "remove line": Step.EDIT, "save form": Step.EDIT}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_allowed_steps_are_exactly_what_the_api_lets_each_user_do(client, cast, spring, case):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, case.status, [(certificate, J, "物流管理", 40)])
    step = CASE_STEPS.get(case.name) or ACTION_STEPS[Action(case.request(plan)[1].rsplit("/", 1)[-1])].step
    if case.decided:
        for line in plan.lines.all():
            review_services.decide_line(actor=cast.provincial_reviewer, line=line, outcome="approve", at=PROVINCE_DAY)

    done, allowed = set(), set()
    with time_machine.travel(case.at, tick=False):
        for user in User.objects.filter(pk__in=[u.pk for u in people(cast)]):
            if step in workflow.allowed_steps(user, plan, case.at):
                allowed.add(user.username)
            with transaction.atomic():
                method, path, body = case.request(plan)
                caller = ApiClient(client, user)
                answer = getattr(caller, method)(path) if method == "delete" else getattr(caller, method)(path, body)
                if answer.status_code < 300:
                    done.add(user.username)
                transaction.set_rollback(True)

    assert done == allowed == {case.allowed}


def notice_in(state: str, author: User):
    notice = notice_services.create_notice(
        actor=author,
        year=2027,
        number="",
        date=None,
        title="关于做好2027年1+X证书申报工作的通知",
        body="各院校：请按时申报。",
        audience=Audience.PUBLIC,
        institution_kind="",
        round=None,
        offers_templates=False,
        expects_receipts=True,
    )
    if state != NoticeState.DRAFT:
        notice = notice_services.publish_notice(actor=author, notice=notice, at=DAY)
    if state == NoticeState.WITHDRAWN:
        notice = notice_services.withdraw_notice(actor=author, notice=notice, reason="日期有误", at=DAY)
    return notice


@pytest.mark.parametrize("state", NoticeState.values)
def test_allowed_steps_are_exactly_the_actions_the_notice_pages_show(client, cast, state):
    notice = notice_in(state, cast.provincial_admin)
    base = f"/notices/{notice.year}/{notice.pk}/"

    for user in people(cast):
        allowed = set(notice_workflow.allowed_steps(user, notice))
        for page, steps in NOTICE_PAGES.items():
            seen = offered(client, user, base + page, NOTICE_TARGETS)
            if seen is not None:
                assert seen == allowed & steps, (user.username, page)


@pytest.mark.parametrize(
    ("state", "writer", "reader"),
    [
        (NoticeState.DRAFT, [N.EDIT, N.PUBLISH], []),
        (NoticeState.PUBLISHED, [N.WITHDRAW, N.REMIND], [N.CONFIRM]),
        (NoticeState.WITHDRAWN, [], []),
    ],
)
def test_allowed_steps_of_a_notice_follow_its_state(cast, state, writer, reader):
    notice = notice_in(state, cast.provincial_admin)

    assert notice.state == state
    assert notice_workflow.allowed_steps(cast.provincial_admin, notice) == writer
    assert notice_workflow.allowed_steps(cast.staff, notice) == reader
    assert notice_workflow.allowed_steps(cast.bureau_reviewer, notice) == reader
    assert notice_workflow.allowed_steps(cast.observer, notice) == []
