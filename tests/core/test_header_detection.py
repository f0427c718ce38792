"""One reader for every tabular import finds the header under a title, notes and blank rows (issue 14)."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.tabular import TabularError, find_header, read_table
from plans.excel import COLUMNS, REQUIRED
from tests.shapes import shaped

ROW = ["物流管理职业技能等级证书", "初级", "物流管理", "", "40", "", ""]  # the headcount stored as text


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def table(data: bytes):
    return read_table(data, required=REQUIRED, known=COLUMNS, name="lines.xlsx")


@pytest.mark.parametrize(("above", "header_row"), [("none", 1), ("title", 2), ("notes", 5)])
def test_read_table_finds_the_header_under_a_title_and_notes(above, header_row):
    found = table(shaped(COLUMNS, [ROW, ROW[:2] + ["电子商务", "", "30", "", ""]], above=above))

    assert [(row.number, row["考核专业"], row["申报人数"]) for row in found.rows] == [
        (header_row + 1, "物流管理", "40"),
        (header_row + 2, "电子商务", "30"),
    ]


def test_read_table_reads_a_csv_with_notes_above_its_header():
    text = "附件：申报条目\n\n" + ",".join(COLUMNS) + "\n" + ",".join(ROW) + "\n"

    found = read_table(text.encode(), required=REQUIRED, known=COLUMNS, name="lines.csv")

    assert [(row.number, row["证书名称"]) for row in found.rows] == [(4, "物流管理职业技能等级证书")]


def test_read_table_names_the_missing_columns_of_the_best_row():
    with pytest.raises(TabularError) as refused:
        table(shaped(["证书名称", "等级", "人数"], [ROW[:2] + ["40"]], above="title"))

    assert (refused.value.row, refused.value.message) == (
        2,
        "The header lacks the column(s) 考核专业, 申报人数 (expected 证书名称, 等级, 考核专业, 申报人数).",
    )


def test_find_header_takes_the_row_naming_most_columns_and_looks_no_further_than_row_20():
    rows = [
        (1, ["单位名称", "示例学院"]),
        (3, ["院校名称", "证书名称", "等级"]),
        (21, ["院校名称", "证书名称", "等级", "专业"]),
    ]

    assert find_header(rows, ["单位名称", "院校名称", "证书名称", "等级", "专业"]) == 3
    assert find_header([(1, [TITLE_ONLY])], ["证书名称"]) is None


TITLE_ONLY = "2026年职业技能等级证书考核结果"


def test_read_table_applies_the_row_limit_under_the_header_before_reading(settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [ROW[:2] + [f"专业{i}", "", "30", "", ""] for i in range(3)]

    at_limit = table(shaped(COLUMNS, rows[:2], above="notes"))
    with pytest.raises(TabularError) as refused:
        table(shaped(COLUMNS, rows, above="notes"))

    assert len(at_limit.rows) == 2
    assert refused.value.message == (
        "The file has 3 rows; at most 2 rows can be imported at once. Split it into smaller files."
    )
