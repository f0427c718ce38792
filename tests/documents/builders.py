"""Small builders for the documents tests: the 申报表 they print, and scan files. Plans and forms themselves are
made by tests/factories.py."""

from __future__ import annotations

import io
from decimal import Decimal

# The 申报表 the documents tests print (their assertions read these values): `complete_form(plan, cert, **WEB_FORM)`.
WEB_FORM = {
    "majors": [{"name": "计算机应用技术", "students": 120}, {"name": "软件技术", "students": 80}],
    "facilities": "Web前端实训室两间，机位100个",
    "enterprises": "科大讯飞股份有限公司",
    "budget_amount": Decimal("52000.50"),
}


# Smallest files of each kind that their libraries accept.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_bytes(*, extra: bytes = b"") -> bytes:
    """A one-page PDF written by pypdf; with `extra` ("N 0 obj … endobj"), a hand-written one holding it too."""
    from pypdf import PdfWriter

    if extra:
        from tests.documents.hostile_pdfs import raw_pdf

        return raw_pdf(extra + b"\n")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, "JPEG")
    return out.getvalue()


def pdf_with_js_in_object_stream() -> bytes:
    """A PDF 1.5 whose JavaScript action sits only inside a compressed object stream (invisible in the raw bytes)."""
    import zlib

    action = b"<</S/JavaScript/JS(app.alert(1))>>"
    header = b"4 0 "
    compressed = zlib.compress(header + action)
    out = bytearray(b"%PDF-1.5\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>")
    add(2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>")
    add(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>")
    add(
        5,
        b"<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>\nstream\n" % (len(header), len(compressed))
        + compressed
        + b"\nendstream",
    )
    xref_at = len(out)

    def entry(kind: int, field2: int, field3: int) -> bytes:
        return bytes([kind]) + field2.to_bytes(4, "big") + field3.to_bytes(2, "big")

    rows = [entry(0, 0, 65535)] + [entry(1, offsets[n], 0) for n in (1, 2, 3)]
    rows += [entry(2, 5, 0), entry(1, offsets[5], 0), entry(1, xref_at, 0)]
    data = b"".join(rows)
    out.extend(
        b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return bytes(out)
