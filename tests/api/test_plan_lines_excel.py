"""A plan's lines as an Excel round trip through the API: the template, the preview (added, changed, missing) and
the confirmation with the same file, applied all or nothing — the plan page's reader, comparison and services."""

from __future__ import annotations

import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from tests.api.conftest import FILING_DAY
from tests.conftest import make_certificate
from tests.factories import J, M, draft

LOGISTICS = "物流管理职业技能等级证书"


@pytest.fixture
def plan(cast, spring):
    logistics = make_certificate(LOGISTICS, levels=[J, M])
    with time_machine.travel(FILING_DAY, tick=False):
        return draft(cast.school1, spring, [(logistics, J, "物流管理", 30), (logistics, M, "物流管理", 40)])


@pytest.fixture(autouse=True)
def filing_day():
    with time_machine.travel(FILING_DAY, tick=False):
        yield


def template(caller, plan) -> openpyxl.Workbook:
    answer = caller.get(f"/plans/{plan.pk}/lines/template.xlsx")
    assert (answer.status_code, answer["Cache-Control"]) == (200, "no-store")
    return openpyxl.load_workbook(io.BytesIO(answer.content))


def send(caller, path: str, book: openpyxl.Workbook, **data):
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("申报条目.xlsx", buffer.getvalue())
    return caller.client.post(f"/api/v1{path}", {"file": file, **data}, headers=caller.headers)


def lines(plan) -> list[tuple]:
    return sorted(plan.lines.values_list("level", "major_name", "headcount"))


def test_template_preview_and_apply_change_exactly_what_the_preview_showed(api, cast, plan):
    staff = api(cast.staff)
    book = template(staff, plan)
    sheet = book["申报条目"]
    sheet["E3"] = 45  # the 中级 line: 40 → 45
    sheet.delete_rows(2)  # the 初级 line is missing from the file
    sheet.append([LOGISTICS, "初级", "现代物流", "", 25, "", ""])

    preview = send(staff, f"/plans/{plan.pk}/lines/import/preview", book)
    body = preview.json()
    untouched = lines(plan)
    junior = plan.lines.get(level=J)
    applied = send(staff, f"/plans/{plan.pk}/lines/import", book, digest=body["digest"], remove=[junior.pk])

    assert preview.status_code == 200
    assert [(a["row"], a["level"], a["major_name"], a["headcount"]) for a in body["added"]] == [
        (3, "junior", "现代物流", 25)
    ]
    assert [c["changes"] for c in body["changed"]] == [[{"field": "planned headcount", "before": "40", "after": "45"}]]
    assert [(m["line_id"], m["headcount"]) for m in body["missing"]] == [(junior.pk, 30)]
    assert untouched == [("intermediate", "物流管理", 40), ("junior", "物流管理", 30)]
    assert (applied.status_code, applied.json()) == (200, {"added": 1, "changed": 1, "removed": 1})
    assert lines(plan) == [("intermediate", "物流管理", 45), ("junior", "现代物流", 25)]


def test_apply_refuses_a_file_that_is_not_the_previewed_one_and_writes_nothing(api, cast, plan):
    staff = api(cast.staff)
    book = template(staff, plan)
    book["申报条目"]["E2"] = 35
    digest = send(staff, f"/plans/{plan.pk}/lines/import/preview", book).json()["digest"]
    book["申报条目"]["E2"] = 36
    events = AuditEvent.objects.count()

    answer = send(staff, f"/plans/{plan.pk}/lines/import", book, digest=digest)

    assert (answer.status_code, answer.json()["type"]) == (409, "urn:onex:problem:step-refused")
    assert lines(plan) == [("intermediate", "物流管理", 40), ("junior", "物流管理", 30)]
    assert AuditEvent.objects.count() == events


def test_preview_names_each_bad_row(api, cast, plan):
    staff = api(cast.staff)
    book = template(staff, plan)
    book["申报条目"].append(["没有这个证书", "初级", "物流", "", 0, "", ""])

    answer = send(staff, f"/plans/{plan.pk}/lines/import/preview", book)

    body = answer.json()
    assert (answer.status_code, body["type"]) == (422, "urn:onex:problem:file-refused")
    assert [e["message"][:6] for e in body["errors"]] == ["Row 4:"]


def test_import_is_the_schools_staffs_and_the_template_everyone_who_sees_the_plan(api, cast, plan):
    book = template(api(cast.staff), plan)
    path = f"/plans/{plan.pk}/lines/import/preview"

    refused = {name: send(api(getattr(cast, name)), path, book).status_code for name in ["leader", "other_staff"]}
    templates = {
        name: api(getattr(cast, name)).get(f"/plans/{plan.pk}/lines/template.xlsx").status_code
        for name in ["leader", "provincial_reviewer", "other_staff", "bureau_reviewer"]
    }

    assert refused == {"leader": 403, "other_staff": 404}
    # A draft is not yet the bureau's to see (DOMAIN.md §3).
    assert templates == {"leader": 200, "provincial_reviewer": 200, "other_staff": 404, "bureau_reviewer": 404}


def test_template_download_spends_the_pages_export_limit(api, client, cast, plan, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/600"}
    client.force_login(cast.staff)

    page = client.get(reverse("lines_template", args=[plan.pk])).status_code
    answers = [api(cast.staff).get(f"/plans/{plan.pk}/lines/template.xlsx").status_code for _ in "ab"]

    assert (page, answers) == (200, [200, 429])


def test_a_body_django_refuses_to_read_is_a_400_problem(api, cast, plan, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    staff = api(cast.staff)
    fields = {"digest": "0" * 64, "remove": [str(n) for n in range(1, 12)]}  # more fields than Django reads

    answer = staff.client.post(f"/api/v1/plans/{plan.pk}/lines/import", fields, headers=staff.headers)

    assert (answer.status_code, answer["Content-Type"]) == (400, "application/problem+json; charset=utf-8")
