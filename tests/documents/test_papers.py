from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.enums import DocumentKind
from documents.papers import bureau_papers, bureaus_owing, papers_for_plans
from documents.services import upload_bureau_scan, upload_plan_scan
from plans.enums import PlanStatus
from tests.documents.builders import pdf_bytes
from tests.factories import J, draft


def test_papers_a_plan_owes_its_summary_and_one_form_per_new_certificate(known):
    [papers] = papers_for_plans([known.plan])

    assert [(p.kind, p.title, p.certificate_id, p.has_form) for p in papers.papers] == [
        (DocumentKind.INSTITUTION_SUMMARY, "校级汇总表（附件2）", None, True),
        (DocumentKind.APPLICATION_FORM, "申报表（附件1）：Web前端开发职业技能等级证书", known.web.pk, True),
    ]
    assert len(papers.missing) == 2


def test_papers_are_received_once_a_scan_comes_back(cast, known, private_storage):
    upload_plan_scan(
        user=cast.staff,
        plan=known.plan,
        kind=DocumentKind.APPLICATION_FORM,
        certificate=known.web,
        upload=SimpleUploadedFile("form.pdf", pdf_bytes()),
    )

    [papers] = papers_for_plans([known.plan])

    assert [p.title for p in papers.missing] == ["校级汇总表（附件2）"]
    assert papers.papers[1].latest.original_name == "form.pdf"


def test_bureaus_owe_a_summary_only_for_submitted_secondary_schools(cast, spring, known):
    draft(cast.school2, spring, [(known.web, J, "计算机应用", 30)], status=PlanStatus.DRAFT)
    draft(cast.college2, spring, [(known.web, J, "计算机应用", 30)], status=PlanStatus.PROVINCIAL_REVIEW)

    owing = bureaus_owing(spring)

    assert owing == [cast.bureau1]


def test_bureau_paper_is_received_once_its_scan_comes_back(cast, spring, known, private_storage):
    [(_bureau, before)] = bureau_papers(spring, [cast.bureau1])
    upload_bureau_scan(
        user=cast.bureau_reviewer, bureau=cast.bureau1, round_=spring, upload=SimpleUploadedFile("s.pdf", pdf_bytes())
    )

    [(_bureau, after)] = bureau_papers(spring, [cast.bureau1])

    assert (before.missing, after.missing, after.latest.original_name) == (True, False, "s.pdf")
