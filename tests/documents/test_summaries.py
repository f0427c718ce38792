"""The bureau's summary of its schools and the province's summary of a round."""

from __future__ import annotations

import pytest
from django.utils import translation

from documents import labels
from documents.bureau_summary import BureauSummary
from documents.provincial_summary import ProvincialSummary
from plans.enums import PlanStatus
from plans.models import Plan
from tests.conftest import make_certificate
from tests.documents.readers import formulas, row_starting, rows, workbook
from tests.factories import J, M, draft


@pytest.fixture
def round_data(cast, spring, known):
    """school1 (known) approved by its bureau, college1 in provincial review, college2 published, school2 still at
    bureau review (in no summary but its bureau's note)."""
    Plan.objects.filter(pk=known.plan.pk).update(status=PlanStatus.PROVINCIAL_REVIEW)
    bigdata = make_certificate("大数据应用开发（Python）职业技能等级证书", body="阿里云计算有限公司")
    draft(
        cast.college1,
        spring,
        [(bigdata, J, "大数据技术", 50), (known.logistics, M, "物流管理", 60)],
        status=PlanStatus.PROVINCIAL_REVIEW,
    )
    published = draft(cast.college2, spring, [(bigdata, J, "软件技术", 40)], status=PlanStatus.PUBLISHED)
    published.lines.update(approved_headcount=35)
    draft(cast.school2, spring, [(bigdata, J, "计算机应用", 99)], status=PlanStatus.BUREAU_REVIEW)
    return known


def test_bureau_summary_lists_its_submitted_schools_with_totals(cast, spring, round_data):
    data = BureauSummary(cast.bureau1, spring).render()

    book = workbook(data)
    schools = book["学校汇总"]
    assert rows(schools)[0] == ["合肥市教育局2027年春季1+X证书申报汇总表"]
    assert rows(schools)[2] == [1, "示例合肥职业学校", "中职学校", "省级审核", 3, 2, 1, 105, 45, 62.5]
    assert row_starting(schools, "合计") == ["合计", "1所学校", None, None, 3, 2, 1, 105, 45]
    details = book["申报明细"]
    assert [r[:9] for r in rows(details)[2:5]] == [
        [
            "示例合肥职业学校",
            "物流管理职业技能等级证书",
            "北京中物联物流采购培训中心",
            "初级",
            "物流管理",
            None,
            40,
            "已申报",
            45,
        ],
        [
            "示例合肥职业学校",
            "物流管理职业技能等级证书",
            "北京中物联物流采购培训中心",
            "中级",
            "物流管理",
            "530802",
            30,
            "已申报",
            45,
        ],
        [
            "示例合肥职业学校",
            "Web前端开发职业技能等级证书",
            "工业和信息化部教育与考试中心",
            "初级",
            "计算机应用技术",
            "510201",
            35,
            "新增",
            0,
        ],
    ]
    assert row_starting(details, "合计")[6] == 105
    assert formulas(data) == []


def test_bureau_summary_leaves_out_colleges_and_other_bureaus(cast, spring, round_data):
    book = workbook(BureauSummary(cast.bureau2, spring).render())

    assert row_starting(book["学校汇总"], "合计") == ["合计", "0所学校", None, None, 0, 0, 0, 0, 0]


def test_bureau_summary_counts_only_plans_it_approved_and_notes_those_in_review(cast, spring, round_data):
    schools = workbook(BureauSummary(cast.bureau2, spring).render())["学校汇总"]

    assert "示例芜湖中等专业学校" not in [v for r in rows(schools) for v in r]
    assert ["注：另有1所学校的申报处于市级初审中，未计入本表。"] in rows(schools)


def test_provincial_summary_has_four_sheets_with_totals(spring, round_data):
    data = ProvincialSummary(spring).render()

    book = workbook(data)
    assert book.sheetnames == ["按市汇总", "按院校类型", "按证书", "全部条目"]
    by_bureau = book["按市汇总"]
    assert row_starting(by_bureau, 1) == [1, "合肥市", 2, 1, 1, 2, 5, 215, 0]
    assert row_starting(by_bureau, 2) == [2, "芜湖市", 1, 0, 1, 0, 1, 40, 35]
    assert row_starting(by_bureau, "合计") == ["合计", None, 3, 1, 2, 2, 6, 255, 35]
    by_kind = book["按院校类型"]
    assert [r for r in rows(by_kind)[3:8]] == [
        ["应用型本科", 1, 0, 1, 40, 35],
        ["高职院校", 1, 1, 2, 110, 0],
        ["省属中专", 0, 0, 0, 0, 0],
        ["中职学校", 1, 1, 3, 105, 0],
        ["合计", 3, 2, 6, 255, 35],
    ]
    by_certificate = book["按证书"]
    assert rows(by_certificate)[3:8] == [
        ["Web前端开发职业技能等级证书", "工业和信息化部教育与考试中心", "初级", 1, 1, 35, 0],
        ["大数据应用开发（Python）职业技能等级证书", "阿里云计算有限公司", "初级", 2, 2, 90, 35],
        ["物流管理职业技能等级证书", "北京中物联物流采购培训中心", "初级", 1, 1, 40, 0],
        ["物流管理职业技能等级证书", "北京中物联物流采购培训中心", "中级", 2, 2, 90, 0],
        ["合计", None, None, None, 6, 255, 35],
    ]
    lines = book["全部条目"]
    assert len(rows(lines)) == 3 + 6 + 1
    assert rows(lines)[3] == [
        "合肥市",
        "示例合肥职业学校",
        "中职学校",
        "省级审核",
        "物流管理职业技能等级证书",
        "北京中物联物流采购培训中心",
        "初级",
        "物流管理",
        None,
        40,
        None,
        "已申报",
        45,
        "较上年减少，按实际报名",
    ]
    assert row_starting(lines, "合计") == ["合计", "6条", None, None, None, None, None, None, None, 255, 35]
    assert formulas(data) == []


def test_provincial_summary_leaves_out_a_plan_at_bureau_review(spring, round_data):
    lines = workbook(ProvincialSummary(spring).render())["全部条目"]

    names = {r[1] for r in rows(lines)[3:] if r and r[0] != "合计"}

    assert names == {"示例合肥职业学校", "示例合肥职业技术学院", "示例芜湖应用技术学院"}


def test_summaries_name_statuses_as_the_pages_do():
    with translation.override("zh-hans"):
        pages = {value: str(label) for value, label in PlanStatus.choices}

    assert labels.statuses() == pages
    assert labels.status(PlanStatus.PUBLISHED) == "已发布"
