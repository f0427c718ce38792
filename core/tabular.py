"""Reading uploaded reference files (CSV, XLSX, JSON) as rows with their spreadsheet row numbers.

The format is decided by the bytes, never by the name alone (core.fileformats). XLSX files are checked for zip
bombs before python-calamine opens them (calamine is ~15x faster than openpyxl on large sheets; see NOTES.md).
Everything a reader returns is text, stripped; what an import made of it goes in a core.importreport.ImportReport.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

from core.fileformats import CSV, JSON, XLSX, check_format, claimed_format, decode_text, describe_kind, read_bytes
from core.importreport import ImportReport, Issue
from core.text import normalise
from core.workbooks import FormulaTexts, TabularError, check_zip, first_sheet_part

# Who reads files reads them from here: the bytes (core.fileformats), the report (core.importreport), the zip check.
__all__ = [
    "CSV",
    "JSON",
    "XLSX",
    "ImportReport",
    "Issue",
    "Row",
    "Table",
    "TabularError",
    "check_zip",
    "claimed_format",
    "file_format",
    "find_header",
    "header_key",
    "read_bytes",
    "read_json",
    "read_table",
]

# The header is looked for in the first rows: above it, national-platform downloads carry a merged
# title, offices add a unit name, a date, blank rows.
HEADER_SCAN_ROWS = 20
HEADER_NOISE = ("(必填)", "(选填)", "*", " ", "\u3000")
# Floats at or above this lost digits on the way into Excel (2**53 ≈ 9.0e15).
MAX_EXACT_FLOAT = 10**15


@dataclass
class Row:
    """One data row: its spreadsheet row number (header = 1), its cells by column, and cell problems."""

    number: int
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]
    format: str


# ---------------------------------------------------------------- tables


def read_table(source, *, required: Sequence[str], known: Sequence[str] = (), name: str | None = None) -> Table:
    """Rows of a CSV or XLSX file under its header: the row among the first HEADER_SCAN_ROWS that names
    the most of the `required` and `known` columns (a title, notes and blank rows above it are skipped).

    Raises TabularError for the file as a whole (also when it has more than IMPORT_MAX_ROWS rows under
    its header, before they are read). Cell-level problems (an ID-like number whose digits Excel lost,
    too many cells) are left on `Row.problems` for the importer to report. A formula cell gives its
    cached value, or without one its text (see FormulaTexts).
    """
    data, name = read_bytes(source, name=name)
    fmt = check_format(data, name, (CSV, XLSX))
    names = [*required, *known]
    if fmt == CSV:
        grid = _csv_grid(data)
        header_at = header_number(list(enumerate(grid[:HEADER_SCAN_ROWS], start=1)), names)
        if header_at is not None:
            check_rows(len(grid) - header_at)
    else:
        grid, header_at = _xlsx_grid(data, names)
    return _table(grid, header_at, required=required, fmt=fmt)


def header_key(value) -> str:
    """'  身份证号码（必填）* ' → '身份证号码': what two spellings of one header name have in common."""
    text = unicodedata.normalize("NFKC", cell_text(value)[0]).strip().lower()
    for noise in HEADER_NOISE:
        text = text.replace(noise, "")
    return text


def find_header(rows: Iterable[tuple[int, list]], names: Iterable[str]) -> int | None:
    """The number of the row, among `rows` ((row number, cells) from the top of a sheet), that names the
    most of `names` (compared by header_key; the first of equals), looking no further than row
    HEADER_SCAN_ROWS. None when no row names any of them."""
    wanted = {header_key(n) for n in names} - {""}
    best, best_score = None, 0
    for number, cells in rows:
        if number > HEADER_SCAN_ROWS:
            break
        score = len({header_key(c) for c in cells} & wanted)
        if score > best_score:
            best, best_score = number, score
    return best


def header_number(rows: list[tuple[int, list]], names: Iterable[str]) -> int | None:
    """find_header, or else the first row with something in it (its missing columns are then named);
    None for an empty sheet."""
    found = find_header(rows, names)
    if found is not None:
        return found
    return next((number for number, cells in rows if any(cell_text(c)[0] for c in cells)), None)


def _csv_grid(data: bytes) -> list[list]:
    text = decode_text(data)
    if text is None:  # pragma: no cover - sniff() already refused it
        raise TabularError(describe_kind("binary"))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise TabularError(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc


def _xlsx_grid(data: bytes, names: Sequence[str]) -> tuple[list[list], int | None]:
    """The first sheet from A1 (list positions are spreadsheet rows and columns) and its header's number."""
    formulas = check_zip(data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        # The header and the sheet's size are known before its cells are turned into Python objects.
        header_at = header_number(
            list(itertools.islice(enumerate(sheet.iter_rows(), start=1), HEADER_SCAN_ROWS)), names
        )
        if header_at is not None and sheet.end is not None:
            check_rows(sheet.end[0] + 1 - header_at)
        grid = sheet.to_python(skip_empty_area=False)
    except TabularError:
        raise
    except python_calamine.PasswordError as exc:
        raise TabularError(_("The XLSX file is protected by a password.")) from exc
    except Exception as exc:  # calamine raises its own types, and ValueError for broken XML
        raise TabularError(_("The XLSX file cannot be read: %(error)s") % {"error": exc}) from exc
    texts = _first_sheet_formulas(data, formulas)
    if texts is not None:
        for number in {row for row, _column in texts.cells}:
            grid.extend([] for _ in range(number - len(grid)))
            grid[number - 1] = texts.patch(number, list(grid[number - 1]))
    return grid, header_at


def _first_sheet_formulas(data: bytes, formulas: dict[str, FormulaTexts]) -> FormulaTexts | None:
    if not formulas:
        return None
    try:
        return formulas.get(first_sheet_part(zipfile.ZipFile(io.BytesIO(data))))
    except (KeyError, ValueError, SyntaxError):  # ParseError is a SyntaxError; calamine read the sheet anyway
        return None


def cell_text(value) -> tuple[str, str | None]:
    """A cell as text (core.text.normalise: NFC, no invisible format characters, trimmed), and a problem when
    the value cannot be trusted as text."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("1" if value else "0"), None
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= MAX_EXACT_FLOAT:
                return repr(value), _(
                    "the number %(value)s was stored as a number and its digits are lost; store it as text"
                ) % {"value": repr(value)}
            return str(int(value)), None
        return repr(value), None
    if isinstance(value, datetime):
        return value.isoformat(sep=" "), None
    if isinstance(value, (date, time)):
        return value.isoformat(), None
    return normalise(str(value)), None


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 100_000)


def check_rows(count: int) -> None:
    """Refuse a file with more than IMPORT_MAX_ROWS rows under its header, before they are read."""
    if count > max_rows():
        raise TabularError(
            _("The file has %(rows)s rows; at most %(max)s rows can be imported at once. Split it into smaller files.")
            % {"rows": count, "max": max_rows()}
        )


def _table(grid: list[list], header_number: int | None, *, required: Sequence[str], fmt: str) -> Table:
    if header_number is None:
        raise TabularError(_("The file is empty."))
    header_at = header_number - 1
    header = [header_key(c) for c in grid[header_at]]
    missing = [column for column in required if column not in header]
    if missing:
        raise TabularError(
            _("The header lacks the column(s) %(missing)s (expected %(expected)s).")
            % {"missing": ", ".join(missing), "expected": ", ".join(required)},
            row=header_at + 1,
        )
    named = [c for c in header if c]
    duplicated = sorted({c for c in named if named.count(c) > 1})
    if duplicated:
        raise TabularError(
            _("The header repeats the column(s) %(columns)s.") % {"columns": ", ".join(duplicated)}, row=header_at + 1
        )
    rows = []
    for index in range(header_at + 1, len(grid)):
        row = _row(grid[index], header, number=index + 1)
        if row is not None:
            rows.append(row)
    return Table(columns=named, rows=rows, format=fmt)


def _row(cells: list, header: list[str], *, number: int) -> Row | None:
    texts, problems = [], []
    for value in cells:
        text, problem = cell_text(value)
        texts.append(text)
        if problem:
            problems.append(problem)
    if not any(texts):
        return None
    extra = [t for t in texts[len(header) :] if t]
    if extra:
        problems.append(
            _("it has %(cells)s cells but the header has %(columns)s columns (an unquoted comma?)")
            % {"cells": len(header) + len(extra), "columns": len(header)}
        )
    values = {column: text for column, text in zip(header, texts, strict=False) if column}
    return Row(number=number, values=values, problems=problems)


# ---------------------------------------------------------------- JSON


def read_json(source, *, name: str | None = None):
    """The parsed content of a JSON file (UTF-8, BOM allowed), after the same size and type checks."""
    data, name = read_bytes(source, name=name)
    if claimed_format(name) == JSON and b"\x00" not in data[:65536]:
        text = decode_text(data)
        if text is not None and text.lstrip().startswith(("[", "{")):
            try:
                return json.loads(text)
            except ValueError as exc:
                raise TabularError(_("The JSON file cannot be read: %(error)s") % {"error": exc}) from exc
    check_format(data, name, (JSON,))
    raise TabularError(_("The JSON file cannot be read."))  # pragma: no cover - check_format raised


def file_format(source, *, name: str | None = None) -> str | None:
    """The format a file's name claims (csv, xlsx, json), to pick a reader."""
    return claimed_format(name or getattr(source, "name", "") or str(source))
