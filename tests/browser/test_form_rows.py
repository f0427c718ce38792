"""附件1's lists as table rows in the browser (issue 15 item 12): add rows, remove one, save, reopen: the rows are
there as typed."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.enums import Level
from plans.models import ApplicationForm
from tests.browser.conftest import login
from tests.conftest import make_certificate, make_round
from tests.factories import draft


@pytest.mark.browser
def test_application_form_experts_entered_as_rows_survive_reopening(page, page_problems, live_server, cast):
    today = timezone.localdate()
    rnd = make_round(today.year, "spring", filing_start=today - timedelta(days=1), filing_end=today + timedelta(days=2))
    certificate = make_certificate("物流管理职业技能等级证书")
    plan = draft(cast.school1, rnd, [(certificate, Level.JUNIOR, "物流管理", 30)])
    form_url = f"{live_server.url}/plans/{plan.pk}/forms/{certificate.pk}/"
    experts = page.locator("[data-rows=experts]")

    login(page, live_server, cast.staff)
    page.goto(form_url)
    experts.locator("input[name=experts-0-name]").fill("李教授")
    experts.locator("input[name=experts-0-title]").fill("教授")
    experts.locator("input[name=experts-0-affiliation]").fill("安徽大学")
    experts.locator("[data-rows-add]").click()
    experts.locator("input[name=experts-1-name]").fill("王工")
    experts.locator("input[name=experts-1-title]").fill("高级工程师")
    experts.locator("input[name=experts-1-affiliation]").fill("京东物流")
    experts.locator("[data-rows-add]").click()
    experts.locator("input[name=experts-2-name]").fill("误加")
    experts.locator("tbody tr").nth(2).locator("[data-rows-remove]").click()
    if os.environ.get("ONEX_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['ONEX_SCREENSHOTS']}/form-rows.png", full_page=True)
    page.get_by_test_id("save-form").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    page.goto(form_url)
    names = [experts.locator(f"input[name=experts-{i}-name]").input_value() for i in range(3)]

    assert ApplicationForm.objects.get(plan=plan).experts == [
        {"name": "李教授", "title": "教授", "affiliation": "安徽大学"},
        {"name": "王工", "title": "高级工程师", "affiliation": "京东物流"},
    ]
    assert names == ["李教授", "王工", ""]
    assert page_problems.script_errors == page_problems.failed_requests == []
