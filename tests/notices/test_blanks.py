"""Blank templates: the documents room's generators with the institution header left empty."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from docx import Document as DocxDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from notices.blanks import BLANK_ROWS, blank

TITLES = {
    "application-form": "安徽省1+X职业技能等级证书申报表",
    "summary-sheet": "安徽省1+X职业技能等级证书申报指标校级汇总表",
    "adjustment-request": "安徽省1+X职业技能等级证书调整申请表",
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    tables = DocxDocument(io.BytesIO(data)).tables
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in tables]


@pytest.mark.parametrize("template", ["application-form", "adjustment-request"])
def test_blank_pdf_has_the_title_and_no_institution(db, template):
    text = pdf_text(blank(template, 2027, "pdf").render())

    assert TITLES[template] in text
    assert "示例" not in text and "None" not in text


def test_blank_application_form_docx_has_empty_header_and_rows_to_fill(db):
    tables = docx_tables(blank("application-form", 2027, "docx").render())

    header = tables[0]
    assert [row[0] for row in header][:2] == ["申报单位", "所在市"]
    assert {cell for row in header for cell in row[1::2]} == {""}
    lines = next(t for t in tables if t[0] == ["等级", "考核专业", "专业代码", "申报人数"])
    assert lines[1:] == [["", "", "", ""]] * BLANK_ROWS + [["合计", "", "", ""]]


def test_blank_adjustment_request_docx_has_no_year_figures(db):
    tables = docx_tables(blank("adjustment-request", 2027, "docx").render())

    rows = next(t for t in tables if t[0][0] == "序号")
    assert rows[1:] == [[""] * 8] * BLANK_ROWS + [["合计"] + [""] * 7]


def test_blank_summary_sheet_has_labels_and_empty_numbered_rows(db):
    sheet = load_workbook(io.BytesIO(blank("summary-sheet", 2027, "xlsx").render())).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]

    assert rows[1][0] == TITLES["summary-sheet"]
    assert rows[2][:2] == ["填报单位（盖章）", None]
    first = rows.index(next(r for r in rows if r[0] == "序号"))
    assert [r[0] for r in rows[first + 1 : first + 2 + BLANK_ROWS]] == list(range(1, BLANK_ROWS + 1)) + ["合计"]
    assert {c for r in rows[first + 1 : first + 1 + BLANK_ROWS] for c in r[1:]} == {None}


def test_blank_unknown_template_or_format_is_none():
    assert (blank("summary-sheet", 2027, "pdf"), blank("other", 2027, "pdf")) == (None, None)


def test_blank_download_needs_login_and_names_the_file(cast, client):
    url = "/notices/templates/2027/adjustment-request.docx"
    anonymous = client.get(url)
    client.force_login(cast.staff)

    response = client.get(url)

    assert anonymous.status_code == 302
    assert response.status_code == 200
    assert "filename*=UTF-8''2027" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_blank_download_unknown_is_404(cast, client):
    client.force_login(cast.staff)

    statuses = [client.get(f"/notices/templates/2027/{name}").status_code for name in ("summary-sheet.pdf", "x.pdf")]

    assert statuses == [404, 404]


def test_blank_templates_page_links_every_file(cast, client):
    client.force_login(cast.college_staff)

    html = client.get("/notices/templates/").content.decode()

    for name in ("application-form.pdf", "application-form.docx", "summary-sheet.xlsx", "adjustment-request.pdf"):
        assert f"/{name}" in html
