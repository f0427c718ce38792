"""Review without retyping, in the browser (issue 15 item 8): the decision form says at once that a rejection breaks
R2 for the rest of its certificate-level; the province adopts the bureau's recommendations in one step after a
preview; the admin keeps the catalogue (item 10) under 管理."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from catalog.models import Certificate
from plans.enums import PlanStatus, ReviewLevel
from reviews.enums import Outcome
from reviews.models import LineDecision
from tests.browser.conftest import login
from tests.browser.test_review_flow import open_round_today
from tests.conftest import make_certificate
from tests.reviews.factories import J, plan_in

SHOTS = os.environ.get("ONEX_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.browser
def test_decision_form_warns_at_once_when_a_rejection_leaves_the_level_below_r2(page, page_problems, live_server, cast):
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(
        cast.college1,
        open_round_today(),
        PlanStatus.PROVINCIAL_REVIEW,
        [(logistics, J, "物流管理", 20), (logistics, J, "电子商务", 15)],
    )
    first = plan.lines.order_by("pk").first()
    login(page, live_server, cast.provincial_reviewer)
    page.goto(f"{live_server.url}/reviews/plans/{plan.pk}/")
    form = page.get_by_test_id(f"decide-{first.pk}")
    warning = form.locator("[data-r2-warning]")

    hidden_first = warning.is_hidden()
    form.locator("select[name=outcome]").select_option(Outcome.REJECT)
    warning.wait_for(state="visible")
    shown = warning.inner_text()
    shot(page, "r2-warning")
    form.locator("select[name=outcome]").select_option(Outcome.APPROVE)
    warning.wait_for(state="hidden")

    assert hidden_first
    assert "R2 开考最低人数" in shown and "15" in shown and "30" in shown
    assert page_problems.script_errors == []


@pytest.mark.browser
def test_province_adopts_the_bureaus_recommendations_after_a_preview(page, page_problems, live_server, cast):
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(
        cast.school1,
        open_round_today(),
        PlanStatus.PROVINCIAL_REVIEW,
        [(logistics, J, "物流管理", 40), (logistics, J, "电子商务", 35)],
    )
    for line, (outcome, headcount, reason) in zip(
        plan.lines.order_by("pk"), [(Outcome.REDUCE, 30, "实训条件不足"), (Outcome.APPROVE, 35, "")], strict=True
    ):
        LineDecision.objects.create(
            plan=plan,
            line=line,
            level=ReviewLevel.BUREAU,
            outcome=outcome,
            headcount=headcount,
            reason=reason,
            decided_by=cast.bureau_reviewer,
            decided_at=timezone.now(),
        )
    login(page, live_server, cast.provincial_reviewer)
    page.goto(f"{live_server.url}/reviews/plans/{plan.pk}/")

    page.get_by_test_id("adopt").click()
    page.get_by_test_id("adopt-confirm").wait_for()
    shot(page, "adopt-preview")
    page.get_by_test_id("adopt-confirm").click()
    page.wait_for_url(f"{live_server.url}/reviews/plans/{plan.pk}/")
    shot(page, "adopted")
    decisions = page.get_by_test_id("decision").all_inner_texts()

    assert [text.split("\n")[0] for text in decisions] == ["核减人数 30 待发布", "同意 35 待发布"]
    assert page_problems.script_errors == page_problems.failed_requests == []


@pytest.mark.browser
def test_admin_restricts_a_certificate_and_sets_a_minimum_in_the_catalogue(page, page_problems, live_server, cast):
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J])
    login(page, live_server, cast.provincial_admin)

    page.get_by_test_id("manage-menu").click()
    page.get_by_test_id("catalog-link").click()
    page.locator("input[name=q]").fill("wuliu")
    page.locator("[data-testid=catalog-search] button[type=submit]").click()
    shot(page, "catalog-list")
    page.get_by_role("link", name=logistics.name).click()
    page.locator("[data-testid=restriction-form] input[name=restricted]").check()
    page.locator("[data-testid=restriction-form] input[name=reason]").fill("培训质量不高")
    page.locator("[data-testid=restriction-form] button[type=submit]").click()
    page.locator("[data-testid=levels-form] input[name=junior]").fill("25")
    page.locator("[data-testid=levels-form] button[type=submit]").click()
    page.locator("[data-testid=levels-form] input[name=junior]").wait_for()
    shot(page, "catalog-certificate")

    logistics = Certificate.objects.get(pk=logistics.pk)
    assert (logistics.restricted, logistics.restricted_reason) == (True, "培训质量不高")
    assert logistics.levels.get().min_headcount == 25
    assert page.locator("[data-testid=levels-form] input[name=junior]").input_value() == "25"
    assert page_problems.script_errors == page_problems.failed_requests == []
