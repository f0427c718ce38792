"""A college downloads its summary sheet, uploads its stamped scan, and the province sees it."""

from __future__ import annotations

import openpyxl
import pytest

from plans.enums import PlanStatus
from tests.browser.conftest import login, logout
from tests.conftest import make_certificate, make_round
from tests.documents.builders import pdf_bytes
from tests.factories import J, draft


@pytest.mark.browser
def test_documents_college_sends_its_stamped_summary_and_the_province_sees_it(
    page, page_problems, live_server, cast, private_storage, tmp_path
):
    spring = make_round(2027, "spring")
    certificate = make_certificate("物流管理职业技能等级证书")
    draft(cast.college1, spring, [(certificate, J, "物流管理", 60)], status=PlanStatus.PROVINCIAL_REVIEW)
    scan = tmp_path / "汇总表 盖章.pdf"
    scan.write_bytes(pdf_bytes())

    login(page, live_server, cast.college_staff)
    page.get_by_test_id("documents-link").click()
    page.get_by_test_id("plan-documents-link").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("download-summary").click()
    download = download_info.value
    sheet_path = tmp_path / "summary.xlsx"
    download.save_as(sheet_path)
    form = page.get_by_test_id("scan-upload")
    form.locator("#id_kind").select_option("institution_summary")
    form.locator("#id_file").set_input_files(scan)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    received = page.get_by_test_id("papers").inner_text()
    logout(page, live_server)

    login(page, live_server, cast.provincial_reviewer)
    page.goto(f"{live_server.url}/documents/round/{spring.pk}/province/")
    institutions = page.get_by_test_id("institutions").inner_text()
    with page.expect_download() as scan_info:
        page.get_by_test_id("institutions").get_by_text("汇总表 盖章.pdf").click()

    assert download.suggested_filename == "示例合肥职业技术学院2027年证书申报-附件2校级汇总表.xlsx"
    assert openpyxl.load_workbook(sheet_path)["校级汇总表"]["C3"].value == "示例合肥职业技术学院"
    assert "汇总表 盖章.pdf" in received
    assert ("示例合肥职业技术学院" in institutions, "汇总表 盖章.pdf" in institutions) == (True, True)
    assert scan_info.value.suggested_filename == "汇总表 盖章.pdf"
    # Chromium reports a navigation that turns into a download as an aborted request: those two are expected.
    downloads = {download.url, scan_info.value.url}
    assert [r for r in page_problems.failed_requests if r.removeprefix("failed ") not in downloads] == []
    assert page_problems.script_errors == []
