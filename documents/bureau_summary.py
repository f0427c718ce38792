"""A bureau's summary of its schools for one round (市级汇总表): one row per school, then every line.

It counts the plans the bureau approved (now at the province, decided or not): a school still at
bureau review is left out, and a note under the total says how many are.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

from core.downloads import safe_filename
from core.excel import SafeWorkbook
from documents import labels
from documents.institution_summary import remarks
from documents.layout import SignBox, province_box
from documents.queries import AT_PROVINCE, SUBMITTED, continuity, last_year_headcounts, last_year_rates
from documents.sheets import XLSX, Column, PrintedSheet, Styles
from institutions.enums import InstitutionKind
from institutions.models import Bureau
from plans.enums import Continuity, PlanStatus
from plans.models import Plan, PlanLine
from rounds.models import Round

SCHOOL_COLUMNS = [
    Column("序号", 6),
    Column("学校名称", 32),
    Column("学校类型", 11),
    Column("审核状态", 13),
    Column("申报条目数", 10, number=True),
    Column("申报证书数", 10, number=True),
    Column("其中新增证书", 11, number=True),
    Column("申报人数", 10, number=True),
    Column("上年度申报规模", 12, number=True),
    Column("上年度完成率（%）", 12, number=True),
]
LINE_COLUMNS = [
    Column("学校名称", 30),
    Column("证书名称", 30),
    Column("培训评价组织", 22),
    Column("等级", 7),
    Column("考核专业", 18),
    Column("专业代码", 10),
    Column("申报人数", 10, number=True),
    Column("新增/已申报", 11),
    Column("上年度该证书申报人数", 13, number=True),
    Column("备注", 30),
]


def bureau_plans(bureau: Bureau, round_: Round, *, statuses=SUBMITTED):
    """The plans a bureau reviews in a round: its secondary schools' plans that were submitted."""
    return (
        Plan.objects.filter(
            round=round_,
            institution__bureau=bureau,
            institution__kind__in=InstitutionKind.secondary(),
            status__in=statuses,
        )
        .select_related("institution")
        .order_by("institution__name")
    )


@dataclass
class BureauSummary:
    bureau: Bureau
    round: Round
    content_type = XLSX
    extension = "xlsx"

    def filename(self) -> str:
        return safe_filename(f"{self.bureau.display_name}{labels.round_label(self.round)}证书申报汇总表.xlsx")

    def render(self) -> bytes:
        out = io.BytesIO()
        self.write(out)
        return out.getvalue()

    def write(self, target) -> None:
        plans = list(bureau_plans(self.bureau, self.round, statuses=AT_PROVINCE))
        ids = [p.institution_id for p in plans]
        lines = list(
            PlanLine.objects.filter(plan__in=plans)
            .select_related("certificate__awarding_body", "plan__institution")
            .order_by("plan__institution__name", "id")
        )
        headcounts = last_year_headcounts(self.round.year, ids)
        rates = last_year_rates(self.round.year, ids)
        wb = SafeWorkbook(target)
        st = Styles(wb)
        self._schools(wb, st, plans, lines, headcounts, rates)
        self._lines(wb, st, lines, headcounts)
        wb.close()

    def _title(self) -> str:
        return f"{self.bureau.display_name}{labels.round_label(self.round)}1+X证书申报汇总表"

    def _schools(self, wb, st, plans, lines, headcounts, rates) -> None:
        sheet = PrintedSheet(wb, st, "学校汇总", SCHOOL_COLUMNS)
        row = sheet.title_rows(attachment="", title=self._title())
        first_header = row
        row = sheet.header_row(row)
        by_plan = defaultdict(list)
        for line in lines:
            by_plan[line.plan_id].append(line)
        last_totals: defaultdict[int, int] = defaultdict(int)
        for (institution_id, _certificate_id), total in headcounts.items():
            last_totals[institution_id] += total
        sums = [0, 0, 0, 0, 0]
        for number, plan in enumerate(plans, start=1):
            own = by_plan[plan.pk]
            certificates = {ln.certificate_id for ln in own}
            new = {c for c in certificates if continuity(headcounts, plan.institution_id, c) == Continuity.NEW}
            values = [len(own), len(certificates), len(new), sum(ln.headcount for ln in own)]
            values.append(last_totals[plan.institution_id])
            sheet.number(row, 0, number, st.number)
            sheet.text(row, 1, plan.institution.name, st.cell)
            sheet.text(row, 2, labels.kind(plan.institution.kind), st.cell)
            sheet.text(row, 3, labels.status(plan.status), st.cell)
            for col, value in enumerate(values, start=4):
                sheet.number(row, col, value, st.number)
            sheet.number(row, 9, rates.get(plan.institution_id), st.percent)
            sums = [a + b for a, b in zip(sums, values, strict=True)]
            row += 1
        sheet.text(row, 0, "合计", st.total)
        sheet.text(row, 1, f"{len(plans)}所学校", st.total)
        for col in (2, 3, 9):
            sheet.text(row, col, "", st.total)
        for col, value in enumerate(sums, start=4):
            sheet.number(row, col, value, st.total_number)
        row = self._pending_note(sheet, row)
        boxes = [SignBox("市教育局意见", ["负责人（签字）：", "（盖章）", "年    月    日"]), province_box()]
        sheet.stamp_boxes(row + 2, boxes)
        sheet.finish(header_row=first_header, owner=self.bureau.display_name)

    def _pending_note(self, sheet: PrintedSheet, row: int) -> int:
        """A note under the total: how many schools are still at bureau review (not counted here)."""
        pending = bureau_plans(self.bureau, self.round, statuses=[PlanStatus.BUREAU_REVIEW]).count()
        if not pending:
            return row
        note = f"注：另有{pending}所学校的申报处于市级初审中，未计入本表。"
        sheet.text(row + 1, 0, note, sheet.st.plain, last_col=sheet.last_col)
        return row + 1

    def _lines(self, wb, st, lines, headcounts) -> None:
        sheet = PrintedSheet(wb, st, "申报明细", LINE_COLUMNS)
        row = sheet.title_rows(attachment="", title=f"{self._title()}（明细）")
        first_header = row
        row = sheet.header_row(row)
        for line in lines:
            institution_id, certificate = line.plan.institution_id, line.certificate
            sheet.text(row, 0, line.plan.institution.name, st.cell)
            sheet.text(row, 1, certificate.name, st.cell)
            sheet.text(row, 2, certificate.awarding_body.name if certificate.awarding_body else "", st.cell)
            sheet.text(row, 3, labels.level(line.level), st.cell)
            sheet.text(row, 4, line.major_name, st.cell)
            sheet.text(row, 5, line.major_code, st.cell)
            sheet.number(row, 6, line.headcount, st.number)
            sheet.text(row, 7, labels.CONTINUITY[continuity(headcounts, institution_id, certificate.pk)], st.cell)
            sheet.number(row, 8, headcounts.get((institution_id, certificate.pk), 0), st.number)
            sheet.text(row, 9, remarks(line), st.cell)
            row += 1
        sheet.text(row, 0, "合计", st.total)
        for col in (1, 2, 3, 4, 5, 7, 8, 9):
            sheet.text(row, col, "", st.total)
        sheet.number(row, 6, sum(ln.headcount for ln in lines), st.total_number)
        sheet.finish(header_row=first_header, owner=self.bureau.display_name)
