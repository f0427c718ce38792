from __future__ import annotations

from documents.institution_summary import TITLE, InstitutionSummary
from plans.enums import PlanStatus
from plans.models import PlanLine
from tests.documents.readers import formulas, row_starting, rows, workbook
from tests.factories import J, M, draft, last_year


def test_institution_summary_holds_header_lines_and_totals(known):
    data = InstitutionSummary(known.plan).render()

    sheet = workbook(data)["校级汇总表"]
    all_rows = [[v for v in r if v is not None] for r in rows(sheet)]
    assert all_rows[0] == ["附件2"]
    assert all_rows[1] == [TITLE]
    assert all_rows[2:6] == [
        ["填报单位（盖章）", "示例合肥职业学校", "单位类型", "中职学校", "所在市", "合肥市"],
        ["院校代码", "—", "联系人", "王老师", "联系电话", "0551-12345678"],
        ["申报轮次", "2027年春季", "本次申报人数", 105, "2027年申报规模（人）", 105],
        ["2026年申报规模（人）", 45, "2026年考核完成率", "62.5%", "平台注册账号", "AH-TEST"],
    ]
    assert all_rows[6] == [
        "序号",
        "证书名称",
        "培训评价组织",
        "等级",
        "考核专业",
        "专业代码",
        "申报人数",
        "新增/已申报",
        "上年申报人数",
        "上年核定人数",
        "备注",
    ]
    assert rows(sheet)[7:10] == [
        [
            1,
            "物流管理职业技能等级证书",
            "北京中物联物流采购培训中心",
            "初级",
            "物流管理",
            None,
            40,
            "已申报",
            45,
            45,
            "较上年减少，按实际报名",
        ],
        [2, "物流管理职业技能等级证书", "北京中物联物流采购培训中心", "中级", "物流管理", "530802", 30, "已申报", 0, 0],
        [
            3,
            "Web前端开发职业技能等级证书",
            "工业和信息化部教育与考试中心",
            "初级",
            "计算机应用技术",
            "510201",
            35,
            "新增",
            0,
            0,
        ],
    ]
    assert row_starting(sheet, "合计") == ["合计", "2个证书，3条", None, None, None, None, 105, None, 45, 45]
    assert formulas(data) == []


def test_institution_summary_shows_last_year_once_per_certificate_level(cast, spring, known):
    """Two majors of one certificate-level: last year's figures in one cell over both, and the column adds up."""
    school, logistics = cast.college1, known.logistics
    last_year(school, 2026, [(logistics, J, "物流管理", 50), (logistics, J, "电子商务", 20)])
    PlanLine.objects.filter(plan__institution=school).update(headcount=80)  # applied 80 + 80, approved 50 + 20
    plan = draft(
        school,
        spring,
        [(logistics, J, "物流管理", 40), (logistics, M, "物流管理", 30)],
        status=PlanStatus.BUREAU_REVIEW,
    )
    PlanLine.objects.create(plan=plan, certificate=logistics, level=J, major_name="电子商务", headcount=35)

    sheet = workbook(InstitutionSummary(plan).render())["校级汇总表"]

    table = list(sheet.iter_rows(min_row=8, max_row=10, values_only=True))
    assert [(r[3], r[4], r[8], r[9]) for r in table] == [
        ("初级", "物流管理", 160, 70),
        ("初级", "电子商务", None, None),
        ("中级", "物流管理", 0, 0),
    ]
    assert "I8:I9" in {str(r) for r in sheet.merged_cells.ranges}
    assert row_starting(sheet, "合计")[8:10] == [160, 70]


def test_institution_summary_carries_justifications_in_remarks(known):
    PlanLine.objects.filter(plan=known.plan, certificate=known.web).update(justification="该专业与证书对应，已论证")

    sheet = workbook(InstitutionSummary(known.plan).render())["校级汇总表"]

    assert rows(sheet)[9][10] == "说明：该专业与证书对应，已论证"


def test_institution_summary_has_stamp_boxes_for_school_and_bureau(known):
    sheet = workbook(InstitutionSummary(known.plan).render())["校级汇总表"]

    boxes = [v for r in rows(sheet) for v in r if isinstance(v, str) and v.endswith("年    月    日")]

    assert [b.split("：")[0] for b in boxes] == ["学校意见", "市教育局意见"]
    assert "（盖章）" in boxes[0]


def test_institution_summary_prints_on_a4_landscape_one_page_wide(known):
    sheet = workbook(InstitutionSummary(known.plan).render())["校级汇总表"]

    assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) == (9, "landscape")
    # fitToWidth absent means 1 (the OOXML default); fitToHeight 0: as many pages tall as needed.
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_area == "'校级汇总表'!$A$1:$K$18"  # title to the stamp boxes
    assert sheet.print_title_rows == "$7:$7"
    assert (sheet.oddHeader.left.text, sheet.oddFooter.center.text) == (
        "示例合肥职业学校　2027年春季",
        "第 &P 页，共 &N 页",
    )


def test_institution_summary_file_name_follows_the_notice(known):
    assert InstitutionSummary(known.plan).filename() == "示例合肥职业学校2027年证书申报-附件2校级汇总表.xlsx"
