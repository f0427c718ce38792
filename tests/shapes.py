"""Workbooks shaped like the national platform's downloads and the files offices pass around (issue 14):
a merged title row above the header, a unit name, a date and a blank row, numbers stored as text, and
formula cells with or without the value Excel last computed. Built with openpyxl, as the tests need them."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl

TITLE = "2026年职业技能等级证书考核结果"


def shaped(header: list[str], rows: list[list], *, above: str = "none", cached: dict[str, str] | None = None) -> bytes:
    """An .xlsx whose header sits under `above`: "none" (row 1), "title" (a merged title on row 1, header
    on row 2) or "notes" (title, unit name, date, a blank row: header on row 5). `cached` gives formula
    cells ({"B3": "张三"}) the value Excel would have stored beside them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "考核结果"
    if above in ("title", "notes"):
        sheet.append([TITLE])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    if above == "notes":
        sheet.append(["填报单位：安徽省示例职业技术学院"])
        sheet.append(["导出日期：2026-10-31"])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)  # a str stays a string cell (numbers stored as text); "=…" becomes a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return with_cached_values(buffer.getvalue(), cached or {})


def with_cached_values(data: bytes, cached: dict[str, str]) -> bytes:
    """The workbook with a cached text value stored beside the formulas of the `cached` cells, as Excel saves
    them (openpyxl never computes one)."""
    if not cached:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in cached.items():
                    text, count = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>',
                        lambda m, ref=ref, value=value: f'<c r="{ref}"{m[1]} t="str"><f>{m[2]}</f><v>{value}</v></c>',
                        text,
                    )
                    assert count == 1, ref
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()
