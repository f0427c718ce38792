"""Unsafe content: nothing typed into a notice reaches a page as markup that runs."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from notices.enums import Audience
from notices.rendering import render_body
from tests.notices.conftest import make_notice

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](https://example.invalid/x.png)",
    '<iframe src="https://example.invalid"></iframe>',
    "<style>body{display:none}</style>",
]


class Markup(HTMLParser):
    """Every start tag with its attributes, inside the element marked data-testid=`inside` (or everywhere)."""

    def __init__(self, inside: str | None = None):
        super().__init__()
        self.inside, self.depth, self.tags = inside, 0 if inside else 1, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
            self.tags.append((tag, dict(attrs)))
        elif ("data-testid", self.inside) in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and self.inside:
            self.depth -= 1


def tags_in(html: str, inside: str | None = None) -> list[tuple[str, dict]]:
    parser = Markup(inside)
    parser.feed(html)
    return parser.tags


def is_unsafe(tag: str, attrs: dict) -> bool:
    if tag in {"script", "img", "svg", "iframe", "style", "object", "embed"}:
        return True
    if any(name.startswith("on") for name in attrs):
        return True
    href = (attrs.get("href") or "").strip().lower()
    return href.startswith(("javascript:", "data:", "vbscript:"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_unsafe_markdown_renders_no_active_markup(payload):
    html = render_body(f"正文\n\n{payload}\n\n结尾")

    assert [t for t in tags_in(html) if is_unsafe(*t)] == []


def test_unsafe_script_is_shown_as_text():
    assert render_body("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_unsafe_markdown_keeps_ordinary_formatting():
    html = render_body("### 一、申报范围\n\n- 第一项\n\n网址：<https://vslc.ncb.edu.cn/>")

    assert [tag for tag, _ in tags_in(html)] == ["h3", "ul", "li", "p", "a"]
    assert tags_in(html)[-1][1] == {"href": "https://vslc.ncb.edu.cn/"}


def test_unsafe_content_never_reaches_the_public_page_unescaped(cast, client):
    body = "\n\n".join(PAYLOADS)
    notice = make_notice(
        cast.provincial_admin,
        audience=Audience.PUBLIC,
        title='<script>alert("title")</script>',
        number='<img src=x onerror="alert(2)">',
        body=body,
    )

    html = client.get(notice.get_absolute_url()).content.decode()

    for marked in ("notice-body", "notice-title", "notice-number"):
        assert [t for t in tags_in(html, marked) if is_unsafe(*t)] == []
    assert "<script>alert" not in html
    assert 'onerror="alert' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unsafe_content_is_escaped_in_the_office_preview_too(cast, client):
    notice = make_notice(cast.provincial_admin, body="<script>alert(1)</script>", published=False)
    client.force_login(cast.provincial_admin)

    html = client.get(f"/notices/{notice.year}/{notice.pk}/edit/").content.decode()

    assert [t for t in tags_in(html, "notice-preview") if is_unsafe(*t)] == []
    assert "<script>alert(1)" not in html
