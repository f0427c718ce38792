"""The round bundle: one ZIP with the papers and scans of every plan that reached the province.

The folders follow who sends what (notice §四): higher-education institutions send to the province
directly, secondary schools through their city's bureau. A plan still at bureau review is not in it.
Layout (names made safe for every file system)::

    2027年春季1+X证书申报材料/
        安徽省2027年春季1+X证书申报汇总表.xlsx
        高等院校/
            示例芜湖应用技术学院/
                示例芜湖应用技术学院2027年证书申报-附件2校级汇总表.xlsx
                盖章扫描件/…
        合肥市/
            合肥市教育局2027年春季证书申报汇总表.xlsx      (bureaus with secondary schools)
            盖章扫描件/市级汇总表-1.pdf
            示例合肥职业学校/
                示例合肥职业学校2027年证书申报-附件2校级汇总表.xlsx
                示例合肥职业学校2027年证书申报-附件1申报表-物流管理.docx / .pdf
                盖章扫描件/校级汇总表（附件2）-1.pdf
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable

from django.core.files.storage import default_storage

from core.downloads import safe_filename
from documents import labels
from documents.application_form import ApplicationFormExport
from documents.bureau_summary import BureauSummary
from documents.enums import DocumentKind, ScanType
from documents.institution_summary import InstitutionSummary
from documents.papers import Paper, bureau_papers, bureaus_owing, papers_for_plans, submitted_plans
from documents.pdf import render_pdf
from documents.provincial_summary import ProvincialSummary
from documents.queries import AT_PROVINCE
from documents.word import render_docx
from rounds.models import Round

Progress = Callable[[int, int], None]
SCAN_FOLDER = "盖章扫描件"
HIGHER_FOLDER = "高等院校"


def _add_scans(zf: zipfile.ZipFile, folder: str, paper: Paper) -> None:
    # Oldest first, numbered: the last number is the scan that counts.
    for number, scan in enumerate(reversed(paper.scans), start=1):
        late = "（逾期）" if scan.is_late else ""
        name = safe_filename(f"{paper.title}-{number}{late}.{ScanType(scan.content_type).extension}")
        with default_storage.open(scan.stored_name, "rb") as src, zf.open(f"{folder}/{SCAN_FOLDER}/{name}", "w") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)


def _add_plan(zf: zipfile.ZipFile, root: str, plan_papers) -> None:
    plan = plan_papers.plan
    institution = plan.institution
    sender = institution.bureau.name if institution.is_secondary else HIGHER_FOLDER
    folder = f"{root}/{safe_filename(sender)}/{safe_filename(institution.name)}"
    summary = InstitutionSummary(plan)
    zf.writestr(f"{folder}/{summary.filename()}", summary.render())
    for paper in plan_papers.papers:
        if paper.kind == DocumentKind.APPLICATION_FORM and paper.has_form:
            form = ApplicationFormExport.for_plan(plan, paper.certificate_id)
            document = form.document()
            zf.writestr(f"{folder}/{form.filename('docx')}", render_docx(document))
            zf.writestr(f"{folder}/{form.filename('pdf')}", render_pdf(document))
        _add_scans(zf, folder, paper)


def write_bundle(round_: Round, target, *, progress: Progress) -> None:
    """Write the ZIP of `round_` to `target` (a binary file), calling `progress(done, total)` as it goes."""
    plans = submitted_plans(round_, statuses=AT_PROVINCE)
    owing = bureau_papers(round_, bureaus_owing(round_, statuses=AT_PROVINCE))
    total = len(plans) + len(owing) + 1
    done = 0
    progress(done, total)
    root = safe_filename(f"{labels.round_label(round_)}1+X证书申报材料")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        summary = ProvincialSummary(round_)
        with tempfile.TemporaryFile() as tmp:
            summary.write(tmp)
            tmp.seek(0)
            with zf.open(f"{root}/{safe_filename(summary.filename())}", "w") as dst:
                shutil.copyfileobj(tmp, dst, 1024 * 1024)
        done += 1
        progress(done, total)
        for bureau, paper in owing:
            folder = f"{root}/{safe_filename(bureau.name)}"
            bureau_summary = BureauSummary(bureau, round_)
            zf.writestr(f"{folder}/{bureau_summary.filename()}", bureau_summary.render())
            _add_scans(zf, folder, paper)
            done += 1
            progress(done, total)
        for plan_papers in papers_for_plans(plans):
            _add_plan(zf, root, plan_papers)
            done += 1
            progress(done, total)


def bundle_filename(round_: Round) -> str:
    """The ZIP's download name, the same from the page and the API."""
    return f"{labels.round_label(round_)}1+X证书申报材料.zip"


def open_bundle(bundle, *, at):
    """The stored ZIP of `bundle`, opened for reading, or None when it is not (or no longer) available: not built
    yet, failed, or past its week."""
    if not bundle.is_available(at=at) or not bundle.stored_name:
        return None
    return default_storage.open(bundle.stored_name, "rb")
