"""The review of DOMAIN.md §7 in the browser: the bureau returns a secondary school's plan with a reason; the school
fixes it and signs it off again; the bureau approves; the province reduces one line, approves the other and
publishes; the school sees the result."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from plans.enums import PlanStatus
from rounds.models import Round
from tests.browser.conftest import login, logout
from tests.conftest import make_certificate
from tests.reviews.factories import J, plan_in

RETURN_REASON = "电子商务专业人数偏多，请压减至30人后重新报送"
REDUCE_REASON = "实训条件不足，压减至32人"


def open_round_today() -> Round:
    """A round whose filing has closed and whose review windows are open today (real time: no frozen clock)."""
    today = timezone.localdate()
    day = timedelta(days=1)
    return Round.objects.create(
        year=today.year,
        season="autumn",
        filing_start=today - 10 * day,
        filing_end=today - day,
        bureau_review_start=today - day,
        bureau_review_end=today + 3 * day,
        provincial_review_start=today - day,
        provincial_review_end=today + 5 * day,
        scan_deadline=today + 3 * day,
        adjustment_end=today + 60 * day,
    )


def status_on(page) -> str:
    return (
        page.get_by_test_id("plan-status").get_attribute("data-status")
        or page.get_by_test_id("plan-status").inner_text()
    )


@pytest.mark.browser
def test_review_flow_return_fix_resubmit_approve_decide_publish(page, page_problems, live_server, cast):
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(
        cast.school1,
        open_round_today(),
        PlanStatus.BUREAU_REVIEW,
        [(logistics, J, "物流管理", 40), (logistics, J, "电子商务", 35)],
    )
    first, second = plan.lines.order_by("id")
    review_url = f"{live_server.url}/reviews/plans/{plan.pk}/"

    # The bureau finds the plan in its queue and returns it with a reason.
    login(page, live_server, cast.bureau_reviewer)
    page.goto(f"{live_server.url}/reviews/")
    page.locator(f"tr[data-plan='{plan.pk}'] a").click()
    page.wait_for_url(review_url)
    page.locator("form[action$='/return/'] textarea[name=reason]").fill(RETURN_REASON)
    page.get_by_test_id("return").click()
    page.wait_for_url(review_url)
    returned = status_on(page)
    logout(page, live_server)

    # Staff see the reason, fix the line, and send the plan to their leader.
    login(page, live_server, cast.staff)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    reason_shown = page.get_by_test_id("returned-reason").inner_text()
    page.locator(f"tr[data-line='{second.pk}'] [data-testid=edit-line]").click()
    edit = page.locator(f"#edit-{second.pk} form")
    edit.locator("input[name=headcount]").fill("30")
    edit.locator("button[type=submit]").click()
    page.locator(f"tr[data-line='{second.pk}'] td.text-end").first.filter(has_text="30").wait_for()
    page.get_by_test_id("send-for-signoff").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    logout(page, live_server)

    # The leader signs it off; it goes back to the bureau, which returned it.
    login(page, live_server, cast.leader)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_test_id("sign-off").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    logout(page, live_server)
    plan.refresh_from_db()
    resubmitted = plan.status

    # The bureau approves it on to the province.
    login(page, live_server, cast.bureau_reviewer)
    page.goto(review_url)
    page.get_by_test_id("approve").click()
    page.wait_for_url(review_url)
    approved = status_on(page)
    logout(page, live_server)

    # The province reduces the first line with a reason, approves the second, and publishes.
    login(page, live_server, cast.provincial_reviewer)
    page.goto(review_url)
    reduce = page.get_by_test_id(f"decide-{first.pk}")
    reduce.locator("select[name=outcome]").select_option("reduce")
    reduce.locator("input[name=headcount]").fill("32")
    reduce.locator("input[name=reason]").fill(REDUCE_REASON)
    reduce.locator("button[type=submit]").click()
    page.wait_for_url(f"{review_url}#line-{first.pk}")
    page.get_by_test_id(f"decide-{second.pk}").locator("button[type=submit]").click()
    page.wait_for_url(f"{review_url}#line-{second.pk}")
    held_by_province = page.locator(f"tr[data-line='{first.pk}'] [data-testid=decision]").inner_text()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_test_id("publish").click()
    page.wait_for_url(review_url)
    published = status_on(page)
    logout(page, live_server)

    # The school sees the result.
    login(page, live_server, cast.staff)
    page.goto(f"{live_server.url}/reviews/plans/{plan.pk}/decisions/")
    decisions = [
        (row.get_attribute("data-line"), row.get_by_test_id("approved").inner_text())
        for row in page.locator("[data-testid=decisions] tbody tr").all()
    ]
    page_text = page.locator("main").inner_text()

    assert asked == ["确认发布审核结果？院校将立即看到，发布后不能再修改。"]
    assert (returned, resubmitted, approved, published) == (
        PlanStatus.RETURNED_BY_BUREAU,
        PlanStatus.BUREAU_REVIEW,
        PlanStatus.PROVINCIAL_REVIEW,
        PlanStatus.PUBLISHED,
    )
    assert RETURN_REASON in reason_shown
    assert "32" in held_by_province
    assert decisions == [(str(first.pk), "32"), (str(second.pk), "30")]
    assert REDUCE_REASON in page_text
    assert list(plan.lines.order_by("id").values_list("approved_headcount", flat=True)) == [32, 30]
    assert page_problems.failed_requests == []
    assert page_problems.script_errors == []
