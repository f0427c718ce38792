"""Implausible figures are shown with their numbers and count only once confirmed with a reason (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from core.numbers import percent
from monitoring import services
from monitoring.enums import ImportStatus
from monitoring.models import Candidate, InstitutionProgress, LineProgress, ProgressImport
from monitoring.plausibility import is_implausible, problems
from tests.factories import published_plan
from tests.monitoring.conftest import CARE, LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, TOTALS_HEADERS, J, id_number, line_of
from tests.monitoring.helpers import run_import, upload
from tests.shapes import shaped


def said(msgid: str, **values) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid) % values


def examined_over(n: int) -> list[list]:
    return [["考生", id_number(), CARE, "初级", "2027-05-10", "通过", ""] for _ in range(n)]


def test_typed_figures_over_the_approved_headcount_need_a_reason(client, cast, plans, frozen):
    line = line_of(plans["school"], plans["care"], J)  # approved 30
    client.force_login(cast.staff)
    url = reverse("monitoring:line_progress", args=[line.pk])

    client.post(url, {"registered": 40, "examined": 35, "passed": 30})
    refused = LineProgress.objects.filter(line=line).exists()
    client.post(url, {"registered": 40, "examined": 35, "passed": 30, "reason": "补考学生并入本条目"})
    page = client.get(reverse("monitoring:institution", args=[cast.school1.pk]) + "?year=2027").content.decode()

    progress = LineProgress.objects.get(line=line)
    event = AuditEvent.objects.get(action="monitoring.progress.record")
    assert refused is False
    assert (progress.registered, progress.examined, progress.passed) == (40, 35, 30)
    assert event.reason == "补考学生并入本条目"
    assert f'data-testid="implausible-{line.pk}"' in page
    assert said("examined %(examined)s exceeds the approved headcount %(approved)s", examined=35, approved=30) in page


def test_typed_refusal_names_the_numbers(cast, plans, frozen):
    line = line_of(plans["school"], plans["care"], J)

    with pytest.raises(services.Refused) as refused:
        services.record_line_progress(actor=cast.staff, line=line, counts=services.Counts(10, 11, 12))

    assert refused.value.message == said(
        "These figures look wrong: %(problems)s. Correct them, or give the reason they are right.",
        problems="；".join(
            [
                said("examined %(examined)s exceeds registered %(registered)s", examined=11, registered=10),
                said("passed %(passed)s exceeds examined %(examined)s", passed=12, examined=11),
            ]
        ),
    )


def test_an_import_over_the_approved_headcount_is_held_until_confirmed(client, cast, frozen, tmp_path):
    from tests.conftest import make_certificate

    care = make_certificate(CARE)
    plan = published_plan(cast.school1, 2027, [(care, J, "护理", 2)])
    path = tmp_path / "考核结果.xlsx"
    path.write_bytes(shaped(CANDIDATE_HEADERS, examined_over(3), above="title"))
    client.force_login(cast.staff)

    held = run_import(client, path)
    page = client.get(reverse("monitoring:import_detail", args=[held.pk])).content.decode()
    kept_file = bool(held.file.name)
    client.post(reverse("monitoring:import_confirm_figures", args=[held.pk]), {"reason": "上级批准扩招，计划调整中"})
    done = ProgressImport.objects.get(pk=held.pk)

    line = line_of(plan, care, J)
    assert (held.status, held.rows_written, kept_file) == (ImportStatus.HELD, 0, True)
    assert held.implausible == [
        {
            "line": line.pk,
            "label": f"{cast.school1.name} {care.short_name} 初级 护理",
            "approved": 2,
            "registered": 3,
            "examined": 3,
            "passed": 3,
            "problems": [
                said("examined %(examined)s exceeds the approved headcount %(approved)s", examined=3, approved=2)
            ],
        }
    ]
    assert 'data-testid="implausible"' in page
    assert (done.status, done.rows_written, done.file.name, Candidate.objects.count()) == ("done", 3, "", 3)
    rollup = InstitutionProgress.objects.get(institution=cast.school1, year=2027)
    # 3 examined on a line approved for 2: flagged, and counted 2 (100 %) toward completion.
    assert (rollup.examined, rollup.counted, rollup.implausible, percent(rollup.figures.completion)) == (
        3,
        2,
        1,
        "100.0%",
    )
    assert AuditEvent.objects.get(action="monitoring.import.write").reason == "上级批准扩招，计划调整中"
    client.force_login(cast.provincial_reviewer)
    dashboard = client.get(reverse("monitoring:dashboard") + "?year=2027").content.decode()
    assert 'data-testid="flagged"' in dashboard


def test_the_preview_shows_implausible_totals_with_their_numbers(client, cast, plans, tmp_path, frozen):
    rows = [[cast.school1.name, LOGISTICS, "中级", "物流管理", "10", "12", "1"]]
    path = tmp_path / "合计.xlsx"
    path.write_bytes(shaped(TOTALS_HEADERS, rows, above="title"))
    client.force_login(cast.provincial_reviewer)
    upload(client, path, kind="totals")
    job = ProgressImport.objects.get()

    page = client.get(reverse("monitoring:import_map", args=[job.pk])).content.decode()

    wrong = said("examined %(examined)s exceeds registered %(registered)s", examined=12, registered=10)
    assert said("%(problems)s: to be confirmed with a reason", problems=wrong) in page
    assert "✓" not in page


def test_a_held_import_can_be_discarded_and_its_file_goes(client, cast, frozen, tmp_path):
    from tests.conftest import make_certificate

    care = make_certificate(CARE)
    published_plan(cast.school1, 2027, [(care, J, "护理", 2)])
    path = tmp_path / "考核结果.xlsx"
    path.write_bytes(shaped(CANDIDATE_HEADERS, examined_over(3), above="notes"))
    client.force_login(cast.staff)
    held = run_import(client, path)
    stored = held.file.path

    client.post(reverse("monitoring:import_discard", args=[held.pk]))
    job = ProgressImport.objects.get(pk=held.pk)

    assert (job.status, job.file.name, Candidate.objects.count()) == (ImportStatus.REFUSED, "", 0)
    assert not Path(stored).exists()
    assert AuditEvent.objects.filter(action="monitoring.import.discard", object_id=str(job.pk)).count() == 1


def test_a_line_without_an_approved_headcount_has_none_to_exceed_as_in_the_flagged_count():
    assert problems(approved=None, registered=5, examined=5, passed=4) == []
    assert not is_implausible(approved=None, registered=5, examined=5, passed=4)
    assert is_implausible(approved=None, registered=5, examined=6, passed=4)
