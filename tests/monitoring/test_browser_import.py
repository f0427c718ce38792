"""An institution imports the national platform's download as it comes (a title and notes above the header),
sees the header row taken, picks another and back, imports, and withdraws the import — in Chromium."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.browser.conftest import browser, login, page, page_problems  # noqa: F401 - fixtures
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, M, id_number
from tests.shapes import shaped


def shot(browser_page, name: str) -> None:
    """Screenshots for a person to look at, when ONEX_SCREENSHOTS names a folder."""
    if os.environ.get("ONEX_SCREENSHOTS"):
        browser_page.screenshot(path=str(Path(os.environ["ONEX_SCREENSHOTS"]) / name), full_page=True)


@pytest.fixture
def june_2027():
    # Forward in time only: the browser checks cookie expiry.
    with time_machine.travel(datetime(2027, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.mark.browser
def test_institution_imports_a_download_with_notes_above_its_header_and_withdraws_it(
    page,  # noqa: F811 - the fixture imported above
    page_problems,  # noqa: F811
    live_server,
    cast,
    tmp_path,
    june_2027,
):
    logistics = make_certificate(LOGISTICS)
    published_plan(cast.school1, 2027, [(logistics, M, "物流管理", 20)])
    rows = [[f"考生{n}", id_number(), LOGISTICS, "中级", "2027-06-10", "通过", ""] for n in range(3)]
    path = tmp_path / "2026年职业技能等级证书考核结果.xlsx"
    path.write_bytes(shaped(CANDIDATE_HEADERS, rows, above="notes"))

    login(page, live_server, cast.staff)
    page.goto(f"{live_server.url}/monitoring/imports/")
    page.set_input_files("#id_file", str(path))
    page.locator("#id_year").select_option("2027")
    page.get_by_test_id("upload").click()
    detected = page.get_by_test_id("header-row").inner_text()
    ticks = page.get_by_test_id("preview").locator("text=✓").count()
    shot(page, "mapping-detected.png")
    page.locator("#id_header_row").select_option("1")
    page.get_by_test_id("choose-header").click()
    unmapped = page.get_by_test_id("unmapped").inner_text()
    shot(page, "mapping-title-row.png")
    page.locator("#id_header_row").select_option("5")
    page.get_by_test_id("choose-header").click()
    page.check("input[name=mode][value=good_rows]")
    page.get_by_test_id("confirm-import").click()
    page.locator("[data-testid=import-progress][data-status=done]").wait_for()
    page.get_by_test_id("withdraw").locator("textarea").fill("导入了错误年度的文件")
    page.get_by_test_id("withdraw").locator("button").click()
    withdrawn = page.get_by_test_id("withdrawn").inner_text()
    shot(page, "withdrawn.png")

    assert detected.startswith("已将第5行识别为表头")
    assert ticks == 3
    assert unmapped.startswith("请为以下字段指定对应列")
    assert withdrawn.endswith("导入了错误年度的文件")
    assert (page_problems.failed_requests, page_problems.script_errors) == ([], [])
