from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn

from documents.application_form import TITLE, ApplicationFormExport
from tests.documents.readers import docx_text, pdf_fonts, pdf_text


@pytest.fixture
def export(known) -> ApplicationFormExport:
    return ApplicationFormExport.for_plan(known.plan, known.web.pk)


def test_application_form_docx_holds_the_forms_fields(export):
    text = docx_text(export.docx())

    for expected in [
        "附件1",
        TITLE,
        "示例合肥职业学校",
        "中职学校",
        "合肥市",
        "王老师",
        "2027年春季",
        "Web前端开发职业技能等级证书",
        "工业和信息化部教育与考试中心",
        "第一批",
        "计算机应用技术",
        "510201",
        "软件技术",
        "200",  # enrolled students in all majors
        "张老师",
        "考评员",
        "Web前端实训室两间，机位100个",
        "科大讯飞股份有限公司",
        "每周4学时，共16周",
        "52,000.50",
        "学校专项经费",
        "2027年03月20日",
        "李教授",
        "安徽大学",
        "同意申报",
        "学校意见",
        "市教育局意见",
        "省1+X办公室意见",
        "（盖章）",
    ]:
        assert expected in text, expected


def test_application_form_docx_lines_table_has_the_total(export):
    doc = Document(io.BytesIO(export.docx()))

    lines = next(t for t in doc.tables if t.rows[0].cells[0].text == "等级")

    assert [[c.text for c in row.cells] for row in lines.rows] == [
        ["等级", "考核专业", "专业代码", "申报人数"],
        ["初级", "计算机应用技术", "510201", "35"],
        ["合计", "", "", "35"],
    ]


def test_application_form_docx_is_a4_with_an_east_asian_font(export):
    doc = Document(io.BytesIO(export.docx()))

    section = doc.sections[0]
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # Word keeps twips
    assert fonts.get(qn("w:eastAsia")) == "仿宋"


def test_application_form_pdf_renders_chinese_with_an_embedded_font(export):
    data = export.pdf()

    text = pdf_text(data)
    assert data.startswith(b"%PDF-")
    for expected in [TITLE, "示例合肥职业学校", "Web前端开发职业技能等级证书", "计算机应用技术", "35", "同意申报"]:
        assert expected in text, expected
    assert {f.split("+", 1)[-1] for f in pdf_fonts(data)} >= {"Noto-Serif-CJK-SC embedded"}


def test_application_form_of_a_college_has_no_bureau_box(cast, spring):
    from plans.enums import PlanStatus
    from tests.conftest import make_certificate
    from tests.documents.builders import WEB_FORM
    from tests.factories import J, complete_form, draft

    cert = make_certificate("大数据应用开发（Python）职业技能等级证书")
    plan = draft(cast.college1, spring, [(cert, J, "大数据技术", 50)], status=PlanStatus.BUREAU_REVIEW)
    complete_form(plan, cert, **WEB_FORM)

    text = docx_text(ApplicationFormExport.for_plan(plan, cert.pk).docx())

    assert ("学校意见" in text, "市教育局意见" in text, "省1+X办公室意见" in text) == (True, False, True)


def test_application_form_file_name_follows_the_notice(export):
    assert export.filename("docx") == "示例合肥职业学校2027年证书申报-附件1申报表-Web前端开发.docx"
    assert export.filename("pdf") == "示例合肥职业学校2027年证书申报-附件1申报表-Web前端开发.pdf"


def test_application_form_shows_the_ministry_code_and_names_round_and_batch_apart(cast, known, export):
    cast.school1.ministry_code = "4134000123"
    cast.school1.save()
    export.form.plan.institution.refresh_from_db()

    docx = docx_text(export.docx())
    pdf = pdf_text(export.pdf())

    for text in (docx, "\n".join([pdf])):
        assert "院校代码" in text and "4134000123" in text
        assert ("申报批次" in text, "证书批次" in text) == (False, False)
    assert "申报轮次\n2027年春季" in docx
    assert "证书目录批次" in docx


def test_application_form_docx_rows_grow_with_their_content_and_keep_together(export):
    doc = Document(io.BytesIO(export.docx()))

    boxes = [t for t in doc.tables if t.rows[0].cells[0].text == "证书培训计划"]
    signatures = doc.tables[-1]
    headings = [p for p in doc.paragraphs if p.text.startswith("八、")]

    assert (boxes[0].rows[1].height_rule, round(boxes[0].rows[1].height.mm)) == (WD_ROW_HEIGHT_RULE.AT_LEAST, 16)
    assert signatures.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    assert headings[0].paragraph_format.keep_with_next is True
    assert headings[0].runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
