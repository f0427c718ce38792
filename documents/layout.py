"""A tiny document model shared by the Word and the PDF renderer, so a form is laid out once.

A generator (application form, adjustment request) turns data into a `Document` of blocks;
`documents.word.render_docx` and `documents.pdf.render_pdf` turn the same blocks into files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A value longer than this takes a whole row of a field grid.
SHORT_VALUE_CHARS = 18


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    align: str = "left"  # left / center / right
    kind: str = "paragraph"


@dataclass(frozen=True)
class Section:
    """A numbered part title inside the form (一、二、…)."""

    text: str
    kind: str = "section"


@dataclass(frozen=True)
class Fields:
    """Label / value pairs in a grid of two pairs per row; long values take a whole row."""

    pairs: list[tuple[str, str]]
    kind: str = "fields"

    def rows(self) -> list[list[tuple[str, str]]]:
        rows: list[list[tuple[str, str]]] = []
        pending: list[tuple[str, str]] = []
        for label, value in self.pairs:
            if len(value) > SHORT_VALUE_CHARS:
                if pending:
                    rows.append(pending)
                    pending = []
                rows.append([(label, value)])
                continue
            pending.append((label, value))
            if len(pending) == 2:
                rows.append(pending)
                pending = []
        if pending:
            rows.append(pending)
        return rows


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    footer: list[str] | None = None
    widths: list[int] | None = None  # per column, in % of the table
    empty: str = "（无）"
    kind: str = "table"


@dataclass(frozen=True)
class TextBox:
    """A labelled block of free text (training plan, conclusion, reason)."""

    label: str
    text: str
    kind: str = "textbox"


@dataclass(frozen=True)
class SignBox:
    """One opinion / signature / stamp box: 学校意见 … 签字 … 盖章 … 日期."""

    title: str
    lines: list[str] = field(default_factory=list)
    text: str = ""


@dataclass(frozen=True)
class SignBoxes:
    boxes: list[SignBox]
    kind: str = "signboxes"


@dataclass(frozen=True)
class Document:
    """A notice attachment: `attachment` (附件1), its official `title`, and the blocks under it."""

    attachment: str
    title: str
    blocks: list = field(default_factory=list)


DATE_LINE = "年    月    日"
STAMP_LINE = "（盖章）"


def school_box(title: str = "学校意见") -> SignBox:
    return SignBox(title, ["校级分管领导（签字）：", STAMP_LINE, DATE_LINE])


def bureau_box() -> SignBox:
    return SignBox("市教育局意见", ["负责人（签字）：", STAMP_LINE, DATE_LINE])


def province_box() -> SignBox:
    return SignBox("省1+X办公室意见", ["审核人（签字）：", STAMP_LINE, DATE_LINE])
