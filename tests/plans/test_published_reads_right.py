"""Last year's published plan reads right: no filing-window (R1) or 申报表 errors on its page or in the queue."""

from __future__ import annotations

from datetime import datetime

import time_machine
from django.urls import reverse

from core.dates import SHANGHAI
from plans.enums import PlanStatus, ReviewLevel
from plans.rules import check_plan
from reviews.checks import refresh_check
from reviews.enums import Outcome
from reviews.models import LineDecision
from tests.conftest import make_certificate
from tests.factories import J, published_plan

NEXT_YEAR = datetime(2027, 11, 2, 10, 0, tzinfo=SHANGHAI)


def test_published_plan_has_no_r1_or_form_errors_on_its_page_or_in_the_queue_tags(client, cast):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])  # new: it never had a form
    plan = published_plan(cast.school1, 2026, [(certificate, J, "物流管理", 40)])

    with time_machine.travel(NEXT_YEAR, tick=False):
        codes = [v.code for v in check_plan(plan, at=NEXT_YEAR)]
        check = refresh_check(plan, at=NEXT_YEAR)
        client.force_login(cast.staff)
        page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert plan.status == PlanStatus.PUBLISHED
    assert codes == []
    assert (check.errors, check.codes) == (0, "")
    assert 'data-rule="R1"' not in page and 'data-rule="FORM"' not in page


def test_a_draft_still_hears_of_its_window_and_forms(cast):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = published_plan(cast.school1, 2026, [(certificate, J, "物流管理", 40)])
    plan.status = PlanStatus.DRAFT
    plan.save()

    assert sorted({v.code for v in check_plan(plan, at=NEXT_YEAR)} & {"R1", "FORM"}) == ["FORM", "R1"]


def test_published_plan_shows_a_rejection_with_its_reason_and_both_totals(client, cast, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = published_plan(cast.school1, 2026, [(certificate, J, "物流管理", 40), (certificate, J, "电子商务", 30)])
    rejected = plan.lines.get(major_name="电子商务")
    rejected.approved_headcount = 0
    rejected.save()
    LineDecision.objects.create(
        plan=plan,
        line=rejected,
        level=ReviewLevel.PROVINCE,
        outcome=Outcome.REJECT,
        headcount=0,
        reason="实训条件不足",
        decided_by=cast.provincial_reviewer,
        decided_at=NEXT_YEAR,
        published_at=NEXT_YEAR,
    )
    client.force_login(cast.staff)

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert '<div class="small text-danger" data-testid="not-approved">未批准：实训条件不足</div>' in page
    assert 'data-testid="total">70<div class="small text-success" data-testid="approved-total">已批准 40</div>' in page
