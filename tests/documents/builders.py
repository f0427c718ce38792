"""Small builders for the documents tests: plans with lines, forms, last year's figures, scan files."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from catalog.enums import Level
from plans.enums import PlanStatus
from plans.models import ApplicationForm, Plan, PlanLine
from tests.factories import completion, published_plan


def make_plan(institution, rnd, lines=(), *, status: str = PlanStatus.BUREAU_REVIEW) -> Plan:
    """A plan with `lines` = [(certificate, level, major, headcount, remark?, code?)]."""
    plan = Plan.objects.create(institution=institution, round=rnd, status=status)
    for certificate, level, major, headcount, *rest in lines:
        PlanLine.objects.create(
            plan=plan,
            certificate=certificate,
            level=level,
            major_name=major,
            headcount=headcount,
            remark=rest[0] if rest else "",
            major_code=rest[1] if len(rest) > 1 else "",
        )
    return plan


def last_year(institution, year: int, lines, *, rate: str | None = None) -> Plan:
    """A published plan of `year` with `lines` = [(certificate, level, major, approved)], and its completion rate."""
    plan = published_plan(institution, year, lines)
    if rate is not None:
        completion(institution, year, rate)
    return plan


def make_form(plan, certificate, **overrides) -> ApplicationForm:
    fields = {
        "majors": [{"name": "计算机应用技术", "students": 120}, {"name": "软件技术", "students": 80}],
        "teachers": [{"name": "张老师", "title": "讲师", "role": "考评员"}],
        "facilities": "Web前端实训室两间，机位100个",
        "is_exam_site": True,
        "enterprises": "科大讯飞股份有限公司",
        "training_plan": "每周4学时，共16周",
        "budget_amount": Decimal("52000.50"),
        "budget_source": "学校专项经费",
        "review_date": date(2027, 3, 20),
        "experts": [{"name": "李教授", "title": "教授", "affiliation": "安徽大学"}],
        "review_conclusion": "同意申报",
    }
    return ApplicationForm.objects.create(plan=plan, certificate=certificate, **(fields | overrides))


J, M, S = Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR

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
