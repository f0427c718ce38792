"""Receiving stamped scans through the pages: what is stored, what is refused, who may download."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.dates import SHANGHAI
from documents.enums import DocumentKind
from documents.models import Scan
from documents.scans import MAX_SCAN_BYTES, ScanRefused, check
from documents.services import upload_plan_scan
from tests.documents.builders import pdf_bytes, png_bytes
from tests.documents.conftest import stored_files
from tests.documents.hostile_pdfs import object_stream_chain

SCRIPT_REFUSED = (
    "The PDF carries active content (JavaScript code (/JavaScript)) and is refused; scan or print it to PDF again."
)
BEFORE_DEADLINE = datetime(2027, 4, 12, 23, 59, 59, tzinfo=SHANGHAI)
AFTER_DEADLINE = datetime(2027, 4, 13, 0, 0, 0, tzinfo=SHANGHAI)
EXE = b"MZ\x90\x00" + b"\x00" * 500


def post_scan(client, plan, data: bytes, name: str, *, kind=DocumentKind.INSTITUTION_SUMMARY, certificate=""):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(
        reverse("plan_scan_upload", args=[plan.pk]), {"kind": kind, "certificate": certificate, "file": upload}
    )


def crafted_post(client, url: str, *, filename: str, data: bytes, kind=DocumentKind.INSTITUTION_SUMMARY):
    """A multipart body written by hand: the test client would strip a path from the file name."""
    boundary = "----onexboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@time_machine.travel(BEFORE_DEADLINE, tick=False)
def test_upload_stores_the_scan_under_a_random_private_name(client, cast, known, private_storage):
    client.force_login(cast.staff)

    response = post_scan(client, known.plan, pdf_bytes(), "汇总表 盖章.pdf")

    assert response.status_code == 302
    scan = Scan.objects.get()
    assert (scan.kind, scan.plan, scan.original_name, scan.content_type, scan.is_late) == (
        DocumentKind.INSTITUTION_SUMMARY,
        known.plan,
        "汇总表 盖章.pdf",
        "application/pdf",
        False,
    )
    assert scan.stored_name.startswith("scans/2027/") and scan.stored_name.endswith(".pdf")
    assert len(scan.stored_name) == len("scans/2027/") + 32 + len(".pdf")
    assert stored_files(private_storage) == [scan.stored_name]
    assert (private_storage / scan.stored_name).read_bytes() == check(pdf_bytes(), "x.pdf").kept  # pypdf's copy
    event = AuditEvent.objects.get(action="scan.upload")
    assert (event.actor, event.object_id, event.after["sha256"]) == (cast.staff, str(scan.pk), scan.sha256)


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_upload_after_the_deadline_is_accepted_and_marked_late(client, cast, known, private_storage):
    client.force_login(cast.staff)

    post_scan(client, known.plan, png_bytes(), "scan.png")

    assert Scan.objects.values_list("is_late", "content_type").get() == (True, "image/png")


def test_upload_of_an_application_form_names_its_certificate(client, cast, known, private_storage):
    client.force_login(cast.staff)

    post_scan(client, known.plan, pdf_bytes(), "form.pdf", kind=DocumentKind.APPLICATION_FORM, certificate=known.web.pk)

    assert Scan.objects.values_list("kind", "certificate").get() == (DocumentKind.APPLICATION_FORM, known.web.pk)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (EXE, "盖章扫描件.pdf", "Only PDF, JPG or PNG files are accepted; this file is not one of them."),
        (
            pdf_bytes(extra=b"9 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj"),
            "scan.pdf",
            SCRIPT_REFUSED,
        ),
        (
            object_stream_chain(60),
            "scan.pdf",
            SCRIPT_REFUSED,
        ),
    ],
    ids=["renamed-executable", "pdf-with-javascript", "script-after-60-actions-in-an-object-stream"],
)
def test_upload_refuses_bad_content_and_stores_nothing(client, cast, known, private_storage, data, name, message):
    client.force_login(cast.staff)

    response = post_scan(client, known.plan, data, name)

    assert (response.status_code, messages_of(response)) == (302, [message])
    assert (Scan.objects.count(), stored_files(private_storage), AuditEvent.objects.count()) == (0, [], 0)


def test_upload_refuses_one_byte_over_the_limit_and_stores_nothing(client, cast, known, private_storage):
    client.force_login(cast.staff)
    data = pdf_bytes()
    data += b"\n" * (MAX_SCAN_BYTES + 1 - len(data))

    response = post_scan(client, known.plan, data, "scan.pdf")

    assert (response.status_code, messages_of(response)) == (302, ["The file is larger than 20 MB."])
    assert response.wsgi_request.upload_limit.exceeded is True  # stopped while streaming, not after
    assert (Scan.objects.count(), stored_files(private_storage)) == (0, [])


def test_upload_accepts_exactly_the_limit(client, cast, known, private_storage):
    client.force_login(cast.staff)
    data = pdf_bytes()
    data += b"\n" * (MAX_SCAN_BYTES - len(data))

    post_scan(client, known.plan, data, "scan.pdf")

    assert Scan.objects.values_list("size", flat=True).get() == MAX_SCAN_BYTES


def test_upload_refuses_a_2_gb_body_before_reading_it(client, cast, known, private_storage):
    client.force_login(cast.staff)
    url = reverse("plan_scan_upload", args=[known.plan.pk])

    # The body is tiny but claims 2 GB: the test client's input refuses to be read past its real end,
    # so a 413 here proves that nothing tried to read the body.
    response = client.post(
        url, data=b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(2 * 1024**3)
    )

    assert response.status_code == 413
    assert (Scan.objects.count(), stored_files(private_storage)) == (0, [])


@pytest.mark.parametrize("filename", ["../../etc/passwd.pdf", "..\\..\\scan.pdf", "../.."])
def test_upload_refuses_a_file_name_with_path_parts(client, cast, known, private_storage, filename):
    client.force_login(cast.staff)
    url = reverse("plan_scan_upload", args=[known.plan.pk])

    response = crafted_post(client, url, filename=filename, data=pdf_bytes())

    assert response.status_code == 302
    assert messages_of(response)[0].startswith("The file name")
    assert (Scan.objects.count(), stored_files(private_storage)) == (0, [])


def test_upload_service_refuses_a_path_name_too(cast, known, private_storage):
    # An uploaded file's name is stripped by Django; a plain file from another caller (the API, a command) is not.
    upload = ContentFile(pdf_bytes(), name="../../etc/passwd.pdf")

    with pytest.raises(ScanRefused):
        upload_plan_scan(user=cast.staff, plan=known.plan, kind=DocumentKind.INSTITUTION_SUMMARY, upload=upload)

    assert (Scan.objects.count(), stored_files(private_storage)) == (0, [])


def test_upload_to_another_institutions_plan_is_404_and_stores_nothing(client, cast, known, private_storage):
    client.force_login(cast.other_staff)

    response = post_scan(client, known.plan, pdf_bytes(), "scan.pdf")

    assert response.status_code == 404
    assert (Scan.objects.count(), stored_files(private_storage)) == (0, [])


def test_upload_by_a_reviewer_who_can_read_the_plan_is_403(client, cast, known, private_storage):
    client.force_login(cast.bureau_reviewer)

    response = post_scan(client, known.plan, pdf_bytes(), "scan.pdf")

    assert response.status_code == 403
    assert Scan.objects.count() == 0


def test_bureau_uploads_its_summary_and_another_bureau_cannot(client, cast, spring, known, private_storage):
    url = reverse("bureau_scan_upload", args=[spring.pk, cast.bureau1.pk])
    client.force_login(cast.other_bureau_reviewer)
    refused = client.post(url, {"file": SimpleUploadedFile("s.pdf", pdf_bytes())})
    client.force_login(cast.bureau_reviewer)

    accepted = client.post(url, {"file": SimpleUploadedFile("s.pdf", pdf_bytes())})

    assert (refused.status_code, accepted.status_code) == (404, 302)
    assert Scan.objects.values_list("kind", "bureau", "plan").get() == (
        DocumentKind.BUREAU_SUMMARY,
        cast.bureau1.pk,
        None,
    )


# ---------------------------------------------------------------------------------------------- downloads

DOWNLOAD_SEEN_BY = {
    "staff": 200,
    "leader": 200,
    "bureau_reviewer": 200,
    "provincial_reviewer": 200,
    "observer": 200,
    "other_staff": 404,
    "college_staff": 404,
    "other_bureau_reviewer": 404,
}


def test_scan_download_is_scoped_and_served_as_an_attachment(client, cast, known, private_storage):
    scan = upload_plan_scan(
        user=cast.staff,
        plan=known.plan,
        kind=DocumentKind.INSTITUTION_SUMMARY,
        upload=SimpleUploadedFile("汇总表 盖章.pdf", pdf_bytes()),
    )
    url = reverse("scan_download", args=[scan.pk])

    statuses = {}
    for username in DOWNLOAD_SEEN_BY:
        client.force_login(getattr(cast, username))
        response = client.get(url)
        statuses[username] = response.status_code
        if response.streaming:
            b"".join(response.streaming_content)  # the test client closes the file once it is read

    assert statuses == DOWNLOAD_SEEN_BY
    client.force_login(cast.staff)
    response = client.get(url)
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="HuiZongBiao_GaiZhang.pdf"; '
        "filename*=UTF-8''%E6%B1%87%E6%80%BB%E8%A1%A8%20%E7%9B%96%E7%AB%A0.pdf"
    )
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "no-store")


def test_scan_download_of_a_missing_id_is_404(client, cast):
    client.force_login(cast.provincial_admin)

    assert client.get(reverse("scan_download", args=[999999])).status_code == 404
