"""Bad input gets a clear error and changes nothing: a wrong Excel file, a formula in a cell, too many rows,
a forged form field, a 2 GB upload, too many files or fields. Driven through the plan-lines upload page."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from audit.models import AuditEvent
from core.dates import SHANGHAI
from plans.excel import COLUMNS
from plans.models import PlanLine
from tests.conftest import make_certificate
from tests.factories import J, M, draft

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
ROW = ["物流管理职业技能等级证书", "初级", "物流管理", "", 30, "", ""]


@pytest.fixture
def plan(cast, spring, settings):
    settings.LANGUAGE_CODE = "en"
    make_certificate("物流管理职业技能等级证书", levels=[J, M])
    with time_machine.travel(FILING, tick=False):
        yield draft(cast.school1, spring)


def workbook(rows, name="lines.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append(row)  # openpyxl writes a string starting with "=" as a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, cast, plan, file):
    client.force_login(cast.staff)
    before = (PlanLine.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("lines_upload", args=[plan.pk]), {"file": file})
    if response.status_code == 200:  # the preview: confirm it as shown
        digest = response.context["diff"].digest
        response = client.post(reverse("lines_upload_confirm", args=[plan.pk]), {"digest": digest})
    after = (PlanLine.objects.count(), AuditEvent.objects.count())
    return response, [str(m) for m in get_messages(response.wsgi_request)], after == before


def test_a_good_workbook_is_imported(client, cast, plan):
    response, messages, unchanged = upload(client, cast, plan, workbook([ROW, [*ROW[:2], "电子商务", "", 40, "", ""]]))

    assert (response.status_code, messages, unchanged) == (
        302,
        ["From the file: 2 lines added, 0 changed, 0 removed."],
        False,
    )


def test_a_pdf_named_xlsx_is_refused(client, cast, plan):
    fake = SimpleUploadedFile("lines.xlsx", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")

    response, messages, unchanged = upload(client, cast, plan, fake)

    assert (response.status_code, unchanged) == (302, True)
    assert messages == ["lines.xlsx is named as a XLSX file but its content is a PDF file."]


def test_a_formula_without_a_cached_value_is_read_as_its_text_never_evaluated(client, cast, plan):
    # openpyxl stores no cached value: the formula's text is the cell's text (issue 14), so a headcount
    # "=10*4" is not a number and the row is refused with the text in the message.
    rows = [ROW, [ROW[0], ROW[1], "电子商务", "", "=10*4", "", ""]]

    response, messages, unchanged = upload(client, cast, plan, workbook(rows))

    assert (response.status_code, unchanged) == (302, True)
    assert messages == ["Row 3: the headcount “=10*4” is not a whole number above zero"]


def test_a_formula_text_kept_as_text_is_exported_as_text_not_as_a_formula(client, cast, plan):
    rows = [ROW, [ROW[0], ROW[1], '=CONCATENATE("电子","商务")', "", 40, "", ""]]

    _response, messages, _unchanged = upload(client, cast, plan, workbook(rows))
    exported = openpyxl.load_workbook(io.BytesIO(client.get(reverse("lines_template", args=[plan.pk])).content))
    cells = [cell for row in exported["申报条目"].iter_rows() for cell in row]

    assert messages == ["From the file: 2 lines added, 0 changed, 0 removed."]
    assert sorted(PlanLine.objects.values_list("major_name", flat=True)) == ['=CONCATENATE("电子","商务")', "物流管理"]
    assert [c.data_type for c in cells if str(c.value).startswith("=")] == ["s"]
    assert [c.quotePrefix for c in cells if str(c.value).startswith("=")] == [True]


def test_rows_up_to_the_limit_are_imported_and_one_more_is_refused(client, cast, plan, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [[*ROW[:2], f"专业{i}", "", 30, "", ""] for i in range(3)]

    _, at_limit, changed = upload(client, cast, plan, workbook(rows[:2]))
    _, over, unchanged = upload(client, cast, plan, workbook(rows))

    assert (at_limit, changed) == (["From the file: 2 lines added, 0 changed, 0 removed."], False)
    # (the first upload's message is still waiting to be shown: its redirect was not followed)
    assert over[-1] == "The file has 3 rows; at most 2 rows can be imported at once. Split it into smaller files."
    assert unchanged is True


def test_a_forged_level_in_the_form_is_refused(client, cast, plan):
    client.force_login(cast.staff)
    data = {"certificate": "1", "level": "grandmaster", "major_name": "x", "headcount": "30"}

    response = client.post(reverse("line_add", args=[plan.pk]), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert "Select a valid choice. grandmaster is not one of the available choices." in response.text
    assert PlanLine.objects.count() == 0


def test_a_2_gb_upload_is_refused_by_its_length_before_it_is_read(client, cast, plan):
    client.force_login(cast.staff)
    body = encode_multipart("BoUnDaRy", {"file": workbook([ROW])})

    response = client.generic(
        "POST",
        reverse("lines_upload", args=[plan.pk]),
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(2 * 1024**3),
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 413
    assert "A request may carry at most 201 MB. Nothing was saved" in response.text
    assert PlanLine.objects.count() == 0


def test_the_body_limit_boundary(client, cast, plan, settings):
    client.force_login(cast.staff)
    body = encode_multipart("BoUnDaRy", {"file": workbook([ROW])})
    settings.REQUEST_MAX_BYTES = len(body)
    url = reverse("lines_upload", args=[plan.pk])

    at_limit = client.post(url, body, content_type="multipart/form-data; boundary=BoUnDaRy")
    settings.REQUEST_MAX_BYTES = len(body) - 1
    over = client.post(url, body, content_type="multipart/form-data; boundary=BoUnDaRy")

    assert (at_limit.status_code, over.status_code) == (200, 413)
    assert len(at_limit.context["diff"].added) == 1  # read and previewed; applied once confirmed
    assert over.json()["detail"].startswith("A request may carry at most")  # no text/html asked: problem+json
    assert PlanLine.objects.count() == 0


def test_a_form_body_over_the_memory_limit_is_refused(client, cast, plan, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(cast.staff)

    response = client.post(
        reverse("line_add", args=[plan.pk]),
        "major_name=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 413
    assert PlanLine.objects.count() == 0


def test_too_many_files_is_a_clear_400(client, cast, plan, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(cast.staff)
    files = [SimpleUploadedFile(f"f{i}.xlsx", b"x") for i in range(3)]

    allowed = client.post(reverse("lines_upload", args=[plan.pk]), {"file": files[:2]})
    refused = client.post(reverse("lines_upload", args=[plan.pk]), {"file": files})

    assert allowed.status_code == 302  # the form names the problem (not an Excel file)
    assert refused.status_code == 400
    assert "nothing was saved" in refused.text
    assert PlanLine.objects.count() == 0


def test_too_many_fields_is_a_clear_400(client, cast, plan, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client.force_login(cast.staff)
    fields = {f"f{i}": "x" for i in range(6)}

    response = client.post(reverse("line_add", args=[plan.pk]), fields, content_type=MULTIPART_CONTENT)

    assert response.status_code == 400
    assert "too many fields or files" in response.text
    assert PlanLine.objects.count() == 0
