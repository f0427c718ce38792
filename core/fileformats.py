"""An uploaded file's bytes and what they are (CSV, XLSX, JSON or something else), decided by the bytes, never by
the name alone: a file whose content is not what its name says is refused with a message that names both."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from core.workbooks import TabularError

CSV, XLSX, JSON = "csv", "xlsx", "json"
FORMAT_NAMES = {CSV: "CSV", XLSX: "XLSX", JSON: "JSON"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 (.xls, .doc)


def read_bytes(source, *, name: str | None = None) -> tuple[bytes, str]:
    """The content and file name of a path, an uploaded file, or raw bytes; refuses files over IMPORT_MAX_BYTES."""
    limit = settings.IMPORT_MAX_BYTES
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.stat().st_size > limit:
            raise TabularError(_too_big(limit))
        return path.read_bytes(), name or path.name
    if isinstance(source, bytes):
        data = source
    else:
        if getattr(source, "size", None) is not None and source.size > limit:
            raise TabularError(_too_big(limit))
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(limit + 1)
        name = name or getattr(source, "name", "") or ""
    if len(data) > limit:
        raise TabularError(_too_big(limit))
    return data, Path(name or "").name


def _too_big(limit: int) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": round(limit / 1024 / 1024, 1)}


def claimed_format(name: str) -> str | None:
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix in FORMAT_NAMES else None


def sniff(data: bytes) -> str:
    """What the bytes are: 'xlsx', 'json', 'csv', or a word for something else (pdf, docx, xls, binary…)."""
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return "zip"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
        kind = filetype.guess(data)
        return kind.extension if kind else "zip"
    if data.startswith(OLE2_MAGIC):
        return "ole2"
    text = None if b"\x00" in data[:65536] else decode_text(data)
    if text is None:
        # Only binary content is matched against magic numbers: they are too short for text
        # (a CSV whose header starts with "BM" would pass for a bitmap).
        kind = filetype.guess(data)
        return kind.extension if kind else "binary"
    stripped = text.lstrip()
    if stripped.startswith("%PDF"):
        return "pdf"
    if stripped.startswith("{\\rtf"):
        return "rtf"
    if stripped.startswith(("[", "{")):
        try:
            json.loads(stripped)
        except ValueError:
            return CSV
        return JSON
    return CSV


def decode_text(data: bytes) -> str | None:
    # UTF-8 (with or without BOM) first; Excel on Chinese Windows saves CSV as GBK/GB18030.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def check_format(data: bytes, name: str, allowed: Sequence[str]) -> str:
    """The file's format, or TabularError when its name and its content disagree or it is not allowed."""
    claimed = claimed_format(name)
    allowed_text = "、".join(FORMAT_NAMES[f] for f in allowed)
    if claimed is None or claimed not in allowed:
        raise TabularError(
            _("%(name)s: only %(formats)s files can be imported here.") % {"name": name or "?", "formats": allowed_text}
        )
    actual = sniff(data)
    if actual != claimed:
        raise TabularError(
            _("%(name)s is named as a %(claimed)s file but its content is %(actual)s.")
            % {"name": name, "claimed": FORMAT_NAMES[claimed], "actual": describe_kind(actual)}
        )
    return actual


def describe_kind(kind: str) -> str:
    if kind in FORMAT_NAMES:
        return FORMAT_NAMES[kind]
    if kind in ("xls", "ole2"):
        return _("an old Office 97-2003 file (.xls or .doc); save it as .xlsx")
    if kind == "binary":
        return _("binary data, or text that is neither UTF-8 nor GB18030")
    return _("a %(kind)s file") % {"kind": kind.upper()}
