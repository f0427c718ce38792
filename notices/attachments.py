"""What a notice attachment may be: a PDF, checked by its bytes (not its name), at most 10 MB, without active content.

The PDF checks are the stamped scans' (`documents.scans`): magic bytes, opens, not encrypted, no JavaScript,
Launch or embedded files. A JPEG or PNG passes those checks but is refused here: notices attach PDFs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from documents.enums import ScanType
from documents.scans import CheckedScan, ScanRefused, check

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class AttachmentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def too_big_message() -> str:
    return _("The file is larger than %(size)s MB.") % {"size": MAX_ATTACHMENT_BYTES // (1024 * 1024)}


def read_checked(upload) -> CheckedScan:
    """The upload's bytes once every check has passed; raises AttachmentRefused with a message for the office."""
    if getattr(upload, "size", None) is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise AttachmentRefused(too_big_message())
    upload.seek(0)
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentRefused(too_big_message())
    try:
        checked = check(data, upload.name or "")
    except ScanRefused as refused:
        raise AttachmentRefused(refused.message) from refused
    if checked.scan_type != ScanType.PDF:
        raise AttachmentRefused(_("Only PDF files can be attached to a notice."))
    return checked
