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
