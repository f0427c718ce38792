from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import assets_loaded, login, logout
from tests.conftest import make_round

# What the header says about each member of the cast: name · role, then scope, all in Chinese.
WHOAMI = {
    "staff": "staff · 经办人\n示例合肥职业学校",
    "office_head": "office_head · 证书试点管理部门负责人\n示例合肥职业学校",
    "leader": "leader · 校级分管领导\n示例合肥职业学校",
    "bureau_reviewer": "bureau_reviewer · 市教育局审核人\n合肥市教育局",
    "provincial_reviewer": "provincial_reviewer · 省级审核人\n省1+X办公室",
    "provincial_admin": "provincial_admin · 省级管理员\n省1+X办公室",
    "observer": "observer · 厅领导（只读）\n厅领导",
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

        seen.append(
            {
                "user": user.username,
                "lang": page.locator("html").get_attribute("lang"),
                "whoami": page.get_by_test_id("whoami").inner_text(),
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
            "whoami": WHOAMI[user.username],
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
