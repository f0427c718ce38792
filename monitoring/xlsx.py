"""Reading the national platform's .xlsx exports safely.

`check(path)` refuses, before any parser sees the file, what is not an .xlsx workbook, zip
bombs (declared sizes and compression ratios) and XML bombs (a DTD anywhere in a part's
prolog); it then streams every part once, bounded by its declared size, so a part whose
sizes lie fails its CRC instead of expanding, and notes the first sheet's formulas that store
no cached value. `preview()` streams the first rows through defusedxml (for the mapping page:
the whole sheet is not loaded for ten rows); `rows()` reads the whole first sheet with
python-calamine for the import itself. Both give a formula cell its cached value, or its text
(core.tabular.FormulaTexts).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from django.utils.translation import gettext as _

from core.workbooks import FormulaTexts, column_index, first_sheet_part, xml_events

MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 1_536 * 1024 * 1024
MAX_TOTAL_BYTES = 2_048 * 1024 * 1024
MAX_RATIO = 150  # a real sheet compresses 5–30×; deflate bombs reach 1,000×
RATIO_FROM_BYTES = 1024 * 1024
PROLOG_BYTES = 64 * 1024
CHUNK = 1024 * 1024
DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
EXCEL_EPOCH = date(1899, 12, 30)
# Built-in number formats that are dates (ECMA-376 18.8.30, with the CJK ones 27–36, 50–58).
DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})


class UnreadableFile(Exception):
    """The file as a whole is refused; `message` says why in the user's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check(path: str | Path) -> FormulaTexts | None:
    """Refuse anything but a sane .xlsx workbook. Cheap checks first: a bomb is refused in milliseconds.
    Returns the first sheet's formulas without a cached value (None: it has none)."""
    if not zipfile.is_zipfile(path):
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again."))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_declared_sizes(members)
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise UnreadableFile(
                    _("The file is a zip archive but not an Excel workbook (.xlsx). Save it as .xlsx.")
                )
            found = {}
            for member in members:
                texts = _stream_member(archive, member, formulas=member.filename.startswith("xl/worksheets/"))
                if texts is not None:
                    found[member.filename] = texts
            formulas = found.get(first_sheet_part(archive)) if found else None
    except KeyError as exc:
        raise UnreadableFile(_("The workbook cannot be read.")) from exc
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        NotImplementedError,
        ValueError,
        OSError,
        ParseError,
        DefusedXmlException,
    ) as exc:
        raise UnreadableFile(_("The workbook is damaged and cannot be read.")) from exc
    return formulas


def _check_declared_sizes(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile(_("The workbook has too many parts (%(count)s).") % {"count": len(members)})
    if sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
        raise UnreadableFile(
            _("The workbook would expand to more than %(size)s MB: refused.") % {"size": MAX_TOTAL_BYTES >> 20}
        )
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES or (
            member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise UnreadableFile(_("The workbook is compressed suspiciously far (a zip bomb): refused."))


def _stream_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, formulas: bool) -> FormulaTexts | None:
    """Read one part to its end (zipfile stops at the declared size and checks the CRC); refuse a DTD;
    with `formulas`, the part's formula cells without a cached value."""
    texts = FormulaTexts() if formulas else None
    with archive.open(member) as handle:
        chunk = handle.read(PROLOG_BYTES)
        if member.filename.endswith((".xml", ".rels")) and DTD.search(chunk):
            raise UnreadableFile(_("The workbook contains an XML document type declaration (an XML bomb?): refused."))
        while chunk:
            if texts is not None:
                texts.feed(chunk)
            chunk = handle.read(CHUNK)
    return texts if texts and texts.cells else None


# ---------------------------------------------------------------- whole sheet (python-calamine)


def rows(path: Path, formulas: FormulaTexts | None = None) -> tuple[int, Iterator[tuple[int, list]]]:
    """The first sheet's last row number and its rows as (spreadsheet row number, cells), empty cells
    as '', the formulas without a cached value (from check()) as their text. Call check() first."""
    try:
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except python_calamine.PasswordError as exc:
        raise UnreadableFile(_("The workbook is protected by a password.")) from exc
    except Exception as exc:  # calamine raises its own error types, and ValueError for broken XML
        raise UnreadableFile(_("The workbook cannot be read.")) from exc
    # iter_rows starts at the sheet's first row (row 1), whatever is empty above the data, and at its
    # first used column.
    found: Iterator[tuple[int, list]] = enumerate(sheet.iter_rows(), start=1)
    if formulas is not None:
        found = formulas.patched(found, first_column=sheet.start[1] if sheet.start else 0)
    return (sheet.end[0] + 1 if sheet.end else 0), found


# ---------------------------------------------------------------- first rows (streamed, defused)


def preview(path: Path, *, limit: int) -> list[tuple[int, list]]:
    """The first `limit` non-empty rows of the first sheet, as (row number, cells) like `rows()`."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheet_path = first_sheet_part(archive)
            date_styles = _date_styles(archive)
            raw = _first_rows(archive, sheet_path, limit)
            wanted = {value for _n, cells in raw for kind, value, _s in cells.values() if kind == "s"}
            shared = _shared_strings(archive, max((int(i) for i in wanted), default=-1))
    except (KeyError, ParseError, DefusedXmlException, zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile(_("The workbook cannot be read.")) from exc
    out = []
    width = max((max(cells, default=-1) + 1 for _n, cells in raw), default=0)
    for number, cells in raw:
        values = [""] * width
        for col, (kind, value, style) in cells.items():
            values[col] = _cell_value(kind, value, style, shared, date_styles)
        out.append((number, values))
    return out


def declared_last_row(path: str | Path) -> int | None:
    """The last row number the first sheet declares (its <dimension>), read without reading its rows;
    None when it declares none. A lying declaration is caught by the job, which counts the rows."""
    try:
        with zipfile.ZipFile(path) as archive:
            for _event, elem in xml_events(archive, first_sheet_part(archive)):
                if elem.tag == f"{NS}dimension":
                    last = elem.get("ref", "").split(":")[-1]
                    digits = "".join(ch for ch in last if ch.isdigit())
                    return int(digits) if digits else None
                if elem.tag in (f"{NS}row", f"{NS}sheetData"):
                    return None
    except (KeyError, ParseError, DefusedXmlException, zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile(_("The workbook cannot be read.")) from exc
    return None


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    in_cell_xfs = False
    for event, elem in xml_events(archive, "xl/styles.xml", events=("start", "end")):
        if elem.tag == f"{NS}numFmt" and event == "end":
            custom[int(elem.get("numFmtId", "0"))] = elem.get("formatCode", "")
        elif elem.tag == f"{NS}cellXfs":
            in_cell_xfs = event == "start"
        elif elem.tag == f"{NS}xf" and event == "end" and in_cell_xfs:
            xfs.append(int(elem.get("numFmtId", "0")))
    return frozenset(i for i, fmt_id in enumerate(xfs) if _is_date_format(fmt_id, custom.get(fmt_id)))


def _is_date_format(fmt_id: int, code: str | None) -> bool:
    if code is None:
        return fmt_id in DATE_FORMAT_IDS
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return any(ch in bare for ch in "ydh") or "m" in bare and "0" not in bare


def _first_rows(archive: zipfile.ZipFile, sheet_path: str, limit: int) -> list[tuple[int, dict]]:
    found: list[tuple[int, dict]] = []
    first_col = None
    for _event, elem in xml_events(archive, sheet_path):
        if elem.tag == f"{NS}dimension":
            first_col = _column_index(elem.get("ref", "A1").split(":")[0])
        if elem.tag != f"{NS}row":
            continue
        number = int(elem.get("r", len(found) + 1))
        cells = {}
        for position, cell in enumerate(elem.iter(f"{NS}c")):
            col = _column_index(cell.get("r")) if cell.get("r") else position
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(f"{NS}t"))
            else:
                v = cell.find(f"{NS}v")
                value = v.text if v is not None and v.text is not None else ""
                formula = cell.find(f"{NS}f")
                if value == "" and formula is not None and formula.text:
                    kind, value = "str", "=" + formula.text  # no cached value: the formula's text, as text
            if value != "":
                cells[col] = (kind, value, int(cell.get("s", "0")))
        elem.clear()
        if cells:
            found.append((number, cells))
        if len(found) >= limit:
            break
    if found:
        # Columns count from the sheet's first used column (its dimension), like python-calamine.
        first = first_col if first_col is not None else min(min(cells) for _n, cells in found)
        first = min(first, *(min(cells) for _n, cells in found))
        found = [(n, {col - first: cell for col, cell in cells.items()}) for n, cells in found]
    return found


def _column_index(ref: str) -> int:
    return column_index("".join(ch for ch in ref if ch.isalpha()))


def _shared_strings(archive: zipfile.ZipFile, up_to: int) -> list[str]:
    strings: list[str] = []
    if up_to < 0 or "xl/sharedStrings.xml" not in archive.namelist():
        return strings
    for _event, elem in xml_events(archive, "xl/sharedStrings.xml"):
        if elem.tag == f"{NS}si":
            strings.append("".join(t.text or "" for t in elem.iter(f"{NS}t")))
            elem.clear()
            if len(strings) > up_to:
                break
    return strings


def _cell_value(kind: str, value: str, style: int, shared: list[str], date_styles: frozenset[int]):
    if kind == "s":
        index = int(value)
        return shared[index] if index < len(shared) else ""
    if kind in ("inlineStr", "str"):
        return value
    if kind == "b":
        return value == "1"
    if kind == "e":
        return ""
    number = float(value)
    if style in date_styles:
        moment = datetime.combine(EXCEL_EPOCH, datetime.min.time()) + timedelta(days=number)
        return moment.date() if moment.time() == datetime.min.time() else moment
    return number
