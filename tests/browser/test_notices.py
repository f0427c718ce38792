"""A notice in the browser: the office writes and publishes it to all institutions; a school sees it on its home page
and confirms it; the office finds the school among those who have confirmed."""

from __future__ import annotations

import pytest

from notices.models import Notice
from tests.browser.conftest import login, logout

TITLE = "关于做好2027年1+X证书申报工作的通知"


@pytest.mark.browser
def test_notice_published_to_institutions_confirmed_by_a_school_seen_by_the_office(
    page, page_problems, live_server, cast
):
    # The office writes the notice and publishes it.
    login(page, live_server, cast.provincial_admin)
    page.get_by_test_id("notices-link").click()
    page.get_by_test_id("new-notice").click()
    page.get_by_test_id("notice-title").fill(TITLE)
    page.get_by_test_id("notice-number").fill("皖教秘职成〔2027〕1号")
    page.get_by_test_id("notice-year").fill("2027")
    page.get_by_test_id("notice-audience").select_option("institutions")
    page.get_by_test_id("notice-body").fill("各院校：\n\n### 一、申报范围\n\n<script>alert(1)</script>")
    page.get_by_test_id("save-notice").click()
    notice = Notice.objects.get()
    page.wait_for_url(f"{live_server.url}/notices/2027/{notice.pk}/edit/")
    page.get_by_test_id("publish-notice").click()
    page.wait_for_url(f"{live_server.url}/notices/2027/{notice.pk}/")
    published_title = page.get_by_test_id("notice-title").inner_text()
    logout(page, live_server)

    # The school sees it at the top of its home page and confirms it.
    login(page, live_server, cast.staff)
    unread = page.get_by_test_id("unread-notice")
    unread_text = unread.inner_text()
    unread.get_by_test_id("confirm-read").click()
    page.wait_for_url(f"{live_server.url}/")
    still_unread = page.get_by_test_id("unread-notices").count()
    logout(page, live_server)

    # The office sees the school among those who have confirmed, under its bureau.
    login(page, live_server, cast.provincial_admin)
    page.goto(f"{live_server.url}{notice.get_absolute_url()}")
    page.get_by_test_id("receipts-link").click()
    bureau1 = page.get_by_test_id(f"receipts-bureau-{cast.bureau1.pk}")
    confirmed = bureau1.get_by_test_id("confirmed").inner_text()
    pending = bureau1.get_by_test_id("pending").inner_text()

    assert published_title == TITLE
    assert TITLE in unread_text
    assert still_unread == 0
    assert cast.school1.name in confirmed and cast.school1.name not in pending
    assert cast.college1.name in pending
    assert page_problems.failed_requests == [] and page_problems.script_errors == []
