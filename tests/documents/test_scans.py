"""What a stamped scan may be: checked from its bytes (no database)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from documents.enums import ScanType
from documents.scans import MAX_SCAN_BYTES, ScanRefused, check
from tests.documents.builders import jpeg_bytes, pdf_bytes, pdf_with_js_in_object_stream, png_bytes
from tests.documents.hostile_pdfs import open_action

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(ScanRefused) as refused:
        check(data, name)
    return refused.value.message


@pytest.mark.parametrize(
    ("make", "name", "expected"),
    [
        (pdf_bytes, "盖章 扫描件（1）.pdf", ScanType.PDF),
        (png_bytes, "scan.PNG", ScanType.PNG),
        (jpeg_bytes, "scan.jpeg", ScanType.JPEG),
    ],
)
def test_scan_check_accepts_pdf_png_and_jpeg(make, name, expected):
    checked = check(make(), name)

    assert (checked.scan_type, checked.name, len(checked.sha256)) == (expected, name, 64)


def test_scan_check_refuses_a_renamed_executable():
    assert refusal(EXE, "盖章扫描件.pdf") == "Only PDF, JPG or PNG files are accepted; this file is not one of them."


def test_scan_check_refuses_content_that_disagrees_with_the_name():
    assert refusal(png_bytes(), "scan.pdf") == "scan.pdf is named as a PDF file but its content is PNG."


@pytest.mark.parametrize(
    "extra",
    [
        b"9 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
        b"9 0 obj<</S/Java#53cript/J#53(app.alert(1))>>endobj",  # hex escapes in names
        b"9 0 obj<</S/Launch/F(calc.exe)>>endobj",
        b"9 0 obj<</Type/EmbeddedFile/Length 0>>stream\n\nendstream endobj",
    ],
    ids=["javascript", "escaped-javascript", "launch", "embedded-file"],
)
def test_scan_check_refuses_a_pdf_with_active_content(extra):
    message = refusal(pdf_bytes(extra=extra), "scan.pdf")

    assert message.startswith("The PDF carries active content (")


def test_scan_check_refuses_javascript_hidden_in_a_compressed_object_stream():
    data = pdf_with_js_in_object_stream()

    assert b"JavaScript" not in data
    assert refusal(data, "scan.pdf") == (
        "The PDF carries active content (JavaScript code (/JavaScript)) and is refused; scan or print it to PDF again."
    )


def test_scan_check_refuses_pypdf_javascript_and_attachments():
    for build in ("open_action", "add_attachment"):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        if build == "open_action":
            writer.add_open_action(JavaScript("app.alert('x');"))
        else:
            writer.add_attachment("payload.exe", b"MZ")
        out = io.BytesIO()
        writer.write(out)

        assert refusal(out.getvalue(), "scan.pdf").startswith("The PDF carries active content ("), build


def test_scan_check_accepts_an_open_action_that_only_opens_a_page():
    data = open_action(b"/S/GoTo/D[3 0 R/Fit]")

    assert check(data, "scan.pdf").scan_type == ScanType.PDF


def test_scan_check_refuses_an_encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)

    assert refusal(out.getvalue(), "scan.pdf") == (
        "The PDF is encrypted and cannot be checked; save it without a password."
    )


def test_scan_check_refuses_a_damaged_pdf_and_a_damaged_image():
    assert refusal(b"%PDF-1.4\nnothing here", "scan.pdf") == "The PDF cannot be read; it may be damaged."
    assert refusal(png_bytes()[:30], "scan.png") == "The image cannot be read; it may be damaged."


def test_scan_check_refuses_one_byte_over_the_limit():
    data = pdf_bytes()
    too_big = data + b"\n" * (MAX_SCAN_BYTES + 1 - len(data))

    assert refusal(too_big, "scan.pdf") == "The file is larger than 20 MB."


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\scan.pdf", "a/b.pdf", "scan\x00.pdf", ""])
def test_scan_check_refuses_names_with_path_parts(name):
    assert refusal(pdf_bytes(), name).startswith("The file name")
