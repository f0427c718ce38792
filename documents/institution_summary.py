"""附件2 安徽省1+X职业技能等级证书申报指标校级汇总表: one plan as an Excel sheet, A4 landscape.

Lines are grouped by certificate and level; last year's applied and approved headcounts are per
certificate-level, so they are shown once per group (one cell merged over its majors) and their
column adds up to the total. 备注 carries the line's remark and the justification of any warning.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import groupby

from catalog.enums import Level
from core.downloads import application_filename
from core.excel import SafeWorkbook
from documents import labels
from documents.layout import bureau_box, school_box
from documents.queries import last_year_by_level, year_total
from documents.sheets import XLSX, Column, PrintedSheet, Styles
from plans.continuity import LastYear, last_year_for
from plans.models import Plan, PlanLine

ATTACHMENT = "附件2"
TITLE = "安徽省1+X职业技能等级证书申报指标校级汇总表"
COLUMNS = [
    Column("序号", 6),
    Column("证书名称", 30),
    Column("培训评价组织", 30),
    Column("等级", 6),
    Column("考核专业", 20),
    Column("专业代码", 10),
    Column("申报人数", 10, number=True),
    Column("新增/已申报", 13),
    Column("上年申报人数", 14, number=True),
    Column("上年核定人数", 14, number=True),
    Column("备注", 36),
]
LAST_COL = len(COLUMNS) - 1
# The header block: three label / value pairs a row, over the table's columns.
FIELD_SPANS = [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 10)]
LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


def remarks(line: PlanLine) -> str:
    """The line's remark, then the justification given for a warning (R5, R6)."""
    return "\n".join(text for text in (line.remark, line.justification and f"说明：{line.justification}") if text)


@dataclass
class InstitutionSummary:
    """The summary sheet of one plan: header, one row per line, totals, stamp boxes."""

    plan: Plan
    content_type = XLSX
    extension = "xlsx"

    def filename(self) -> str:
        return application_filename(
            self.plan.institution.name, self.plan.round.year, self.extension, part="附件2校级汇总表"
        )

    def lines(self) -> list[PlanLine]:
        """The plan's lines, each certificate-level's majors together, in the order certificates were entered."""
        lines = list(self.plan.lines.select_related("certificate__awarding_body").order_by("id"))
        first_seen: dict[int, int] = {}
        for i, line in enumerate(lines):
            first_seen.setdefault(line.certificate_id, i)
        return sorted(lines, key=lambda ln: (first_seen[ln.certificate_id], LEVEL_ORDER.get(ln.level, 9), ln.pk))

    def render(self) -> bytes:
        out = io.BytesIO()
        self.write(out)
        return out.getvalue()

    def write(self, target) -> None:
        plan, institution = self.plan, self.plan.institution
        last_year = last_year_for(institution.pk, plan.round.year)
        by_level = last_year_by_level(institution.pk, plan.round.year)
        lines = self.lines()
        wb = SafeWorkbook(target)
        sheet = PrintedSheet(wb, Styles(wb), "校级汇总表", COLUMNS)
        row = sheet.title_rows(attachment=ATTACHMENT, title=TITLE)
        row = self._header(sheet, row, last_year, lines)
        first_header = row
        row = sheet.header_row(row)
        row = self._lines(sheet, row, lines, last_year, by_level)
        row = self._totals(sheet, row, lines, by_level)
        boxes = [school_box()] + ([bureau_box()] if institution.is_secondary else [])
        sheet.stamp_boxes(row + 1, boxes)
        sheet.finish(header_row=first_header, owner=f"{institution.name}　{labels.round_label(plan.round)}")
        wb.close()

    def _header(self, sheet: PrintedSheet, row: int, last_year: LastYear, lines: list[PlanLine]) -> int:
        plan, institution = self.plan, self.plan.institution
        rows: list[list[tuple[str, object]]] = [
            [
                ("填报单位（盖章）", institution.name),
                ("单位类型", labels.kind(institution.kind)),
                ("所在市", institution.bureau.name),
            ],
            [
                ("院校代码", institution.ministry_code or "—"),
                ("联系人", institution.contact_name),
                ("联系电话", institution.contact_phone),
            ],
            [
                ("申报轮次", labels.round_label(plan.round)),
                ("本次申报人数", sum(line.headcount for line in lines)),
                (f"{plan.round.year}年申报规模（人）", year_total(plan)),
            ],
            [
                (f"{last_year.year}年申报规模（人）", last_year.approved_total),
                (f"{last_year.year}年考核完成率", labels.rate(last_year.completion_rate)),
                ("平台注册账号", institution.platform_account or "—"),
            ],
        ]
        for pairs in rows:
            row = sheet.fields(row, pairs, FIELD_SPANS)
        return row

    @staticmethod
    def _lines(sheet: PrintedSheet, row: int, lines: list[PlanLine], last_year: LastYear, by_level) -> int:
        st = sheet.st
        number = 0
        for key, grouped in groupby(lines, key=lambda ln: (ln.certificate_id, ln.level)):
            group = list(grouped)
            applied, approved = by_level.get(key, (0, 0))
            last = row + len(group) - 1
            sheet.number(row, 8, applied, st.number, last_row=last)
            sheet.number(row, 9, approved, st.number, last_row=last)
            for line in group:
                number += 1
                certificate = line.certificate
                sheet.number(row, 0, number, st.number)
                sheet.text(row, 1, certificate.name, st.cell)
                sheet.text(row, 2, certificate.awarding_body.name if certificate.awarding_body else "", st.cell)
                sheet.text(row, 3, labels.level(line.level), st.cell)
                sheet.text(row, 4, line.major_name, st.cell)
                sheet.text(row, 5, line.major_code, st.cell)
                sheet.number(row, 6, line.headcount, st.number)
                sheet.text(row, 7, labels.CONTINUITY[last_year.continuity(certificate.pk)], st.cell)
                sheet.text(row, 10, remarks(line), st.cell)
                row += 1
        return row

    @staticmethod
    def _totals(sheet: PrintedSheet, row: int, lines: list[PlanLine], by_level) -> int:
        st = sheet.st
        levels = {(line.certificate_id, line.level) for line in lines}
        sheet.text(row, 0, "合计", st.total)
        sheet.text(row, 1, f"{len({key[0] for key in levels})}个证书，{len(lines)}条", st.total)
        for col in (2, 3, 4, 5, 7, 10):
            sheet.text(row, col, "", st.total)
        sheet.number(row, 6, sum(line.headcount for line in lines), st.total_number)
        sheet.number(row, 8, sum(by_level.get(key, (0, 0))[0] for key in levels), st.total_number)
        sheet.number(row, 9, sum(by_level.get(key, (0, 0))[1] for key in levels), st.total_number)
        return row + 1
