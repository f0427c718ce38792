from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import enter_second_factor, login, logout, next_code
from tests.conftest import PASSWORD


@pytest.mark.browser
def test_second_factor_enrol_at_first_login_then_enter_codes(page, page_problems, live_server, cast):
    reviewer = cast.bureau_reviewer
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(reviewer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/second-factor/enrol/?next=/")
    enrolment = {
        "qr code shown": page.get_by_test_id("enrol-qr").locator("svg").is_visible(),
        "key groups": len(page.get_by_test_id("enrol-secret").inner_text().split()),
        "role links hidden": page.locator("nav a[href='/reviews/']").count() == 0,
    }

    page.goto(f"{live_server.url}/")  # nothing else is reachable before the code
    held_at = page.url
    enter_second_factor(page, reviewer)  # the code of an app set up from the key the page shows
    page.wait_for_url(f"{live_server.url}/")
    logout(page, live_server)
    login(page, live_server, reviewer)  # now the code of the confirmed device

    assert enrolment == {"qr code shown": True, "key groups": 8, "role links hidden": True}
    assert held_at == f"{live_server.url}/accounts/second-factor/enrol/?next=/"
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).count() == 1
    assert page.get_by_test_id("whoami").is_visible()
    assert page_problems.failed_requests == []
    assert page_problems.script_errors == []


@pytest.mark.browser
def test_second_factor_a_wrong_code_keeps_the_user_out(page, live_server, cast):
    TOTPDevice.objects.create(user=cast.provincial_admin, name="phone", confirmed=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(cast.provincial_admin.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/second-factor/?next=/")
    right = next_code(cast.provincial_admin)

    page.locator("#id_code").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_test_id("second-factor-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/admin/")

    assert page.url == f"{live_server.url}/accounts/second-factor/?next=/admin/"
