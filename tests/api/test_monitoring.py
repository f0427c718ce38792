"""Exam progress through the API: typed figures, an institution's standing, imports and checkpoints — with the
pages' roles and scope."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core.dates import SHANGHAI
from monitoring.exports import template_xlsx
from monitoring.models import ProgressImport
from tests.adjustments.factories import J, published
from tests.conftest import make_certificate

JUNE = datetime(2027, 6, 30, 12, 0, tzinfo=SHANGHAI)  # the June checkpoint's day (April's has passed)


# Every test here stores its files in a fresh directory (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def approved_line(cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    return published(cast.school1, spring, [(certificate, J, "物流管理", 40)]).lines.get()


def test_typed_progress_is_the_schools_own_staffs_to_give(api, cast, approved_line):
    path = f"/monitoring/lines/{approved_line.pk}/progress"
    counts = {"registered": 38, "examined": 30, "passed": 25}

    seen = {name: api(getattr(cast, name)).put(path, counts).status_code for name in ["leader", "other_staff"]}
    saved = api(cast.staff).put(path, counts)
    impossible = api(cast.staff).put(path, {"registered": 10, "examined": 20, "passed": 5})

    assert seen == {"leader": 403, "other_staff": 404}
    assert (saved.status_code, saved.json()) == (
        200,
        {"line_id": approved_line.pk, "registered": 38, "examined": 30, "passed": 25, "source": "typed"},
    )
    assert (impossible.status_code, impossible.json()["type"]) == (409, "urn:onex:problem:step-refused")


def test_institution_progress_shows_the_lines_figures_in_scope(api, cast, approved_line):
    api(cast.staff).put(
        f"/monitoring/lines/{approved_line.pk}/progress", {"registered": 40, "examined": 20, "passed": 10}
    )
    path = f"/monitoring/institutions/{cast.school1.pk}/progress"

    standing = api(cast.bureau_reviewer).get(path, year=2027).json()
    hidden = {name: api(getattr(cast, name)).get(path).status_code for name in ["other_staff", "other_bureau_reviewer"]}

    assert standing["figures"] | {"completion": str(standing["figures"]["completion"])} == {
        "approved": 40,
        "registered": 40,
        "examined": 20,
        "passed": 10,
        "completion": "50.0",
        "participation": standing["figures"]["participation"],
        "pass_rate": standing["figures"]["pass_rate"],
    }
    assert [(ln["line_id"], ln["figures"]["examined"]) for ln in standing["lines"]] == [(approved_line.pk, 20)]
    assert hidden == {"other_staff": 404, "other_bureau_reviewer": 404}


def test_checkpoint_is_taken_once_by_the_province_and_reported_in_scope(api, cast, approved_line):
    with time_machine.travel(JUNE, tick=False):
        refused = api(cast.staff).post("/monitoring/checkpoints", {"year": 2027, "month": 6})
        early = api(cast.provincial_reviewer).post("/monitoring/checkpoints", {"year": 2027, "month": 8})
        taken = api(cast.provincial_reviewer).post("/monitoring/checkpoints", {"year": 2027, "month": 6})
        again = api(cast.provincial_admin).post("/monitoring/checkpoints", {"year": 2027, "month": 6})
        checkpoint_id = taken.json()["id"]
        listed = api(cast.staff).get("/monitoring/checkpoints").json()
        reports = {
            name: api(getattr(cast, name)).get(f"/monitoring/checkpoints/{checkpoint_id}/report")
            for name in ["bureau_reviewer", "other_bureau_reviewer", "staff"]
        }

    assert (refused.status_code, early.status_code, taken.status_code, again.status_code) == (403, 409, 201, 200)
    assert again.json()["id"] == checkpoint_id
    assert [c["id"] for c in listed["items"]] == [checkpoint_id]
    assert {name: answer.status_code for name, answer in reports.items()} == {
        "bureau_reviewer": 200,
        "other_bureau_reviewer": 200,
        "staff": 403,
    }
    assert reports["bureau_reviewer"].json()["province"]["approved"] == 40
    assert reports["other_bureau_reviewer"].json()["province"]["approved"] == 0  # not its school


def test_import_uploads_maps_and_runs(api, cast, approved_line):
    staff = api(cast.staff)
    workbook = SimpleUploadedFile("进度.xlsx", template_xlsx("totals"))

    uploaded = staff.client.post(
        "/api/v1/monitoring/imports", {"kind": "totals", "year": 2027, "file": workbook}, headers=staff.headers
    )
    job = uploaded.json()
    confirmed = staff.post(f"/monitoring/imports/{job['id']}/confirm", {"mapping": job["mapping"], "mode": "good_rows"})
    again = staff.post(f"/monitoring/imports/{job['id']}/confirm", {"mapping": job["mapping"], "mode": "good_rows"})

    assert (uploaded.status_code, job["status"], job["institution_id"]) == (201, "uploaded", cast.school1.pk)
    assert job["headers"] != []
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "done")
    assert again.status_code == 409
    assert api(cast.other_staff).get(f"/monitoring/imports/{job['id']}").status_code == 404
    assert api(cast.bureau_reviewer).get("/monitoring/imports").status_code == 403


def test_import_of_a_file_that_is_not_excel_is_refused(api, cast):
    staff = api(cast.staff)

    answer = staff.client.post(
        "/api/v1/monitoring/imports",
        {"kind": "candidates", "year": 2027, "file": SimpleUploadedFile("名单.csv", b"a,b\n1,2\n")},
        headers=staff.headers,
    )

    assert (answer.status_code, answer.json()["type"]) == (409, "urn:onex:problem:step-refused")
    assert ProgressImport.objects.get().status == "refused"
