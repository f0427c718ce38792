"""Browser tests: Playwright driving Debian's Chromium (headless) against pytest-django's live_server.

Mark every test here with `@pytest.mark.browser`. A missing Chromium fails the tests, it never skips them.
"""

from __future__ import annotations

import os
import re
import time
from base64 import b32decode
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

from accounts.enums import Role
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _close_connections() -> None:
    """Close this thread's idle database connections (never one inside a test's transaction)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


class _Chromium:
    """One Playwright and one Chromium per process, however many test modules import the `browser` fixture
    (an imported session fixture is a second fixture, and a second sync Playwright cannot start in one thread)."""

    users = 0
    playwright = None
    browser: Browser | None = None
    previous_async_unsafe: str | None = None

    @classmethod
    def acquire(cls) -> Browser:
        if cls.users == 0:
            if not CHROMIUM.exists():
                pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (scripts/test.sh does it)")
            # Playwright's sync API keeps an event loop running in this thread while it lives; Django then refuses
            # ORM calls here unless this is set, and keeps this thread's connections in a separate (context)
            # storage: connections opened before are hidden from close_all() until the loop stops.
            _close_connections()
            cls.previous_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        cls.users += 1
        return cls.browser

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users:
            return
        try:
            cls.browser.close()
            # Connections opened while the loop ran are invisible once it stops: close them now, or PostgreSQL
            # refuses to drop the test database ("being accessed by other users").
            _close_connections()
            cls.playwright.stop()
        finally:
            cls.browser = cls.playwright = None
            if cls.previous_async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls.previous_async_unsafe


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = _Chromium.acquire()
    try:
        yield chromium
    finally:
        _Chromium.release()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started once the test database exists so that it stops before the database
    is dropped (its request threads keep their connections open: CONN_MAX_AGE)."""
    return live_server


@dataclass
class PageProblems:
    """What went wrong while a page was in use: failed requests and JavaScript errors."""

    failed_requests: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    # What Chromium refused under the Content-Security-Policy ("Refused to execute inline script…").
    csp_violations: list[str] = field(default_factory=list)

    def console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)
            self.script_errors.append(message.text)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, page_problems: PageProblems) -> Iterator[Page]:
    """A fresh page in its own context (no cookies shared), as a browser in Anhui would ask: zh-CN, Shanghai time."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    new_page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")  # asked for by Chromium itself, not by our pages
            and page_problems.failed_requests.append(f"{response.status} {response.url}")
        ),
    )
    new_page.on("requestfailed", lambda request: page_problems.failed_requests.append(f"failed {request.url}"))
    new_page.on("pageerror", lambda error: page_problems.script_errors.append(str(error)))
    new_page.on("console", page_problems.console)
    yield new_page
    context.close()
    # Every browser test fails on a policy violation, whether or not it looks at page_problems itself.
    assert page_problems.csp_violations == []


def login(page: Page, live_server, user, *, password: str = PASSWORD) -> None:
    """Log `user` in through the real login form and wait for their home page.

    Reviewers and admins then give their second factor as a person would: on their first login they set up an
    authenticator from the key the enrolment page shows, later they type the code of their confirmed device."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form:has(#id_password)")
    form.locator("#id_username").fill(user.username)
    form.locator("#id_password").fill(password)
    form.locator("button[type=submit]").click()
    if user.role in Role.second_factor_roles():
        page.wait_for_url(re.compile(r".*/accounts/second-factor/.*"))
        enter_second_factor(page, user)
    page.wait_for_url(f"{live_server.url}/")


def enter_second_factor(page: Page, user) -> None:
    """On the second-factor page: enrol with the key the page shows, or type the code of the user's device."""
    if "/enrol/" in page.url:
        secret = page.get_by_test_id("enrol-secret").inner_text().replace(" ", "")
        code_form = page.get_by_test_id("enrol-form")
        code_form.locator("#id_code").fill(f"{totp(b32decode(secret + '=' * (-len(secret) % 8))):06d}")
    else:
        code_form = page.get_by_test_id("second-factor-form")
        code_form.locator("#id_code").fill(next_code(user))
    code_form.locator("button[type=submit]").click()


def next_code(user) -> str:
    """A code `user`'s confirmed device accepts now: a later time step than the last code used (codes work once),
    within the step before or after the current one. Waits for the clock when two logins came within one step."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    while True:
        now = (int(time.time()) - device.t0) // device.step + device.drift
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(1)


def logout(page: Page, live_server) -> None:
    """Log out with the header's POST button and wait for the login page."""
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def assets_loaded(page: Page) -> dict[str, bool]:
    """Whether the vendored CSS and JavaScript really arrived (served by the app, no CDN)."""
    return page.evaluate(
        """() => ({
            htmx: typeof htmx === "object" && typeof htmx.ajax === "function",
            bootstrap: typeof bootstrap === "object" && typeof bootstrap.Modal === "function",
            bootstrap_css: getComputedStyle(document.body).getPropertyValue("--bs-primary").trim() !== "",
        })"""
    )
