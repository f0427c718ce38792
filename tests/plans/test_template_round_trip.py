"""The plan's Excel template as a round trip: download, edit, upload, preview, confirm (issue 15, item 2)."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.dates import SHANGHAI
from tests.conftest import make_certificate
from tests.factories import J, M, S, draft

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def plan(cast, spring, settings):
    settings.LANGUAGE_CODE = "en"
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J, M, S])
    web = make_certificate("Web前端开发职业技能等级证书", levels=[J, M])
    with time_machine.travel(FILING, tick=False):
        yield draft(
            cast.school1,
            spring,
            [(logistics, J, "物流管理", 30), (logistics, M, "物流管理", 40, "去年35人"), (web, J, "计算机应用", 50)],
        )


def download(client, plan) -> openpyxl.Workbook:
    response = client.get(reverse("lines_template", args=[plan.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def upload(client, plan, book: openpyxl.Workbook):
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("申报条目.xlsx", buffer.getvalue())
    return client.post(reverse("lines_upload", args=[plan.pk]), {"file": file})


def confirm(client, plan, preview, **extra):
    data = {"digest": preview.context["diff"].digest, **extra}
    response = client.post(reverse("lines_upload_confirm", args=[plan.pk]), data)
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def lines(plan) -> list[tuple]:
    return sorted(plan.lines.values_list("certificate__name", "level", "major_name", "headcount", "remark"))


def test_template_edit_one_headcount_add_one_line_changes_exactly_that(client, cast, plan):
    client.force_login(cast.staff)
    before = lines(plan)
    book = download(client, plan)
    sheet = book["申报条目"]
    sheet["E3"] = 45  # the 中级 line: 40 → 45
    sheet.append(["Web前端开发职业技能等级证书", "中级", "计算机应用", "", 25, "", ""])
    events = AuditEvent.objects.count()

    preview = upload(client, plan, book)
    unchanged_while_previewing = lines(plan)
    response, messages = confirm(client, plan, preview)

    diff = preview.context["diff"]
    assert preview.status_code == 200
    assert [(new.row, new.major_name, new.headcount) for new in diff.added] == [(5, "计算机应用", 25)]
    assert [(c.line.level, c.fields) for c in diff.changed] == [(M, [("planned headcount", "40", "45")])]
    assert (diff.missing, diff.unchanged) == ([], 2)
    assert "40</span> → <strong>45</strong>" in preview.text
    assert unchanged_while_previewing == before
    assert (response.status_code, messages) == (302, ["From the file: 1 lines added, 1 changed, 0 removed."])
    assert lines(plan) == sorted(
        [
            ("Web前端开发职业技能等级证书", J, "计算机应用", 50, ""),
            ("Web前端开发职业技能等级证书", M, "计算机应用", 25, ""),
            ("物流管理职业技能等级证书", J, "物流管理", 30, ""),
            ("物流管理职业技能等级证书", M, "物流管理", 45, "去年35人"),
        ]
    )
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[events:]) == [
        "line.update",
        "line.add",
    ]


def test_template_unchanged_upload_changes_nothing(client, cast, plan):
    client.force_login(cast.staff)

    response = upload(client, plan, download(client, plan))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The file matches the plan: nothing to change."]


def test_template_lines_missing_from_the_file_are_removed_only_when_ticked(client, cast, plan):
    client.force_login(cast.staff)
    book = download(client, plan)
    book["申报条目"].delete_rows(2)  # the 初级 物流管理 line
    gone = plan.lines.get(level=J, major_name="物流管理")

    kept_preview = upload(client, plan, book)
    _, kept = confirm(client, plan, kept_preview)
    removed_preview = upload(client, plan, book)
    _, removed = confirm(client, plan, removed_preview, remove=[str(gone.pk)])

    assert [line.pk for line in kept_preview.context["diff"].missing] == [gone.pk]
    assert kept == ["From the file: 0 lines added, 0 changed, 0 removed."]
    assert removed == ["From the file: 0 lines added, 0 changed, 1 removed."]
    assert plan.lines.filter(pk=gone.pk).exists() is False
    assert plan.lines.count() == 2


def test_template_preview_of_a_plan_changed_since_is_refused(client, cast, plan):
    client.force_login(cast.staff)
    book = download(client, plan)
    book["申报条目"]["E2"] = 31
    preview = upload(client, plan, book)
    plan.lines.filter(level=J, major_name="物流管理").update(headcount=33)  # edited in another tab meanwhile

    response, messages = confirm(client, plan, preview)

    assert (response.status_code, messages) == (302, ["The plan changed since the preview: upload the file again."])
    assert plan.lines.get(level=J, major_name="物流管理").headcount == 33


def test_template_has_dropdowns_for_level_and_certificate_and_the_catalogue(client, cast, plan):
    client.force_login(cast.staff)

    book = download(client, plan)

    validations = {str(dv.sqref): (dv.type, dv.formula1) for dv in book["申报条目"].data_validations.dataValidation}
    catalogue = [row for row in book["证书目录"].iter_rows(values_only=True)]
    assert validations == {
        "A2:A304": ("list", "'证书目录'!$A$2:$A$3"),
        "B2:B304": ("list", '"初级,中级,高级"'),
        "E2:E304": ("whole", "0"),
    }
    assert catalogue == [
        ("证书名称", "培训评价组织", "可选等级"),
        ("Web前端开发职业技能等级证书", "示例评价组织", "初级、中级"),
        ("物流管理职业技能等级证书", "示例评价组织", "初级、中级、高级"),
    ]
