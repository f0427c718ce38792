"""A plan or request back in the institution's hands says why at the top of its page: reason, who, when."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from adjustments import services as adjustments
from core.dates import SHANGHAI
from plans import services as plans
from plans.enums import PlanStatus
from reviews import services as reviews
from tests.adjustments.factories import DAY, published, raise_line
from tests.adjustments.factories import draft as draft_request
from tests.conftest import make_certificate
from tests.reviews.factories import BUREAU_DAY, J, plan_in


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J])


def banner(client, user, url) -> str:
    client.force_login(user)
    page = client.get(url).text
    start = page.find('data-testid="returned-reason"')
    return "" if start < 0 else " ".join(page[start : page.find("</div>\n</div>", start)].split())


def test_plan_sent_back_by_the_leader_shows_reason_who_and_when(client, cast, spring, logistics):
    cast.leader.full_name = "王校长"
    cast.leader.save()
    plan = plan_in(cast.school1, spring, PlanStatus.AWAITING_SIGNOFF, [(logistics, J, "物流管理", 40)])
    with time_machine.travel(datetime(2027, 4, 5, 9, 30, tzinfo=SHANGHAI), tick=False):
        plans.send_back(actor=cast.leader, plan=plan, reason="人数请与教务处核对")

    shown = banner(client, cast.staff, reverse("plan_detail", args=[plan.pk]))

    assert "人数请与教务处核对" in shown
    assert '<div class="small mt-1" data-testid="returned-by">王校长 · institution leader · 2027-04-05 09:30' in shown


def test_plan_returned_by_the_bureau_shows_the_latest_reason(client, cast, spring, logistics):
    plan = plan_in(cast.school1, spring, PlanStatus.AWAITING_SIGNOFF, [(logistics, J, "物流管理", 40)])
    plans.send_back(actor=cast.leader, plan=plan, reason="第一次退回")
    plan.status = PlanStatus.BUREAU_REVIEW
    plan.save()
    with time_machine.travel(BUREAU_DAY, tick=False):
        reviews.return_plan(actor=cast.bureau_reviewer, plan=plan, reason="请补充申报表", at=BUREAU_DAY)

    shown = banner(client, cast.staff, reverse("plan_detail", args=[plan.pk]))

    assert "请补充申报表" in shown and "第一次退回" not in shown
    assert "bureau_reviewer · bureau reviewer · 2027-04-09 10:00" in shown


def test_plan_never_returned_or_in_review_shows_no_reason(client, cast, spring, logistics):
    fresh = plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])
    again = plan_in(cast.college1, spring, PlanStatus.AWAITING_SIGNOFF, [(logistics, J, "物流管理", 40)])
    plans.send_back(actor=cast.college_leader, plan=again, reason="退回")
    again.status = PlanStatus.PROVINCIAL_REVIEW  # signed off and submitted since
    again.save()

    assert banner(client, cast.staff, reverse("plan_detail", args=[fresh.pk])) == ""
    assert banner(client, cast.college_staff, reverse("plan_detail", args=[again.pk])) == ""


def test_adjustment_sent_back_shows_reason_who_and_when(client, cast, spring, logistics):
    plan = published(cast.college1, spring, [(logistics, J, "物流管理", 100)])
    request = draft_request(cast.college_staff, plan, raise_line(plan, "物流管理", 120))
    adjustments.send_for_signoff(actor=cast.college_staff, request=request, at=DAY)
    with time_machine.travel(DAY, tick=False):
        adjustments.send_back(actor=cast.college_office_head, request=request, reason="请写明报名人数来源", at=DAY)

    shown = banner(client, cast.college_staff, reverse("adjustment_detail", args=[request.pk]))

    assert "请写明报名人数来源" in shown
    assert "college_office_head · certificate pilot office head · 2027-05-10 10:00" in shown
