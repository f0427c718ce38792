"""`Document` → PDF with WeasyPrint, from the HTML template `documents/pdf/document.html`.

Chinese needs a CJK font that WeasyPrint finds through fontconfig: Debian's `fonts-noto-cjk`
(Noto Serif CJK SC, the 宋体-like face official forms use). WeasyPrint embeds the subset of
the font it uses, so the PDF prints the same everywhere. Nothing is fetched while rendering:
the template has no external resources and the URL fetcher allows no protocol at all.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from documents.layout import Document

# 仿宋 for the body and 黑体 for headings, as official documents are set, where the machine has them; Noto CJK
# (Debian's fonts-noto-cjk) otherwise, embedded either way.
FONT_FAMILY = '"FangSong", "仿宋", "仿宋_GB2312", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'
HEADING_FAMILY = '"SimHei", "黑体", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'


def render_html(document: Document) -> str:
    context = {"document": document, "font_family": FONT_FAMILY, "heading_family": HEADING_FAMILY}
    return render_to_string("documents/pdf/document.html", context)


def render_pdf(document: Document) -> bytes:
    """The PDF bytes of `document` (A4 portrait)."""
    html = HTML(string=render_html(document), url_fetcher=URLFetcher(allowed_protocols=()))
    return html.write_pdf()
