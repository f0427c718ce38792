"""The docs page in a real browser: Swagger UI renders the description, and no request leaves this server."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, live_server, page, page_problems  # noqa: F401 - the browser fixtures

pytestmark = pytest.mark.browser


def test_docs_page_renders_swagger_ui_from_this_server_only(request):
    server, tab, problems = (request.getfixturevalue(name) for name in ("live_server", "page", "page_problems"))
    asked: list[str] = []
    tab.on("request", lambda req: asked.append(req.url))

    tab.goto(f"{server.url}/api/v1/docs")
    tab.locator(".swagger-ui .info .title").filter(has_text="OneX API").wait_for()
    tab.locator(".opblock-tag", has_text="plans").first.wait_for()

    assert [url for url in asked if not url.startswith(server.url)] == []
    assert f"{server.url}/api/v1/openapi.json" in asked
    assert (problems.failed_requests, problems.script_errors) == ([], [])
