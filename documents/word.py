"""`Document` → .docx with python-docx: A4 set explicitly, Chinese fonts set through `w:eastAsia`.

python-docx defaults to US Letter and leaves the East Asian font unset, so Word falls back to
whatever font it likes for Chinese (NOTES.md); both are fixed here for every style we use. Body
text is set in 仿宋 and headings in 黑体, as official documents are (Word and WPS have both; LibreOffice
substitutes Noto CJK through fontconfig). Tables are real rows sized to their content: a free-text
box is at least a few lines high, a signature row at least a stamp high, neither split over pages,
and a table's header row repeats on the next page.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document as new_docx
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents.layout import Document, Fields, Paragraph, Section, SignBoxes, Table, TextBox

BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
TEXT_BOX_MM = 16  # a free-text box: room for a few lines even when empty
SIGN_BOX_MM = 27  # a signature box: room for the opinion, the signature and the stamp
LATIN_FONT = "Times New Roman"
TEXT_WIDTH_MM = 178  # A4 minus 16 mm margins
TABLE_SIZE = 9.5  # points: a table of lines holds more per row than the body text
FIELD_WIDTHS = (18, 32, 18, 32)  # label, value, label, value: in % of the text width
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
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    section.left_margin = section.right_margin = Mm(16)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, size=10.5)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15


def _row(row, *, at_least_mm: float | None = None, header: bool = False) -> None:
    """A row kept on one page; at least `at_least_mm` high (it grows with its content); repeated when a header."""
    if at_least_mm:
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        row.height = Mm(at_least_mm)
    properties = row._tr.get_or_add_trPr()
    # The schema orders a row's properties: cantSplit before trHeight, tblHeader after it.
    later = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
    properties.insert_element_before(properties.makeelement(qn("w:cantSplit"), {}), *later)
    if header:
        properties.insert_element_before(properties.makeelement(qn("w:tblHeader"), {}), *later[2:])


def _gap(doc) -> None:
    """A thin paragraph after a table: two tables side by side would otherwise run together as one."""
    gap = doc.add_paragraph()
    gap.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    gap.paragraph_format.line_spacing = Pt(4)


def _run(paragraph, text: str, *, bold: bool = False, size: float | None = None, font: str = BODY_FONT):
    run = paragraph.add_run(text)
    set_font(run, font, size=size, bold=bold)
    return run


def _cell(cell, text: str, *, bold: bool = False, align: str = "left", size: float | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN[align]
    lines = text.split("\n") if text else [""]
    _run(paragraph, lines[0], bold=bold, size=size)
    for line in lines[1:]:
        _run(cell.add_paragraph(), line, bold=bold, size=size)


def _widths(table, percents) -> None:
    """Column widths in % of the text width, on the grid (LibreOffice reads it) and on every cell (Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, percents, strict=True):
        column.width = Mm(TEXT_WIDTH_MM * width / 100)
    for row in table.rows:
        for cell, width in zip(row.cells, percents, strict=True):
            cell.width = Mm(TEXT_WIDTH_MM * width / 100)


def _grid(doc, rows: int, cols: int):
    table = doc.add_table(rows=rows, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _fields(doc, block: Fields) -> None:
    rows = block.rows()
    table = _grid(doc, len(rows), 4)
    _widths(table, FIELD_WIDTHS)
    for row in table.rows:
        _row(row)
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
    for r, row in enumerate(table.rows):
        _row(row, header=r == 0)
    if block.widths:
        _widths(table, block.widths)
    for c, text in enumerate(block.header):
        _cell(table.rows[0].cells[c], text, bold=True, align="center", size=TABLE_SIZE)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            _cell(table.rows[r].cells[c], text, size=TABLE_SIZE)
    if block.footer:
        for c, text in enumerate(block.footer):
            _cell(table.rows[-1].cells[c], text, bold=True, size=TABLE_SIZE)


def _textbox(doc, block: TextBox) -> None:
    table = _grid(doc, 2, 1)
    _row(table.rows[0])
    _row(table.rows[1], at_least_mm=TEXT_BOX_MM)
    _cell(table.rows[0].cells[0], block.label, bold=True)
    _cell(table.rows[1].cells[0], block.text or "")


def _signboxes(doc, block: SignBoxes) -> None:
    table = _grid(doc, 1, len(block.boxes))
    _row(table.rows[0], at_least_mm=SIGN_BOX_MM)
    for c, box in enumerate(block.boxes):
        cell = table.rows[0].cells[c]
        _cell(cell, box.title, bold=True)
        for text in [box.text, ""]:
            _run(cell.add_paragraph(), text)
        # The signature line on the left, the stamp and the date on the right, as on paper.
        for text in box.lines:
            paragraph = cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if "签字" in text else WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, text)


RENDERERS: dict[str, Callable[..., None]] = {
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
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(6), Pt(10)
    _run(title, document.title, size=16, font=TITLE_FONT)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            paragraph = doc.add_paragraph()
            paragraph.alignment = ALIGN[block.align]
            _run(paragraph, block.text, bold=block.bold)
        elif isinstance(block, Section):
            heading = doc.add_paragraph()
            heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(8), Pt(3)
            heading.paragraph_format.keep_with_next = True
            _run(heading, block.text, size=12, font=TITLE_FONT)
        else:
            RENDERERS[block.kind](doc, block)
            _gap(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
