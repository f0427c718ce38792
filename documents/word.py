"""`Document` → .docx with python-docx: A4 set explicitly, Chinese fonts set through `w:eastAsia`.

python-docx defaults to US Letter and leaves the East Asian font unset, so Word falls back to
whatever font it likes for Chinese (NOTES.md); both are fixed here for every style we use.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents.layout import Document, Fields, Paragraph, Section, SignBoxes, Table, TextBox

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TEXT_WIDTH_MM = 170  # A4 minus 20 mm margins
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def set_font(target, east_asian: str, *, size: float | None = None, bold: bool | None = None) -> None:
    """Set the Latin and the East Asian font of a style or a run."""
    target.font.name = LATIN_FONT
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    set_font(doc.styles["Normal"], BODY_FONT, size=10.5)


def _run(paragraph, text: str, *, bold: bool = False, size: float | None = None, font: str = BODY_FONT):
    run = paragraph.add_run(text)
    set_font(run, font, size=size, bold=bold)
    return run


def _cell(cell, text: str, *, bold: bool = False, align: str = "left") -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN[align]
    lines = text.split("\n") if text else [""]
    _run(paragraph, lines[0], bold=bold)
    for line in lines[1:]:
        _run(cell.add_paragraph(), line, bold=bold)


def _grid(doc, rows: int, cols: int):
    table = doc.add_table(rows=rows, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _fields(doc, block: Fields) -> None:
    rows = block.rows()
    table = _grid(doc, len(rows), 4)
    for r, pairs in enumerate(rows):
        cells = table.rows[r].cells
        if len(pairs) == 1:
            label, value = pairs[0]
            _cell(cells[0], label, bold=True)
            merged = cells[1].merge(cells[3])
            _cell(merged, value)
            continue
        for i, (label, value) in enumerate(pairs):
            _cell(cells[2 * i], label, bold=True)
            _cell(cells[2 * i + 1], value)


def _table(doc, block: Table) -> None:
    rows = block.rows or [[block.empty] + [""] * (len(block.header) - 1)]
    table = _grid(doc, 1 + len(rows) + (1 if block.footer else 0), len(block.header))
    for c, text in enumerate(block.header):
        _cell(table.rows[0].cells[c], text, bold=True, align="center")
    if block.widths:
        table.autofit = False
        for row in table.rows:
            for cell, width in zip(row.cells, block.widths, strict=False):
                cell.width = Mm(TEXT_WIDTH_MM * width / 100)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            _cell(table.rows[r].cells[c], text)
    if block.footer:
        for c, text in enumerate(block.footer):
            _cell(table.rows[-1].cells[c], text, bold=True)


def _textbox(doc, block: TextBox) -> None:
    table = _grid(doc, 2, 1)
    _cell(table.rows[0].cells[0], block.label, bold=True)
    _cell(table.rows[1].cells[0], block.text or "")


def _signboxes(doc, block: SignBoxes) -> None:
    table = _grid(doc, 1, len(block.boxes))
    for c, box in enumerate(block.boxes):
        cell = table.rows[0].cells[c]
        _cell(cell, box.title, bold=True)
        for text in [box.text, "", ""]:
            _run(cell.add_paragraph(), text)
        # The signature line on the left, the stamp and the date on the right, as on paper.
        for text in box.lines:
            paragraph = cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if "签字" in text else WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, text)


RENDERERS = {
    "fields": _fields,
    "table": _table,
    "textbox": _textbox,
    "signboxes": _signboxes,
}


def render_docx(document: Document) -> bytes:
    """The .docx bytes of `document`."""
    doc = new_docx()
    _setup(doc)
    _run(doc.add_paragraph(), document.attachment, font=TITLE_FONT, size=12)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, document.title, bold=True, size=16, font=TITLE_FONT)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            paragraph = doc.add_paragraph()
            paragraph.alignment = ALIGN[block.align]
            _run(paragraph, block.text, bold=block.bold)
        elif isinstance(block, Section):
            _run(doc.add_paragraph(), block.text, bold=True, size=12, font=TITLE_FONT)
        else:
            RENDERERS[block.kind](doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
