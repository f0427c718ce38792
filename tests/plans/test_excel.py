"""Plan lines from Excel: all rows or none, one message per bad row with its number; the template round trip."""

import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from plans.excel import COLUMNS, template_response
from plans.line_import import apply_lines, compare, read_lines
from plans.models import PlanLine
from tests.conftest import make_certificate
from tests.factories import J, M, draft


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def logistics(db):
    return make_certificate("物流管理职业技能等级证书", levels=[J, M])


def xlsx(rows, header=COLUMNS, name="lines.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@dataclass
class Imported:
    added: int
    errors: list[str]


def import_lines(*, actor, plan, upload) -> Imported:
    """Read the file and apply it as confirmed, removing nothing."""
    read = read_lines(upload)
    if read.errors:
        return Imported(0, read.errors)
    digest = compare(plan, read.lines).digest
    return Imported(apply_lines(actor=actor, plan=plan, lines=read.lines, digest=digest, remove=set()).added, [])


def test_excel_good_file_adds_every_line(cast, spring, logistics):
    plan = draft(cast.school1, spring)
    upload = xlsx(
        [
            ["物流管理职业技能等级证书", "初级", "物流管理", "630801", 30, "", ""],
            ["物流管理", "中级", "电子商务", "", 40, "备注", ""],
        ]
    )

    result = import_lines(actor=cast.staff, plan=plan, upload=upload)

    assert (result.added, result.errors) == (2, [])
    assert sorted(plan.lines.values_list("level", "major_name", "major_code", "headcount")) == [
        (M, "电子商务", "", 40),
        (J, "物流管理", "630801", 30),
    ]


def test_excel_each_bad_row_is_reported_and_nothing_is_imported(cast, spring, logistics):
    plan = draft(cast.school1, spring)
    upload = xlsx(
        [
            ["物流管理职业技能等级证书", "初级", "物流管理", "", 30, "", ""],
            ["不存在的证书", "初级", "物流管理", "", 30, "", ""],
            ["物流管理职业技能等级证书", "高级", "物流管理", "", 30, "", ""],
            ["物流管理职业技能等级证书", "中级", "物流管理", "", "三十", "", ""],
            ["物流管理职业技能等级证书", "初级", "物流管理", "", 10, "", ""],
            ["物流管理职业技能等级证书", "特级", "物流管理", "", 10, "", ""],
        ]
    )

    result = import_lines(actor=cast.staff, plan=plan, upload=upload)

    assert result.added == 0
    assert result.errors == [
        "Row 3: unknown certificate “不存在的证书”",
        "Row 4: 物流管理 does not offer 高级; it offers: 初级、中级",
        "Row 5: the headcount “三十” is not a whole number above zero",
        "Row 6: this certificate, level and major appears more than once in the file",
        "Row 7: unknown level “特级” (初级, 中级 or 高级)",
    ]
    assert PlanLine.objects.count() == 0


def test_excel_a_line_already_in_the_plan_is_the_same_line(cast, spring, logistics):
    plan = draft(cast.school1, spring, [(logistics, J, "物流管理", 30)])

    diff = compare(plan, read_lines(xlsx([["物流管理职业技能等级证书", "初级", "物流管理", "", 30, "", ""]])).lines)

    assert (diff.added, diff.changed, diff.missing, diff.unchanged, diff.is_empty) == ([], [], [], 1, True)
    assert PlanLine.objects.count() == 1


def test_excel_a_file_that_is_not_excel_is_refused(cast, spring):
    plan = draft(cast.school1, spring)
    upload = SimpleUploadedFile("lines.xlsx", b"MZ\x90\x00 this is a renamed program")

    result = import_lines(actor=cast.staff, plan=plan, upload=upload)

    assert result.added == 0
    assert len(result.errors) == 1
    assert result.errors[0].startswith("lines.xlsx is named as a XLSX file but its content is")
    assert PlanLine.objects.count() == 0


def test_excel_an_empty_file_is_refused(cast, spring):
    plan = draft(cast.school1, spring)

    result = import_lines(actor=cast.staff, plan=plan, upload=xlsx([]))
    zero = import_lines(actor=cast.staff, plan=plan, upload=SimpleUploadedFile("lines.xlsx", b""))

    assert result.errors == ["The file has no data rows."]
    assert len(zero.errors) == 1
    assert PlanLine.objects.count() == 0


def test_excel_a_wrong_header_names_the_missing_columns(cast, spring):
    plan = draft(cast.school1, spring)

    result = import_lines(actor=cast.staff, plan=plan, upload=xlsx([["a", "b"]], header=["证书", "级别"]))

    assert len(result.errors) == 1
    assert "证书名称" in result.errors[0] and "申报人数" in result.errors[0]


def test_excel_template_round_trips_through_the_import(cast, spring, logistics, autumn):
    source = draft(cast.school1, spring, [(logistics, J, "物流管理", 30), (logistics, M, "=SUM(A1)", 35)])
    target = draft(cast.school1, autumn)
    response = template_response(source)
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    result = import_lines(actor=cast.staff, plan=target, upload=SimpleUploadedFile("t.xlsx", response.content))

    assert [c.value for c in book["申报条目"][1]] == COLUMNS
    assert book["申报条目"]["C3"].data_type == "s"
    assert (result.added, result.errors) == (2, [])
    assert sorted(target.lines.values_list("major_name", "headcount")) == [("=SUM(A1)", 35), ("物流管理", 30)]
