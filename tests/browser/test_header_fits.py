"""The header fits a 1366 × 768 laptop for every role: one row, every link on it, the name on one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ROLES = ["staff", "office_head", "leader", "bureau_reviewer", "provincial_reviewer", "provincial_admin", "observer"]
# One row of Bootstrap's navbar with small buttons; two rows would be ~100 px.
MAX_HEADER_PX = 64


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_header_fits_a_1366_laptop(page, live_server, cast, role):
    user = getattr(cast, role)
    user.full_name = "欧阳晓明"
    user.save()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.set_default_navigation_timeout(30_000)  # the first page of a cold live server on a busy machine

    login(page, live_server, user)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"header-1366-{role}.png")
    header = page.locator("nav.navbar").bounding_box()
    whoami = page.get_by_test_id("whoami").bounding_box()
    links = page.locator("nav.navbar .nav-link")
    hidden = [links.nth(i).inner_text() for i in range(links.count()) if not links.nth(i).is_visible()]
    name_lines = page.evaluate(
        "() => { const el = document.querySelector('[data-testid=whoami]'); const css = getComputedStyle(el); "
        "const text = el.clientHeight - parseFloat(css.paddingTop) - parseFloat(css.paddingBottom); "
        "return Math.round(text / parseFloat(css.lineHeight)); }"
    )

    assert header["height"] <= MAX_HEADER_PX, header
    assert header["width"] <= 1366
    assert whoami["x"] + whoami["width"] <= 1366
    assert hidden == []
    assert name_lines == 2  # the name and role, then the scope: never a character a line
