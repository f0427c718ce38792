"""Exam-result files shaped like the national platform's downloads (issue 14): the header under a merged
title or notes, synonyms only, a header row chosen by hand, required fields unmapped, formula cells, and
the row limit."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from monitoring import crypto
from monitoring.enums import ImportStatus
from monitoring.models import Candidate, LineProgress, ProgressImport
from tests.monitoring.conftest import CARE, LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, TOTALS_HEADERS, M, id_number, line_of
from tests.monitoring.helpers import confirm, run_import, upload
from tests.shapes import shaped

SYNONYMS = ["考生姓名", "身份证号码", "考核证书", "证书等级", "考试日期", "成绩", "证书号"]


def said(msgid: str, **values) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid) % values


def candidates(n: int = 2) -> list[list]:
    """Rows as the platform exports them: ID numbers and dates stored as text."""
    people = [
        ("张三", LOGISTICS, "中级", "通过"),
        ("李四", CARE, "初级", "不通过"),
        ("王五", LOGISTICS, "中级", "缺考"),
    ]
    return [[name, id_number(), cert, level, "2027-05-10", result, ""] for name, cert, level, result in people[:n]]


def save(tmp_path, data: bytes, name: str = "考核结果.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("above", "header_row"), [("none", 1), ("title", 2), ("notes", 5)])
def test_candidates_import_finds_the_header_row(client, cast, plans, tmp_path, frozen, above, header_row):
    path = save(tmp_path, shaped(CANDIDATE_HEADERS, candidates(), above=above))
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert (job.header_row, job.status, job.rows_read, job.rows_written) == (header_row, "done", 2, 2)
    assert LineProgress.objects.get(line=line_of(plans["school"], plans["logistics"], M)).passed == 1


def test_totals_import_finds_the_header_under_a_title_with_counts_stored_as_text(client, cast, plans, tmp_path, frozen):
    rows = [[cast.school1.name, LOGISTICS, "中级", "物流管理", "30", "20", "10"]]
    path = save(tmp_path, shaped(TOTALS_HEADERS, rows, above="title"))
    client.force_login(cast.provincial_reviewer)

    job = run_import(client, path, kind="totals")

    progress = LineProgress.objects.get(line=line_of(plans["school"], plans["logistics"], M))
    assert (job.header_row, job.status, job.rows_written) == (2, "done", 1)
    assert (progress.registered, progress.examined, progress.passed) == (30, 20, 10)


def test_a_header_of_synonyms_only_is_found_and_mapped(client, cast, plans, tmp_path, frozen):
    path = save(tmp_path, shaped(SYNONYMS, candidates(), above="notes"))
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert job.mapping == {
        "name": "考生姓名",
        "id_number": "身份证号码",
        "certificate": "考核证书",
        "level": "证书等级",
        "exam_date": "考试日期",
        "result": "成绩",
        "certificate_number": "证书号",
    }
    assert (job.header_row, job.status, job.rows_written) == (5, "done", 2)


def test_the_mapping_page_shows_the_header_row_and_takes_another_one(client, cast, plans, tmp_path, frozen):
    path = save(tmp_path, shaped(CANDIDATE_HEADERS, candidates(), above="notes"))
    client.force_login(cast.staff)
    upload(client, path)
    job = ProgressImport.objects.get()
    page = client.get(reverse("monitoring:import_map", args=[job.pk])).content.decode()

    client.post(reverse("monitoring:import_header", args=[job.pk]), {"header_row": "1"})
    job.refresh_from_db()
    on_title = client.get(reverse("monitoring:import_map", args=[job.pk])).content.decode()
    client.post(reverse("monitoring:import_header", args=[job.pk]), {"header_row": "5"})
    back = ProgressImport.objects.get()

    shown = (
        "Row %(row)s was taken as the header: the rows above it (a title, notes) are not read, the rows below it are."
    )
    assert 'data-testid="header-row">' + said(shown, row=5) in page
    assert (job.header_row, job.headers[:2], job.mapping) == (1, ["2026年职业技能等级证书考核结果", ""], {})
    assert "✓" not in on_title
    assert (back.header_row, back.mapping["id_number"]) == (5, "身份证号")
    assert list(
        AuditEvent.objects.filter(action="monitoring.import.header")
        .order_by("pk")
        .values_list("after__header_row", flat=True)
    ) == [1, 5]


def test_an_unmapped_required_field_is_an_error_on_the_mapping_page_never_a_tick(client, cast, plans, tmp_path, frozen):
    header = ["姓名", "证件", "证书名称", "等级", "考核日期", "考核结果"]  # "证件" is no name of the ID number
    path = save(tmp_path, shaped(header, [row[:6] for row in candidates()], above="title"))
    client.force_login(cast.staff)
    upload(client, path)
    job = ProgressImport.objects.get()

    page = client.get(reverse("monitoring:import_map", args=[job.pk])).content.decode()
    refused = confirm(client, job)
    job.refresh_from_db()

    message = said("Map a column to: %(fields)s.", fields=said("ID number"))
    assert 'data-testid="unmapped">' + message in page
    assert "✓" not in page
    assert page.count(message) == 3  # the error above the mapping, and the check of each of the two rows
    assert (refused.status_code, job.status, Candidate.objects.count()) == (200, ImportStatus.UPLOADED, 0)


def test_formula_cells_give_their_cached_value_or_their_text(client, cast, plans, tmp_path, frozen):
    rows = candidates(3)
    rows[0][0] = '=CONCATENATE("张","三")'  # cached 张三, as Excel saves it
    rows[1][0] = '=CONCATENATE("李","四")'  # no cached value, as a program writes it
    rows[2][2] = "=VLOOKUP(A4,证书!A:B,2,FALSE)"  # a certificate as a formula, no value: an unknown certificate
    path = save(tmp_path, shaped(CANDIDATE_HEADERS, rows, above="title", cached={"A3": "张三"}))
    client.force_login(cast.staff)

    job = run_import(client, path)
    names = sorted(crypto.unseal(c.sealed)[0] for c in Candidate.objects.all())
    issues = openpyxl.load_workbook(io.BytesIO(client.get(reverse("monitoring:import_issues", args=[job.pk])).content))
    cells = [cell for row in issues.active.iter_rows() for cell in row if cell.value is not None]

    assert (job.rows_written, job.error_count) == (2, 1)
    assert names == ['=CONCATENATE("李","四")', "张三"]
    assert "=VLOOKUP(A4,证书!A:B,2,FALSE)" in job.issues[0]["message"]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_the_row_limit_takes_a_file_at_the_limit_and_refuses_one_more(client, cast, plans, tmp_path, frozen, settings):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(cast.staff)
    at_limit = save(tmp_path, shaped(CANDIDATE_HEADERS, candidates(3), above="notes"), "at.xlsx")
    over = save(tmp_path, shaped(CANDIDATE_HEADERS, candidates(3) + candidates(1), above="notes"), "over.xlsx")

    job = run_import(client, at_limit)
    response = upload(client, over)
    refused = ProgressImport.objects.latest("pk")

    assert (job.status, job.rows_read) == ("done", 3)
    assert (response.status_code, refused.status, refused.file.name) == (302, ImportStatus.REFUSED, "")
    assert refused.message == said(
        "The file has %(rows)s rows; at most %(max)s rows can be imported at once. Split it into smaller files.",
        rows=4,
        max=3,
    )
