"""What a stamped scan may be: PDF, JPEG or PNG by its bytes, at most 20 MB, without active content.

Refusals raise `ScanRefused` with a message for the user; nothing is stored before every
check has passed. The checks, in order: the size (before reading), the name (no path parts),
the type from the magic bytes (the name's extension must agree), then the content: a PDF
is parsed completely and refused for any action but going to a page, automatic actions, code,
embedded files or XFA; what is kept of it is a copy pypdf wrote anew (documents.scan_pdf);
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

from core.refusals import StepRefused
from documents.enums import ScanType
from documents.scan_pdf import PdfRefused, clean_copy

MAX_SCAN_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 255
EXTENSIONS = {"pdf": ScanType.PDF, "jpg": ScanType.JPEG, "jpeg": ScanType.JPEG, "png": ScanType.PNG}
MAGIC = ((b"%PDF-", ScanType.PDF), (b"\xff\xd8\xff", ScanType.JPEG), (b"\x89PNG\r\n\x1a\n", ScanType.PNG))
_NAME_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")

log = logging.getLogger(__name__)


class ScanRefused(StepRefused):
    """An uploaded file was refused (type, size, content); `message` says why."""

    code = "file"


@dataclass(frozen=True)
class CheckedScan:
    data: bytes
    name: str
    scan_type: ScanType
    sha256: str  # of `data`, the file as uploaded
    kept: bytes  # what is stored and served: a PDF rewritten by pypdf, an image as uploaded

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


def check(data: bytes, name: str, *, allowed: frozenset[str] = frozenset()) -> CheckedScan:
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
        kept = check_pdf(data, allowed=allowed)
    else:
        check_image(data, actual)
        kept = data
    return CheckedScan(data=data, name=name, scan_type=actual, sha256=hashlib.sha256(data).hexdigest(), kept=kept)


def check_pdf(data: bytes, *, allowed: frozenset[str] = frozenset()) -> bytes:
    """The copy of the PDF to keep (see documents.scan_pdf); raises ScanRefused naming what was found."""
    try:
        return clean_copy(data, allowed=allowed)
    except PdfRefused as refused:
        raise ScanRefused(refused.message) from refused


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
