"""The notice's three attachments as blank templates, from the documents room's own generators.

A school that prefers paper prints these. Each generator is fed an empty stand-in (no institution, no lines) and
the document it builds is then emptied: every value cleared, every table given rows to fill by hand. The layout,
titles and signature boxes stay the generators' own, so a blank form and a filled one never drift apart.
The blank application form carries the bureau's box: secondary schools need it, others leave it empty.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from django.core.cache import cache

from catalog.models import Certificate
from core.downloads import safe_filename
from documents import adjustment_request, application_form, institution_summary
from documents.institution_summary import COLUMNS, FIELD_SPANS, LAST_COL, InstitutionSummary
from documents.layout import Document, Fields, Table, TextBox
from documents.pdf import render_pdf
from documents.sheets import XLSX
from documents.word import render_docx
from institutions.enums import InstitutionKind
from institutions.models import Bureau, Institution
from notices.enums import Template
from plans.models import ApplicationForm, Plan
from rounds.enums import Season
from rounds.models import Round

BLANK_ROWS = 8
PDF = "application/pdf"
DOCX = application_form.DOCX
CONTENT_TYPES = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX}
# Rendering a PDF takes about a second; a blank template only changes with the year, so it is kept a day.
CACHE_SECONDS = 24 * 3600


def _emptied(document: Document) -> Document:
    blocks = []
    for block in document.blocks:
        if isinstance(block, Fields):
            block = replace(block, pairs=[(label, "") for label, _value in block.pairs])
        elif isinstance(block, Table):
            width = len(block.header)
            footer = [block.footer[0]] + [""] * (width - 1) if block.footer else None
            block = replace(block, rows=[[""] * width for _ in range(BLANK_ROWS)], footer=footer)
        elif isinstance(block, TextBox):
            block = replace(block, text="")
        blocks.append(block)
    return replace(document, blocks=blocks)


def _stand_in_plan(year: int) -> Plan:
    """An unsaved plan of an unnamed secondary school: enough for the generators' header, never stored."""
    institution = Institution(name="", kind=InstitutionKind.SECONDARY_VOCATIONAL, bureau=Bureau(name=""))
    return Plan(institution=institution, round=Round(year=year, season=Season.SPRING))


def application_form_document(year: int) -> Document:
    form = ApplicationForm(plan=_stand_in_plan(year), certificate=Certificate(name=""))
    return _emptied(application_form.build(form, []))


def adjustment_request_document(year: int) -> Document:
    request = adjustment_request.AdjustmentRequest(institution_name="", year=year, lines=[], reason="")
    return _emptied(adjustment_request.build(request))


class BlankSummary(InstitutionSummary):
    """附件2 with its header labels and column titles, and empty bordered rows in place of plan lines."""

    def lines(self):
        return []

    def _header(self, sheet, row, last_year, lines):
        rows = [
            ["填报单位（盖章）", "单位类型", "所在市"],
            ["院校代码", "联系人", "联系电话"],
            ["申报轮次", "本次申报人数", "本年度申报规模（人）"],
            ["上年度申报规模（人）", "上年度考核完成率", "平台注册账号"],
        ]
        for labels in rows:
            row = sheet.fields(row, [(label, "") for label in labels], FIELD_SPANS)
        return row

    @staticmethod
    def _lines(sheet, row, lines, last_year, by_level):
        for number in range(1, BLANK_ROWS + 1):
            sheet.number(row, 0, number, sheet.st.number)
            for col in range(1, len(COLUMNS)):
                sheet.text(row, col, "", sheet.st.cell)
            row += 1
        return row

    @staticmethod
    def _totals(sheet, row, lines, by_level):
        sheet.text(row, 0, "合计", sheet.st.total)
        for col in range(1, LAST_COL + 1):
            sheet.text(row, col, "", sheet.st.total)
        return row + 1


def _summary_xlsx(year: int) -> bytes:
    out = io.BytesIO()
    BlankSummary(_stand_in_plan(year)).write(out)
    return out.getvalue()


def _render(template: str, year: int, fmt: str) -> bytes:
    if template == Template.SUMMARY_SHEET:
        return _summary_xlsx(year)
    document = (
        application_form_document(year) if template == Template.APPLICATION_FORM else adjustment_request_document(year)
    )
    return render_pdf(document) if fmt == "pdf" else render_docx(document)


@dataclass(frozen=True)
class Blank:
    template: str  # Template
    year: int
    fmt: str  # pdf / docx / xlsx

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    def filename(self) -> str:
        titles: dict[str, str] = {
            Template.APPLICATION_FORM: f"{application_form.ATTACHMENT}{application_form.TITLE}",
            Template.SUMMARY_SHEET: f"{institution_summary.ATTACHMENT}{institution_summary.TITLE}",
            Template.ADJUSTMENT_REQUEST: f"{adjustment_request.ATTACHMENT}{adjustment_request.TITLE}",
        }
        return safe_filename(f"{self.year}年{titles[self.template]}（空白）.{self.fmt}")

    def render(self) -> bytes:
        """The file's bytes, from the cache when this year's template was made already."""
        key = f"notices:blank:{self.template}:{self.year}:{self.fmt}"
        data = cache.get(key)
        if data is None:
            data = _render(self.template, self.year, self.fmt)
            cache.set(key, data, CACHE_SECONDS)
        return data


def blank(template: str, year: int, fmt: str) -> Blank | None:
    """The blank `template` of `year` in `fmt`, or None when there is no such file."""
    if template not in Template.values or fmt not in Template(template).formats:
        return None
    return Blank(template, year, fmt)
