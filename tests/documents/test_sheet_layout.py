"""Every spreadsheet document prints on A4 as it comes out: each cell's text fits its column (East Asian width:
a CJK character counts 2) or wraps into a row tall enough, one page wide, the header row on every page, the
owner in the page header and the page numbers in the footer."""

from __future__ import annotations

import pytest

from documents.bureau_summary import BureauSummary
from documents.institution_summary import InstitutionSummary
from documents.provincial_summary import ProvincialSummary
from plans.enums import PlanStatus
from plans.models import Plan, PlanLine
from tests.documents.readers import print_layout, row_starting, rows, unfit_cells, workbook

LONG = "现代物流管理与供应链数字化运营（含跨境电子商务方向）专业群"
LAYOUT = {"paper": 9, "fit": (True, 1, 0), "area": True, "titles": True, "footer": "第 &P 页，共 &N 页"}


@pytest.fixture
def documents(cast, spring, known):
    """The three spreadsheet documents of a plan the bureau approved, with a long major name and remark."""
    Plan.objects.filter(pk=known.plan.pk).update(status=PlanStatus.PROVINCIAL_REVIEW)
    PlanLine.objects.filter(plan=known.plan, certificate=known.web).update(major_name=LONG, remark=LONG * 2)
    return {
        "附件2": InstitutionSummary(known.plan).render(),
        "市级汇总表": BureauSummary(cast.bureau1, spring).render(),
        "省级汇总表": ProvincialSummary(spring).render(),
    }


@pytest.mark.parametrize("name", ["附件2", "市级汇总表", "省级汇总表"])
def test_sheet_layout_every_cell_fits_and_prints_one_page_wide(documents, name):
    book = workbook(documents[name])

    for sheet in book.worksheets:
        assert unfit_cells(sheet) == []
        assert print_layout(sheet) == LAYOUT, sheet.title
        assert sheet.oddHeader.left.text


def test_sheet_layout_owner_in_each_page_header(documents):
    owners = {name: {s.oddHeader.left.text for s in workbook(data).worksheets} for name, data in documents.items()}

    assert owners == {
        "附件2": {"示例合肥职业学校　2027年春季"},
        "市级汇总表": {"合肥市教育局"},
        "省级汇总表": {"安徽省1+X证书试点工作办公室"},
    }


def test_sheet_layout_institution_summary_carries_contacts_and_last_year_adds_up(documents):
    sheet = workbook(documents["附件2"])["校级汇总表"]

    contacts = row_starting(sheet, "院校代码")
    table = list(sheet.iter_rows(min_row=8, max_row=10, values_only=True))

    assert [v for v in contacts if v is not None][2:] == ["联系人", "王老师", "联系电话", "0551-12345678"]
    assert sum(r[8] or 0 for r in table) == row_starting(sheet, "合计")[8] == 45
    assert sum(r[9] or 0 for r in table) == row_starting(sheet, "合计")[9] == 45


def test_sheet_layout_wraps_a_long_remark_into_a_taller_row(documents):
    sheet = workbook(documents["附件2"])["校级汇总表"]

    [cell] = [c for r in sheet.iter_rows() for c in r if c.value == LONG * 2]

    assert cell.alignment.wrap_text is True
    assert sheet.row_dimensions[cell.row].height >= 3 * 13
    assert rows(sheet)[cell.row - 1][4] == LONG
