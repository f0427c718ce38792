"""The leader's home page in a browser lists the plan waiting on their sign-off and the notice to confirm."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from plans.enums import PlanStatus
from tests.browser.conftest import login
from tests.conftest import make_round
from tests.factories import draft
from tests.notices.conftest import make_notice

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
def test_home_todos_leader_sees_sign_off_and_notice(page, live_server, cast):
    today = timezone.localdate()  # the live server runs on today's clock: sign-off is a step of the open window
    rnd = make_round(2027, filing_start=today - timedelta(days=3), filing_end=today + timedelta(days=20))
    plan = draft(cast.school1, rnd, status=PlanStatus.AWAITING_SIGNOFF)
    make_notice(cast.provincial_admin, title="关于报送试点材料的通知")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_navigation_timeout(30_000)

    login(page, live_server, cast.leader)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "home-todos-leader.png", full_page=True)

    todos = page.locator("ul.list-group a").all_inner_texts()
    assert f"签批：{plan}" in todos
    assert "确认已阅通知：关于报送试点材料的通知" in todos
