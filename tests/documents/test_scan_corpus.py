"""Hostile PDFs are refused by parsing them completely; what is kept of a clean scan is a copy pypdf wrote anew."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from documents.enums import ScanType
from documents.scan_pdf import findings
from documents.scans import ScanRefused, check
from tests.documents import hostile_pdfs as hostile

TAIL = " and is refused; scan or print it to PDF again."


def refusal(data: bytes) -> str:
    with pytest.raises(ScanRefused) as refused:
        check(data, "scan.pdf")
    return refused.value.message


def found(*parts: str) -> str:
    return f"The PDF carries active content ({', '.join(parts)}){TAIL}"


SCRIPT = "JavaScript code (/JavaScript)"
LABELS = {
    "JavaScript": SCRIPT,
    "Launch": "starting a program (/Launch)",
    "URI": "opening a web address (/URI)",
    "GoToR": "opening another file (/GoToR)",
    "GoToE": "opening an embedded file (/GoToE)",
    "SubmitForm": "sending form data (/SubmitForm)",
    "ImportData": "importing form data (/ImportData)",
    "ResetForm": "resetting a form (/ResetForm)",
    "RichMedia": "multimedia (/RichMedia)",
    "Sound": "sound (/Sound)",
    "Movie": "video (/Movie)",
    "Rendition": "multimedia (/Rendition)",
}


@pytest.mark.parametrize("action", sorted(hostile.ACTIONS))
def test_scan_pdf_refuses_each_action_type_when_the_document_opens(action):
    assert refusal(hostile.open_action(hostile.ACTIONS[action])) == found(LABELS[action])


@pytest.mark.parametrize(
    "build",
    [hostile.deep_chain, hostile.comment_hidden_chain, hostile.object_stream_chain],
    ids=["plain", "hidden-between-comment-lines", "compressed-object-stream"],
)
def test_scan_pdf_refuses_a_script_at_the_end_of_a_60_action_chain(build):
    assert refusal(build(60)) == found(SCRIPT)


def test_scan_pdf_refuses_a_chain_far_deeper_than_any_recursion_limit():
    assert refusal(hostile.deep_chain(5000)) == found(SCRIPT)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (hostile.page_with_automatic_action, ["automatic actions (/AA)", "opening another file (/GoToR)"]),
        (lambda: hostile.page_with_automatic_action(hostile.GOTO), ["automatic actions (/AA)"]),
        (hostile.annotation_with_automatic_action, ["automatic actions (/AA)", SCRIPT]),
        (hostile.link_to_web_address, ["opening a web address (/URI)"]),
        (hostile.embedded_file, ["an embedded file (/EmbeddedFile)"]),
        (hostile.file_attachment_annotation, ["an embedded file (/EmbeddedFile)"]),
        (hostile.xfa_form, ["an XFA form (/XFA)"]),
        (hostile.document_script, [SCRIPT]),
        (hostile.orphan_script, [SCRIPT]),
        (hostile.escaped_names, [SCRIPT]),
    ],
    ids=[
        "aa-on-a-page",
        "aa-on-a-page-even-going-to-a-page",
        "aa-on-an-annotation",
        "link-to-a-web-address",
        "embedded-file",
        "file-attachment-annotation",
        "xfa",
        "document-level-script",
        "unreferenced-script",
        "hex-escaped-names",
    ],
)
def test_scan_pdf_refuses_what_runs_or_carries_files(build, expected):
    assert refusal(build()) == found(*expected)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n" + b"\x00" * 200, b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"],
    ids=["garbage", "no-cross-reference-and-no-pages"],
)
def test_scan_pdf_refuses_a_file_pypdf_cannot_parse(data):
    assert refusal(data) in {"The PDF cannot be read; it may be damaged.", "The PDF has no pages."}


def test_scan_pdf_refusal_names_what_was_found_in_chinese():
    with translation.override("zh-hans"):
        message = refusal(hostile.page_with_automatic_action())

    assert message == "该PDF含有活动内容（自动执行的动作 /AA, 打开其他文件 /GoToR），不予接收；请重新扫描或打印为PDF。"


def test_scan_pdf_accepts_a_scanners_pdf_and_keeps_a_rewritten_copy_of_its_pages():
    data = hostile.scanner_pdf(pages=2)

    checked = check(data, "盖章扫描件.pdf")

    kept = PdfReader(io.BytesIO(checked.kept))
    assert (checked.scan_type, checked.size, len(kept.pages)) == (ScanType.PDF, len(data), 2)
    assert [sorted(page["/Resources"]["/XObject"]) for page in kept.pages] == [["/image"], ["/image"]]
    assert findings(kept) == set()


def test_scan_pdf_accepts_a_chain_of_actions_that_only_go_to_pages_and_keeps_none_of_them():
    checked = check(hostile.deep_chain(300, last=b"<<" + hostile.GOTO + b">>"), "scan.pdf")

    kept = PdfReader(io.BytesIO(checked.kept))
    assert ("/OpenAction" in kept.trailer["/Root"], len(kept.pages)) == (False, 1)


def test_scan_pdf_copy_drops_bytes_hidden_outside_the_objects():
    data = hostile.raw_pdf(b"%stream\n% app.alert(1)\n%endstream\n")

    checked = check(data, "scan.pdf")

    assert (b"app.alert" in checked.data, b"app.alert" in checked.kept) == (True, False)


def test_scan_jpeg_from_a_scanner_is_accepted_and_kept_as_uploaded():
    data = hostile.scanner_jpeg()

    checked = check(data, "盖章扫描件.jpg")

    assert (checked.scan_type, checked.kept) == (ScanType.JPEG, data)
