"""附件2 安徽省1+X职业技能等级证书申报指标校级汇总表: one plan as an Excel sheet, A4 landscape."""

from __future__ import annotations

import io
from dataclasses import dataclass

from core.downloads import application_filename
from core.excel import SafeWorkbook
from documents import labels
from documents.layout import bureau_box, school_box
from documents.queries import year_total
from documents.sheets import (
    XLSX,
    Column,
    Styles,
    header_row,
    label_value_row,
    print_setup,
    set_columns,
    stamp_boxes,
    title_rows,
)
from plans.continuity import LastYear, last_year_for
from plans.models import Plan, PlanLine

ATTACHMENT = "附件2"
TITLE = "安徽省1+X职业技能等级证书申报指标校级汇总表"
COLUMNS = [
    Column("序号", 6),
    Column("证书名称", 30),
    Column("培训评价组织", 24),
    Column("等级", 7),
    Column("考核专业", 18),
    Column("专业代码", 10),
    Column("申报人数", 10, number=True),
    Column("新增/已申报", 11),
    Column("上年度该证书申报人数", 13, number=True),
    Column("备注", 30),
]
LAST_COL = len(COLUMNS) - 1


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
        return list(self.plan.lines.select_related("certificate__awarding_body").order_by("id"))

    def render(self) -> bytes:
        out = io.BytesIO()
        self.write(out)
        return out.getvalue()

    def write(self, target) -> None:
        plan, institution = self.plan, self.plan.institution
        last_year = last_year_for(institution.pk, plan.round.year)
        lines = self.lines()
        wb = SafeWorkbook(target)
        st = Styles(wb)
        sheet = wb.add_sheet("校级汇总表")
        set_columns(sheet, COLUMNS)
        row = title_rows(wb, st, sheet, attachment=ATTACHMENT, title=TITLE, last_col=LAST_COL)
        row = self._header(wb, st, sheet, row, last_year, lines)
        first_header = row
        row = header_row(wb, st, sheet, row, COLUMNS)
        for number, line in enumerate(lines, start=1):
            self._line(wb, st, sheet, row, number, line, last_year)
            row += 1
        row = self._totals(wb, st, sheet, row, lines, last_year)
        boxes = [school_box()] + ([bureau_box()] if institution.is_secondary else [])
        row = stamp_boxes(wb, st, sheet, row + 1, boxes, LAST_COL)
        print_setup(sheet, last_row=row - 1, last_col=LAST_COL, header_row=first_header)
        wb.close()

    def _header(self, wb, st, sheet, row: int, last_year: LastYear, lines: list[PlanLine]) -> int:
        plan, institution = self.plan, self.plan.institution
        contact = " ".join(x for x in (institution.contact_name, institution.contact_phone) if x)
        row = label_value_row(
            wb,
            st,
            sheet,
            row,
            [
                ("填报单位（盖章）", institution.name),
                ("单位类型", labels.kind(institution.kind)),
                ("所在市", institution.bureau.name),
                ("联系人及电话", contact),
                ("申报批次", labels.round_label(plan.round)),
            ],
        )
        return label_value_row(
            wb,
            st,
            sheet,
            row,
            [
                (f"{last_year.year}年申报规模（人）", last_year.approved_total),
                (f"{last_year.year}年考核完成率", labels.rate(last_year.completion_rate)),
                ("本次申报人数", sum(line.headcount for line in lines)),
                (f"{plan.round.year}年申报规模（人）", year_total(plan)),
            ],
        )

    @staticmethod
    def _line(wb, st, sheet, row: int, number: int, line: PlanLine, last_year: LastYear) -> None:
        certificate = line.certificate
        wb.number(sheet, row, 0, number, st.number)
        wb.text(sheet, row, 1, certificate.name, st.cell)
        wb.text(sheet, row, 2, certificate.awarding_body.name if certificate.awarding_body else "", st.cell)
        wb.text(sheet, row, 3, labels.level(line.level), st.cell)
        wb.text(sheet, row, 4, line.major_name, st.cell)
        wb.text(sheet, row, 5, line.major_code, st.cell)
        wb.number(sheet, row, 6, line.headcount, st.number)
        wb.text(sheet, row, 7, labels.CONTINUITY[last_year.continuity(certificate.pk)], st.cell)
        wb.number(sheet, row, 8, last_year.headcount_for(certificate.pk), st.number)
        wb.text(sheet, row, 9, line.remark, st.cell)

    @staticmethod
    def _totals(wb, st, sheet, row: int, lines: list[PlanLine], last_year: LastYear) -> int:
        certificates = {line.certificate_id for line in lines}
        wb.text(sheet, row, 0, "合计", st.total)
        wb.text(sheet, row, 1, f"{len(certificates)}个证书，{len(lines)}条", st.total)
        for col in (2, 3, 4, 5, 7, 9):
            wb.text(sheet, row, col, "", st.total)
        wb.number(sheet, row, 6, sum(line.headcount for line in lines), st.total_number)
        wb.number(sheet, row, 8, sum(last_year.headcount_for(c) for c in certificates), st.total_number)
        return row + 1
