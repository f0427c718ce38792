"""A clerk downloads the plan's Excel template, edits it, uploads it, reads the preview and confirms it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from catalog.enums import Level
from tests.browser.conftest import login
from tests.conftest import make_certificate, make_round
from tests.factories import draft

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
def test_lines_template_round_trip_in_the_browser(page, page_problems, live_server, cast, tmp_path):
    today = timezone.localdate()
    rnd = make_round(today.year, "spring", filing_start=today - timedelta(days=1), filing_end=today + timedelta(days=2))
    logistics = make_certificate("物流管理职业技能等级证书")
    plan = draft(
        cast.school1, rnd, [(logistics, Level.JUNIOR, "物流管理", 30), (logistics, Level.SENIOR, "物流管理", 20)]
    )

    login(page, live_server, cast.staff)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("lines-template").click()
    path = tmp_path / "lines.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    book["申报条目"]["E2"] = 35
    book["申报条目"].delete_rows(3)
    book["申报条目"].append(["物流管理职业技能等级证书", "中级", "电子商务", "", 40, "", ""])
    book.save(path)
    page.get_by_test_id("lines-file").set_input_files(path)
    page.get_by_test_id("upload-lines").click()
    page.get_by_test_id("preview-changed").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "lines-upload-preview.png", full_page=True)
    preview = {name: page.get_by_test_id(f"preview-{name}").inner_text() for name in ("added", "changed", "missing")}
    page.get_by_test_id("confirm-upload").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    message = page.locator(".alert-success").inner_text()

    assert "电子商务" in preview["added"] and "40" in preview["added"]
    assert "申报人数: 30 → 35" in preview["changed"]
    assert "高级" in preview["missing"]
    assert message.strip() == "已按文件更新：新增 1 条，修改 1 条，删除 0 条。"
    assert sorted(plan.lines.values_list("level", "major_name", "headcount")) == [
        (Level.INTERMEDIATE, "电子商务", 40),
        (Level.JUNIOR, "物流管理", 35),
        (Level.SENIOR, "物流管理", 20),
    ]
    # A download ends its navigation, which Chromium reports as an aborted request.
    assert [r for r in page_problems.failed_requests if not r.endswith("/lines/template.xlsx")] == []
