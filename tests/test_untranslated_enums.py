"""No English enum value in the Chinese interface: every page and export each role reaches from its home page.

The values are found, not listed: every `Choices` of the project whose value differs from its label. Each role of
the demo walks the site from its home page (links only: GETs change nothing) and every page's visible text and
every Excel export's cells are searched for a value standing alone ("secondary_vocational", "approve", "draft").
"""

from __future__ import annotations

import io
import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import translation

from accounts.models import User
from tests.core.test_date_round_trip import _project_modules, _subclasses

PAGES_PER_ROLE = 70
SKIP = re.compile(r"^/(static|admin|accounts/logout|i18n|api/v1/docs|api/v1/openapi|healthz|media)|\.(pdf|docx|zip)$")
WORD = re.compile(r"[A-Za-z][A-Za-z_/-]*[A-Za-z]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def enum_values() -> set[str]:
    names = {module.__name__ for module in _project_modules()}
    return {
        member.value
        for cls in _subclasses(models.Choices)
        if cls.__module__ in names
        for member in cls
        if isinstance(member.value, str) and str(member.label) != member.value
    }


class _Page(HTMLParser):
    """A page's visible text and its links."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def walk(client: Client, values: set[str]) -> list[tuple[str, str, str]]:
    """(url, value, the text around it) for each enum value found on the pages and exports reached from "/"."""
    found, seen, queue = [], {"/"}, deque(["/"])
    while queue and len(seen) <= PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200:
            continue
        if kind.startswith(XLSX):
            texts = _cells(b"".join(response.streaming_content) if response.streaming else response.content)
        elif kind.startswith("text/html"):
            page = _Page()
            page.feed(response.content.decode())
            texts = page.text
            for link in page.links:
                if link not in seen and not SKIP.match(link):
                    seen.add(link)
                    queue.append(link)
        else:
            continue
        found += [
            (url, word, " ".join(text.split())[:80]) for text in texts for word in WORD.findall(text) if word in values
        ]
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        call_command(
            "load_demo",
            accounts_file=str(tmp_path_factory.mktemp("demo") / "a.txt"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
        yield
        call_command("flush", interactive=False, verbosity=0)


ROLES = [
    "school_staff",
    "school_head",
    "school_leader",
    "bureau_hefei",
    "province_reviewer",
    "province_admin",
    "observer",
]


@pytest.mark.parametrize("username", ROLES)
def test_no_english_enum_value_on_any_page_or_export(demo, db, settings, username):
    settings.LANGUAGE_CODE = "zh-hans"
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))

    with translation.override("zh-hans"):
        found = walk(client, enum_values())

    assert sorted(set(found)) == [], sorted(set(found))
