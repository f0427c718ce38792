"""The print layout every Excel attachment shares: one `PrintedSheet` per sheet, laid out for A4.

Cells are kept until `finish()`, which sizes each column to its widest text in East Asian width
(a CJK character counts 2, as Excel's column unit is about one Latin digit), up to the column's
cap; a text wider than its column (or than its merged range) is wrapped and its row made tall
enough for every line. Then the page: A4, one page wide, the table's header repeated on every
page, the owner (institution, bureau, province) in the page header and the page numbers in the
footer. What is written is written through `SafeWorkbook`: user text stays text.

The national line sheet is too big to hold (300,000 rows): `stream_text()` writes at once into
columns of fixed width and wraps only the cells that need it.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from core.excel import SafeWorkbook
from documents.layout import SignBox

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A4 = 9  # xlsxwriter's paper code for A4
LINE_HEIGHT = 14.0  # points per line of 10 pt 宋体
ROW_PADDING = 4.0
MIN_WIDTH = 4
PADDING = 2  # a character of room on either side


def text_width(text: str) -> int:
    """The East Asian width of the widest line of `text`: wide and full-width characters count 2."""
    widest = 0
    for line in str(text).split("\n"):
        if line.isascii():
            widest = max(widest, len(line))
            continue
        widest = max(widest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))
    return widest


def lines_needed(text: str, width: float) -> int:
    """How many printed lines `text` takes in a wrapped cell `width` units wide."""
    room = max(1.0, width - PADDING)
    return sum(max(1, math.ceil(text_width(part) / room)) for part in str(text).split("\n"))


def row_height(lines: int) -> float:
    return lines * LINE_HEIGHT + ROW_PADDING


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # the cap: wider text wraps
    number: bool = False


class Styles:
    """The handful of formats every sheet uses, created once per workbook."""

    def __init__(self, wb: SafeWorkbook):
        border = {"border": 1, "valign": "vcenter"}
        self.attachment = wb.fmt(font_name="黑体", font_size=11)
        self.title = wb.fmt(font_name="黑体", font_size=16, bold=True, align="center", valign="vcenter")
        self.label = wb.fmt(bold=True, valign="vcenter", text_wrap=True, border=1, bg_color="#F2F2F2")
        self.value = wb.fmt(valign="vcenter", text_wrap=True, border=1)
        self.value_number = wb.fmt(valign="vcenter", align="left", num_format="0", border=1)
        self.plain = wb.fmt()
        self.header = wb.fmt(bold=True, align="center", text_wrap=True, bg_color="#F2F2F2", **border)
        self.cell = wb.fmt(text_wrap=True, **border)
        self.number = wb.fmt(num_format="0", align="center", **border)
        self.percent = wb.fmt(num_format="0.0", **border)
        self.total = wb.fmt(bold=True, text_wrap=True, **border)
        self.total_number = wb.fmt(bold=True, num_format="0", align="center", **border)
        self.box = wb.fmt(text_wrap=True, valign="top", border=1)
        self.wrap = wb.fmt(text_wrap=True)


@dataclass
class _Cell:
    value: object
    fmt: object
    last_row: int
    last_col: int
    number: bool = False

    @property
    def text(self) -> str:
        """A text cell's text (`PrintedSheet.text` keeps it as a string)."""
        assert isinstance(self.value, str), "a number cell has no text"
        return self.value


class PrintedSheet:
    """One sheet of an attachment: write cells, then `finish()` lays it out for A4 and writes it."""

    def __init__(self, wb: SafeWorkbook, st: Styles, name: str, columns: list[Column]):
        self.wb, self.st, self.columns = wb, st, columns
        self.sheet = wb.add_sheet(name)
        self.cells: dict[tuple[int, int], _Cell] = {}
        self.heights: dict[int, float] = {}
        self.last_col = len(columns) - 1

    def text(self, row: int, col: int, value, fmt=None, *, last_row: int | None = None, last_col: int | None = None):
        self.cells[(row, col)] = _Cell("" if value is None else str(value), fmt, last_row or row, last_col or col)

    def number(
        self, row: int, col: int, value, fmt=None, *, last_row: int | None = None, last_col: int | None = None
    ) -> None:
        self.cells[(row, col)] = _Cell(value, fmt, last_row or row, last_col or col, number=True)

    def height(self, row: int, points: float) -> None:
        """At least `points` high (a title, a stamp box)."""
        self.heights[row] = max(points, self.heights.get(row, 0))

    @property
    def next_row(self) -> int:
        return max((cell.last_row for cell in self.cells.values()), default=-1) + 1

    def widths(self) -> list[float]:
        """Each column as wide as its widest single-column text (padded), at least MIN_WIDTH, at most its cap."""
        widest = [MIN_WIDTH] * len(self.columns)
        for (_row, col), cell in self.cells.items():
            if cell.last_col == col and col <= self.last_col:
                shown = f"{cell.value:g}" if cell.number and cell.value is not None else cell.value or ""
                widest[col] = max(widest[col], text_width(str(shown)) + PADDING)
        return [min(w, column.width) for w, column in zip(widest, self.columns, strict=True)]

    def finish(self, *, header_row: int | None, owner: str, landscape: bool = True) -> None:
        """Size, write and set up the sheet for printing; `header_row` is repeated on every page."""
        self.flush()
        self.print_setup(last_row=self.next_row - 1, header_row=header_row, owner=owner, landscape=landscape)

    def flush(self, *, fixed: bool = False) -> list[float]:
        """Write the cells kept so far, rows in order, each after its height (xlsxwriter's constant-memory
        mode needs both); `fixed` keeps every column at its cap (for rows streamed after). Returns the widths."""
        widths = [c.width for c in self.columns] if fixed else self.widths()
        for col, width in enumerate(widths):
            self.sheet.set_column(col, col, width)
        needed: dict[int, float] = dict(self.heights)
        by_row: dict[int, list] = {}
        for (row, col), cell in sorted(self.cells.items()):
            fmt, lines = self._fit(cell, sum(widths[col : cell.last_col + 1]))
            by_row.setdefault(row, []).append((col, cell, fmt))
            spare = (cell.last_row - row) * LINE_HEIGHT  # the rows above the last one of a merged range
            needed[cell.last_row] = max(needed.get(cell.last_row, 0), row_height(lines) - spare)
        for row in range(self.next_row):
            if needed.get(row, 0) > row_height(1) or row in self.heights:
                self.sheet.set_row(row, needed[row])
            for col, cell, fmt in by_row.get(row, []):
                self._write(row, col, cell, fmt)
        return widths

    def print_setup(self, *, last_row: int, header_row: int | None, owner: str, landscape: bool = True) -> None:
        print_setup(self.sheet, last_row=last_row, last_col=self.last_col, header_row=header_row)
        page_header(self.sheet, owner=owner, landscape=landscape)

    def _fit(self, cell: _Cell, span: float) -> tuple[object, int]:
        """The cell's format (wrapped when its text is wider than `span`) and the lines it takes."""
        if cell.number or ("\n" not in cell.text and text_width(cell.text) <= span - PADDING):
            return cell.fmt, 1
        return self._wrapped(cell.fmt), lines_needed(cell.text, span)

    def _wrapped(self, fmt):
        props = getattr(fmt, "_onex_props", {}) if fmt is not None else {}
        return fmt if props.get("text_wrap") else self.wb.fmt(**{**props, "text_wrap": True})

    def _write(self, row: int, col: int, cell: _Cell, fmt) -> None:
        if (cell.last_row, cell.last_col) != (row, col):
            self.sheet.merge_range(row, col, cell.last_row, cell.last_col, "", fmt)
        if cell.number:
            self.wb.number(self.sheet, row, col, cell.value, fmt)
        else:
            self.wb.text(self.sheet, row, col, cell.value, fmt)

    # The blocks every attachment is made of.

    def title_rows(self, *, attachment: str, title: str) -> int:
        """附件N on the first row, the official title merged across the table; returns the next row."""
        row = 0
        if attachment:
            self.text(row, 0, attachment, self.st.attachment, last_col=min(1, self.last_col))
            row += 1
        self.height(row, 30)
        self.text(row, 0, title, self.st.title, last_col=self.last_col)
        return row + 1

    def header_row(self, row: int) -> int:
        for col, column in enumerate(self.columns):
            self.text(row, col, column.title, self.st.header)
        return row + 1

    def fields(self, row: int, pairs: list[tuple[str, object]], spans: list[tuple[int, int]]) -> int:
        """Label / value cells side by side: pair i takes columns spans[2i] (label) and spans[2i+1] (value)."""
        for i, (label, value) in enumerate(pairs):
            (l0, l1), (v0, v1) = spans[2 * i], spans[2 * i + 1]
            self.text(row, l0, label, self.st.label, last_col=l1)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.number(row, v0, value, self.st.value_number, last_col=v1)
            else:
                self.text(row, v0, value, self.st.value, last_col=v1)
        return row + 1

    def stamp_boxes(self, row: int, boxes: list[SignBox], *, height: int = 6) -> int:
        """Opinion / signature / stamp boxes side by side under the table; returns the row after them."""
        span = (self.last_col + 1) // len(boxes)
        for i, box in enumerate(boxes):
            first = i * span
            last = self.last_col if i == len(boxes) - 1 else first + span - 1
            text = "\n".join([f"{box.title}：", box.text, "", *box.lines])
            self.text(row, first, text, self.st.box, last_row=row + height - 1, last_col=last)
        for r in range(row, row + height):
            self.height(r, 20)
        return row + height


def print_setup(sheet, *, last_row: int, last_col: int, header_row: int | None) -> None:
    """A4, one page wide (as many pages tall as needed), the header row repeated on every page."""
    sheet.set_paper(A4)
    sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, last_row, last_col)
    if header_row is not None:
        sheet.repeat_rows(header_row)


def page_header(sheet, *, owner: str, landscape: bool) -> None:
    """The owner on top of every page, the page numbers at the foot ("&" is Excel's control character)."""
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_header(f"&L{owner.replace('&', '&&')[:100]}", {"margin": 0.3})
    sheet.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})


def stream_text(wb: SafeWorkbook, st: Styles, sheet, row: int, col: int, value, width: float) -> int:
    """Write `value` at once into a column `width` wide: wrapped when wider; returns the lines it takes."""
    text = "" if value is None else str(value)
    if len(text) * 2 <= width - PADDING or text_width(text) <= width - PADDING:
        wb.text(sheet, row, col, text, None)
        return 1
    wb.text(sheet, row, col, text, st.wrap)
    return lines_needed(text, width)
