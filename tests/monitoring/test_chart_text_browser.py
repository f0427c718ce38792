"""A bureau or certificate name holding markup is shown as text in the dashboard's chart tooltips (ECharts
renders tooltips as HTML; static/js/onex.js's onex.tooltip escapes every name), in Chromium."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from monitoring import services
from tests.browser.conftest import browser, login, page, page_problems  # noqa: F401 - fixtures
from tests.monitoring.factories import M, line_of

BUREAU = '<img src="/x" id="injected-bureau">合肥市'
CERTIFICATE = '<b id="injected-certificate">物流</b>管理职业技能等级证书'


@pytest.fixture
def june_2027():
    # Forward in time only, ticking: the browser checks the session cookie's expiry.
    with time_machine.travel(datetime(2027, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def hover_bar(tab, chart: str, box_selector: str, name: str) -> str:
    """Move the mouse onto the bar of `chart` whose name holds `name`, where ECharts drew it; the tooltip's text."""
    tab.locator(box_selector).first.scroll_into_view_if_needed()
    x, y = tab.evaluate(
        """([chart, name]) => {
             const c = window.onexCharts[chart]; const option = c.getOption();
             const horizontal = option.yAxis[0].type === "category";
             const names = (horizontal ? option.yAxis : option.xAxis)[0].data;
             const i = names.findIndex((n) => n.includes(name)); const v = option.series[0].data[i];
             return c.convertToPixel({seriesIndex: 0}, horizontal ? [v / 2, i] : [i, v / 2]); }""",
        [chart, name],
    )
    box = tab.locator(box_selector).first.bounding_box()
    tab.mouse.move(box["x"] + x, box["y"] + y)
    tip = tab.locator(".onex-chart-tooltip").filter(has_text="%").filter(has_text=name)
    tip.first.wait_for()
    return tip.first.inner_text()


@pytest.mark.browser
def test_chart_tooltips_show_names_with_markup_as_text(
    page,  # noqa: F811 - the fixtures imported above
    page_problems,  # noqa: F811
    live_server,
    cast,
    plans,
    june_2027,
):
    cast.bureau1.name = BUREAU
    cast.bureau1.save()
    plans["logistics"].name = CERTIFICATE
    plans["logistics"].save()
    services.record_line_progress(
        actor=None,
        line=line_of(plans["school"], plans["logistics"], M),
        counts=services.Counts(registered=30, examined=20, passed=10),
    )

    login(page, live_server, cast.provincial_admin)
    page.goto(f"{live_server.url}/monitoring/dashboard/?year=2027")
    page.locator("[data-chart=bureaus][data-ready='1']").wait_for()
    page.locator("[data-chart=certificates][data-ready='1']").wait_for()
    bureau_tip = hover_bar(page, "bureaus", "[data-chart=bureaus]", "injected-bureau")
    page.mouse.move(0, 0)
    certificate_tip = hover_bar(page, "certificates:top", "[data-chart=certificates] > div", "injected-certificate")

    assert bureau_tip.splitlines()[0] == BUREAU
    assert certificate_tip.splitlines()[0] == CERTIFICATE
    assert page.locator("#injected-bureau, #injected-certificate").count() == 0
    assert (page_problems.failed_requests, page_problems.script_errors) == ([], [])
