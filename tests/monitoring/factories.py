"""Builders for monitoring tests: approved plans, valid ID numbers, and .xlsx files."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import xlsxwriter

from catalog.enums import Level
from monitoring.idnumbers import make_valid
from plans.models import Plan, PlanLine

J, M, S = Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR
CANDIDATE_HEADERS = ["姓名", "身份证号", "证书名称", "等级", "考核日期", "考核结果", "证书编号"]
TOTALS_HEADERS = ["院校名称", "证书名称", "等级", "专业", "报名人数", "参考人数", "通过人数"]

# Every full ID number a test makes is remembered here, so that the privacy scan can look for them.
ISSUED: set[str] = set()
_serial = itertools.count(1)


def id_number(born: date = date(2005, 3, 7), region: str = "340104") -> str:
    """A fresh valid 18-character ID number (GB 11643 check digit right)."""
    number = make_valid(f"{region}{born:%Y%m%d}{next(_serial) % 1000:03d}")
    ISSUED.add(number)
    return number


def bad_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    bad = number[:-1] + wrong
    ISSUED.add(bad)
    return bad


def line_of(plan: Plan, certificate, level: str) -> PlanLine:
    return plan.lines.get(certificate=certificate, level=level)


def write_xlsx(path: Path, rows: list[list], *, text_columns: tuple[int, ...] = ()) -> Path:
    """A workbook like the national platform's: shared strings, dates as date cells."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet("考生")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, (int, float)) and c not in text_columns:
                sheet.write_number(r, c, value)
            elif value is None:
                continue
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return path
