"""The province's summary of a round: by bureau, by institution kind, by certificate, and every line.

At national scale (300,000 lines) the last sheet dominates: it is streamed from one query with
a server-side cursor into xlsxwriter's constant-memory mode, so memory stays flat whatever the
size (see bench/bench_provincial_summary.py). The three summary sheets are one GROUP BY each.

It counts the plans that reached the province (AT_PROVINCE): those still in provincial review are
counted in their own column (审核中), and 核定人数 is the published plans' approved headcount only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from catalog.enums import Level
from core.excel import SafeWorkbook
from documents import labels
from documents.queries import AT_PROVINCE, last_year_headcounts
from documents.sheets import XLSX, Column, PrintedSheet, Styles, row_height, stream_text
from institutions.enums import InstitutionKind
from institutions.models import Bureau
from plans.enums import Continuity, PlanStatus
from plans.models import PlanLine
from rounds.models import Round

SECONDARY = sorted(InstitutionKind.secondary())
OWNER = "安徽省1+X证书试点工作办公室"
LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}

BUREAU_COLUMNS = [
    Column("序号", 6),
    Column("市（县）", 16),
    Column("申报院校数", 11, number=True),
    Column("其中中职学校", 11, number=True),
    Column("其中高校", 10, number=True),
    Column("其中省级审核中", 12, number=True),
    Column("申报条目数", 11, number=True),
    Column("申报人数", 11, number=True),
    Column("核定人数", 11, number=True),
]
KIND_COLUMNS = [
    Column("院校类型", 14),
    Column("申报院校数", 11, number=True),
    Column("其中省级审核中", 12, number=True),
    Column("申报条目数", 11, number=True),
    Column("申报人数", 11, number=True),
    Column("核定人数", 11, number=True),
]
CERTIFICATE_COLUMNS = [
    Column("证书名称", 34),
    Column("培训评价组织", 26),
    Column("等级", 7),
    Column("申报院校数", 11, number=True),
    Column("申报条目数", 11, number=True),
    Column("申报人数", 11, number=True),
    Column("核定人数", 11, number=True),
]
LINE_COLUMNS = [
    Column("市（县）", 12),
    Column("院校名称", 30),
    Column("院校类型", 11),
    Column("审核状态", 12),
    Column("证书名称", 30),
    Column("培训评价组织", 22),
    Column("等级", 6),
    Column("考核专业", 18),
    Column("专业代码", 10),
    Column("申报人数", 9, number=True),
    Column("核定人数", 9, number=True),
    Column("新增/已申报", 10),
    Column("上年度该证书申报人数", 12, number=True),
    Column("备注", 30),
]
LINE_FIELDS = (
    "plan__institution__bureau__name",
    "plan__institution__name",
    "plan__institution__kind",
    "plan__status",
    "certificate__name",
    "certificate__awarding_body__name",
    "level",
    "major_name",
    "major_code",
    "headcount",
    "approved_headcount",
    "remark",
    "plan__institution_id",
    "certificate_id",
)
PUBLISHED = Q(plan__status=PlanStatus.PUBLISHED)
COUNTS = {
    "institutions": Count("plan__institution_id", distinct=True),
    "in_review": Count("plan__institution_id", distinct=True, filter=~PUBLISHED),
    "lines": Count("id"),
    "headcount": Sum("headcount"),
    "approved": Sum("approved_headcount", filter=PUBLISHED),
}


def round_lines(round_: Round):
    """The lines a summary of `round_` counts: plans that reached the province (decided or not)."""
    return PlanLine.objects.filter(plan__round=round_, plan__status__in=AT_PROVINCE)


def all_lines(round_: Round):
    """Every counted line as a tuple of LINE_FIELDS, streamed (a server-side cursor on PostgreSQL)."""
    rows = round_lines(round_).order_by("plan__institution__bureau_id", "plan__institution__name", "id")
    return rows.values_list(*LINE_FIELDS).iterator(chunk_size=5000)


@dataclass
class ProvincialSummary:
    round: Round
    content_type = XLSX
    extension = "xlsx"

    def filename(self) -> str:
        return f"安徽省{labels.round_label(self.round)}1+X证书申报汇总表.xlsx"

    def title(self) -> str:
        return f"安徽省{labels.round_label(self.round)}1+X职业技能等级证书申报汇总表"

    def render(self) -> bytes:
        out = io.BytesIO()
        self.write(out)
        return out.getvalue()

    def write(self, target, *, at: datetime | None = None) -> int:
        """Write the workbook to `target` (a path or a binary file); returns the number of lines."""
        wb = SafeWorkbook(target, constant_memory=True)
        st = Styles(wb)
        stamp = f"生成时间：{timezone.localtime(at or timezone.now()):%Y-%m-%d %H:%M}"
        self._by_bureau(wb, st, stamp)
        self._by_kind(wb, st, stamp)
        self._by_certificate(wb, st, stamp)
        count = self._lines(wb, st, stamp)
        wb.close()
        return count

    def _start(self, wb, st, name: str, columns: list[Column], subtitle: str, stamp: str):
        sheet = PrintedSheet(wb, st, name, columns)
        row = sheet.title_rows(attachment="", title=f"{self.title()}（{subtitle}）")
        sheet.text(row, 0, stamp, st.plain, last_col=sheet.last_col)
        return sheet, row + 1

    def _numbers(self, sheet: PrintedSheet, row: int, col: int, values, fmt) -> None:
        for offset, value in enumerate(values):
            sheet.number(row, col + offset, value, fmt)

    def _by_bureau(self, wb, st, stamp: str) -> None:
        sheet, row = self._start(wb, st, "按市汇总", BUREAU_COLUMNS, "按市", stamp)
        first_header = row
        row = sheet.header_row(row)
        counts = {
            r["plan__institution__bureau_id"]: r
            for r in round_lines(self.round)
            .values("plan__institution__bureau_id")
            .annotate(
                secondary=Count("plan__institution_id", distinct=True, filter=Q(plan__institution__kind__in=SECONDARY)),
                **COUNTS,
            )
            .order_by()
        }
        totals = [0] * 7
        for number, bureau in enumerate(Bureau.objects.order_by("id"), start=1):
            c = counts.get(bureau.pk, {})
            institutions, secondary = c.get("institutions", 0), c.get("secondary", 0)
            values = [institutions, secondary, institutions - secondary, c.get("in_review", 0), c.get("lines", 0)]
            values += [c.get("headcount") or 0, c.get("approved") or 0]
            sheet.number(row, 0, number, st.number)
            sheet.text(row, 1, bureau.name, st.cell)
            self._numbers(sheet, row, 2, values, st.number)
            totals = [a + b for a, b in zip(totals, values, strict=True)]
            row += 1
        sheet.text(row, 0, "合计", st.total)
        sheet.text(row, 1, "", st.total)
        self._numbers(sheet, row, 2, totals, st.total_number)
        sheet.finish(header_row=first_header, owner=OWNER)

    def _by_kind(self, wb, st, stamp: str) -> None:
        sheet, row = self._start(wb, st, "按院校类型", KIND_COLUMNS, "按院校类型", stamp)
        first_header = row
        row = sheet.header_row(row)
        counts = {
            r["plan__institution__kind"]: r
            for r in round_lines(self.round).values("plan__institution__kind").annotate(**COUNTS).order_by()
        }
        totals = [0] * 5
        for kind in InstitutionKind.values:
            c = counts.get(kind, {})
            values = [c.get("institutions", 0), c.get("in_review", 0), c.get("lines", 0)]
            values += [c.get("headcount") or 0, c.get("approved") or 0]
            sheet.text(row, 0, labels.kind(kind), st.cell)
            self._numbers(sheet, row, 1, values, st.number)
            totals = [a + b for a, b in zip(totals, values, strict=True)]
            row += 1
        sheet.text(row, 0, "合计", st.total)
        self._numbers(sheet, row, 1, totals, st.total_number)
        sheet.finish(header_row=first_header, owner=OWNER, landscape=False)

    def _by_certificate(self, wb, st, stamp: str) -> None:
        sheet, row = self._start(wb, st, "按证书", CERTIFICATE_COLUMNS, "按证书", stamp)
        first_header = row
        row = sheet.header_row(row)
        rows = (
            round_lines(self.round)
            .values("certificate_id", "certificate__name", "certificate__awarding_body__name", "level")
            .annotate(**COUNTS)
            .order_by()
        )
        rows = sorted(rows, key=lambda r: (r["certificate__name"], LEVEL_ORDER[r["level"]]))
        totals = [0] * 3
        for r in rows:
            sheet.text(row, 0, r["certificate__name"], st.cell)
            sheet.text(row, 1, r["certificate__awarding_body__name"] or "", st.cell)
            sheet.text(row, 2, labels.level(r["level"]), st.cell)
            values = [r["lines"], r["headcount"] or 0, r["approved"] or 0]
            self._numbers(sheet, row, 3, [r["institutions"], *values], st.number)
            totals = [a + b for a, b in zip(totals, values, strict=True)]
            row += 1
        for col, text in enumerate(["合计", "", "", ""]):
            sheet.text(row, col, text, st.total)
        self._numbers(sheet, row, 4, totals, st.total_number)
        sheet.finish(header_row=first_header, owner=OWNER)

    def _lines(self, wb, st, stamp: str) -> int:
        sheet, row = self._start(wb, st, "全部条目", LINE_COLUMNS, "全部条目", stamp)
        first_header = row
        row = sheet.header_row(row)
        widths = sheet.flush(fixed=True)
        headcounts = last_year_headcounts(self.round.year)
        kinds, statuses, continuity = labels.KIND, labels.statuses(), labels.CONTINUITY
        levels = {value: labels.level(value) for value in Level.values}
        # 300,000 rows: cells without a format (a style on every cell costs ~15 % in xlsxwriter); only a
        # text wider than its column gets the wrapping format, and its row the height it needs.
        out, number, num = sheet.sheet, wb.number, None
        total = approved_total = count = 0
        published = PlanStatus.PUBLISHED
        for bureau, name, kind, status, cert, body, level, major, code, hc, approved, remark, iid, cid in all_lines(
            self.round
        ):
            last = headcounts.get((iid, cid))
            texts = (bureau, name, kinds[kind], statuses[status], cert, body, levels[level], major, code)
            lines = max(stream_text(wb, st, out, row, col, text, widths[col]) for col, text in enumerate(texts))
            number(out, row, 9, hc, num)
            number(out, row, 10, approved if status == published else None, num)
            kind_of = continuity[Continuity.NEW if last is None else Continuity.CONTINUING]
            lines = max(lines, stream_text(wb, st, out, row, 11, kind_of, widths[11]))
            number(out, row, 12, last or 0, num)
            lines = max(lines, stream_text(wb, st, out, row, 13, remark, widths[13]))
            if lines > 1:
                out.set_row(row, row_height(lines))
            total += hc
            approved_total += (approved or 0) if status == published else 0
            count += 1
            row += 1
        wb.text(out, row, 0, "合计", st.total)
        wb.text(out, row, 1, f"{count}条", st.total)
        number(out, row, 9, total, st.total_number)
        number(out, row, 10, approved_total, st.total_number)
        sheet.print_setup(last_row=row, header_row=first_header, owner=OWNER)
        return count
