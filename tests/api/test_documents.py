"""Documents through the API: the papers a plan owes, the generated files, stamped-scan uploads and downloads —
the documents app's own generators, checks and scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from documents.models import Scan
from plans.enums import PlanStatus
from tests.api.conftest import ApiClient
from tests.conftest import make_certificate
from tests.documents.builders import pdf_bytes, png_bytes
from tests.reviews.factories import J, plan_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM = "application/problem+json; charset=utf-8"


# Every test here stores its files in a fresh directory (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def plan(cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    return plan_in(cast.school1, spring, PlanStatus.BUREAU_REVIEW, [(certificate, J, "物流管理", 40)])


def status(response) -> int:
    if response.streaming:
        # A streamed file holds an open file: reading it to the end closes it (the test client's wrapper).
        b"".join(response.streaming_content)
    return response.status_code


def upload(caller: ApiClient, path: str, data: dict):
    return caller.client.post(f"/api/v1{path}", data, headers=caller.headers)


def test_documents_list_the_papers_a_plan_owes(api, cast, plan):
    answer = api(cast.staff).get(f"/plans/{plan.pk}/documents")

    certificate_id = plan.lines.get().certificate_id
    assert answer.status_code == 200
    assert [(p["kind"], p["certificate_id"], p["can_generate"], p["missing"]) for p in answer.json()["papers"]] == [
        ("institution_summary", None, True, True),
        ("application_form", certificate_id, True, True),
    ]


def test_documents_summary_sheet_downloads_as_excel(api, cast, plan):
    answer = api(cast.staff).get(f"/plans/{plan.pk}/documents/summary.xlsx")

    assert (answer.status_code, answer["Content-Type"], answer["Cache-Control"]) == (200, XLSX, "no-store")
    assert "filename*=UTF-8''" in answer["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert "物流管理" in cells


def test_documents_application_form_downloads_as_word_and_pdf(api, cast, plan):
    certificate_id = plan.lines.get().certificate_id
    staff = api(cast.staff)

    docx = staff.get(f"/plans/{plan.pk}/documents/forms/{certificate_id}/docx")
    pdf = staff.get(f"/plans/{plan.pk}/documents/forms/{certificate_id}/pdf")
    other = staff.get(f"/plans/{plan.pk}/documents/forms/{certificate_id + 1}/pdf")

    assert (docx.status_code, docx.content[:2]) == (200, b"PK")
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")
    assert other.status_code == 404


def test_documents_follow_the_plan_scope(api, cast, plan):
    names = ["staff", "leader", "other_staff", "college_staff", "bureau_reviewer", "other_bureau_reviewer", "observer"]
    seen = {
        name: (
            api(getattr(cast, name)).get(f"/plans/{plan.pk}/documents").status_code,
            api(getattr(cast, name)).get(f"/plans/{plan.pk}/documents/summary.xlsx").status_code,
        )
        for name in names
    }

    assert seen == {
        "staff": (200, 200),
        "leader": (200, 200),
        "other_staff": (404, 404),
        "college_staff": (404, 404),
        "bureau_reviewer": (200, 200),
        "other_bureau_reviewer": (404, 404),
        "observer": (200, 200),
    }


def test_scan_upload_stores_it_and_serves_it_back_in_scope(api, cast, plan):
    staff = api(cast.staff)
    png = png_bytes()

    answer = upload(
        staff,
        f"/plans/{plan.pk}/scans",
        {"kind": "institution_summary", "file": SimpleUploadedFile("汇总表.png", png, content_type="image/png")},
    )

    scan = Scan.objects.get()
    assert answer.status_code == 201
    assert (answer.json()["id"], answer.json()["original_name"], answer.json()["content_type"]) == (
        scan.pk,
        "汇总表.png",
        "image/png",
    )
    assert staff.get(f"/plans/{plan.pk}/documents").json()["papers"][0]["missing"] is False
    downloaded = api(cast.bureau_reviewer).get(f"/scans/{scan.pk}")
    assert (downloaded.status_code, b"".join(downloaded.streaming_content)) == (200, png)
    assert status(api(cast.other_staff).get(f"/scans/{scan.pk}")) == 404


def test_scan_upload_refuses_what_the_page_refuses(api, cast, plan):
    staff = api(cast.staff)
    path = f"/plans/{plan.pk}/scans"

    disguised = upload(staff, path, {"kind": "institution_summary", "file": SimpleUploadedFile("a.pdf", png_bytes())})
    no_certificate = upload(staff, path, {"kind": "application_form", "file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    no_file = upload(staff, path, {"kind": "institution_summary"})

    assert (disguised.status_code, disguised["Content-Type"], disguised.json()["type"]) == (
        422,
        PROBLEM,
        "urn:onex:problem:file-refused",
    )
    assert (no_certificate.status_code, no_certificate.json()["type"]) == (422, "urn:onex:problem:file-refused")
    assert [e["field"] for e in no_file.json()["errors"]] == ["file"]
    assert Scan.objects.count() == 0


def test_scan_upload_refuses_an_oversized_body_before_reading_it(api, cast, plan):
    staff = api(cast.staff)

    answer = staff.client.post(
        f"/api/v1/plans/{plan.pk}/scans",
        b"x" * 100,
        content_type="multipart/form-data; boundary=x",
        headers=staff.headers | {"Content-Length": str(50 * 1024 * 1024)},
    )

    assert (answer.status_code, answer["Content-Type"]) == (413, PROBLEM)


def test_scan_upload_by_someone_outside_the_school_is_refused(api, cast, plan):
    data = {"kind": "institution_summary", "file": SimpleUploadedFile("a.png", png_bytes())}

    bureau = upload(api(cast.bureau_reviewer), f"/plans/{plan.pk}/scans", dict(data))
    other = upload(api(cast.other_staff), f"/plans/{plan.pk}/scans", dict(data))

    assert (bureau.status_code, other.status_code) == (403, 404)
    assert Scan.objects.count() == 0


def test_bureau_scan_upload_is_the_bureaus_own(api, cast, plan):
    path = f"/rounds/{plan.round_id}/bureaus/{cast.bureau1.pk}/scans"

    own = upload(api(cast.bureau_reviewer), path, {"file": SimpleUploadedFile("市级汇总.pdf", pdf_bytes())})
    other = upload(api(cast.other_bureau_reviewer), path, {"file": SimpleUploadedFile("x.pdf", pdf_bytes())})
    school = upload(api(cast.staff), path, {"file": SimpleUploadedFile("x.pdf", pdf_bytes())})

    assert (own.status_code, other.status_code, school.status_code) == (201, 404, 404)


def test_bureau_and_provincial_summaries_download_in_scope(api, cast, plan):
    bureau_path = f"/rounds/{plan.round_id}/bureaus/{cast.bureau1.pk}/summary.xlsx"
    province_path = f"/rounds/{plan.round_id}/province/summary.xlsx"

    seen = {
        name: (
            status(api(getattr(cast, name)).get(bureau_path)),
            status(api(getattr(cast, name)).get(province_path)),
        )
        for name in ["staff", "bureau_reviewer", "other_bureau_reviewer", "provincial_reviewer"]
    }

    assert seen == {
        "staff": (404, 404),
        "bureau_reviewer": (200, 404),
        "other_bureau_reviewer": (404, 404),
        "provincial_reviewer": (200, 200),
    }
