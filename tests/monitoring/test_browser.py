"""The province imports a progress file, takes a checkpoint, opens the dashboard, drills down from a
bureau to a slow institution and downloads the report — in Chromium, against the live server."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from tests.browser.conftest import browser, login, page, page_problems  # noqa: F401 - fixtures
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, J, M, id_number, write_xlsx


@pytest.fixture
def november_2027():
    # After the October checkpoint (target 65 %). Forward in time only: the browser checks cookie expiry.
    with time_machine.travel(datetime(2027, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def progress_file(path, cast):
    rows = [["院校名称", *CANDIDATE_HEADERS]]
    # school1: 12 of 20 examined = 60 %, below 65 % but above half of it: slow.
    for n in range(12):
        rows.append([cast.school1.name, f"考生{n}", id_number(), LOGISTICS, "中级", date(2027, 6, 10), "通过", ""])
    # college1: 10 of 10 examined: on track. school2 has no candidates at all: serious.
    for n in range(10):
        rows.append([cast.college1.name, f"学生{n}", id_number(), LOGISTICS, "初级", date(2027, 6, 12), "不通过", ""])
    return write_xlsx(path, rows)


@pytest.mark.browser
def test_province_imports_checks_drills_down_and_downloads(
    page,  # noqa: F811 - the fixture imported above
    page_problems,  # noqa: F811
    live_server,
    cast,
    tmp_path,
    november_2027,
    produced,  # noqa: F811
):
    logistics = make_certificate(LOGISTICS)
    published_plan(cast.school1, 2027, [(logistics, M, "物流管理", 20)])
    published_plan(cast.college1, 2027, [(logistics, J, "物流管理", 10)])
    published_plan(cast.school2, 2027, [(logistics, J, "物流管理", 10)])
    seen = []

    login(page, live_server, cast.provincial_admin)
    page.goto(f"{live_server.url}/monitoring/imports/")
    page.set_input_files("#id_file", str(progress_file(tmp_path / "国家平台导出.xlsx", cast)))
    page.locator("#id_year").select_option("2027")
    page.get_by_test_id("upload").click()
    page.get_by_test_id("preview").wait_for()
    seen.append(page.content())
    page.check("input[name=mode][value=good_rows]")
    page.get_by_test_id("confirm-import").click()
    page.locator("[data-testid=import-progress][data-status=done]").wait_for()
    written = page.get_by_test_id("rows-written").inner_text()
    seen.append(page.content())

    page.goto(f"{live_server.url}/monitoring/checkpoints/")
    page.locator("#id_year").select_option("2027")
    page.locator("#id_month").select_option("10")
    page.get_by_test_id("take-checkpoint").locator("button[type=submit]").click()
    page.get_by_test_id("report-title").wait_for()
    behind = page.get_by_test_id("report-behind").inner_text()
    seen.append(page.content())

    page.goto(f"{live_server.url}/monitoring/dashboard/?year=2027")
    page.locator("[data-chart=bureaus][data-ready='1']").wait_for()
    page.locator("[data-chart=trend][data-ready='1']").wait_for()
    seen.append(page.content())
    # Click the first bar (the first bureau) where ECharts drew it.
    x, y = page.evaluate(
        """() => { const c = window.onexCharts.bureaus; const v = c.getOption().series[0].data[0];
                   return c.convertToPixel({seriesIndex: 0}, [0, v / 2]); }"""
    )
    box = page.get_by_test_id("chart-bureaus").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.get_by_test_id("drill-title").wait_for()
    drill_url = page.url
    institutions = page.get_by_test_id("figure-table").inner_text()
    seen.append(page.content())
    page.get_by_role("link", name=cast.school1.name).click()
    page.get_by_test_id("standing-card").wait_for()
    standing = page.get_by_test_id("standing-card").inner_text()
    seen.append(page.content())

    page.go_back()
    page.goto(f"{live_server.url}/monitoring/checkpoints/")
    page.get_by_role("link", name="2027年10月").click()
    with page.expect_download() as excel:
        page.get_by_test_id("report-xlsx").click()
    with page.expect_download() as pdf:
        page.get_by_test_id("report-pdf").click()

    book = CalamineWorkbook.from_path(excel.value.path())
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.value.path().read_bytes())).pages)
    for n, html in enumerate(seen):
        produced.add(f"browser page {n}", html)
    produced.add("browser drill url", drill_url)
    assert written == "22"
    assert (cast.school1.name in behind, cast.school2.name in behind, cast.college1.name in behind) == (
        True,
        True,
        False,
    )
    assert f"bureau={cast.bureau1.pk}" in drill_url
    assert (
        cast.school1.name in institutions,
        cast.college1.name in institutions,
        cast.school2.name in institutions,
    ) == (
        True,
        True,
        False,
    )
    assert "60.0%" in standing
    behind_sheet = book.get_sheet_by_name("滞后院校").to_python()
    assert sorted(row[0] for row in behind_sheet[3:]) == sorted([cast.school1.name, cast.school2.name])
    assert (excel.value.suggested_filename, cast.school1.name in pdf_text) == (
        "2027年10月1+X证书考核进度监测通报.xlsx",
        True,
    )
    # A download ends its request in the browser ("aborted" navigation): that is not a failure.
    failed = [r for r in page_problems.failed_requests if "/report.xlsx" not in r and "/report.pdf" not in r]
    assert (failed, page_problems.script_errors) == ([], [])
