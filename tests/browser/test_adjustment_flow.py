"""A school asks for more in the browser: staff request, office head and leader sign, the bureau forwards, the
province approves; the plan shows the new headcount and the history the old one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from adjustments.enums import AdjustmentStatus
from adjustments.models import AdjustmentRequest
from tests.adjustments.factories import J, published
from tests.browser.conftest import login, logout
from tests.conftest import make_certificate, make_round


@pytest.mark.browser
def test_adjustment_requested_signed_twice_approved_and_kept_in_history(page, page_problems, live_server, cast):
    today = timezone.localdate()
    days = lambda n: today + timedelta(days=n)  # noqa: E731
    rnd = make_round(
        today.year,
        "spring",
        filing_start=days(-30),
        filing_end=days(-25),
        bureau_review_start=days(-24),
        bureau_review_end=days(-20),
        provincial_review_start=days(-24),
        provincial_review_end=days(-15),
        scan_deadline=days(-20),
        adjustment_end=days(10),
    )
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = published(cast.school1, rnd, [(logistics, J, "物流管理", 60)], at=timezone.now() - timedelta(days=15))
    line = plan.lines.get()
    detail = None

    def act(user, testid):
        login(page, live_server, user)
        page.goto(f"{live_server.url}{detail}")
        page.get_by_test_id(testid).click()
        page.wait_for_url(f"{live_server.url}{detail}")
        status = page.get_by_test_id("request-status").inner_text()
        logout(page, live_server)
        return status

    # Staff: from the nav to the plan's adjustments, ask for 80 instead of 60; the preview shows both figures.
    login(page, live_server, cast.staff)
    page.get_by_test_id("adjustments-link").click()
    page.get_by_test_id("plan-adjustments-link").click()
    page.get_by_test_id("new-request").click()
    page.locator(f"#id_line_{line.pk}").fill("80")
    page.locator("#id_reason").fill("报名学生超过原计划")
    preview = page.locator("#preview [data-testid=after-total]", has_text="80")
    preview.wait_for()
    preview_totals = (page.locator("#preview [data-testid=before-total]").inner_text(), preview.inner_text())
    page.get_by_test_id("save-request").click()
    request = AdjustmentRequest.objects.get()
    detail = f"/adjustments/{request.pk}/"
    page.wait_for_url(f"{live_server.url}{detail}")
    page.get_by_test_id("send-for-signoff").click()
    page.wait_for_url(f"{live_server.url}{detail}")
    logout(page, live_server)

    statuses = [
        act(cast.office_head, "sign-office-head"),
        act(cast.leader, "sign-leader"),
        act(cast.bureau_reviewer, "bureau-forward"),
    ]

    # The province approves as asked.
    login(page, live_server, cast.provincial_reviewer)
    page.goto(f"{live_server.url}{detail}")
    page.locator("input[name=outcome][value=approve]").check()
    page.get_by_test_id("decide").click()
    page.wait_for_url(f"{live_server.url}{detail}")
    statuses.append(page.get_by_test_id("request-status").inner_text())

    # The plan shows the new headcount of record; the plan's adjustment history shows the old one.
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    plan_row = page.locator(f"tr[data-line='{line.pk}'] td.text-end").first.inner_text()
    page.goto(f"{live_server.url}/adjustments/plan/{plan.pk}/")
    history = page.locator(f"[data-history-request='{request.pk}']")
    history_figures = (
        history.get_by_test_id("history-before").inner_text(),
        history.get_by_test_id("history-approved").inner_text(),
    )

    request.refresh_from_db()
    line.refresh_from_db()
    assert preview_totals == ("60", "80")
    assert statuses == [
        str(AdjustmentStatus.AWAITING_LEADER.label),
        str(AdjustmentStatus.BUREAU_REVIEW.label),
        str(AdjustmentStatus.PROVINCIAL_REVIEW.label),
        str(AdjustmentStatus.APPROVED.label),
    ]
    assert request.status == AdjustmentStatus.APPROVED
    assert (request.office_head_signed_by, request.leader_signed_by) == (cast.office_head, cast.leader)
    assert line.approved_headcount == 80
    assert "80" in plan_row.split()
    assert history_figures == ("60", "80")
    assert page_problems.script_errors == []
    assert page_problems.failed_requests == []
