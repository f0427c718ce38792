"""A PDF scan is checked by parsing it completely, then kept and served as a copy pypdf wrote anew.

Every object of the file is visited once: those reachable from the trailer and every object the cross-reference
tables list (compressed object streams included), iteratively with a visited set, so no chain is too deep and no
object is skipped for looking like data. Refused: any action but /GoTo within the document, whatever starts it
(/OpenAction, /A, /Next, /PA, or any dictionary typed /Action), /AA (automatic actions) on any object,
JavaScript anywhere, embedded files, XFA forms and multimedia annotations. A file pypdf cannot parse is refused.

The copy keeps the pages (their content, images and annotations) and nothing else the file carried: no
document-level actions, no names trees, no unreferenced objects, no bytes hidden between or after objects.
It is checked again before it is kept.
"""

from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

log = logging.getLogger(__name__)

# What is refused, by the PDF name that carries it; the label says in words what it does.
LABELS = {
    "JavaScript": gettext_lazy("JavaScript code"),
    "Launch": gettext_lazy("starting a program"),
    "URI": gettext_lazy("opening a web address"),
    "GoToR": gettext_lazy("opening another file"),
    "GoToE": gettext_lazy("opening an embedded file"),
    "SubmitForm": gettext_lazy("sending form data"),
    "ImportData": gettext_lazy("importing form data"),
    "ResetForm": gettext_lazy("resetting a form"),
    "RichMedia": gettext_lazy("multimedia"),
    "Sound": gettext_lazy("sound"),
    "Movie": gettext_lazy("video"),
    "Rendition": gettext_lazy("multimedia"),
    "AA": gettext_lazy("automatic actions"),
    "EmbeddedFile": gettext_lazy("an embedded file"),
    "XFA": gettext_lazy("an XFA form"),
}
OTHER_ACTION = gettext_lazy("an action other than going to a page")
ALLOWED_ACTION = "/GoTo"
# Keys whose value is an action (/Next: an action or an array of them).
ACTION_KEYS = ("/A", "/OpenAction", "/PA", "/Next")
# Keys refused wherever they appear, by the finding they stand for.
KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",  # the names tree of document scripts
    "/AA": "AA",
    "/EmbeddedFiles": "EmbeddedFile",
    "/EF": "EmbeddedFile",
    "/XFA": "XFA",
    "/RichMediaContent": "RichMedia",
}
# Annotation kinds that play or carry something.
SUBTYPES = {
    "/FileAttachment": "EmbeddedFile",
    "/Sound": "Sound",
    "/Movie": "Movie",
    "/Screen": "Rendition",
    "/RichMedia": "RichMedia",
    "/3D": "RichMedia",
}
# Action types refused even outside an action key (an action reached some other way is still one).
ACTIONS = frozenset(f"/{name}" for name in LABELS) - {"/AA", "/EmbeddedFile", "/XFA"}
READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError, IndexError)


class PdfRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_copy(data: bytes, *, allowed: frozenset[str] = frozenset()) -> bytes:
    """The bytes to keep for an uploaded PDF: checked completely, rewritten, checked again; raises PdfRefused.

    `allowed` names findings accepted all the same (a notice's links to web addresses, "URI"); a scan allows none.
    """
    reader = _read(data)
    _refuse(findings(reader) - allowed)
    if len(reader.pages) == 0:
        raise PdfRefused(_("The PDF has no pages."))
    try:
        copy = rewrite(reader)
    except READ_ERRORS as exc:
        log.info("PDF refused: pypdf could not rewrite it: %s", exc)
        raise PdfRefused(_("The PDF cannot be read; it may be damaged.")) from exc
    _refuse(findings(_read(copy)) - allowed)
    return copy


def _read(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfRefused(_("The PDF is encrypted and cannot be checked; save it without a password."))
        reader.trailer["/Root"]  # noqa: B018 - a file without a catalogue is not a PDF anyone can read
    except PdfRefused:
        raise
    except READ_ERRORS as exc:
        log.info("PDF refused as unreadable: %s", exc)
        raise PdfRefused(_("The PDF cannot be read; it may be damaged.")) from exc
    return reader


def _refuse(found: set[str]) -> None:
    if found:
        described = [
            _("%(what)s (/%(name)s)") % {"what": LABELS.get(name, OTHER_ACTION), "name": name} for name in sorted(found)
        ]
        raise PdfRefused(
            _("The PDF carries active content (%(names)s) and is refused; scan or print it to PDF again.")
            % {"names": ", ".join(described)}
        )


def rewrite(reader: PdfReader) -> bytes:
    """A new file holding only `reader`'s pages."""
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def findings(reader: PdfReader) -> set[str]:
    """The PDF names of everything refused in the file (empty when it is clean); raises PdfRefused if unreadable."""
    found: set[str] = set()
    stack: list = [reader.trailer]
    stack += [IndirectObject(num, gen, reader) for gen, table in reader.xref.items() for num in table]
    stack += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    seen: set[tuple[int, int]] = set()
    try:
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                if (obj.idnum, obj.generation) in seen:
                    continue
                seen.add((obj.idnum, obj.generation))
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):
                found |= inspect(obj)
                stack.extend(dict.values(obj))
            elif isinstance(obj, ArrayObject):
                stack.extend(list.__iter__(obj))
    except READ_ERRORS as exc:
        log.info("PDF refused as unreadable while walking its objects: %s", exc)
        raise PdfRefused(_("The PDF cannot be read; it may be damaged.")) from exc
    return found


def inspect(obj: DictionaryObject) -> set[str]:
    """What one dictionary carries that is refused (its values are inspected on their own)."""
    found = {KEYS[key] for key in obj if key in KEYS}
    kind, subtype = _name(obj, "/S"), _name(obj, "/Subtype")
    if kind in ACTIONS:
        found.add(kind[1:])
    if subtype in SUBTYPES:
        found.add(SUBTYPES[subtype])
    if _name(obj, "/Type") == "/EmbeddedFile":
        found.add("EmbeddedFile")
    if _name(obj, "/Type") == "/Action":
        found |= _action(obj)
    for key in ACTION_KEYS:
        value = _get(obj, key)
        for action in value if isinstance(value, ArrayObject) and key == "/Next" else [value]:
            action = action.get_object() if isinstance(action, IndirectObject) else action
            if isinstance(action, DictionaryObject):
                found |= _action(action)
    return found


def _action(action: DictionaryObject) -> set[str]:
    """An action dictionary: only /GoTo is allowed. A structure element's attributes (/A without /S) are not one."""
    kind = _name(action, "/S")
    if kind is None or kind == ALLOWED_ACTION:
        return set()
    return {kind[1:]}


def _get(obj: DictionaryObject, key: str):
    value = dict.get(obj, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _name(obj: DictionaryObject, key: str) -> str | None:
    value = _get(obj, key)
    return str(value) if isinstance(value, NameObject) else None
