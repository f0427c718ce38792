"""The documents pages and downloads: who sees what (404 outside scope), and what the downloads carry."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.enums import DocumentKind
from documents.services import upload_plan_scan
from plans.enums import PlanStatus
from tests.conftest import make_certificate
from tests.documents.builders import pdf_bytes
from tests.documents.readers import workbook
from tests.factories import J, draft

SCHOOL1 = {"staff", "office_head", "leader"}
PROVINCE = {"provincial_reviewer", "provincial_admin", "observer"}
EVERYONE = SCHOOL1 | PROVINCE | {"college_staff", "other_staff", "bureau_reviewer", "other_bureau_reviewer"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pages(known, spring, cast) -> dict[str, tuple[str, set[str]]]:
    """Each page or download, and who gets 200 (everyone else in the cast gets 404)."""
    plan, bureau = known.plan.pk, cast.bureau1.pk
    school_plan = SCHOOL1 | {"bureau_reviewer"} | PROVINCE
    return {
        "plan page": (reverse("plan_documents", args=[plan]), school_plan),
        "summary sheet": (reverse("institution_summary_download", args=[plan]), school_plan),
        "form docx": (reverse("application_form_download", args=[plan, known.web.pk, "docx"]), school_plan),
        "bureau page": (reverse("bureau_documents", args=[spring.pk, bureau]), {"bureau_reviewer"} | PROVINCE),
        "bureau summary": (
            reverse("bureau_summary_download", args=[spring.pk, bureau]),
            {"bureau_reviewer"} | PROVINCE,
        ),
        "province page": (reverse("province_documents", args=[spring.pk]), PROVINCE),
        "provincial summary": (reverse("provincial_summary_download", args=[spring.pk]), PROVINCE),
    }


def test_documents_pages_answer_200_in_scope_and_404_outside(client, cast, spring, known):
    expected, seen = {}, {}
    for name, (url, seen_by) in pages(known, spring, cast).items():
        expected[name] = {u: 200 if u in seen_by else 404 for u in EVERYONE}
        seen[name] = {}
        for username in EVERYONE:
            client.force_login(getattr(cast, username))
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            seen[name][username] = response.status_code

    assert seen == expected


def test_documents_home_links_each_role_to_its_pages(client, cast, spring, known):
    links = {}
    for username in ("staff", "bureau_reviewer", "provincial_admin"):
        client.force_login(getattr(cast, username))
        links[username] = client.get(reverse("documents_home")).content.decode()

    assert reverse("plan_documents", args=[known.plan.pk]) in links["staff"]
    assert reverse("bureau_documents", args=[spring.pk, cast.bureau1.pk]) in links["bureau_reviewer"]
    assert reverse("province_documents", args=[spring.pk]) in links["provincial_admin"]


def test_summary_download_is_an_xlsx_attachment_named_per_the_notice(client, cast, known):
    client.force_login(cast.staff)

    response = client.get(reverse("institution_summary_download", args=[known.plan.pk]))

    name = "示例合肥职业学校2027年证书申报-附件2校级汇总表.xlsx"
    assert response["Content-Type"] == XLSX
    fallback = "ShiLiHeFeiZhiYeXueXiao2027NianZhengShuShenBao-FuJian2XiaoJiHuiZongBiao.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "no-store")
    assert workbook(response.content)["校级汇总表"]["C3"].value == "示例合肥职业学校"


def test_form_download_without_a_form_or_with_a_bad_format_is_404(client, cast, known):
    client.force_login(cast.staff)
    urls = [
        reverse("application_form_download", args=[known.plan.pk, known.logistics.pk, "pdf"]),  # continuing: no form
        reverse("application_form_download", args=[known.plan.pk, known.web.pk, "exe"]),
    ]

    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_form_download_pdf_is_a_pdf(client, cast, known):
    client.force_login(cast.staff)

    response = client.get(reverse("application_form_download", args=[known.plan.pk, known.web.pk, "pdf"]))

    assert (response.status_code, response["Content-Type"], response.content[:5]) == (200, "application/pdf", b"%PDF-")


def test_plan_page_shows_what_is_missing_until_the_scan_comes(client, cast, known, private_storage):
    client.force_login(cast.staff)
    url = reverse("plan_documents", args=[known.plan.pk])
    before = client.get(url).content.decode()
    upload_plan_scan(
        user=cast.staff,
        plan=known.plan,
        kind=DocumentKind.INSTITUTION_SUMMARY,
        upload=SimpleUploadedFile("汇总表.pdf", pdf_bytes()),
    )

    after = client.get(url).content.decode()

    assert (before.count('data-testid="missing"'), after.count('data-testid="missing"')) == (2, 1)
    assert "汇总表.pdf" in after


def test_plan_page_offers_the_upload_form_to_its_institution_only(client, cast, known):
    url = reverse("plan_documents", args=[known.plan.pk])
    shown = {}
    for username in ("staff", "bureau_reviewer", "provincial_reviewer"):
        client.force_login(getattr(cast, username))
        shown[username] = 'data-testid="scan-upload"' in client.get(url).content.decode()

    assert shown == {"staff": True, "bureau_reviewer": False, "provincial_reviewer": False}


def _plans(cast, spring, count: int) -> None:
    from institutions.enums import InstitutionKind
    from institutions.models import Institution

    """`count` secondary schools and `count` colleges in bureau 1, each with a submitted plan."""
    cert = make_certificate(f"测试证书{count}")
    for i in range(count):
        for kind in (InstitutionKind.SECONDARY_VOCATIONAL, InstitutionKind.HIGHER_VOCATIONAL):
            school = Institution.objects.create(name=f"查询学校{count}-{i}-{kind}", kind=kind, bureau=cast.bureau1)
            draft(school, spring, [(cert, J, "物流管理", 40)], status=PlanStatus.PROVINCIAL_REVIEW)


@pytest.mark.parametrize("page", ["bureau_documents", "province_documents"])
def test_round_pages_run_the_same_queries_for_1_and_3_plans(client, cast, spring, page):
    client.force_login(cast.provincial_admin)
    args = [spring.pk, cast.bureau1.pk] if page == "bureau_documents" else [spring.pk]
    counts = []
    for count in (1, 3):
        _plans(cast, spring, count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page, args=args)).status_code == 200
        counts.append(len(queries))
        from plans.models import Plan

        Plan.objects.filter(institution__name__startswith="查询学校").delete()

    assert counts[0] == counts[1]
