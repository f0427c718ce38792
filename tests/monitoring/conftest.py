"""Monitoring tests: a fixed ID key, jobs run at once, and a scan for whole ID numbers in
everything the tests produce (pages, downloads, URLs, log lines, audit events, e-mails)."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test.client import Client

from audit.models import AuditEvent
from monitoring import crypto
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.factories import ISSUED, J, M

LOGISTICS = "物流管理职业技能等级证书"
CARE = "老年照护职业技能等级证书"
WEB = "Web前端开发职业技能等级证书"
TEST_KEY = "b25leC10ZXN0LWtleS1vbmx5LWZvci10ZXN0cy0wMDA="  # base64 of 32 bytes, tests only
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
ID_LIKE = re.compile(r"\d{17}[\dXx]")


@pytest.fixture(autouse=True)
def id_key(monkeypatch):
    monkeypatch.delenv("ONEX_ID_KEY_FILE", raising=False)
    monkeypatch.setenv("ONEX_ID_KEY", TEST_KEY)
    crypto.forget_keys()
    yield
    crypto.forget_keys()


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    settings.TASKS = IMMEDIATE


class Produced:
    """Everything a test made visible: (where, text) pairs."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []
        self.reveals_allowed = False

    def add(self, where: str, text: str) -> None:
        self.items.append((where, text))

    def add_response(self, url: str, response) -> None:
        self.add(f"URL {url}", url)
        for name, value in response.items():
            self.add(f"header {name} of {url}", value)
        if getattr(response, "streaming", False):
            return
        content = response.content
        kind = response.get("Content-Type", "")
        if content[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for member in archive.namelist():
                    self.add(f"{url} :: {member}", archive.read(member).decode("utf-8", "replace"))
        elif "pdf" in kind:
            from pypdf import PdfReader

            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
            self.add(f"PDF {url}", text)
        else:
            self.add(f"page {url}", content.decode("utf-8", "replace"))

    def leaks(self) -> list[str]:
        found = []
        for where, text in self.items:
            for match in ID_LIKE.findall(text):
                if match.upper() in ISSUED:
                    found.append(f"{where}: {match[:3]}…")
        return found


@pytest.fixture(autouse=True)
def produced(request, monkeypatch, caplog):
    """Scan every response, download, log line, audit event and e-mail of the test for a whole ID number."""
    # Set the database up first, so that it is still there when the audit trail is scanned below.
    has_db = False
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            has_db = True
            break
    seen = Produced()
    original = Client.request

    def recording(self, **request):
        response = original(self, **request)
        url = request.get("PATH_INFO", "") + ("?" + request["QUERY_STRING"] if request.get("QUERY_STRING") else "")
        seen.add_response(url, response)
        return response

    monkeypatch.setattr(Client, "request", recording)
    caplog.set_level(logging.DEBUG)
    yield seen
    for record in caplog.records:
        seen.add(f"log {record.name}", record.getMessage() + (record.exc_text or ""))
    for message in mail.outbox:
        seen.add(f"mail {message.subject}", message.subject + message.body)
    if has_db:
        for event in AuditEvent.objects.all():
            seen.add(f"audit {event.action}", f"{event.object_repr} {event.before} {event.after} {event.reason}")
    if not seen.reveals_allowed:
        assert seen.leaks() == []


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2027, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def plans(cast):
    logistics, care, web = make_certificate(LOGISTICS), make_certificate(CARE), make_certificate(WEB)
    school = published_plan(cast.school1, 2027, [(logistics, M, "物流管理", 40), (care, J, "护理", 30)])
    college = published_plan(cast.college1, 2027, [(logistics, J, "物流管理", 50)])
    return {"logistics": logistics, "care": care, "web": web, "school": school, "college": college}
