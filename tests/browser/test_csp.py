"""Pages under the Content-Security-Policy in Chromium: the admin, the dashboard's charts, the language switch
and confirmation dialogs work with no inline code; any violation fails the test (the `page` fixture checks)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_admin_pages_render_and_their_scripts_run(page, page_problems, live_server, cast):
    login(page, live_server, cast.provincial_admin)

    page.goto(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/institutions/institution/")
    page.locator("#result_list").wait_for()
    page.locator("#action-toggle").check()  # actions.js ticks every row
    ticked = page.locator("input.action-select:checked").count()
    page.goto(f"{live_server.url}/admin/institutions/institution/{cast.school1.pk}/change/")
    page.locator("#institution_form").wait_for()
    admin_js = page.evaluate("() => typeof django === 'object' && typeof django.jQuery === 'function'")

    assert (ticked, admin_js) == (4, True)
    assert (page_problems.failed_requests, page_problems.script_errors) == ([], [])


def test_dashboard_draws_its_charts(page, page_problems, live_server, cast):
    login(page, live_server, cast.observer)

    page.goto(f"{live_server.url}/monitoring/dashboard/")
    page.locator("[data-chart] canvas").first.wait_for()
    heights = page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.getBoundingClientRect().height)")

    assert heights and all(h >= 300 for h in heights)  # the chart classes replaced the style attributes
    assert (page_problems.failed_requests, page_problems.script_errors) == ([], [])


def test_language_switch_and_confirmations_work_without_inline_handlers(page, page_problems, live_server, cast):
    login(page, live_server, cast.staff)

    with page.expect_navigation():
        page.locator("select[name=language]").select_option("en")
    english = page.locator("html").get_attribute("lang")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.evaluate(
        """() => {
            const form = document.createElement("form");
            form.method = "post"; form.action = "/nowhere/"; form.dataset.confirm = "Sure?";
            form.appendChild(document.createElement("button"));
            document.body.appendChild(form);
            form.querySelector("button").click();
        }"""
    )

    assert (english, asked) == ("en", ["Sure?"])
    assert page.url.endswith("/")  # dismissed: the form was not sent
    assert (page_problems.failed_requests, page_problems.script_errors) == ([], [])
