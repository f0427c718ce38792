"""The plan's Excel template: its lines, dropdowns for the level and the certificate, the catalogue beside them.

The upload that reads it back is `plans.line_import`."""

from __future__ import annotations

import io

from django.http import HttpResponse

from catalog.enums import Level
from catalog.models import Certificate, CertificateLevel
from core.downloads import attach
from core.excel import SafeWorkbook
from plans.models import Plan

COLUMNS = ["证书名称", "等级", "考核专业", "专业代码", "申报人数", "备注", "警告说明"]
REQUIRED = ["证书名称", "等级", "考核专业", "申报人数"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows below the lines that keep the dropdowns, for lines the clerk adds.
SPARE_ROWS = 300
CATALOGUE = "证书目录"


def template_response(plan: Plan) -> HttpResponse:
    """An .xlsx of the plan's lines, to edit and upload again; dropdowns for the level and the certificate (the
    catalogue on the second sheet, a list Excel checks against), a whole number above zero for the headcount."""
    buffer = io.BytesIO()
    book = SafeWorkbook(buffer)
    sheet = book.add_sheet("申报条目")
    bold = book.fmt(bold=True, bg_color="#DDEBF7", border=1)
    for col, title in enumerate(COLUMNS):
        book.text(sheet, 0, col, title, bold)
        sheet.set_column(col, col, 36 if col == 0 else 14)
    lines = list(plan.lines.select_related("certificate").order_by("id"))
    for row, line in enumerate(lines, start=1):
        values = [line.certificate.name, Level(line.level).chinese, line.major_name, line.major_code]
        for col, value in enumerate(values):
            book.text(sheet, row, col, value)
        book.number(sheet, row, 4, line.headcount)
        book.text(sheet, row, 5, line.remark)
        book.text(sheet, row, 6, line.justification)
    certificates = _catalogue_sheet(book, bold)
    _dropdowns(sheet, last_row=len(lines) + SPARE_ROWS, certificates=certificates)
    sheet.freeze_panes(1, 0)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    return attach(
        response, f"{plan.institution.name}{plan.round.year}年{plan.round.get_season_display()}申报条目模板.xlsx"
    )


def _catalogue_sheet(book: SafeWorkbook, bold) -> int:
    """The second sheet: every certificate, its awarding body and levels; returns how many certificates."""
    catalogue = book.add_sheet(CATALOGUE)
    for col, title in enumerate(["证书名称", "培训评价组织", "可选等级"]):
        book.text(catalogue, 0, col, title, bold)
    levels = CertificateLevel.objects.offered()
    row = 0
    for row, cert in enumerate(Certificate.objects.select_related("awarding_body").order_by("name"), start=1):
        book.text(catalogue, row, 0, cert.name)
        book.text(catalogue, row, 1, cert.awarding_body.name if cert.awarding_body else "")
        book.text(catalogue, row, 2, "、".join(Level(lv).chinese for lv in levels.get(cert.pk, [])))
    catalogue.set_column(0, 1, 40)
    return row


def _dropdowns(sheet, *, last_row: int, certificates: int) -> None:
    # A certificate typed by its short name is accepted on upload too: Excel only warns about it.
    if certificates:
        sheet.data_validation(
            1, 0, last_row, 0,
            {
                "validate": "list",
                "source": f"='{CATALOGUE}'!$A$2:$A${certificates + 1}",
                "error_type": "warning",
                "error_message": "请从“证书目录”中选择证书。",
            },
        )  # fmt: skip
    sheet.data_validation(
        1, 1, last_row, 1,
        {"validate": "list", "source": [lv.chinese for lv in Level], "error_message": "等级：初级、中级或高级。"},
    )  # fmt: skip
    sheet.data_validation(
        1, 4, last_row, 4,
        {"validate": "integer", "criteria": ">", "value": 0, "error_message": "申报人数：大于0的整数。"},
    )  # fmt: skip
