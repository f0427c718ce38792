import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.fileformats import sniff
from core.tabular import Issue, TabularError, check_zip, read_json, read_table
from tests.institutions.helpers import write_csv, write_xlsx


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_read_table_csv_numbers_rows_like_a_spreadsheet(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,city\n 甲 , 合肥市 \n\n乙,芜湖市\n", encoding="utf-8")

    table = read_table(path, required=["name", "city"])

    assert [(r.number, r.values) for r in table.rows] == [
        (2, {"name": "甲", "city": "合肥市"}),
        (4, {"name": "乙", "city": "芜湖市"}),
    ]
    assert table.format == "csv"


def test_read_table_csv_accepts_bom_and_gb18030(tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffname\n合肥市\n".encode())
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("name\n合肥市\n".encode("gb18030"))

    assert read_table(bom, required=["name"]).rows[0].values == {"name": "合肥市"}
    assert read_table(gbk, required=["name"]).rows[0].values == {"name": "合肥市"}


def test_read_table_header_names_missing_columns(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["name", "town"], ["甲", "合肥市"]])

    with pytest.raises(TabularError) as caught:
        read_table(path, required=["name", "city", "level"])

    assert caught.value.row == 1
    assert caught.value.message == "The header lacks the column(s) city, level (expected name, city, level)."


def test_read_table_extra_cells_are_a_row_problem(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["name", "city"], ["甲", "合肥市", "多余"]])

    row = read_table(path, required=["name"]).rows[0]

    assert row.problems == ["it has 3 cells but the header has 2 columns (an unquoted comma?)"]


def test_read_table_xlsx_float_codes_become_digits(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["name", "code", "share"], ["甲", 4134013343, 1.5]])

    table = read_table(path, required=["name", "code"])

    assert table.rows[0].values == {"name": "甲", "code": "4134013343", "share": "1.5"}
    assert table.rows[0].problems == []


def test_read_table_xlsx_number_that_lost_digits_is_a_problem(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["name", "id"], ["甲", 110101199003071234]])

    row = read_table(path, required=["name"]).rows[0]

    assert row.problems == [
        "the number 1.101011990030712e+17 was stored as a number and its digits are lost; store it as text"
    ]


def test_read_table_reads_an_upload(tmp_path):
    upload = SimpleUploadedFile("cities.csv", "city\n合肥市\n".encode(), content_type="text/csv")

    table = read_table(upload, required=["city"])

    assert [r.values for r in table.rows] == [{"city": "合肥市"}]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", "xlsx", "x.csv is named as a CSV file but its content is XLSX."),
        ("x.xlsx", b"name\n\xe7\x94\xb2\n", "x.xlsx is named as a XLSX file but its content is CSV."),
        ("x.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "x.csv is named as a CSV file but its content is a PDF file."),
        (
            "x.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "x.xlsx is named as a XLSX file but its content is "
            "an old Office 97-2003 file (.xls or .doc); save it as .xlsx.",
        ),
        ("x.txt", b"name\n", "x.txt: only CSV\u3001XLSX files can be imported here."),
        (
            "x.csv",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            "x.csv is named as a CSV file but its content is a PNG file.",
        ),
    ],
)
def test_read_table_refuses_a_file_that_is_not_what_its_name_says(tmp_path, name, content, message):
    if content == "xlsx":
        content = write_xlsx(tmp_path / "real.xlsx", [["name"], ["甲"]]).read_bytes()
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(TabularError) as caught:
        read_table(path, required=["name"])

    assert caught.value.message == message


def test_sniff_does_not_take_text_for_a_bitmap():
    assert sniff(b"BMI,name\n21.5,\xe7\x94\xb2\n") == "csv"


def test_sniff_names_a_word_document_in_a_zip(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    assert sniff(buffer.getvalue()) == "docx"


def test_read_table_refuses_a_file_over_the_limit(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 10
    path = write_csv(tmp_path / "x.csv", [["name"], ["a long enough name"]])

    with pytest.raises(TabularError) as caught:
        read_table(path, required=["name"])

    assert caught.value.message == "The file is larger than 0.0 MB."


def test_check_zip_refuses_a_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"\x00" * (50 * 1024 * 1024))

    with pytest.raises(TabularError) as caught:
        check_zip(buffer.getvalue())

    assert caught.value.message == "The XLSX file is compressed suspiciously far (a zip bomb?)."


def test_check_zip_refuses_a_lying_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    data = bytearray(buffer.getvalue())
    # Corrupt the stored workbook bytes: the CRC no longer matches.
    at = data.index(b"<workbook/>")
    data[at : at + 3] = b"XXX"

    with pytest.raises(TabularError) as caught:
        check_zip(bytes(data))

    assert caught.value.message == "The XLSX file is damaged."


def test_read_json_reads_a_list(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[{"certificateId": "a"}]', encoding="utf-8")

    assert read_json(path) == [{"certificateId": "a"}]


def test_read_json_reports_broken_json(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[{"certificateId": }]', encoding="utf-8")

    with pytest.raises(TabularError) as caught:
        read_json(path)

    assert caught.value.message == "The JSON file cannot be read: Expecting value: line 1 column 20 (char 19)"


def test_issue_reads_with_its_row_number():
    assert str(Issue(3, "the name is empty")) == "Row 3: the name is empty"
    assert str(Issue(2, "not an object", "item")) == "Item 2: not an object"
    assert str(Issue(None, "The file is empty.")) == "The file is empty."


def test_openpyxl_is_protected_by_defusedxml():
    assert openpyxl.DEFUSEDXML is True
