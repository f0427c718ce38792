"""Plan lines in and out of Excel: the template, and the upload that fills a draft (all rows or none)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from catalog.enums import Level
from catalog.models import Certificate, CertificateLevel
from core.downloads import attach
from core.excel import SafeWorkbook
from core.tabular import TabularError, read_table
from plans import services
from plans.models import Plan

COLUMNS = ["证书名称", "等级", "考核专业", "专业代码", "申报人数", "备注", "警告说明"]
REQUIRED = ["证书名称", "等级", "考核专业", "申报人数"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_response(plan: Plan) -> HttpResponse:
    """An .xlsx with the expected columns, one example row per existing line, and the catalogue on a second sheet."""
    buffer = io.BytesIO()
    book = SafeWorkbook(buffer)
    sheet = book.add_sheet("申报条目")
    bold = book.fmt(bold=True, bg_color="#DDEBF7", border=1)
    for col, title in enumerate(COLUMNS):
        book.text(sheet, 0, col, title, bold)
        sheet.set_column(col, col, 36 if col == 0 else 14)
    for row, line in enumerate(plan.lines.select_related("certificate").order_by("id"), start=1):
        values = [line.certificate.name, Level(line.level).chinese, line.major_name, line.major_code]
        for col, value in enumerate(values):
            book.text(sheet, row, col, value)
        book.number(sheet, row, 4, line.headcount)
        book.text(sheet, row, 5, line.remark)
        book.text(sheet, row, 6, line.justification)
    catalogue = book.add_sheet("证书目录")
    for col, title in enumerate(["证书名称", "培训评价组织", "可选等级"]):
        book.text(catalogue, 0, col, title, bold)
    levels: dict[int, list[str]] = {}
    for cl in CertificateLevel.objects.order_by("certificate_id", "level"):
        levels.setdefault(cl.certificate_id, []).append(cl.level)
    for row, cert in enumerate(Certificate.objects.select_related("awarding_body").order_by("name"), start=1):
        book.text(catalogue, row, 0, cert.name)
        book.text(catalogue, row, 1, cert.awarding_body.name if cert.awarding_body else "")
        chosen = sorted(levels.get(cert.pk, []), key=Level.values.index)
        book.text(catalogue, row, 2, "、".join(Level(lv).chinese for lv in chosen))
    catalogue.set_column(0, 1, 40)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    return attach(
        response, f"{plan.institution.name}{plan.round.year}年{plan.round.get_season_display()}申报条目模板.xlsx"
    )


@dataclass
class LineImport:
    added: int = 0
    errors: list[str] = field(default_factory=list)


def _certificate_index() -> dict[str, Certificate]:
    index = {}
    for cert in Certificate.objects.all():
        index[cert.name] = cert
        index.setdefault(cert.short_name, cert)
    return index


def import_lines(*, actor, plan: Plan, upload) -> LineImport:
    """Check every row, then add all of them in one transaction — or none, with one message per bad row."""
    result = LineImport()
    try:
        table = read_table(upload, required=REQUIRED, known=COLUMNS)
    except TabularError as exc:
        result.errors.append(exc.message)
        return result
    if not table.rows:
        result.errors.append(_("The file has no data rows."))
        return result
    certificates = _certificate_index()
    offered = set(CertificateLevel.objects.values_list("certificate_id", "level"))
    seen = set(plan.lines.values_list("certificate_id", "level", "major_name"))
    values = []
    for row in table.rows:
        problems = list(row.problems)
        cert = certificates.get(row["证书名称"])
        level = Level.from_chinese(row["等级"])
        major = row["考核专业"]
        if cert is None:
            problems.append(_("unknown certificate “%(name)s”") % {"name": row["证书名称"]})
        if level is None:
            problems.append(_("unknown level “%(level)s” (初级, 中级 or 高级)") % {"level": row["等级"]})
        elif cert is not None and (cert.pk, level) not in offered:
            problems.append(
                _("%(certificate)s does not offer %(level)s") % {"certificate": cert.short_name, "level": row["等级"]}
            )
        if not major:
            problems.append(_("the major is empty"))
        headcount = row["申报人数"]
        if not headcount.isdigit() or int(headcount) <= 0:
            problems.append(_("the headcount “%(value)s” is not a whole number above zero") % {"value": headcount})
        if cert is not None and level is not None and major:
            key = (cert.pk, level, major)
            if key in seen:
                problems.append(_("this certificate, level and major is already in the plan or the file"))
            seen.add(key)
        if problems:
            result.errors.append(
                _("Row %(number)s: %(problems)s") % {"number": row.number, "problems": "；".join(problems)}
            )
            continue
        values.append(
            dict(
                certificate=cert,
                level=level,
                major_name=major,
                major_code=row["专业代码"],
                headcount=int(headcount),
                remark=row["备注"],
                justification=row["警告说明"],
            )
        )
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for line in values:
                services.add_line(actor=actor, plan=plan, **line)
    except services.PlanError as exc:
        result.errors.append(str(exc))
        return result
    result.added = len(values)
    return result
