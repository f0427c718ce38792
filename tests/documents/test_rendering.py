"""Each document as a school prints it: rendered to pages and PNGs, and its page count asserted.

Word and Excel files go through LibreOffice headless (Debian's libreoffice-writer-nogui and
libreoffice-calc-nogui, installed by scripts/test.sh), the PDFs are WeasyPrint's own; every PDF is
then turned into one PNG a page with poppler's pdftoppm. LibreOffice is slow to start, so every
document is converted once, in one call, by a module fixture; the tests only read the results.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from documents import adjustment_request as ar
from documents.application_form import ApplicationFormExport
from documents.bureau_summary import BureauSummary
from documents.institution_summary import InstitutionSummary
from documents.provincial_summary import ProvincialSummary
from institutions.enums import InstitutionKind
from institutions.models import Bureau, Institution
from plans.enums import PlanStatus
from tests.conftest import make_certificate, make_round
from tests.documents.builders import WEB_FORM
from tests.factories import J, M, complete_form, draft, last_year

pytestmark = pytest.mark.libreoffice


def write_documents(folder: Path) -> None:
    """附件1 (docx, pdf), 附件2, the two summaries and a 10-line decided 附件3 (docx, pdf) of one school."""
    bureau = Bureau.objects.create(name="合肥市")
    school = Institution.objects.create(
        name="示例合肥职业学校",
        kind=InstitutionKind.SECONDARY_VOCATIONAL,
        bureau=bureau,
        ministry_code="4134000123",
        platform_account="AH-TEST",
        contact_name="王老师",
        contact_phone="0551-12345678",
    )
    spring = make_round(2027)
    logistics = make_certificate("物流管理职业技能等级证书", body="北京中物联物流采购培训中心")
    web = make_certificate("Web前端开发职业技能等级证书", body="工业和信息化部教育与考试中心")
    last_year(school, 2026, [(logistics, J, "物流管理", 45)], rate="62.5")
    lines = [(logistics, J, "物流管理", 40, "较上年减少，按实际报名"), (logistics, M, "物流管理", 30)]
    lines += [(web, J, "计算机应用技术", 35, "", "510201"), (web, J, "软件技术", 30, "", "510203")]
    plan = draft(school, spring, lines, status=PlanStatus.PROVINCIAL_REVIEW)
    complete_form(plan, web, **WEB_FORM)
    form = ApplicationFormExport.for_plan(plan, web.pk)
    files = {
        "附件1.docx": form.docx(),
        "附件1.pdf": form.pdf(),
        "附件2.xlsx": InstitutionSummary(plan).render(),
        "市级汇总表.xlsx": BureauSummary(bureau, spring).render(),
        "省级汇总表.xlsx": ProvincialSummary(spring).render(),
        "附件3.docx": ar.docx(ten_lines()),
        "附件3.pdf": ar.pdf(ten_lines()),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)


def ten_lines() -> ar.AdjustmentRequest:
    line = ar.AdjustmentLine("大数据应用开发（Python）职业技能等级证书", "junior", "计算机应用技术", 40, 60, "阿里云")
    return ar.AdjustmentRequest(
        institution_name="示例合肥职业学校",
        year=2027,
        lines=[replace(line, major=f"计算机应用技术{i}", approved=55) for i in range(10)],
        reason="学生报名人数超过原计划。",
        institution_kind="中职学校",
        bureau_name="合肥市",
        contact_name="王老师",
        contact_phone="0551-12345678",
        secondary=True,
        office_head=ar.SignOff("张主任", date(2027, 5, 6), "同意"),
        leader=ar.SignOff("李校长", date(2027, 5, 7), "同意"),
        bureau=ar.SignOff("赵科长", date(2027, 5, 8), "同意"),
        decision=ar.Decision("核减后同意", date(2027, 5, 10), "按实际报名核减", "孙审核"),
    )


def pdf_pages(path: Path) -> int:
    return len(PdfReader(io.BytesIO(path.read_bytes())).pages)


_RENDERED: dict[str, tuple[int, list[Path]]] = {}


@pytest.fixture
def rendered(db, tmp_path_factory) -> dict[str, tuple[int, list[Path]]]:
    """Document name → (pages, PNGs): the PDFs as written, the others converted by LibreOffice (one call).

    Rendered once for the module (the first test to ask writes the documents in its own transaction)."""
    if not _RENDERED:
        _RENDERED.update(render(tmp_path_factory.mktemp("documents")))
    return _RENDERED


def render(folder: Path) -> dict[str, tuple[int, list[Path]]]:
    write_documents(folder)
    office = [p for p in sorted(folder.iterdir()) if p.suffix in (".docx", ".xlsx")]
    converted = folder / "converted"
    profile = (folder / "profile").as_uri()  # a profile of its own: runs side by side never share one
    subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile}", "--headless"]
        + ["--convert-to", "pdf", "--outdir", str(converted), *map(str, office)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = {p.name: p for p in folder.glob("*.pdf")} | {p.name: converted / f"{p.stem}.pdf" for p in office}
    result = {}
    for name, pdf in pdfs.items():
        prefix = folder / "png" / Path(name).stem / Path(name).suffix[1:]
        prefix.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True, timeout=120)
        result[name] = (pdf_pages(pdf), sorted(prefix.parent.glob(f"{prefix.name}-*.png")))
    return result


def test_rendering_every_document_becomes_one_png_a_page(rendered):
    assert {name: (pages, len(pngs)) for name, (pages, pngs) in rendered.items()} == {
        "附件1.docx": (2, 2),
        "附件1.pdf": (2, 2),
        "附件2.xlsx": (1, 1),
        "市级汇总表.xlsx": (2, 2),
        "省级汇总表.xlsx": (4, 4),
        "附件3.docx": (1, 1),
        "附件3.pdf": (1, 1),
    }


def test_rendering_attachment_pages_are_portrait_a4_and_summaries_landscape(rendered):
    from PIL import Image

    shapes = {}
    for name, (_pages, pngs) in rendered.items():
        with Image.open(pngs[0]) as first:
            shapes[name] = "portrait" if first.height > first.width else "landscape"

    assert shapes == {
        "附件1.docx": "portrait",
        "附件1.pdf": "portrait",
        "附件2.xlsx": "landscape",
        "市级汇总表.xlsx": "landscape",
        "省级汇总表.xlsx": "landscape",
        "附件3.docx": "portrait",
        "附件3.pdf": "portrait",
    }
