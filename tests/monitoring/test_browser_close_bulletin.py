"""The office closes the year on the close page (a recorded rate without data kept, a college capped) and turns
a checkpoint into a 通报 it edits and publishes as a notice — in Chromium, against the live server. The
screenshots go to ONEX_SCREENSHOTS when it is set (for looking at the pages, not asserted)."""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from monitoring import services
from monitoring.records import Bulletin
from plans.models import InstitutionYear
from tests.browser.conftest import browser, login, page, page_problems  # noqa: F401 - fixtures
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import J, M, line_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shot(tab, name: str) -> None:
    folder = os.environ.get("ONEX_SCREENSHOTS")
    if folder:
        tab.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def year_2027(cast):
    logistics = make_certificate(LOGISTICS)
    school = published_plan(cast.school1, 2027, [(logistics, M, "物流管理", 70)])
    college = published_plan(cast.college1, 2027, [(logistics, J, "物流管理", 150)])
    published_plan(cast.school2, 2027, [(logistics, J, "物流管理", 40)])
    InstitutionYear.objects.create(institution=cast.school2, year=2027, completion_rate=Decimal("78.5"))
    published_plan(cast.college1, 2028, [(logistics, J, "物流管理", 280)])
    with time_machine.travel(datetime(2027, 12, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        for line, examined in ((line_of(school, logistics, M), 40), (line_of(college, logistics, J), 45)):
            services.record_line_progress(
                actor=None, line=line, counts=services.Counts(registered=examined, examined=examined, passed=examined)
            )
        services.take_checkpoint(year=2027, month=10)
    with time_machine.travel(datetime(2028, 1, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        checkpoint, _taken = services.take_checkpoint(year=2027, month=12)
    return checkpoint


@pytest.mark.browser
def test_office_closes_the_year_and_publishes_the_bulletin(page, page_problems, live_server, cast, year_2027):  # noqa: F811
    page.on("dialog", lambda dialog: dialog.accept())
    with time_machine.travel(datetime(2028, 1, 3, 9, 0, tzinfo=SHANGHAI), tick=True):
        login(page, live_server, cast.provincial_admin)
        page.goto(f"{live_server.url}/monitoring/year-end/2027/")
        over_cap = page.get_by_test_id("over-cap").inner_text()
        rows = page.get_by_test_id("all-rates").inner_text()
        shot(page, "year-end-before")
        page.get_by_test_id("close-form").locator("button[type=submit]").click()
        page.get_by_test_id("closed").wait_for()
        shot(page, "year-end-closed")

        page.goto(f"{live_server.url}/monitoring/checkpoints/{year_2027.pk}/")
        page.get_by_test_id("bulletin-draft").click()
        page.get_by_test_id("bulletin-preview").wait_for()
        page.fill("#id_number", "皖教秘职成〔2028〕3号")
        page.get_by_test_id("bulletin-form").locator("button[type=submit]").click()
        page.get_by_test_id("bulletin-preview").wait_for()
        shot(page, "bulletin-draft")
        preview = page.get_by_test_id("bulletin-preview").inner_text()
        # Rendering Word and PDF takes seconds on a busy machine: wait for it longer than for a page.
        page.get_by_test_id("publish-form").locator("button[type=submit]").click(timeout=90_000)
        page.wait_for_url("**/notices/2028/**", timeout=90_000)
        shot(page, "bulletin-notice")
        notice = page.content()
        issued = Bulletin.objects.get()
        pdf = page.request.get(f"{live_server.url}/monitoring/bulletins/{issued.pk}/file.pdf").body()
        if os.environ.get("ONEX_SCREENSHOTS"):
            with open(os.path.join(os.environ["ONEX_SCREENSHOTS"], "bulletin.pdf"), "wb") as out:
                out.write(pdf)

    # college1: 45 of 150 = 30 % → capped at 150, below the 280 it already has for 2028.
    assert (cast.college1.name in over_cap, "280" in over_cap, "150" in over_cap) == (True, True, True)
    assert "78.5%" in rows  # school2 has no data: its recorded rate is kept
    rates = dict(InstitutionYear.objects.filter(year=2027).values_list("institution__name", "completion_rate"))
    assert rates[cast.school2.name] == Decimal("78.5")
    assert ("皖教秘职成〔2028〕3号" in preview, "关于2027年12月1+X证书考核进度监测情况的通报" in notice) == (True, True)
    assert pdf[:5] == b"%PDF-"
    assert (page_problems.failed_requests, page_problems.script_errors) == ([], [])
