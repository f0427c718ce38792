"""A school clerk keeps the institution's contacts on its page; the summary sheet prints them."""

from __future__ import annotations

import os

import openpyxl
import pytest
from django.urls import reverse

from plans.enums import PlanStatus
from tests.browser.conftest import login
from tests.conftest import make_certificate, make_round
from tests.factories import J, draft


@pytest.mark.browser
def test_contacts_typed_on_the_institution_page_reach_the_summary_sheet(
    page, page_problems, live_server, cast, tmp_path
):
    spring = make_round(2027, "spring")
    certificate = make_certificate("物流管理职业技能等级证书")
    draft(cast.school1, spring, [(certificate, J, "物流管理", 60)], status=PlanStatus.DRAFT)

    login(page, live_server, cast.staff)
    page.goto(live_server.url + reverse("my_institution"))
    page.get_by_test_id("contact-name").fill("王老师")
    page.get_by_test_id("contact-phone").fill("0551-12345678")
    page.get_by_test_id("save-contacts").click()
    page.wait_for_load_state()
    shown = page.get_by_test_id("contacts").inner_text()
    if os.environ.get("ONEX_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["ONEX_SCREENSHOTS"], "contacts.png"), full_page=True)
    page.goto(f"{live_server.url}/documents/")
    page.get_by_test_id("plan-documents-link").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("download-summary").click()
    sheet_path = tmp_path / "summary.xlsx"
    download_info.value.save_as(sheet_path)

    assert shown == "王老师 0551-12345678"
    sheet = openpyxl.load_workbook(sheet_path)["校级汇总表"]
    assert [sheet["G4"].value, sheet["K4"].value] == ["王老师", "0551-12345678"]
    assert page_problems.script_errors == []
