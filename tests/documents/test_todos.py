"""The clerk's scan to-dos (documents/todos.py): a submitted plan waits on its stamped scans until every paper
has come back, while the round's adjustment requests are open."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.dates import SHANGHAI
from documents.enums import DocumentKind
from documents.services import upload_bureau_scan, upload_plan_scan
from documents.todos import scan_todos
from plans.enums import PlanStatus
from tests.documents.builders import pdf_bytes

AT = datetime(2027, 4, 20, 10, tzinfo=SHANGHAI)


def test_scan_todos_count_the_missing_papers_until_all_come_back(cast, known, private_storage):
    [todo] = scan_todos(cast.staff, at=AT)
    assert (todo.text, todo.url) == (
        f"Upload the stamped scans of {known.plan}: 2 missing",
        reverse("plan_documents", args=[known.plan.pk]),
    )
    assert todo.due.startswith("due ")
    upload = SimpleUploadedFile
    upload_plan_scan(
        user=cast.staff, plan=known.plan, kind=DocumentKind.INSTITUTION_SUMMARY, upload=upload("s.pdf", pdf_bytes())
    )
    [todo] = scan_todos(cast.staff, at=AT)
    assert todo.text == f"Upload the stamped scans of {known.plan}: 1 missing"
    upload_plan_scan(
        user=cast.staff,
        plan=known.plan,
        kind=DocumentKind.APPLICATION_FORM,
        certificate=known.web,
        upload=upload("f.pdf", pdf_bytes()),
    )
    assert scan_todos(cast.staff, at=AT) == []


def test_scan_todos_only_for_the_clerk_of_a_submitted_plan(cast, known):
    assert scan_todos(cast.leader, at=AT) == scan_todos(cast.other_staff, at=AT) == []
    known.plan.status = PlanStatus.DRAFT
    known.plan.save(update_fields=["status"])
    assert scan_todos(cast.staff, at=AT) == []


def test_scan_todos_end_when_the_round_closes(cast, known):
    assert scan_todos(cast.staff, at=datetime(2028, 1, 5, 10, tzinfo=SHANGHAI)) == []


def test_scan_todos_bureau_owes_its_summary_until_uploaded(cast, spring, known, private_storage):
    [todo] = scan_todos(cast.bureau_reviewer, at=AT)
    assert (todo.text, todo.url) == (
        f"Upload the stamped bureau summary of {spring}",
        reverse("bureau_documents", args=[spring.pk, cast.bureau1.pk]),
    )
    assert scan_todos(cast.other_bureau_reviewer, at=AT) == []
    upload_bureau_scan(
        user=cast.bureau_reviewer, bureau=cast.bureau1, round_=spring, upload=SimpleUploadedFile("s.pdf", pdf_bytes())
    )
    assert scan_todos(cast.bureau_reviewer, at=AT) == []
