from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from monitoring import checking, crypto
from monitoring.enums import ImportMode, ImportStatus, ProgressSource, Result
from monitoring.idnumbers import mask
from monitoring.models import Candidate, CertificateProgress, ColumnLayout, InstitutionProgress, LineProgress
from tests.factories import published_plan
from tests.monitoring.conftest import CARE, LOGISTICS, WEB
from tests.monitoring.factories import (
    CANDIDATE_HEADERS,
    TOTALS_HEADERS,
    J,
    M,
    bad_check_digit,
    id_number,
    line_of,
    write_xlsx,
)
from tests.monitoring.helpers import confirm, run_import, upload


def said(msgid: str, **values) -> str:
    """A message as the job words it (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid) % values


def counts(line) -> tuple[int, int, int]:
    progress = LineProgress.objects.get(line=line)
    return progress.registered, progress.examined, progress.passed


def test_import_candidates_valid_file_writes_candidates_lines_and_rollups(client, cast, plans, tmp_path, frozen):
    first, second, third, fourth = id_number(), id_number(), id_number(), id_number()
    path = write_xlsx(
        tmp_path / "candidates.xlsx",
        [
            CANDIDATE_HEADERS,
            ["张三丰", first, LOGISTICS, "中级", date(2027, 5, 10), "通过", "C0001"],
            ["李四", second, "物流管理", "中级", date(2027, 5, 10), "不通过", ""],
            ["王五", third, CARE, "初级", date(2027, 5, 12), "缺考", ""],
            ["赵六", fourth, CARE, "初级", None, "", ""],
        ],
    )
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert (job.status, job.rows_read, job.rows_written, job.error_count, job.duplicates) == ("done", 4, 4, 0, 0)
    assert counts(line_of(plans["school"], plans["logistics"], M)) == (2, 2, 1)
    assert counts(line_of(plans["school"], plans["care"], J)) == (2, 0, 0)
    school = InstitutionProgress.objects.get(institution=cast.school1, year=2027)
    assert (school.approved, school.registered, school.examined, school.passed) == (70, 4, 2, 1)
    logistics = CertificateProgress.objects.get(certificate=plans["logistics"], year=2027)
    assert (logistics.approved, logistics.registered, logistics.examined, logistics.passed) == (90, 2, 2, 1)
    candidate = Candidate.objects.get(result=Result.PASSED)
    assert (candidate.id_masked, candidate.name_masked, candidate.certificate_number) == (mask(first), "张*丰", "C0001")
    assert crypto.unseal(candidate.sealed) == ("张三丰", first)
    assert bytes(candidate.id_hash) == crypto.id_hash(first)
    # Every field the binary COPY writes, as written (sealing.copy_rows).
    line = line_of(plans["school"], plans["logistics"], M)
    assert (candidate.line_id, candidate.year, candidate.certificate_id, candidate.level) == (
        line.pk,
        2027,
        plans["logistics"].pk,
        "intermediate",
    )
    assert (candidate.exam_date, candidate.source_import_id) == (date(2027, 5, 10), job.pk)
    assert Candidate.objects.get(result=Result.REGISTERED).exam_date is None
    assert job.file.name == ""


def test_import_candidates_reports_every_bad_row_with_its_number(client, cast, plans, tmp_path, frozen):
    good, wrong = id_number(), bad_check_digit(id_number())
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            CANDIDATE_HEADERS,
            ["甲", good, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
            ["乙", wrong, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
            ["丙", 1.101011990030712e17, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
            ["丁", id_number(), WEB, "初级", date(2027, 5, 10), "通过", ""],
            ["戊", id_number(), LOGISTICS, "高级", date(2027, 5, 10), "通过", ""],
            ["己", id_number(), LOGISTICS, "中级", date(2026, 12, 31), "通过", ""],
            ["庚", id_number(), "不存在的证书", "中级", date(2027, 5, 10), "通过", ""],
            ["辛", "1.10101199003071E+17", LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
        ],
    )
    client.force_login(cast.staff)

    job = run_import(client, path, mode=ImportMode.GOOD_ROWS)

    lost = said("the ID number was stored as a number and Excel lost its last digits; format the column as text")
    not_in_plan = said(
        "this certificate and level are not in the approved plan of %(institution)s for %(year)s",
        institution=cast.school1.name,
        year=2027,
    )
    assert [(i["row"], i["message"]) for i in job.issues] == [
        (3, said("the ID number %(masked)s fails the GB 11643 check digit", masked=mask(wrong))),
        (4, lost),
        (5, not_in_plan),
        (6, not_in_plan),
        (7, said("the exam date %(date)s is outside %(year)s", date="2026-12-31", year=2027)),
        (8, said("the certificate %(name)s is not in the catalogue", name="不存在的证书")),
        (9, lost),
    ]
    assert (job.status, job.rows_read, job.rows_written, job.error_count) == ("done", 8, 1, 7)
    assert Candidate.objects.count() == 1


def test_import_all_or_nothing_refuses_the_whole_file(client, cast, plans, tmp_path, frozen):
    path = write_xlsx(
        tmp_path / "mixed.xlsx",
        [
            CANDIDATE_HEADERS,
            ["甲", id_number(), LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
            ["乙", bad_check_digit(id_number()), LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
        ],
    )
    client.force_login(cast.staff)

    job = run_import(client, path, mode=ImportMode.ALL_OR_NOTHING)

    assert (job.status, job.error_count, job.rows_written) == (ImportStatus.REFUSED, 1, 0)
    assert (Candidate.objects.count(), LineProgress.objects.count(), InstitutionProgress.objects.count()) == (0, 0, 0)


def test_import_duplicate_candidate_counts_once(client, cast, plans, tmp_path, frozen):
    person = id_number()
    path = write_xlsx(
        tmp_path / "dup.xlsx",
        [
            CANDIDATE_HEADERS,
            ["甲", person, LOGISTICS, "中级", date(2027, 5, 10), "不通过", ""],
            ["甲", person.lower(), "物流管理", "中级", date(2027, 5, 11), "通过", ""],
        ],
    )
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert (job.rows_written, job.duplicates, job.error_count) == (1, 1, 0)
    assert [(i["row"], i["kind"]) for i in job.issues] == [(3, "duplicate")]
    assert counts(line_of(plans["school"], plans["logistics"], M)) == (1, 1, 0)


def test_import_chunks_keep_row_order_for_duplicates_and_bad_rows(client, cast, plans, tmp_path, frozen, monkeypatch):
    """Rows are checked a chunk at a time: duplicates across chunks, and a row the fast path leaves
    to the slow one meeting a duplicate in its own chunk, are told as they would be row by row."""
    monkeypatch.setattr(checking, "CHUNK_ROWS", 3)
    first, ending_x, bad, last = id_number(), id_number(), id_number(), id_number()
    while not ending_x.endswith("X"):
        ending_x = id_number()
    path = write_xlsx(
        tmp_path / "chunks.xlsx",
        [
            CANDIDATE_HEADERS,
            ["甲", first, LOGISTICS, "中级", None, "", ""],  # row 2
            ["乙", ending_x, LOGISTICS, "中级", None, "", ""],  # row 3
            ["乙", ending_x.lower(), LOGISTICS, "中级", None, "", ""],  # row 4: the slow path, a duplicate
            ["丙", bad_check_digit(bad), LOGISTICS, "中级", None, "", ""],  # row 5, next chunk
            ["甲", first, LOGISTICS, "中级", None, "", ""],  # row 6: duplicate of row 2
            ["丁", last.lower(), LOGISTICS, "中级", None, "", ""],  # row 7
        ],
    )
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert (job.rows_read, job.rows_written, job.error_count, job.duplicates) == (6, 3, 1, 2)
    assert [(i["row"], i["kind"]) for i in job.issues] == [(4, "duplicate"), (5, "error"), (6, "duplicate")]
    assert job.issues[0]["message"] == said(
        "the same candidate, certificate and level as row %(first)s: skipped", first=3
    )
    assert job.issues[2]["message"] == said(
        "the same candidate, certificate and level as row %(first)s: skipped", first=2
    )
    assert counts(line_of(plans["school"], plans["logistics"], M)) == (3, 0, 0)


def test_import_again_updates_a_changed_result_and_keeps_one_row(client, cast, plans, tmp_path, frozen):
    person, other = id_number(), id_number()
    client.force_login(cast.staff)
    before = [
        CANDIDATE_HEADERS,
        ["甲", person, LOGISTICS, "中级", None, "", ""],
        ["乙", other, CARE, "初级", None, "", ""],
    ]
    run_import(client, write_xlsx(tmp_path / "feb.xlsx", before))
    after = [
        CANDIDATE_HEADERS,
        ["甲", person, LOGISTICS, "中级", date(2027, 5, 10), "通过", "C1"],
        ["乙", other, CARE, "初级", None, "", ""],
    ]

    job = run_import(client, write_xlsx(tmp_path / "apr.xlsx", after))

    assert (job.rows_read, job.rows_written, job.duplicates) == (2, 1, 0)
    assert Candidate.objects.count() == 2
    assert counts(line_of(plans["school"], plans["logistics"], M)) == (1, 1, 1)
    assert InstitutionProgress.objects.get(institution=cast.school1).passed == 1


def test_import_columns_in_another_order_and_other_names(client, cast, plans, tmp_path, frozen):
    person = id_number()
    path = write_xlsx(
        tmp_path / "shuffled.xlsx",
        [
            ["考核结果", "证书编号", "证件号码", "考试日期", "证书等级", "考生姓名", "证书"],
            ["通过", "C9", person, date(2027, 4, 2), "中级", "甲乙", LOGISTICS],
        ],
    )
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert (job.status, job.rows_written) == ("done", 1)
    assert job.mapping == {
        "name": "考生姓名",
        "id_number": "证件号码",
        "certificate": "证书",
        "level": "证书等级",
        "exam_date": "考试日期",
        "result": "考核结果",
        "certificate_number": "证书编号",
    }
    assert Candidate.objects.get().exam_date == date(2027, 4, 2)


def test_import_saved_layout_maps_the_next_file_with_the_same_headers(client, cast, plans, tmp_path, frozen):
    headers = ["名字", "号码", "证", "级", "日期", "结论", "编号"]
    mapping = {
        "name": "名字",
        "id_number": "号码",
        "certificate": "证",
        "level": "级",
        "exam_date": "日期",
        "result": "结论",
        "certificate_number": "编号",
    }
    client.force_login(cast.staff)
    upload(client, write_xlsx(tmp_path / "one.xlsx", [headers, ["甲", id_number(), LOGISTICS, "中级", None, "", ""]]))
    from monitoring.models import ProgressImport

    job = ProgressImport.objects.latest("pk")
    confirm(client, job, mapping=mapping, layout_name="国家平台导出（2027版）")
    reordered = [headers[::-1], ["", "", "", "中级", LOGISTICS, id_number(), "乙"]]

    upload(client, write_xlsx(tmp_path / "two.xlsx", reordered))

    second = ProgressImport.objects.latest("pk")
    assert (second.layout.name, second.mapping) == ("国家平台导出（2027版）", mapping)
    assert ColumnLayout.objects.count() == 1


def test_import_province_file_names_the_institution_of_each_row(client, cast, plans, tmp_path, frozen):
    path = write_xlsx(
        tmp_path / "province.xlsx",
        [
            ["院校名称", *CANDIDATE_HEADERS],
            [cast.school1.name, "甲", id_number(), LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
            [cast.college1.ministry_code, "乙", id_number(), LOGISTICS, "初级", date(2027, 5, 10), "通过", ""],
            ["不存在的学校", "丙", id_number(), LOGISTICS, "初级", date(2027, 5, 10), "通过", ""],
        ],
    )
    client.force_login(cast.provincial_admin)

    job = run_import(client, path)

    assert (job.rows_written, [i["row"] for i in job.issues]) == (2, [4])
    assert counts(line_of(plans["college"], plans["logistics"], J)) == (1, 1, 1)


def test_import_institution_file_refuses_rows_of_another_institution(client, cast, plans, tmp_path, frozen):
    path = write_xlsx(
        tmp_path / "mine.xlsx",
        [
            ["院校名称", *CANDIDATE_HEADERS],
            [cast.college1.name, "乙", id_number(), LOGISTICS, "初级", date(2027, 5, 10), "通过", ""],
        ],
    )
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert (job.rows_written, job.error_count) == (0, 1)
    assert job.issues[0]["message"] == said("the row names another institution (%(name)s)", name=cast.college1.name)


def test_import_per_line_totals(client, cast, plans, tmp_path, frozen):
    path = write_xlsx(
        tmp_path / "totals.xlsx",
        [
            TOTALS_HEADERS,
            [cast.school1.name, LOGISTICS, "中级", "物流管理", 38, 35, 30],
            [cast.college1.name, "物流管理", "初级", "", 50, 45, 40],
            [cast.school1.name, "老年照护", "高级", "护理", 10, 8, 1],
        ],
    )
    client.force_login(cast.provincial_reviewer)

    job = run_import(client, path, kind="totals")

    # (Implausible counts, such as 12 examined of 10 registered, are no longer a bad row but held for a
    # confirmation: tests/monitoring/test_plausibility.py.)
    assert (job.status, job.rows_written, [i["row"] for i in job.issues]) == ("done", 2, [4])
    assert counts(line_of(plans["school"], plans["logistics"], M)) == (38, 35, 30)
    assert (
        LineProgress.objects.get(line=line_of(plans["college"], plans["logistics"], J)).source == ProgressSource.TOTALS
    )
    school = InstitutionProgress.objects.get(institution=cast.school1)
    assert (school.approved, school.registered, school.examined, school.passed) == (70, 38, 35, 30)


def test_import_per_line_totals_asks_for_the_major_when_several_lines_share_a_level(
    client, cast, plans, tmp_path, frozen
):
    published_plan(cast.school1, 2027, [(plans["logistics"], M, "电子商务", 30)], season="autumn")
    path = write_xlsx(tmp_path / "t.xlsx", [TOTALS_HEADERS, [cast.school1.name, LOGISTICS, "中级", "", 5, 5, 5]])
    client.force_login(cast.provincial_admin)

    job = run_import(client, path, kind="totals")

    assert [(i["row"], i["message"]) for i in job.issues] == [
        (2, said("the approved plan has this certificate and level for several majors: name the major"))
    ]


def test_import_preview_shows_first_rows_masked_before_writing(client, cast, plans, tmp_path, frozen):
    person, wrong = id_number(), bad_check_digit(id_number())
    path = write_xlsx(
        tmp_path / "p.xlsx",
        [
            CANDIDATE_HEADERS,
            ["张三丰", person, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
            ["李四", wrong, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
        ],
    )
    client.force_login(cast.staff)
    upload(client, path)
    from monitoring.models import ProgressImport

    job = ProgressImport.objects.latest("pk")

    response = client.get(reverse("monitoring:import_map", args=[job.pk]))

    rows = [(r.number, r.values[:2], r.problem) for r in response.context["rows"]]
    assert rows == [
        (2, ["张*丰", mask(person)], ""),
        (3, ["李*", mask(wrong)], said("the ID number %(masked)s fails the GB 11643 check digit", masked=mask(wrong))),
    ]
    assert (job.status, Candidate.objects.count()) == (ImportStatus.UPLOADED, 0)


def test_import_zip_bomb_is_refused_and_nothing_written(client, cast, plans, tmp_path, frozen):
    import zipfile

    bomb = tmp_path / "成绩.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(40):
                member.write(b"0" * (1 << 20))
    client.force_login(cast.staff)

    response = upload(client, bomb)

    from monitoring.models import ProgressImport

    job = ProgressImport.objects.get()
    assert (response.status_code, job.status, job.file.name) == (302, ImportStatus.REFUSED, "")
    assert job.message == said("The workbook is compressed suspiciously far (a zip bomb): refused.")
    assert Candidate.objects.count() == 0


@pytest.mark.parametrize("disguise", ["zipped", "plain"])
def test_import_xml_bomb_disguised_as_xlsx_is_refused(client, cast, plans, tmp_path, frozen, disguise):
    import zipfile

    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
        )
        + ']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
    )
    path = tmp_path / "考生.xlsx"
    if disguise == "zipped":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", laughs)
        expected = said("The workbook contains an XML document type declaration (an XML bomb?): refused.")
    else:
        path.write_text(laughs)
        expected = said("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
    client.force_login(cast.staff)

    upload(client, path)

    from monitoring.models import ProgressImport

    job = ProgressImport.objects.get()
    assert (job.status, job.message, Candidate.objects.count()) == (ImportStatus.REFUSED, expected, 0)


def test_import_zip_with_lying_sizes_is_refused_as_damaged(client, cast, plans, tmp_path, frozen):
    import struct
    import zipfile

    path = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * (1 << 20))
    data = bytearray(path.read_bytes())
    # Declare 1,000 bytes for the 4 MB sheet, in its local header and in the central directory.
    local = data.index(b"PK\x03\x04xl/worksheets"[:4], data.index(b"xl/worksheets/sheet1.xml") - 30)
    struct.pack_into("<I", data, local + 22, 1000)
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(b"xl/worksheets/sheet1.xml"))
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))
    client.force_login(cast.staff)

    upload(client, path)

    from monitoring.models import ProgressImport

    assert ProgressImport.objects.get().message == said("The workbook is damaged and cannot be read.")


def test_import_failed_job_leaves_nothing_half_written(client, cast, plans, tmp_path, frozen):
    # A fault after the candidates are written: the rollup insert fails, as a full disk would.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION monitoring_test_fail() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER monitoring_test_fail BEFORE INSERT ON monitoring_institutionprogress "
                "FOR EACH ROW EXECUTE FUNCTION monitoring_test_fail()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER monitoring_test_fail BEFORE INSERT ON monitoring_institutionprogress "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
    path = write_xlsx(tmp_path / "c.xlsx", [CANDIDATE_HEADERS, ["甲", id_number(), LOGISTICS, "中级", None, "", ""]])
    client.force_login(cast.staff)

    job = run_import(client, path)

    assert (job.status, job.rows_written, job.file.name) == (ImportStatus.FAILED, 0, "")
    assert (Candidate.objects.count(), LineProgress.objects.count(), InstitutionProgress.objects.count()) == (0, 0, 0)


def test_import_job_runs_later_and_the_page_shows_where_it_is(client, cast, plans, tmp_path, frozen, settings):
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    path = write_xlsx(tmp_path / "c.xlsx", [CANDIDATE_HEADERS, ["甲", id_number(), LOGISTICS, "中级", None, "", ""]])
    client.force_login(cast.staff)
    job = run_import(client, path)
    page = reverse("monitoring:import_detail", args=[job.pk])
    waiting = client.get(page, headers={"HX-Request": "true"})

    # What `manage.py db_worker` does for one task (its loop closes connections, which a test cannot have).
    queued = DBTaskResult.objects.ready().get()
    queued.claim("test-worker")
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run_task(queued)

    finished = client.get(page)
    assert waiting.context["job"].status == ImportStatus.QUEUED
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    assert (finished.context["job"].status, finished.context["job"].rows_written) == (ImportStatus.DONE, 1)


def test_import_pages_are_scoped(client, cast, plans, tmp_path, frozen):
    path = write_xlsx(tmp_path / "c.xlsx", [CANDIDATE_HEADERS, ["甲", id_number(), LOGISTICS, "中级", None, "", ""]])
    client.force_login(cast.staff)
    job = run_import(client, path)
    page = reverse("monitoring:import_detail", args=[job.pk])

    client.force_login(cast.other_staff)
    other = client.get(page)
    client.force_login(cast.bureau_reviewer)
    bureau = client.get(page)
    client.force_login(cast.provincial_reviewer)
    province = client.get(page)

    assert (other.status_code, bureau.status_code, province.status_code) == (404, 403, 200)


def test_import_template_has_the_expected_columns_and_a_text_id_column(client, cast):
    import io

    from python_calamine import CalamineWorkbook

    client.force_login(cast.staff)

    response = client.get(reverse("monitoring:import_template", args=["candidates"]))

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    assert sheet.to_python()[0] == [
        "院校名称（选填）",
        "姓名",
        "身份证号",
        "证书名称",
        "等级",
        "专业（选填）",
        "考核日期（选填）",
        "考核结果（选填）",
        "证书编号（选填）",
    ]
    assert response["Content-Disposition"].startswith("attachment;")
