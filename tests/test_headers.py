"""Security headers on every URL of the site, whatever the answer (200, 302, 403, 404, 405 alike).

The URL resolver is walked; each pattern's parameters are filled from a cast of real objects (PARAMETERS by name,
PK_BY_ROUTE for the ambiguous `pk`, the admin's object ids by model). A pattern whose parameters cannot be filled
fails the test with the list of what to add, so a new URL is never skipped silently. Every URL is asked for
anonymously, by school staff and by the provincial admin; every answer to a signed-in user carries
`Cache-Control: private, no-store` (downloads at least `no-store`). On HTML pages, every inline <script>/<style>
must carry the nonce of the response's policy, and no element may carry a style attribute, an on* handler or a
javascript: URL (the policy would refuse them in the browser).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import User
from adjustments.models import AdjustmentRequest
from api.services import create_token
from audit.models import AuditEvent
from catalog.enums import Level
from documents.models import Bundle
from monitoring.enums import ImportKind
from monitoring.models import Checkpoint, ProgressImport
from monitoring.services import create_import
from notices.enums import Template
from notifications.models import Notification
from plans.enums import PlanStatus
from plans.models import Plan, PlanLine
from tests.conftest import PASSWORD, make_certificate
from tests.monitoring.factories import CANDIDATE_HEADERS, write_xlsx
from tests.notices.conftest import make_notice

MISSING = 999_999  # an id no object has: the 404 page must carry the headers too


@dataclass
class World:
    cast: object
    round: object
    plan: Plan
    line: PlanLine
    certificate: object
    adjustment: AdjustmentRequest
    bundle: Bundle
    checkpoint: Checkpoint
    progress_import: ProgressImport
    notification: Notification
    token: object
    notice: object


@pytest.fixture
def world(cast, spring, settings, tmp_path) -> World:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    now = timezone.now()
    sheet = write_xlsx(
        tmp_path / "c.xlsx", [CANDIDATE_HEADERS, ["张三", "110101200503070013", "物流", "中级", "", "通过", ""]]
    )
    upload = create_import(
        actor=cast.staff,
        upload=SimpleUploadedFile("c.xlsx", sheet.read_bytes()),
        kind=ImportKind.values[0],
        year=2027,
        institution=cast.school1,
    )
    certificate = make_certificate("物流管理职业技能等级证书")
    plan = Plan.objects.create(institution=cast.school1, round=spring, status=PlanStatus.PUBLISHED, published_at=now)
    line = PlanLine.objects.create(
        plan=plan,
        certificate=certificate,
        level=Level.JUNIOR,
        major_name="物流管理",
        headcount=40,
        approved_headcount=40,
    )
    return World(
        cast=cast,
        round=spring,
        plan=plan,
        line=line,
        certificate=certificate,
        adjustment=AdjustmentRequest.objects.create(
            plan=plan, reason="报名人数超过计划", created_by=cast.staff, created_at=now
        ),
        bundle=Bundle.objects.create(round=spring, requested_by=cast.provincial_admin, requested_at=now),
        checkpoint=Checkpoint.objects.create(year=2027, month=4, target=10, taken_at=now),
        progress_import=upload,
        notification=Notification.objects.create(recipient=cast.staff, name="reminder", subject="提醒", body="提醒"),
        token=create_token(user=cast.staff, name="script", at=now)[0],
        notice=make_notice(cast.provincial_admin),
    )


# Parameters that mean one thing wherever they appear.
PARAMETERS: dict[str, Callable[[World], object]] = {
    "round_id": lambda w: w.round.pk,
    "plan_id": lambda w: w.plan.pk,
    "line_id": lambda w: w.line.pk,
    "certificate_id": lambda w: w.certificate.pk,
    "bureau_id": lambda w: w.cast.bureau1.pk,
    "institution_id": lambda w: w.cast.school1.pk,
    "institution": lambda w: w.cast.school1.pk,
    "adjustment_id": lambda w: w.adjustment.pk,
    "import_id": lambda w: w.progress_import.pk,
    "checkpoint_id": lambda w: w.checkpoint.pk,
    "scan_id": lambda w: MISSING,
    "year": lambda w: 2027,  # the notice's year too
    "fmt": lambda w: "docx",
    "action": lambda w: "submit",
    "name": lambda w: "bureaus",
    "kind": lambda w: "candidates",
    "id": lambda w: w.cast.staff.pk,  # admin: a user's password page
    "content_type_id": lambda w: ContentType.objects.get_for_model(w.cast.school1).pk,
    "app_label": lambda w: "institutions",
    "url": lambda w: "no-such-page/",
    "rest": lambda w: "no-such-page",
    "template": lambda w: Template.APPLICATION_FORM,
    "attachment_id": lambda w: MISSING,
    "extension_id": lambda w: MISSING,
    "message_id": lambda w: w.notification.pk,
    "notice_id": lambda w: MISSING,
    "user_id": lambda w: w.cast.staff.pk,
    "level": lambda w: Level.JUNIOR,
    "candidate_id": lambda w: MISSING,
    "bundle_id": lambda w: w.bundle.pk,
}

# `pk` by the route it appears in (the longest matching start wins).
PK_BY_ROUTE: dict[str, Callable[[World], object]] = {
    "rounds/": lambda w: w.round.pk,
    "plans/": lambda w: w.plan.pk,
    "documents/plan/": lambda w: w.plan.pk,
    "documents/scans/": lambda w: MISSING,
    "documents/round/": lambda w: w.round.pk,
    "documents/bundles/": lambda w: w.bundle.pk,
    "monitoring/institutions/": lambda w: w.cast.school1.pk,
    "monitoring/lines/": lambda w: w.line.pk,
    "monitoring/candidates/": lambda w: MISSING,
    "monitoring/imports/": lambda w: w.progress_import.pk,
    "monitoring/checkpoints/": lambda w: w.checkpoint.pk,
    "monitoring/bulletins/": lambda w: MISSING,
    "reviews/plans/": lambda w: w.plan.pk,
    "reviews/extensions/": lambda w: MISSING,
    "adjustments/plan/": lambda w: w.plan.pk,
    "adjustments/": lambda w: w.adjustment.pk,
    "inbox/": lambda w: w.notification.pk,
    "api/tokens/": lambda w: w.token.pk,
    "accounts/users/": lambda w: w.cast.staff.pk,
    "manage/institutions/": lambda w: w.cast.school1.pk,
    "notices/": lambda w: w.notice.pk,
}

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def routes(patterns=None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def admin_object_id(route: str, world: World):
    """admin/<app>/<model>/<path:object_id>/…: the first object of that model, or a missing one."""
    if route.startswith("admin/r/"):  # view on site: content_type_id is an institution's
        return world.cast.school1.pk
    app_label, model_name = route.split("/")[1:3]
    found = apps.get_model(app_label, model_name).objects.order_by("pk").first()
    return found.pk if found else MISSING


def fill(route: str, world: World, *, parameters=PARAMETERS, pks=PK_BY_ROUTE) -> str | None:
    """The route with its parameters filled in, or None when one of them is unknown here."""
    names = [a or b for a, b in PARAMETER.findall(route)]
    values = {}
    for name in names:
        if name == "pk":
            starts = [start for start in pks if route.startswith(start)]
            if not starts:
                return None
            values[name] = pks[max(starts, key=len)](world)
        elif name == "object_id" and route.startswith("admin/"):
            values[name] = admin_object_id(route, world)
        elif name in parameters:
            values[name] = parameters[name](world)
        else:
            return None
    path = PARAMETER.sub(lambda m: str(values[m.group(1) or m.group(2)]), route)
    return "/" + path.replace("^", "").replace("$", "")


class InlineCode(HTMLParser):
    """What the policy decides about in an HTML page: inline scripts and styles with their nonces, and the
    attributes it refuses outright."""

    def __init__(self):
        super().__init__()
        self.nonces: list[str | None] = []
        self.refused: list[str] = []
        self._src = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.nonces.append(attributes.get("nonce"))
        if tag == "style":
            self.nonces.append(attributes.get("nonce"))
        for name, value in attrs:
            if name == "style" or name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.refused.append(f"<{tag} {name}=…>")


def policy(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def cache_problems(response) -> list[str]:
    """A signed-in user's answer stays out of every cache: pages and JSON say `private, no-store`, downloads
    at least `no-store`."""
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    content_type = response.get("Content-Type", "")
    wanted = {"private", "no-store"} if "html" in content_type or "json" in content_type else {"no-store"}
    if not wanted <= directives:
        return [f"Cache-Control is {response.get('Cache-Control')!r} ({content_type})"]
    return []


def problems(url: str, response, *, signed_in: bool = False) -> list[str]:
    found = cache_problems(response) if signed_in else []
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for header, value in expected.items():
        if response.get(header) != value:
            found.append(f"{header} is {response.get(header)!r}")
    header = response.get("Content-Security-Policy")
    if header is None:
        return [*found, "no Content-Security-Policy"]
    csp = policy(header)
    if csp.get("frame-ancestors") != ["'none'"] or csp.get("object-src") != ["'none'"]:
        found.append(f"frame-ancestors/object-src not 'none': {header}")
    if csp.get("base-uri") != ["'none'"] or csp.get("default-src") != ["'self'"]:
        found.append(f"base-uri/default-src: {header}")
    for directive in ("script-src", "style-src"):
        values = csp.get(directive, [])
        if "'self'" not in values or {"'unsafe-inline'", "'unsafe-eval'"} & set(values):
            found.append(f"{directive} is {values}")
    nonces = {v[len("'nonce-") : -1] for v in csp.get("script-src", []) if v.startswith("'nonce-")}
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        page = InlineCode()
        page.feed(response.content.decode())
        found += page.refused
        if page.nonces and (len(nonces) != 1 or set(page.nonces) != nonces):
            found.append(f"inline code with nonces {page.nonces}, policy has {nonces}")
    return [f"{url} ({response.status_code}): {problem}" for problem in found]


def visitors(world: World) -> list[User | None]:
    return [None, world.cast.staff, world.cast.provincial_admin]


def test_every_url_answers_with_the_security_headers(client, world):
    unfilled, found, statuses = [], [], set()
    urls = []
    for route in routes():
        url = fill(route, world)
        if url is None:
            unfilled.append(route)
        else:
            urls.append(url)
    assert unfilled == [], "add these parameters to PARAMETERS or PK_BY_ROUTE in tests/test_headers.py"

    for user in visitors(world):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            statuses.add(response.status_code)
            found += problems(url, response, signed_in=user is not None)
            if response.streaming:
                b"".join(response.streaming_content)

    assert found == []
    assert {200, 302, 403, 404, 405} <= statuses  # the walk met every kind of answer
    assert len(urls) > 200


PRODUCTION = {
    "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "CSRF_COOKIE_HTTPONLY": True,
    "LANGUAGE_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_HTTPONLY": True,
    "LANGUAGE_COOKIE_SAMESITE": "Lax",
}


def production_overrides(monkeypatch) -> dict:
    """The production module's own values for the settings above (read from it, so the two cannot drift)."""
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "p" * 60)
    monkeypatch.setenv("ONEX_ID_KEY", "A" * 43)
    monkeypatch.delenv("DEBUG", raising=False)
    sys.modules.pop("onex.settings_production", None)
    module = importlib.import_module("onex.settings_production")
    sys.modules.pop("onex.settings_production", None)
    return {name: getattr(module, name) for name in PRODUCTION}


def test_production_settings_hold_the_expected_values(monkeypatch):
    assert production_overrides(monkeypatch) == PRODUCTION


@override_settings(**PRODUCTION)
def test_every_url_over_https_carries_hsts(client, world):
    urls = [url for route in routes() if (url := fill(route, world)) is not None]
    client.force_login(world.cast.provincial_admin)
    missing = []
    for url in urls:
        response = client.get(url, secure=True)
        if response.get("Strict-Transport-Security") != "max-age=31536000; includeSubDomains; preload":
            missing.append(f"{url} ({response.status_code})")
        if response.streaming:
            b"".join(response.streaming_content)

    assert missing == []


@override_settings(**PRODUCTION)
def test_cookies_are_secure_httponly_and_same_site_over_https(client, cast):
    page = client.get("/accounts/login/", secure=True)
    signed_in = client.post("/accounts/login/", {"username": cast.staff.username, "password": PASSWORD}, secure=True)
    language = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)

    cookies = {**page.cookies, **signed_in.cookies, **language.cookies}
    flags = {
        name: (bool(cookies[name]["secure"]), bool(cookies[name]["httponly"]), cookies[name]["samesite"])
        for name in ("csrftoken", "sessionid", "django_language")
    }
    assert flags == {
        "csrftoken": (True, True, "Lax"),
        "sessionid": (True, True, "Lax"),
        "django_language": (True, True, "Lax"),
    }


def test_every_url_refuses_a_post_without_csrf_token_with_the_headers(world):
    """A forged POST (no CSRF token) to every URL: refused before any view runs, headers and all."""
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(world.cast.staff)
    urls = [url for route in routes() if (url := fill(route, world)) is not None]
    found, statuses = [], set()
    events = AuditEvent.objects.count()
    for url in urls:
        response = forger.post(url, {"reason": "forged"})
        statuses.add(response.status_code)
        found += problems(url, response, signed_in=True)

    assert found == []
    assert 403 in statuses
    assert AuditEvent.objects.count() == events  # nothing happened
