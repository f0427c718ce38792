from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from documents import adjustment_request as ar
from tests.documents.readers import docx_text, pdf_fonts, pdf_text


@pytest.fixture
def request_data() -> ar.AdjustmentRequest:
    return ar.AdjustmentRequest(
        institution_name="示例合肥职业技术学院",
        year=2027,
        institution_kind="高职院校",
        bureau_name="合肥市",
        contact_name="赵老师",
        contact_phone="0551-87654321",
        lines=[
            ar.AdjustmentLine("物流管理职业技能等级证书", "junior", "物流管理", 40, 60, "北京中物联物流采购培训中心"),
            ar.AdjustmentLine("物流管理职业技能等级证书", "中级", "现代物流管理", 0, 30),
        ],
        reason="学生报名人数超过原计划",
        office_head=ar.SignOff("张主任", date(2027, 5, 6), "同意调增"),
        leader=ar.SignOff("李校长", date(2027, 5, 7), "同意"),
    )


def test_adjustment_request_docx_holds_lines_totals_and_sign_offs(request_data):
    data = ar.docx(request_data)

    doc = Document(io.BytesIO(data))
    lines = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    assert [[c.text for c in row.cells] for row in lines.rows] == [
        ["序号", "证书名称", "培训评价组织", "等级", "考核专业", "原计划人数", "调整后人数", "调增人数"],
        ["1", "物流管理职业技能等级证书", "北京中物联物流采购培训中心", "初级", "物流管理", "40", "60", "+20"],
        ["2", "物流管理职业技能等级证书", "", "中级", "现代物流管理", "0", "30", "+30"],
        ["合计", "", "", "", "", "40", "90", "+50"],
    ]
    text = docx_text(data)
    for expected in [
        "附件3",
        ar.TITLE,
        "学生报名人数超过原计划",
        "学校证书试点管理部门意见",
        "负责人（签字）：张主任",
        "2027年5月6日",
        "校级分管领导意见",
        "分管领导（签字）：李校长",
        "2027年5月7日",
        "省1+X办公室意见",
    ]:
        assert expected in text, expected
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_adjustment_request_pdf_renders_chinese(request_data):
    data = ar.pdf(request_data)

    text = pdf_text(data)
    for expected in [ar.TITLE, "示例合肥职业技术学院", "物流管理职业技能等级证书", "张主任", "李校长", "+50"]:
        assert expected in text, expected
    assert {f.split("+", 1)[-1] for f in pdf_fonts(data)} >= {"Noto-Serif-CJK-SC embedded"}


def test_adjustment_request_unsigned_leaves_boxes_to_sign_by_hand(request_data):
    unsigned = ar.AdjustmentRequest(request_data.institution_name, 2027, request_data.lines, "理由")

    text = docx_text(ar.docx(unsigned))

    assert text.count("年    月    日") == 4  # office head, leader, school stamp, province


def test_adjustment_request_file_name_follows_the_notice(request_data):
    assert ar.filename(request_data, "pdf") == "示例合肥职业技术学院2027年证书调整申请.pdf"


def ten_lines(**overrides) -> ar.AdjustmentRequest:
    """The longest request the form is made for: 10 lines of a long certificate name, every box signed."""
    lines = [
        ar.AdjustmentLine(
            "大数据应用开发（Python）职业技能等级证书", "junior", f"计算机应用技术{i}", 40, 60, "阿里云计算有限公司"
        )
        for i in range(10)
    ]
    fields = {
        "institution_name": "示例合肥职业学校",
        "year": 2027,
        "lines": lines,
        "reason": "学生报名人数超过原计划，" * 8,
        "institution_kind": "中职学校",
        "bureau_name": "合肥市",
        "contact_name": "王老师",
        "contact_phone": "0551-12345678",
        "secondary": True,
        "office_head": ar.SignOff("张主任", date(2027, 5, 6), "同意"),
        "leader": ar.SignOff("李校长", date(2027, 5, 7), "同意"),
        "bureau": ar.SignOff("赵科长", date(2027, 5, 8), "同意"),
    }
    return ar.AdjustmentRequest(**(fields | overrides))


def decided(request: ar.AdjustmentRequest) -> ar.AdjustmentRequest:
    lines = [replace(ln, approved=55) for ln in request.lines]
    decision = ar.Decision("核减后同意", date(2027, 5, 10), "按实际报名核减", "孙审核")
    return replace(request, lines=lines, decision=decision)


@pytest.mark.parametrize(
    "request_", [ten_lines(), decided(ten_lines()), ten_lines(secondary=False)], ids=["asked", "decided", "college"]
)
def test_adjustment_request_pdf_of_ten_lines_is_one_page(request_):
    assert len(PdfReader(io.BytesIO(ar.pdf(request_))).pages) == 1


def test_adjustment_request_has_the_bureau_box_for_a_secondary_school_only():
    school = pdf_text(ar.pdf(ten_lines()))
    college = docx_text(ar.docx(ten_lines(secondary=False, bureau=ar.SignOff())))

    assert ("市教育局意见" in school, "赵科长" in school) == (True, True)
    assert "市教育局意见" not in college


def test_adjustment_request_before_the_decision_says_it_awaits_one():
    text = docx_text(ar.docx(ten_lines()))

    assert "本表为调整申请，尚待省1+X办公室审核决定，所列调整后人数为申请人数。" in text
    assert "核定调整后人数" not in text


def test_adjustment_request_after_the_decision_shows_asked_and_approved_figures_and_the_opinion():
    data = ar.docx(decided(ten_lines()))

    doc = Document(io.BytesIO(data))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    assert [c.text for c in table.rows[0].cells][-4:] == ["原计划人数", "调整后人数", "调增人数", "核定调整后人数"]
    assert [c.text for c in table.rows[1].cells][-4:] == ["40", "60", "+20", "55"]
    assert [c.text for c in table.rows[-1].cells][-4:] == ["400", "600", "+200", "550"]
    text = docx_text(data)
    assert "省1+X办公室已于2027年5月10日作出决定：核减后同意；核定后合计550人（原计划400人）。" in text
    assert "核减后同意。按实际报名核减" in text
    assert "审核人（签字）：孙审核" in text
