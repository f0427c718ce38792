"""The issued 通报 as files: Word (python-docx, A4, 宋体/黑体 set through w:eastAsia) and PDF (WeasyPrint,
A4, the CJK font embedded, nothing fetched). Both draw the same header, text and tables."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from core.numbers import percent
from documents.pdf import FONT_FAMILY
from documents.word import BODY_FONT, TITLE_FONT, set_font
from monitoring import bulletins

HEADINGS = ["范围", "批准计划人数", "参考人数", "完成率", "院校数", "进度滞后", "严重滞后"]
BEHIND_HEADINGS = ["院校", "所在市", "类型", "状态", "批准计划人数", "参考人数", "完成率"]


def tables(report, kinds) -> list[tuple[str, list[str], list[list[str]]]]:
    """(caption, headings, rows) of the attachment: by bureau, by institution kind, the institutions behind."""
    p = report.province
    province = ["全省", str(p.approved), str(p.examined), percent(p.completion)]
    province += [str(sum(b.institutions for b in report.bureaus)), str(report.slow_count), str(report.serious_count)]
    bureaus = [province] + [
        [b.name, str(b.figures.approved), str(b.figures.examined), percent(b.figures.completion)]
        + [str(b.institutions), str(b.slow), str(b.serious)]
        for b in report.bureaus
    ]
    by_kind = [
        [k.name, str(k.figures.approved), str(k.figures.examined), percent(k.figures.completion)]
        + [str(k.institutions), str(k.slow), str(k.serious)]
        for k in kinds
    ]
    behind = [
        [b.name, b.bureau, b.kind_label, b.standing_label, str(b.figures.approved), str(b.figures.examined)]
        + [percent(b.figures.completion)]
        for b in report.behind
    ]
    return [
        ("一、各市考核进度", HEADINGS, bureaus),
        ("二、各类院校考核进度", ["院校类型", *HEADINGS[1:]], by_kind),
        ("三、进度滞后院校名单", BEHIND_HEADINGS, behind),
    ]


def paragraphs(bulletin) -> list[str]:
    return [part.strip() for part in bulletin.body.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _line(doc, text: str, *, font: str = BODY_FONT, size: float = 14, bold=False, align=None, color=None):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    set_font(run, font, size=size, bold=bold)
    if color is not None:
        run.font.color.rgb = color
    return paragraph


def render_docx(*, bulletin, report, kinds) -> bytes:
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(26)
    set_font(doc.styles["Normal"], BODY_FONT, size=14)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _line(doc, bulletins.ISSUER, font=TITLE_FONT, size=26, bold=True, align=center, color=RGBColor(0xC0, 0, 0))
    _line(doc, bulletin.number, align=center)
    _line(doc, bulletin.title, font=TITLE_FONT, size=18, bold=True, align=center)
    for text in paragraphs(bulletin):
        _line(doc, text).paragraph_format.first_line_indent = Pt(28)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _line(doc, bulletins.ISSUER, align=right)
    _line(doc, bulletins.day_text(bulletin.date), align=right)
    doc.add_page_break()
    for caption, headings, rows in tables(report, kinds):
        _line(doc, caption, font=TITLE_FONT, size=12, bold=True)
        grid = doc.add_table(rows=len(rows) + 1, cols=len(headings))
        grid.style = "Table Grid"
        for r, values in enumerate([headings, *rows]):
            for c, value in enumerate(values):
                cell = grid.cell(r, c).paragraphs[0]
                set_font(cell.add_run(value), TITLE_FONT if r == 0 else BODY_FONT, size=9, bold=r == 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(*, bulletin, report, kinds) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "monitoring/bulletin_pdf.html",
        {
            "bulletin": bulletin,
            "issuer": bulletins.ISSUER,
            "day": bulletins.day_text(bulletin.date),
            "paragraphs": paragraphs(bulletin),
            "tables": tables(report, kinds),
            "font_family": FONT_FAMILY,
        },
    )
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
