"""Safe cells: every exporter in OneX writes spreadsheets through this module.

A cell that holds user text is always written as a string cell, never through a writer's
type guessing: xlsxwriter's `write()` turns "=…" into a formula and "http…" into a link,
openpyxl turns any string starting with "=" into a formula. Text that starts like a formula
(`=`, `+`, `-`, `@`, tab, CR) additionally gets Excel's quote prefix, so that editing the cell
in Excel later keeps it text; in CSV it gets a leading apostrophe (OWASP "CSV injection").

Characters XML 1.0 cannot carry are dropped, and text is cut at Excel's 32,767 characters,
so that any string a user can type produces a file that opens. Totals are written as numbers we
computed, not as formulas: a reopened export holds no formula at all.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter

from core.text import strip_format

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767
# XML 1.0 forbids these (tab, LF and CR are allowed); lone surrogates cannot be encoded at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TRIGGER_CHARS = frozenset(FORMULA_TRIGGERS)

# No guessing, ever: strings stay strings whatever they look like.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def clean_text(value) -> str:
    """`value` as text a workbook can hold: no XML-illegal characters, no invisible format characters (a U+202E
    would reverse what follows it on screen), at most 32,767 characters."""
    text = "" if value is None else strip_format(str(value))
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text[:MAX_CELL_CHARS]


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_text(value) -> str:
    """A CSV field for user text: a leading apostrophe keeps a spreadsheet from evaluating it."""
    text = clean_text(value)
    return "'" + text if looks_like_formula(text) else text


def openpyxl_text(cell, value) -> None:
    """Put user text into an openpyxl cell as a string cell (openpyxl makes "=…" a formula otherwise)."""
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


class SafeWorkbook:
    """An xlsxwriter workbook whose cells are written by kind: text, number, date, blank.

    `fmt(**props)` returns a cached format; `text()` swaps in the same format with Excel's
    quote prefix when the text starts like a formula. Use `constant_memory=True` for large
    sheets: rows must then be written in order, one after the other.
    """

    def __init__(self, target, *, constant_memory: bool = False, default_font: str = "宋体", font_size: int = 10):
        # The workbook's default format carries the Chinese font: cells written without a format
        # (the fast path for big sheets) get it too, and every format starts from it.
        options = {"default_format_properties": {"font_name": default_font, "font_size": font_size}}
        self.book = xlsxwriter.Workbook(target, {**WORKBOOK_OPTIONS, **options, "constant_memory": constant_memory})
        self._formats: dict[tuple, object] = {}
        self._quoted: dict[int, object] = {}

    def add_sheet(self, name: str):
        # Sheet names: at most 31 characters, none of []:*?/\ (Excel refuses the file otherwise).
        safe = re.sub(r"[\[\]:*?/\\]", "_", clean_text(name))[:31] or "Sheet"
        return self.book.add_worksheet(safe)

    def fmt(self, **props):
        key = tuple(sorted(props.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.book.add_format(props)
            found._onex_props = props
        return found

    def quoted(self, fmt):
        """`fmt` plus Excel's quote prefix (None: the quote prefix alone)."""
        found = self._quoted.get(id(fmt))
        if found is None:
            if fmt is None:
                found = self.book.add_format({"quote_prefix": True})
            else:
                found = self.fmt(**{**fmt._onex_props, "quote_prefix": True})
            self._quoted[id(fmt)] = found
        return found

    def text(self, sheet, row: int, col: int, value, fmt=None) -> None:
        """User text, always a string cell; `fmt` None writes the cell without a format (fastest)."""
        if value.__class__ is not str:
            value = "" if value is None else str(value)
        # isprintable() is one C loop: plain text (Chinese included) takes this fast path; control
        # characters, tab, CR, LF and non-characters take the careful one.
        if not value.isprintable():
            value = clean_text(value)
        elif len(value) > MAX_CELL_CHARS:
            value = value[:MAX_CELL_CHARS]
        if not value:
            sheet.write_blank(row, col, None, fmt)
            return
        if value[0] in _TRIGGER_CHARS:
            fmt = self.quoted(fmt)
        sheet.write_string(row, col, value, fmt)

    def number(self, sheet, row: int, col: int, value, fmt=None) -> None:
        """A number we computed, or a blank cell for None."""
        if value is None:
            sheet.write_blank(row, col, None, fmt)
        else:
            sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, fmt)

    def date(self, sheet, row: int, col: int, value: date | datetime | None, fmt=None) -> None:
        if value is None:
            sheet.write_blank(row, col, None, fmt)
            return
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        sheet.write_datetime(row, col, value, fmt or self.fmt(num_format="yyyy-mm-dd"))

    def close(self) -> None:
        self.book.close()
