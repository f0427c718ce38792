"""What a stamped scan may be: PDF, JPEG or PNG by its bytes, at most 20 MB, without active content.

Refusals raise `ScanRefused` with a message for the user; nothing is stored before every
check has passed. The checks, in order: the size (before reading), the name (no path parts),
the type from the magic bytes (the name's extension must agree), then the content: a PDF
must open, must not be encrypted, and must carry none of the names that run code or carry
files (JavaScript, Launch, EmbeddedFile, …) — searched both in the raw bytes, with `#xx`
escapes decoded, and in every object pypdf resolves, so compressed object streams are covered;
an image must decode with Pillow as the type its bytes claim.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from documents.enums import ScanType

MAX_SCAN_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 255
EXTENSIONS = {"pdf": ScanType.PDF, "jpg": ScanType.JPEG, "jpeg": ScanType.JPEG, "png": ScanType.PNG}
MAGIC = ((b"%PDF-", ScanType.PDF), (b"\xff\xd8\xff", ScanType.JPEG), (b"\x89PNG\r\n\x1a\n", ScanType.PNG))
# PDF names that run code, open other programs or carry files: a stamped scan needs none of them.
FORBIDDEN_PDF_NAMES = frozenset(
    {"JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA", "OpenAction"}
)
# /OpenAction alone is harmless (a viewer's zoom); it counts only when the PDF also has code.
CODE_NAMES = frozenset({"JavaScript", "JS"})
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Stream bodies are data (image bytes would match "/JS" by chance); their dictionaries are not.
_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.S)
_NAME_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")

log = logging.getLogger(__name__)


class ScanRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedScan:
    data: bytes
    name: str
    scan_type: ScanType
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def too_big_message(max_bytes: int = MAX_SCAN_BYTES) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}


def read_limited(upload, max_bytes: int = MAX_SCAN_BYTES) -> bytes:
    """The uploaded bytes, refusing before reading when the declared size is over `max_bytes`."""
    if getattr(upload, "size", None) is not None and upload.size > max_bytes:
        raise ScanRefused(too_big_message(max_bytes))
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ScanRefused(too_big_message(max_bytes))
    return data


def check_name(name: str) -> str:
    """The uploaded file name, kept for display only; names with path parts are refused."""
    if not name or _NAME_UNSAFE.search(name) or ".." in name or len(name) > MAX_NAME_CHARS:
        raise ScanRefused(_("The file name %(name)r is not acceptable.") % {"name": name[:80]})
    return name.strip()


def sniff(data: bytes) -> ScanType | None:
    for magic, scan_type in MAGIC:
        if data.startswith(magic):
            return scan_type
    return None


def check(data: bytes, name: str) -> CheckedScan:
    """Every check on an upload's bytes and name; returns what may be stored."""
    if len(data) > MAX_SCAN_BYTES:
        raise ScanRefused(too_big_message())
    if not data:
        raise ScanRefused(_("The file is empty."))
    name = check_name(name)
    claimed = EXTENSIONS.get(PurePosixPath(name).suffix.lower().lstrip("."))
    actual = sniff(data)
    if claimed is None or actual is None:
        raise ScanRefused(_("Only PDF, JPG or PNG files are accepted; this file is not one of them."))
    if claimed != actual:
        raise ScanRefused(
            _("%(name)s is named as a %(claimed)s file but its content is %(actual)s.")
            % {"name": name, "claimed": claimed.label, "actual": actual.label}
        )
    if actual == ScanType.PDF:
        check_pdf(data)
    else:
        check_image(data, actual)
    return CheckedScan(data=data, name=name, scan_type=actual, sha256=hashlib.sha256(data).hexdigest())


def _decoded_names(data: bytes) -> set[str]:
    """Every /Name outside stream bodies, with #xx escapes decoded (/Java#53cript is /JavaScript)."""
    names = set()
    for raw in set(_PDF_NAME.findall(_STREAM_BODY.sub(b"stream endstream", data))):
        if b"#" in raw:
            raw = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        names.add(raw.decode("latin-1"))
    return names


def _refuse_active(found: set[str]) -> None:
    active = found & FORBIDDEN_PDF_NAMES
    if "OpenAction" in active and not found & CODE_NAMES:
        active.discard("OpenAction")
    if active:
        raise ScanRefused(
            _("The PDF carries active content (%(names)s) and is refused; scan or print it to PDF again.")
            % {"names": ", ".join(sorted(active))}
        )


def check_pdf(data: bytes) -> None:
    _refuse_active(_decoded_names(data))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ScanRefused(_("The PDF is encrypted and cannot be checked; save it without a password."))
        found = _object_names(reader)
        pages = len(reader.pages)
    except ScanRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        log.info("PDF refused as unreadable: %s", exc)
        raise ScanRefused(_("The PDF cannot be read; it may be damaged.")) from exc
    if pages == 0:
        raise ScanRefused(_("The PDF has no pages."))
    _refuse_active(found)


def _object_names(reader: PdfReader) -> set[str]:
    """Names used as keys or values in every object of the PDF, compressed object streams included."""
    numbers = {num for table in reader.xref.values() for num in table} | set(reader.xref_objStm)
    found: set[str] = set()
    for num in sorted(numbers):
        try:
            obj = reader.get_object(num)
        except (PyPdfError, ValueError, KeyError, TypeError, OSError):
            continue
        _collect(obj, found, depth=0)
    _collect(reader.trailer, found, depth=0)
    return found


def _collect(obj, found: set[str], *, depth: int) -> None:
    if depth > 50 or isinstance(obj, IndirectObject):
        return  # referenced objects are visited on their own
    if isinstance(obj, NameObject):
        found.add(str(obj).lstrip("/"))
    elif isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            found.add(str(key).lstrip("/"))
            _collect(value, found, depth=depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            _collect(item, found, depth=depth + 1)


def check_image(data: bytes, scan_type: ScanType) -> None:
    expected = {ScanType.JPEG: "JPEG", ScanType.PNG: "PNG"}[scan_type]
    try:
        with warnings.catch_warnings():
            # A decompression bomb is refused, not just warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                actual = image.format
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ScanRefused(_("The image cannot be read; it may be damaged.")) from exc
    except Image.DecompressionBombWarning as exc:
        raise ScanRefused(_("The image is too large in pixels.")) from exc
    if actual != expected:
        raise ScanRefused(_("The image is not the type its bytes claim."))
