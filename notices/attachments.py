"""What a notice attachment may be: a PDF, checked by its bytes (not its name), at most 10 MB, without active content.

The PDF checks are the stamped scans' (`documents.scans`): magic bytes, opens, not encrypted, parsed completely,
no action but going to a page or opening a web address (the office's documents may link to the national platform),
no automatic actions, code, embedded files or XFA; what is kept is pypdf's copy. A JPEG or PNG passes those checks
but is refused here: notices attach PDFs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.refusals import StepRefused
from documents.enums import ScanType
from documents.scans import CheckedScan, ScanRefused, check, read_limited

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# The office's own documents may link to web addresses (the national platform, a form to fill in); nothing else
# that a stamped scan may not carry is allowed here either.
ALLOWED_IN_NOTICES = frozenset({"URI"})


class AttachmentRefused(StepRefused):
    """A notice attachment was refused; `message` says why."""

    code = "file"


def read_checked(upload) -> CheckedScan:
    """The upload's bytes once every check has passed; raises AttachmentRefused with a message for the office."""
    try:
        checked = check(read_limited(upload, MAX_ATTACHMENT_BYTES), upload.name or "", allowed=ALLOWED_IN_NOTICES)
    except ScanRefused as refused:
        raise AttachmentRefused(refused.message) from refused
    if checked.scan_type != ScanType.PDF:
        raise AttachmentRefused(_("Only PDF files can be attached to a notice."))
    return checked
