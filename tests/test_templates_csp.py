"""Every template served to a browser is written for the Content-Security-Policy: no inline handlers (on*=), no
style attributes, no javascript: URLs, and an inline <script>/<style> only with the request's nonce. The rendered
pages are checked too (tests/test_headers.py); this also covers partials only htmx asks for."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

# Not served to browsers: e-mails, and the HTML WeasyPrint turns into PDF.
NOT_SERVED = ("emails/", "documents/pdf/", "monitoring/report_pdf.html", "monitoring/bulletin_pdf.html")
REFUSED = [
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE), "an on* handler"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE), "a style attribute"),
    (re.compile(r"""\b(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE), "a javascript: URL"),
    (re.compile(r"""\shx-on[:-]""", re.IGNORECASE), "an hx-on handler (needs eval)"),
    (
        re.compile(r"<(script|style)(?![^>]*\b(src|nonce)=)(?![^>]*application/json)[^>]*>", re.IGNORECASE),
        "an inline <script>/<style> without nonce",
    ),
]


def served_templates() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [Path(settings.BASE_DIR) / app / "templates" for app in settings.INSTALLED_APPS if "." not in app]
    return sorted(
        path
        for root in roots
        if root.is_dir()
        for path in root.rglob("*.html")
        if not str(path.relative_to(root)).startswith(NOT_SERVED)
    )


def test_templates_hold_nothing_the_policy_refuses():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for path in served_templates()
        for text in [path.read_text(encoding="utf-8")]
        for pattern, what in REFUSED
        for m in pattern.finditer(text)
    ]

    assert len(served_templates()) > 50
    assert found == []
