"""The office opens the year-end forecast and the what-if comparison in Chromium: the ECharts charts are drawn from
the vendored library, and the pages raise no error (screenshots in the test's temporary folder)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from monitoring import forecasting, services
from tests.browser.conftest import browser, login, page, page_problems  # noqa: F401 - fixtures
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import M, line_of


@pytest.fixture
def october_2027():
    # Forward in time only: the browser checks cookie expiry.
    with time_machine.travel(datetime(2027, 10, 31, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.mark.browser
def test_office_sees_the_forecast_and_compares_what_if_caps(
    page,  # noqa: F811 - the fixture imported above
    page_problems,  # noqa: F811
    live_server,
    cast,
    tmp_path,
    october_2027,
):
    logistics = make_certificate(LOGISTICS)
    for institution, examined in ((cast.school1, 30), (cast.college1, 70), (cast.school2, 45), (cast.college2, 20)):
        plan = published_plan(institution, 2027, [(logistics, M, "物流管理", 100)])
        counts = services.Counts(registered=90, examined=examined, passed=0)
        services.record_line_progress(actor=None, line=line_of(plan, logistics, M), counts=counts)
    forecasting.refresh(2027, day=date(2027, 10, 31))

    login(page, live_server, cast.provincial_admin)
    page.goto(f"{live_server.url}/monitoring/forecasts/?year=2027")
    page.locator('#forecast-chart[data-ready="1"]').wait_for()
    page.screenshot(path=str(tmp_path / "forecast.png"), full_page=True)
    at_risk = page.get_by_test_id("at-risk-count").inner_text()

    page.goto(f"{live_server.url}/monitoring/what-if/?year=2027")
    page.locator('[data-whatif-chart="bureaus"][data-ready="1"]').wait_for()
    page.screenshot(path=str(tmp_path / "whatif.png"), full_page=True)
    capped = [page.get_by_test_id(f"capped-{n}").inner_text() for n in (1, 2, 3)]

    assert at_risk.startswith("2")  # school1 36 %, college2 24 %
    # 50 %, 40 %, 60 % on the forecasts: school1 36 %, college2 24 %, school2 54 %, college1 84 %
    assert capped == ["2", "2", "3"]
    assert (page_problems.failed_requests, page_problems.script_errors) == ([], [])
