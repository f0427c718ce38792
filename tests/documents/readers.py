"""Reopening what the generators wrote, with the libraries a user's software would trust."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
from docx import Document
from pypdf import PdfReader


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet) -> list[list]:
    """Every row as a list of values, trailing empty cells dropped."""
    result = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        result.append(values)
    return result


def row_starting(sheet, first) -> list:
    return next(r for r in rows(sheet) if r and r[0] == first)


def formulas(data: bytes) -> list[str]:
    """Every formula in an .xlsx, read from the raw XML of each sheet (<f> elements) and by openpyxl."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += [f"{name}: {m}" for m in re.findall(r"<f[ >][^<]*", archive.read(name).decode())]
    book = workbook(data)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            found += [f"{sheet.title}!{c.coordinate}" for c in row if c.data_type == "f"]
    return found


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """The PDF's text with all white space removed (table cells wrap long names over lines)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            embedded = font
            if descendants:
                embedded = descendants[0].get_object()
            descriptor = embedded.get("/FontDescriptor")
            has_file = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts.add(f"{font['/BaseFont']}{' embedded' if has_file else ''}")
    return fonts


def east_asian_width(text: str) -> int:
    """The widest line of `text`, a wide or full-width character counting 2 (as in Excel's column unit)."""
    import unicodedata

    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n"))


def column_widths(sheet) -> dict[int, float]:
    """1-based column → width, from the sheet's <col> ranges (8.43, Excel's default, where none is set)."""
    from openpyxl.utils import column_index_from_string

    widths: dict[int, float] = {}
    for key, dimension in sheet.column_dimensions.items():
        first = dimension.min or column_index_from_string(key)
        for col in range(first, (dimension.max or first) + 1):
            widths[col] = dimension.width
    return widths


def unfit_cells(sheet) -> list[str]:
    """Cells whose text does not fit: wider than its column (or merged columns) and not wrapped into rows tall
    enough for every line (13 pt a line of 10 pt text)."""
    import math

    widths = column_widths(sheet)
    spans = {(r.min_row, r.min_col): (r.max_row, r.max_col) for r in sheet.merged_cells.ranges}
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or cell.value == "":
                continue
            last_row, last_col = spans.get((cell.row, cell.column), (cell.row, cell.column))
            width = sum(widths.get(c, 8.43) for c in range(cell.column, last_col + 1))
            text = str(cell.value)
            if "\n" not in text and east_asian_width(text) <= width - 1:
                continue
            lines = sum(max(1, math.ceil(east_asian_width(part) / (width - 2))) for part in text.split("\n"))
            height = sum(sheet.row_dimensions[r].height or 15 for r in range(cell.row, last_row + 1))
            if not cell.alignment.wrap_text or height < lines * 13:
                found.append(f"{sheet.title}!{cell.coordinate} {text!r}: width {width:.0f}, height {height}")
    return found


def print_layout(sheet) -> dict:
    """What a printer is told: paper, fit, print area and titles, page header and footer."""
    setup = sheet.page_setup
    return {
        "paper": setup.paperSize,
        "fit": (sheet.sheet_properties.pageSetUpPr.fitToPage, setup.fitToWidth or 1, setup.fitToHeight),
        "area": bool(sheet.print_area),
        "titles": bool(sheet.print_title_rows),
        "footer": sheet.oddFooter.center.text,
    }
