"""A clerk fills 附件1's expert-review date, reopens the form and saves it again: the date is still there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from catalog.enums import Level
from plans.models import ApplicationForm
from tests.browser.conftest import login
from tests.conftest import make_certificate, make_round
from tests.factories import complete_form, draft


@pytest.mark.browser
def test_application_form_date_survives_reopening_and_saving_again(page, page_problems, live_server, cast):
    today = timezone.localdate()
    rnd = make_round(today.year, "spring", filing_start=today - timedelta(days=1), filing_end=today + timedelta(days=2))
    certificate = make_certificate("物流管理职业技能等级证书")
    plan = draft(cast.school1, rnd, [(certificate, Level.JUNIOR, "物流管理", 30)])
    ApplicationForm.objects.filter(pk=complete_form(plan, certificate).pk).update(review_date=None)
    form_url = f"{live_server.url}/plans/{plan.pk}/forms/{certificate.pk}/"

    login(page, live_server, cast.staff)
    page.goto(form_url)
    page.locator("#id_review_date").fill(f"{today.year}-03-20")
    page.get_by_test_id("save-form").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")

    page.goto(form_url)  # reopened, e.g. after a leader sent the plan back
    shown = page.locator("#id_review_date").input_value()
    page.get_by_test_id("save-form").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")

    assert shown == f"{today.year}-03-20"
    assert ApplicationForm.objects.get(plan=plan).review_date == date(today.year, 3, 20)
    assert page_problems.failed_requests == []
