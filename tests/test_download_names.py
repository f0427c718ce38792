"""Every download of the site has a proper file name: the notice's, or a descriptive Chinese one (DOMAIN.md §9).

The URL resolver is walked with the cast of tests/test_headers.py, plus a stamped scan, a built bundle and a
notice attachment, so that every download answers with a file. A route that looks like a download (a file
extension or a format in its path, or "download" in its name) and gave no file to any visitor fails the test.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.services import create_token
from documents.enums import DocumentKind
from documents.services import upload_plan_scan
from documents.tasks import build_bundle
from monitoring.models import ProgressImport
from monitoring.records import Bulletin
from notices import services as notices
from tests import test_headers
from tests.documents.builders import WEB_FORM, pdf_bytes
from tests.factories import complete_form
from tests.notices.conftest import AT, make_notice
from tests.test_headers import PARAMETERS, PK_BY_ROUTE, fill, routes

world = test_headers.world  # the cast and its objects, as a fixture here too
CJK = re.compile(r"[\u4e00-\u9fff]")
LOOKS_LIKE_A_DOWNLOAD = re.compile(r"\.(xlsx|pdf|docx|zip|csv)$|<str:fmt>$|/<fmt>$|download")


@pytest.fixture
def files(world):
    """A stamped scan, a built bundle, an application form, import issues, a notice attachment and an issued 通报."""
    cast = world.cast
    bulletin = issued_bulletin(world)
    scan = upload_plan_scan(
        user=cast.staff,
        plan=world.plan,
        kind=DocumentKind.INSTITUTION_SUMMARY,
        upload=SimpleUploadedFile("scan001.pdf", pdf_bytes()),
    )
    build_bundle.call(world.bundle.pk)
    issues = [{"row": 2, "kind": "error", "message": "缺少身份证号"}]
    ProgressImport.objects.filter(pk=world.progress_import.pk).update(issues=issues)
    complete_form(world.plan, world.certificate, **WEB_FORM)
    draft = make_notice(cast.provincial_admin, published=False, number="皖教秘职成〔2027〕1号")
    upload = SimpleUploadedFile("附件1申报表.pdf", pdf_bytes(), content_type="application/pdf")
    attachment = notices.add_attachment(actor=cast.provincial_admin, notice=draft, title="附件1", upload=upload, at=AT)
    notice = notices.publish_notice(actor=cast.provincial_admin, notice=draft, at=AT)
    parameters = {**PARAMETERS, "scan_id": lambda w: scan.pk, "attachment_id": lambda w: attachment.pk}
    parameters["year"] = lambda w: 2027
    pks = {
        **PK_BY_ROUTE,
        "documents/scans/": lambda w: scan.pk,
        "notices/": lambda w: notice.pk,
        "monitoring/bulletins/": lambda w: bulletin.pk,
    }
    return parameters, pks


def issued_bulletin(world) -> Bulletin:
    """An issued 通报 of the world's checkpoint, its two files stored as issuing stores them."""
    now = timezone.now()
    bulletin = Bulletin(
        checkpoint=world.checkpoint,
        number="皖教秘职成〔2027〕5号",
        date=now.date(),
        title="关于2027年4月1+X证书考核进度监测情况的通报",
        body="正文",
        created_by=world.cast.provincial_admin,
        created_at=now,
        issued_at=now,
        issued_by=world.cast.provincial_admin,
    )
    bulletin.docx.save("bulletin.docx", ContentFile(b"docx"), save=False)
    bulletin.pdf.save("bulletin.pdf", ContentFile(pdf_bytes()), save=False)
    bulletin.save()
    return bulletin


def bearer(user) -> dict[str, str]:
    _token, raw = create_token(user=user, name="downloads", at=timezone.now())
    return {"Authorization": f"Bearer {raw}"}


def name_problems(url: str, header: str) -> list[str]:
    """What is wrong with a Content-Disposition: the UTF-8 name and the ASCII one are both checked."""
    utf8 = re.search(r"filename\*=UTF-8''([^;]+)", header)
    ascii_name = re.search(r'filename="([^"]+)"', header)
    if not (header.startswith("attachment") and utf8 and ascii_name):
        return [f"{url}: {header!r}"]
    name, fallback = unquote(utf8.group(1)), ascii_name.group(1)
    found = []
    stem = name.rsplit(".", 1)[0]
    if not CJK.search(stem) or re.fullmatch(r"[\d年_. -]*", stem):
        found.append(f"{url}: the name {name!r} says nothing")
    if re.fullmatch(r"(document|[\d_.-]*)(\.\w+)?", fallback):
        found.append(f"{url}: the ASCII name {fallback!r} says nothing")
    return found


def test_every_download_has_a_descriptive_file_name(client, world, files):
    parameters, pks = files
    visitors = [world.cast.provincial_admin, world.cast.staff, world.cast.bureau_reviewer]
    expected = [route for route in routes() if LOOKS_LIKE_A_DOWNLOAD.search(route) and not route.startswith("admin/")]
    given, problems = set(), []
    for route in expected:
        url = fill(route, world, parameters=parameters, pks=pks)
        for fmt in ("docx", "pdf") if "fmt" in route else (None,):
            target = url.replace("docx", fmt) if fmt else url
            for user in visitors:
                client.force_login(user)
                response = client.get(target, headers=bearer(user) if route.startswith("api/") else {})
                if response.streaming:
                    b"".join(response.streaming_content)
                header = response.get("Content-Disposition")
                if response.status_code == 200 and header:
                    given.add(route)
                    problems += name_problems(target, header)
                    break

    assert problems == []
    assert sorted(set(expected) - given) == [], sorted(set(expected) - given)
    assert len(given) >= 20
