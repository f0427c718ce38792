from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import assets_loaded, login, logout
from tests.conftest import make_round

# Chinese that a role's header must show today (the role names become Chinese with the translation pass).
SCOPE_IN_HEADER = {
    "staff": "示例合肥职业学校",
    "office_head": "示例合肥职业学校",
    "leader": "示例合肥职业学校",
    "bureau_reviewer": "合肥市教育局",
    "provincial_reviewer": None,
    "provincial_admin": None,
    "observer": None,
}


@pytest.mark.browser
def test_login_every_role_sees_chinese_home_and_logs_out(page, page_problems, live_server, cast):
    # Next year's spring round is always ahead, so every role's home lists its windows, dated in Chinese.
    year = timezone.localdate().year + 1
    make_round(year, "spring")
    dated = f"{year}年04月"
    roles = cast.one_of_every_role()
    seen = []

    for user in roles:
        login(page, live_server, user)

        whoami = page.get_by_test_id("whoami").inner_text()
        seen.append(
            {
                "user": user.username,
                "lang": page.locator("html").get_attribute("lang"),
                "scope": SCOPE_IN_HEADER[user.username] is None or SCOPE_IN_HEADER[user.username] in whoami,
                "name": user.full_name in whoami,
                "home": page.get_by_test_id("home-title").is_visible(),
                "window dated in Chinese": dated in page.locator("main").inner_text(),
                "assets": assets_loaded(page),
            }
        )

        logout(page, live_server)
        assert page.locator("#id_password").is_visible()

    assert seen == [
        {
            "user": user.username,
            "lang": "zh-CN",
            "scope": True,
            "name": True,
            "home": True,
            "window dated in Chinese": True,
            "assets": {"htmx": True, "bootstrap": True, "bootstrap_css": True},
        }
        for user in roles
    ]
    assert page_problems.failed_requests == []
    assert page_problems.script_errors == []


@pytest.mark.browser
def test_logout_then_home_asks_to_log_in_again(page, live_server, cast):
    login(page, live_server, cast.staff)
    logout(page, live_server)

    page.goto(f"{live_server.url}/")

    assert page.url == f"{live_server.url}/accounts/login/?next=/"
