"""What the Excel attachments share: styles, title rows, header rows, print setup, stamp boxes."""

from __future__ import annotations

from dataclasses import dataclass

from core.excel import SafeWorkbook
from documents.layout import SignBox

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A4 = 9  # xlsxwriter's paper code for A4


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    number: bool = False


class Styles:
    """The handful of formats every sheet uses, created once per workbook."""

    def __init__(self, wb: SafeWorkbook):
        border = {"border": 1, "valign": "vcenter"}
        self.attachment = wb.fmt(font_name="黑体", font_size=11)
        self.title = wb.fmt(font_name="黑体", font_size=16, bold=True, align="center", valign="vcenter")
        self.label = wb.fmt(bold=True)
        self.plain = wb.fmt()
        self.header = wb.fmt(bold=True, align="center", text_wrap=True, bg_color="#F2F2F2", **border)
        self.cell = wb.fmt(text_wrap=True, **border)
        self.number = wb.fmt(num_format="0", **border)
        self.percent = wb.fmt(num_format="0.0", **border)
        self.total = wb.fmt(bold=True, **border)
        self.total_number = wb.fmt(bold=True, num_format="0", **border)
        self.box = wb.fmt(text_wrap=True, valign="top", border=1)


def set_columns(sheet, columns: list[Column]) -> None:
    for i, column in enumerate(columns):
        sheet.set_column(i, i, column.width)


def title_rows(wb: SafeWorkbook, st: Styles, sheet, *, attachment: str, title: str, last_col: int) -> int:
    """附件N on the first row, the official title merged across the table; returns the next row."""
    row = 0
    if attachment:
        wb.text(sheet, row, 0, attachment, st.attachment)
        row += 1
    sheet.set_row(row, 30)
    sheet.merge_range(row, 0, row, last_col, "", st.title)
    wb.text(sheet, row, 0, title, st.title)
    return row + 1


def header_row(wb: SafeWorkbook, st: Styles, sheet, row: int, columns: list[Column]) -> int:
    for col, column in enumerate(columns):
        wb.text(sheet, row, col, column.title, st.header)
    return row + 1


def label_value_row(wb: SafeWorkbook, st: Styles, sheet, row: int, pairs: list[tuple[str, object]]) -> int:
    """A header line of label / value cells side by side (values are text or numbers)."""
    col = 0
    for label, value in pairs:
        wb.text(sheet, row, col, label, st.label)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            wb.number(sheet, row, col + 1, value, st.plain)
        else:
            wb.text(sheet, row, col + 1, value, st.plain)
        col += 2
    return row + 1


def stamp_boxes(wb: SafeWorkbook, st: Styles, sheet, row: int, boxes: list[SignBox], last_col: int) -> int:
    """Opinion / signature / stamp boxes side by side under the table; returns the row after them."""
    height = 6
    span = (last_col + 1) // len(boxes)
    for i, box in enumerate(boxes):
        first = i * span
        last = last_col if i == len(boxes) - 1 else first + span - 1
        text = "\n".join([f"{box.title}：", box.text, "", *box.lines])
        sheet.merge_range(row, first, row + height - 1, last, "", st.box)
        wb.text(sheet, row, first, text, st.box)
    for r in range(row, row + height):
        sheet.set_row(r, 20)
    return row + height


def print_setup(sheet, *, last_row: int, last_col: int, header_row: int | None, landscape: bool = True) -> None:
    """A4, one page wide (as many pages tall as needed), the header repeated on every page."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, last_row, last_col)
    if header_row is not None:
        sheet.repeat_rows(header_row)
    sheet.set_footer("&C第 &P 页，共 &N 页")
