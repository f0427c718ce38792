"""The round bundle: built as a task, with progress, downloadable for a week by the province only."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from core.dates import SHANGHAI
from documents.enums import BundleStatus, DocumentKind
from documents.models import Bundle
from documents.services import request_bundle, upload_bureau_scan, upload_plan_scan
from documents.tasks import build_bundle, purge_expired
from plans.enums import PlanStatus
from plans.models import Plan
from tests.conftest import make_certificate
from tests.documents.builders import WEB_FORM, pdf_bytes, png_bytes
from tests.documents.conftest import stored_files
from tests.documents.readers import workbook
from tests.factories import J, complete_form, draft

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
NOW = datetime(2027, 4, 16, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def round_with_papers(cast, spring, known, private_storage):
    """school1 (secondary, bureau 1, approved by its bureau) with a scan; college2 (bureau 2) with a new
    certificate; bureau 1's scan; school2 (bureau 2) still at bureau review."""
    Plan.objects.filter(pk=known.plan.pk).update(status=PlanStatus.PROVINCIAL_REVIEW)
    bigdata = make_certificate("大数据应用开发（Python）职业技能等级证书")
    college_plan = draft(cast.college2, spring, [(bigdata, J, "软件技术", 40)], status=PlanStatus.PUBLISHED)
    complete_form(college_plan, bigdata, **WEB_FORM)
    draft(cast.school2, spring, [(bigdata, J, "软件技术", 40)], status=PlanStatus.BUREAU_REVIEW)  # not in it
    upload_plan_scan(
        user=cast.staff,
        plan=known.plan,
        kind=DocumentKind.INSTITUTION_SUMMARY,
        upload=SimpleUploadedFile("汇总表.pdf", pdf_bytes()),
    )
    upload_bureau_scan(
        user=cast.bureau_reviewer, bureau=cast.bureau1, round_=spring, upload=SimpleUploadedFile("市.png", png_bytes())
    )
    return spring


@time_machine.travel(NOW, tick=False)
@override_settings(TASKS=IMMEDIATE)
def test_bundle_holds_the_papers_in_folders_by_who_sends_them(cast, round_with_papers, private_storage):
    bundle = request_bundle(user=cast.provincial_reviewer, round_=round_with_papers)

    bundle.refresh_from_db()
    assert (bundle.status, bundle.done, bundle.total, bundle.percent) == (BundleStatus.DONE, 4, 4, 100)
    assert bundle.expires_at == NOW + timedelta(days=7)
    archive = zipfile.ZipFile(private_storage / bundle.stored_name)
    root = "2027年春季1+X证书申报材料"
    assert sorted(archive.namelist()) == sorted(
        [
            f"{root}/安徽省2027年春季1+X证书申报汇总表.xlsx",
            f"{root}/合肥市/合肥市教育局2027年春季证书申报汇总表.xlsx",
            f"{root}/合肥市/盖章扫描件/市级汇总表-1.png",
            f"{root}/合肥市/示例合肥职业学校/示例合肥职业学校2027年证书申报-附件2校级汇总表.xlsx",
            f"{root}/合肥市/示例合肥职业学校/示例合肥职业学校2027年证书申报-附件1申报表-Web前端开发.docx",
            f"{root}/合肥市/示例合肥职业学校/示例合肥职业学校2027年证书申报-附件1申报表-Web前端开发.pdf",
            f"{root}/合肥市/示例合肥职业学校/盖章扫描件/校级汇总表（附件2）-1.pdf",
            f"{root}/高等院校/示例芜湖应用技术学院/示例芜湖应用技术学院2027年证书申报-附件2校级汇总表.xlsx",
            f"{root}/高等院校/示例芜湖应用技术学院/示例芜湖应用技术学院2027年证书申报-附件1申报表-大数据应用开发（Python）.docx",
            f"{root}/高等院校/示例芜湖应用技术学院/示例芜湖应用技术学院2027年证书申报-附件1申报表-大数据应用开发（Python）.pdf",
        ]
    )
    assert archive.read(f"{root}/合肥市/示例合肥职业学校/盖章扫描件/校级汇总表（附件2）-1.pdf") == pdf_bytes()
    summary = workbook(archive.read(f"{root}/安徽省2027年春季1+X证书申报汇总表.xlsx"))
    assert summary["全部条目"].max_row == 3 + 4 + 1
    assert AuditEvent.objects.filter(action="bundle.request").count() == 1


@override_settings(TASKS=IMMEDIATE)
def test_bundle_download_is_for_the_province_and_lasts_a_week(client, cast, round_with_papers, private_storage):
    with time_machine.travel(NOW, tick=False):
        bundle = request_bundle(user=cast.provincial_reviewer, round_=round_with_papers)
    url = reverse("bundle_download", args=[bundle.pk])
    statuses = {}
    with time_machine.travel(NOW + timedelta(days=6, hours=23), tick=False):
        for username in ("provincial_admin", "observer", "staff", "bureau_reviewer"):
            client.force_login(getattr(cast, username))
            response = client.get(url)
            statuses[username] = response.status_code
            if response.streaming:
                content = b"".join(response.streaming_content)
                assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        client.force_login(cast.provincial_admin)
        expired = client.get(url).status_code

    assert statuses == {"provincial_admin": 200, "observer": 200, "staff": 404, "bureau_reviewer": 404}
    assert expired == 410


@override_settings(TASKS=IMMEDIATE)
def test_bundle_request_page_redirects_to_its_progress(client, cast, round_with_papers):
    client.force_login(cast.provincial_admin)

    response = client.post(reverse("bundle_request", args=[round_with_papers.pk]), follow=True)

    bundle = Bundle.objects.get()
    assert response.redirect_chain == [(reverse("bundle_detail", args=[bundle.pk]), 302)]
    assert 'data-testid="bundle-download"' in response.content.decode()


def test_bundle_progress_polls_until_done(client, cast, spring):
    bundle = Bundle.objects.create(round=spring, requested_by=cast.provincial_admin, requested_at=NOW, done=1, total=4)
    client.force_login(cast.provincial_admin)
    url = reverse("bundle_progress", args=[bundle.pk])

    running = client.get(url).content.decode()
    Bundle.objects.filter(pk=bundle.pk).update(status=BundleStatus.FAILED)
    failed = client.get(url).content.decode()

    assert ('hx-trigger="every 2s"' in running, "25%" in running) == (True, True)
    assert 'hx-trigger="every 2s"' not in failed


def test_bundle_task_is_safe_to_run_twice(cast, round_with_papers, private_storage):
    bundle = Bundle.objects.create(round=round_with_papers, requested_by=cast.provincial_admin, requested_at=NOW)

    first = build_bundle.call(bundle.pk)
    name = Bundle.objects.get().stored_name
    second = build_bundle.call(bundle.pk)

    assert (first, second) == (BundleStatus.DONE, BundleStatus.DONE)
    assert Bundle.objects.get().stored_name == name
    assert [f for f in stored_files(private_storage) if f.startswith("bundles/")] == [name]


def test_purge_expired_removes_the_file_and_keeps_the_row(cast, round_with_papers, private_storage):
    bundle = Bundle.objects.create(round=round_with_papers, requested_by=cast.provincial_admin, requested_at=NOW)
    build_bundle.call(bundle.pk)
    bundle.refresh_from_db()

    removed = purge_expired(at=bundle.expires_at)

    assert (removed, Bundle.objects.get().stored_name) == (1, "")
    assert [f for f in stored_files(private_storage) if f.startswith("bundles/")] == []


def test_bundle_request_by_a_school_is_404(client, cast, spring):
    client.force_login(cast.staff)

    assert client.post(reverse("bundle_request", args=[spring.pk])).status_code == 404
    assert Bundle.objects.count() == 0
