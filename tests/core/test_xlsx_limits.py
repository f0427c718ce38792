"""XLSX files are checked before any parser sees them: compressed size, part count, expanded size, a DTD (XML
bomb); each limit passes at its value and refuses one past it. Formulas without a cached value are found."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation

from core import workbooks
from core.tabular import TabularError, check_zip, read_bytes

BOMB_DTD = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><sst>&lol2;</sst>'


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def archive(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zipped:
        for name, content in parts.items():
            zipped.writestr(name, content)
    return buffer.getvalue()


def refusal(data: bytes) -> str | None:
    try:
        check_zip(data)
    except TabularError as exc:
        return exc.message
    return None


BASE = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def test_compressed_size_at_the_limit_passes_and_one_byte_more_is_refused(settings):
    data = archive(BASE)
    settings.IMPORT_MAX_BYTES = len(data)
    at_limit = read_bytes(data, name="x.xlsx")[0]
    settings.IMPORT_MAX_BYTES = len(data) - 1

    with pytest.raises(TabularError) as caught:
        read_bytes(data, name="x.xlsx")

    assert at_limit == data
    assert caught.value.message.startswith("The file is larger than")


def test_part_count_at_the_limit_passes_and_one_more_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ZIP_MEMBERS", 4)
    four = archive(BASE | {"a.xml": b"<a/>", "b.xml": b"<b/>"})
    five = archive(BASE | {"a.xml": b"<a/>", "b.xml": b"<b/>", "c.xml": b"<c/>"})

    assert (refusal(four), refusal(five)) == (None, "The XLSX file has too many parts.")


def test_expanded_size_at_the_limit_passes_and_one_byte_more_is_refused(monkeypatch):
    data = archive(BASE | {"xl/big.bin": b"x" * 1000})
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    monkeypatch.setattr(workbooks, "MAX_UNCOMPRESSED_BYTES", total)
    at_limit = refusal(data)
    monkeypatch.setattr(workbooks, "MAX_UNCOMPRESSED_BYTES", total - 1)

    assert at_limit is None
    assert refusal(data).startswith("The XLSX file expands to more than")


def test_a_document_type_declaration_is_refused_before_parsing():
    assert refusal(archive(BASE | {"xl/sharedStrings.xml": BOMB_DTD})) == (
        "The XLSX file contains an XML document type declaration (an XML bomb?)."
    )


def test_a_formula_without_a_cached_value_is_found_across_a_read_boundary(monkeypatch):
    monkeypatch.setattr(workbooks, "CHUNK", 64)
    monkeypatch.setattr(workbooks, "PROLOG_BYTES", 64)
    padding = b'<c r="A1" t="s"><v>0</v></c>' * 10
    cells = padding + b'<c r="B12"><f>1+1</f><v>2</v></c><c r="C12"><f>A1&amp;"x"</f><v></v></c><c r="AB3"><f>1</f></c>'
    sheet = b"<worksheet><sheetData><row>" + cells + b"</row></sheetData></worksheet>"

    found = check_zip(archive(BASE | {"xl/worksheets/sheet1.xml": sheet}))

    # B12 stores its value (2): the readers take it; C12 and AB3 store none: their text is kept.
    assert {name: texts.cells for name, texts in found.items()} == {
        "xl/worksheets/sheet1.xml": {(12, 2): '=A1&"x"', (3, 27): "=1"}
    }
    assert check_zip(archive(BASE | {"xl/worksheets/sheet1.xml": padding})) == {}
