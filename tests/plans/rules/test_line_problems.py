"""A line's own problems: one check, and every way a line comes in (page and API, Excel, adjustment) says the same."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from adjustments.rules import Change, r7_new_line_problems, read_record
from catalog.models import CertificateLevel
from plans import services
from plans.excel import COLUMNS
from plans.line_import import read_lines
from plans.models import PlanLine
from plans.rules import line_problems
from tests.conftest import make_certificate
from tests.factories import J, M, S, draft, published_plan

OFFERS_TWO = "物流管理 does not offer 高级; it offers: 初级、中级"


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J, M])


def check(certificate, level=J, major_name="物流管理", headcount=30):
    offered = CertificateLevel.objects.offered().get(certificate.pk, []) if certificate else []
    return line_problems(
        certificate=certificate, level=level, major_name=major_name, headcount=headcount, offered=offered
    )


def test_line_problems_of_a_good_line_are_none(logistics):
    assert check(logistics) == []


def test_line_problems_name_the_level_and_the_levels_offered(logistics):
    assert check(logistics, level=S) == [OFFERS_TWO]


def test_line_problems_leave_the_level_alone_when_the_certificate_is_unknown(db):
    assert check(None, level=S) == []


def test_line_problems_refuse_an_empty_major(logistics):
    assert check(logistics, major_name="  ") == ["the major is empty"]


@pytest.mark.parametrize("headcount", [0, -1, None, "", "三十", "0", True])
def test_line_problems_refuse_a_headcount_that_is_not_a_whole_number_above_zero(logistics, headcount):
    assert check(logistics, headcount=headcount) == [f"the headcount “{headcount}” is not a whole number above zero"]


def test_line_problems_take_the_text_of_a_cell(logistics):
    assert check(logistics, headcount="30") == []


def test_line_problems_list_every_problem_of_the_line(logistics):
    assert check(logistics, level=S, major_name="", headcount=0) == [
        OFFERS_TWO,
        "the major is empty",
        "the headcount “0” is not a whole number above zero",
    ]


def test_line_problems_are_the_same_from_the_page_the_upload_and_an_adjustment(cast, spring, logistics):
    plan = draft(cast.school1, spring)
    with pytest.raises(services.PlanError) as from_page:
        services.add_line(
            actor=cast.staff, plan=plan, certificate=logistics, level=S, major_name="物流管理", headcount=30
        )
    book = openpyxl.Workbook()
    book.active.append(COLUMNS)
    book.active.append(["物流管理职业技能等级证书", "高级", "物流管理", "", 30, "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    from_upload = read_lines(SimpleUploadedFile("lines.xlsx", buffer.getvalue()))
    published = published_plan(cast.school2, 2026, [(logistics, J, "物流管理", 40)])
    from_adjustment = r7_new_line_problems(
        read_record(published), [Change(headcount=30, certificate_id=logistics.pk, level=S, major_name="物流管理")]
    )

    assert str(from_page.value) == OFFERS_TWO
    assert from_upload.errors == [f"Row 2: {OFFERS_TWO}"]
    assert [v.message for v in from_adjustment] == [OFFERS_TWO]
    assert PlanLine.objects.filter(plan=plan).count() == 0


def test_update_line_refuses_an_emptied_major(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])
    line = plan.lines.get()

    with pytest.raises(services.PlanError) as raised:
        services.update_line(actor=cast.staff, line=line, major_name=" ")

    assert str(raised.value) == "the major is empty"
