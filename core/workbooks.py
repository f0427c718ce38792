"""Opening an uploaded .xlsx safely, for every reader (core.tabular, monitoring.xlsx): zip bombs and lying
sizes refused before any parser sees the file (`check_zip`), XML read through defusedxml, and the
formula cells that store no cached value found, so that a reader keeps their text as plain text
(`FormulaTexts`): a formula is never evaluated, and never written back as one (core.excel)."""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator

from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

# Zip-bomb limits for XLSX: what the archive may expand to, in all and per member.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 10_000
# A DTD in a workbook part: entity expansion (an XML bomb) or external entities; real workbooks have none.
DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
PROLOG_BYTES = 64 * 1024
CHUNK = 1024 * 1024
# A formula cell that stores no cached value (<f> without a <v>, or an empty one): its text is kept
# as plain text (never evaluated). One with a cached value is read as that value by the readers.
FORMULA_START = re.compile(rb"<f[\s>/]")
UNCACHED_FORMULA = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*>\s*<f(?:\s[^>]*)?>([^<]*)</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)
FORMULA_OVERLAP = 8192  # a formula cell cut in two by a read boundary is found whole in the next read
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class TabularError(Exception):
    """The file as a whole cannot be read: wrong type, too big, damaged, or a wrong header."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


def check_zip(data: bytes) -> dict[str, FormulaTexts]:
    """Refuse archives that expand too far (zip bombs), and archives whose sizes lie (CRC check); return
    the formulas without a cached value, by worksheet part."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TabularError(_("The XLSX file is damaged.")) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise TabularError(_("The XLSX file has too many parts."))
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TabularError(
            _("The XLSX file expands to more than %(size)s MB.") % {"size": MAX_UNCOMPRESSED_BYTES >> 20}
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise TabularError(_("The XLSX file is compressed suspiciously far (a zip bomb?)."))
    formulas: dict[str, FormulaTexts] = {}
    try:
        for member in members:
            _stream_member(archive, member, formulas)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise TabularError(_("The XLSX file is damaged.")) from exc
    return formulas


def _stream_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, formulas: dict) -> None:
    """Read one part to its end, bounded by its checked size (a lying size fails the CRC); refuse a DTD;
    note the formulas without a cached value of a worksheet in `formulas` (its part name → FormulaTexts)."""
    texts = FormulaTexts() if member.filename.startswith("xl/worksheets/") else None
    with archive.open(member) as handle:
        head = handle.read(PROLOG_BYTES)
        if DTD.search(head):
            raise TabularError(_("The XLSX file contains an XML document type declaration (an XML bomb?)."))
        chunk = head
        while chunk:
            if texts is not None:
                texts.feed(chunk)
            chunk = handle.read(CHUNK)
    if texts and texts.cells:
        formulas[member.filename] = texts


class FormulaTexts:
    """The formula cells of a worksheet part (read in chunks) that store no cached value, as
    {(row number, column index): "=…"}. Excel stores the value it last computed beside a formula and
    the readers take that value; a file written by a program often stores none, and then the formula's
    text is kept as plain text: never evaluated (see core.excel for why it never becomes a formula again)."""

    def __init__(self):
        self.cells: dict[tuple[int, int], str] = {}
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        self.tail = data[-FORMULA_OVERLAP:]
        # The regular expression alone, with no `b"<f" in data` test before it: in XML, where every other
        # character is near a "<", that test took longer than the expression's one scan.
        for start in FORMULA_START.finditer(data):
            cell = data.rfind(b"<c ", 0, start.start())
            found = UNCACHED_FORMULA.match(data, cell) if cell >= 0 else None
            if found is not None:
                column = column_index(found[1].decode())
                self.cells[(int(found[2]), column)] = "=" + html.unescape(found[3].decode("utf-8", "replace"))

    def patch(self, number: int, cells: list, *, first_column: int = 0) -> list:
        """`cells` of row `number` (a list from `first_column` on) with the formula texts put in empty cells."""
        for (row, column), text in self.cells.items():
            at = column - first_column
            if row == number and at >= 0:
                cells.extend([""] * (at + 1 - len(cells)))
                if cells[at] in ("", None):
                    cells[at] = text
        return cells

    def patched(self, rows: Iterable[tuple[int, list]], *, first_column: int = 0) -> Iterator[tuple[int, list]]:
        """(row number, cells) pairs, the rows that hold such formulas patched."""
        numbers = {row for row, _column in self.cells}
        for number, cells in rows:
            yield number, (self.patch(number, list(cells), first_column=first_column) if number in numbers else cells)


def first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet (what the readers read), e.g. 'xl/worksheets/sheet1.xml'."""
    rel_id = None
    for _event, elem in xml_events(archive, "xl/workbook.xml"):
        if elem.tag == f"{SHEET_NS}sheet":
            rel_id = elem.get(f"{REL_NS}id")
            break
    for _event, elem in xml_events(archive, "xl/_rels/workbook.xml.rels"):
        if elem.tag == f"{PKG_REL_NS}Relationship" and elem.get("Id") == rel_id:
            target = elem.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise KeyError("first sheet")


def xml_events(archive: zipfile.ZipFile, name: str, events=("end",)):
    """(event, element) of one part through defusedxml, closed as soon as the caller stops."""
    with archive.open(name) as handle:
        yield from iterparse(handle, events=events, forbid_dtd=True)


def column_index(letters: str) -> int:
    """'A' → 0, 'AB' → 27."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch.upper()) - 64)
    return index - 1
