"""Downloads: one small function per file, each over data already built for a page.

Spreadsheets go through core.excel.SafeWorkbook (user text is always a string cell). No
export carries a whole ID number: candidates appear only masked, and only in issue lists
that name rows, never persons.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.excel import SafeWorkbook
from core.numbers import round_half_up
from monitoring import columns
from monitoring.checking import DUPLICATE, ERROR
from monitoring.figures import Figure
from monitoring.models import ProgressImport
from monitoring.report import Report

PERCENT_KEYS = {"completion", "participation", "pass_rate", "target"}
# The columns of `_counts`, in the 通报's words.
FIGURE_HEADS = ["批准计划人数", "报名", "参考", "通过", "完成率(%)", "参考率(%)", "通过率(%)"]


def _book() -> tuple[io.BytesIO, SafeWorkbook]:
    out = io.BytesIO()
    return out, SafeWorkbook(out)


def _table(book: SafeWorkbook, sheet, row: int, headings: list, rows: list[list]) -> int:
    bold = book.fmt(bold=True, bg_color="#DDEBF7", border=1)
    for col, heading in enumerate(headings):
        book.text(sheet, row, col, str(heading), bold)
        sheet.set_column(col, col, 22 if col == 0 else 12)
    for values in rows:
        row += 1
        for col, value in enumerate(values):
            if isinstance(value, Decimal):  # a rate: written as people read it, half up to one decimal
                book.number(sheet, row, col, round_half_up(value))
            elif isinstance(value, (int, float)) or value is None or hasattr(value, "as_integer_ratio"):
                book.number(sheet, row, col, value)
            else:
                book.text(sheet, row, col, value)
    return row + 1


def figure_xlsx(figure: Figure, *, year: int) -> bytes:
    out, book = _book()
    sheet = book.add_sheet(str(figure.title))
    book.text(sheet, 0, 0, f"{year}年 {figure.title}", book.fmt(bold=True, font_size=12))
    keys = [key for key, _label in figure.columns]
    _table(
        book, sheet, 2, [label for _key, label in figure.columns], [[row.get(k) for k in keys] for row in figure.rows]
    )
    book.close()
    return out.getvalue()


def template_xlsx(kind: str) -> bytes:
    """The expected columns, the ID column formatted as text so Excel keeps all 18 characters."""
    out, book = _book()
    sheet = book.add_sheet("导入模板")
    bold = book.fmt(bold=True, bg_color="#DDEBF7", border=1)
    as_text = book.fmt(num_format="@")
    fields = columns.fields_for(kind)
    for col, field in enumerate(fields):
        book.text(sheet, 0, col, field.header + ("" if field.required else "（选填）"), bold)
        sheet.set_column(
            col,
            col,
            24 if field.key in ("id_number", "certificate", "institution") else 14,
            as_text if field.key in ("id_number", "certificate_number") else None,
        )
    notes = book.add_sheet("填写说明")
    lines = [
        "每行一名考生（或一条申报条目的合计）。表头可在前20行中的任一行，其上可有标题、单位、日期或空行，"
        "系统自动识别表头所在行，并可在对应列页面另选；列的顺序不限，按表头名称（或常用别名）识别。",
        "身份证号：18位，按文本格式填写（数字格式会丢失末尾数字，此类行将被拒绝）。",
        "证书名称、等级须与本年度已批准的考核计划一致；等级填写 初级、中级 或 高级。",
        "考核日期须在导入年度之内；考核结果填写 通过、不通过 或 缺考，未考留空。",
        "同一考生同一证书同一等级同一年度只计一次。",
        "院校名称（或院校代码）：省级导入时必填；院校自行导入时可省略。",
    ]
    for row, text in enumerate(lines):
        book.text(notes, row, 0, text)
    notes.set_column(0, 0, 100)
    book.close()
    return out.getvalue()


def issues_xlsx(job: ProgressImport) -> bytes:
    out, book = _book()
    sheet = book.add_sheet("问题行")
    book.text(sheet, 0, 0, job.original_name, book.fmt(bold=True))
    kinds = {ERROR: _("error"), DUPLICATE: _("duplicate")}
    rows = [[issue["row"], str(kinds.get(issue["kind"], issue["kind"])), issue["message"]] for issue in job.issues]
    _table(book, sheet, 2, ["行号", "类别", "问题"], rows)
    sheet.set_column(2, 2, 100)
    book.close()
    return out.getvalue()


def report_filename(checkpoint, ext: str) -> str:
    """The report's (通报) file name, the same from the page and the API."""
    return f"{checkpoint.year}年{checkpoint.month}月1+X证书考核进度监测通报.{ext}"


def report_xlsx(report: Report) -> bytes:
    out, book = _book()
    cp = report.checkpoint
    title = book.fmt(bold=True, font_size=12)
    sheet = book.add_sheet("全省及各市")
    book.text(sheet, 0, 0, f"{cp.year}年{cp.month}月 1+X证书考核进度双月监测通报（目标完成率 {cp.target}%）", title)
    p = report.province
    rows = [["全省", *_counts(p), sum(b.institutions for b in report.bureaus), report.slow_count, report.serious_count]]
    rows += [[b.name, *_counts(b.figures), b.institutions, b.slow, b.serious] for b in report.bureaus]
    _table(book, sheet, 2, ["范围", *FIGURE_HEADS, "院校数", "进度滞后", "严重滞后"], rows)
    behind = book.add_sheet("滞后院校")
    book.text(behind, 0, 0, "进度滞后（低于目标）及严重滞后（低于目标一半）的院校", title)
    trend_heads = [f"{c.month}月完成率(%)" for c in report.earlier]
    rows = [[b.name, b.bureau, b.kind_label, b.standing_label, *_counts(b.figures), *b.trend] for b in report.behind]
    _table(book, behind, 2, ["院校", "所在市", "类型", "状态", *FIGURE_HEADS, *trend_heads], rows)
    book.close()
    return out.getvalue()


def _counts(f) -> list:
    return [f.approved, f.registered, f.examined, f.passed, f.completion, f.participation, f.pass_rate]


def report_pdf(report: Report) -> bytes:
    """The report as an A4 PDF; the template is self-contained (inline CSS, system CJK font), so
    WeasyPrint fetches nothing."""
    from weasyprint import HTML

    return HTML(string=render_to_string("monitoring/report_pdf.html", {"report": report})).write_pdf()
