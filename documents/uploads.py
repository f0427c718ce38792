"""Refusing oversized uploads before they are read (by Content-Length, then while streaming), and path names.

Django parses a multipart body (writing files over 2 MB to disk) the first time anything
touches request.POST or request.FILES — CsrfViewMiddleware does that before the view runs.
Upload views are therefore csrf_exempt on the outside and csrf_protect on the inside, with
these checks in between (the pattern of Django's "Modifying upload handlers on the fly").
"""

from __future__ import annotations

import html

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser

from documents.scans import MAX_SCAN_BYTES, too_big_message

# Room for the multipart envelope and the other form fields around one file.
ENVELOPE_BYTES = 64 * 1024


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading as soon as one file passes `limit` bytes; the view then answers 413."""

    def __init__(self, request=None, *, limit: int = MAX_SCAN_BYTES):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False
        self.unsafe_names: list[str] = []

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            # The rest of the body is bounded by the Content-Length check: read and drop it.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class StrictNameParser(MultiPartParser):
    """Django strips path parts from an uploaded file's name; here such a name is also remembered, to refuse it.

    Browsers send a bare file name; "../x.pdf" or "C:\\x.pdf" only comes from a crafted request.
    """

    def sanitize_file_name(self, file_name):
        raw = html.unescape(file_name)
        if "/" in raw or "\\" in raw or ".." in raw or not raw.isprintable():
            for handler in self._upload_handlers:
                if isinstance(handler, LimitedUploadHandler):
                    handler.unsafe_names.append(raw)
        return super().sanitize_file_name(file_name)


def too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_SCAN_BYTES + ENVELOPE_BYTES


def payload_too_large() -> HttpResponse:
    return HttpResponse(too_big_message(), status=413, content_type="text/plain; charset=utf-8")


def limit_uploads(request) -> LimitedUploadHandler:
    """Put the size guard first in this request's upload handlers (before POST is parsed)."""
    handler = LimitedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    request.multipart_parser_class = StrictNameParser
    return handler
