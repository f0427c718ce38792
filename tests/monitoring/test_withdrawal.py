"""撤销导入: a withdrawn import stops counting, the figures return to what they were, nothing is deleted, the
audit trail shows both, and the same file can be imported again (issue 14)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from monitoring import crypto, services
from monitoring.enums import Superseded
from monitoring.models import Candidate, InstitutionProgress, LineProgress, ProgressImport
from monitoring.versions import SupersededCandidate
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, TOTALS_HEADERS, M, id_number, line_of
from tests.monitoring.helpers import run_import
from tests.shapes import shaped


def said(msgid: str, **values) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid) % values


def figures(cast, line) -> tuple:
    progress = LineProgress.objects.filter(line=line).first()
    rollup = InstitutionProgress.objects.filter(institution=cast.school1, year=2027).first()
    return (
        (progress.source, progress.registered, progress.examined, progress.passed) if progress else None,
        (rollup.registered, rollup.examined, rollup.passed) if rollup else None,
    )


def file_of(tmp_path, name: str, rows: list[list], header=CANDIDATE_HEADERS):
    path = tmp_path / name
    path.write_bytes(shaped(header, rows, above="title"))
    return path


def withdraw(client, job, reason="导错了文件"):
    return client.post(reverse("monitoring:import_withdraw", args=[job.pk]), {"reason": reason})


def test_withdrawing_a_reimport_puts_back_the_figures_and_rows_it_replaced(client, cast, plans, tmp_path, frozen):
    line = line_of(plans["school"], plans["logistics"], M)
    first, second, third = id_number(), id_number(), id_number()
    before = [
        ["张三", first, LOGISTICS, "中级", "2027-05-10", "不通过", ""],
        ["李四", second, LOGISTICS, "中级", "", "", ""],
    ]
    # The platform's next (cumulative) download: 张三 passed on a retake, 李四 sat the exam, 王五 is new.
    cumulative = [
        ["张三", first, LOGISTICS, "中级", "2027-06-01", "通过", "C1"],
        ["李四", second, LOGISTICS, "中级", "2027-06-01", "不通过", ""],
        ["王五", third, LOGISTICS, "中级", "", "", ""],
    ]
    client.force_login(cast.staff)
    run_import(client, file_of(tmp_path, "五月.xlsx", before))
    after_first = figures(cast, line)
    second_job = run_import(client, file_of(tmp_path, "六月.xlsx", cumulative))
    after_second = figures(cast, line)

    response = withdraw(client, second_job)
    withdrawn = figures(cast, line)
    rows = sorted((crypto.unseal(c.sealed)[0], c.result) for c in Candidate.objects.all())
    superseded = sorted((c.cause, c.result, c.restored_at is None) for c in SupersededCandidate.objects.order_by("pk"))
    again = run_import(client, file_of(tmp_path, "六月.xlsx", cumulative))

    assert after_first == (("candidates", 2, 1, 0), (2, 1, 0))
    assert after_second == (("candidates", 3, 2, 1), (3, 2, 1))
    assert response.status_code == 302
    assert withdrawn == after_first
    assert rows == [("张三", "failed"), ("李四", "registered")]
    # Nothing deleted: the two rows the re-import replaced were kept and are back; its own three are kept aside.
    assert superseded == [
        (Superseded.REPLACED, "failed", False),
        (Superseded.REPLACED, "registered", False),
        (Superseded.WITHDRAWN, "failed", True),
        (Superseded.WITHDRAWN, "passed", True),
        (Superseded.WITHDRAWN, "registered", True),
    ]
    assert (again.status, again.rows_written, figures(cast, line)) == ("done", 3, after_second)
    events = list(
        AuditEvent.objects.filter(object_id=str(second_job.pk)).order_by("pk").values_list("action", "reason")
    )
    assert events[-2:] == [("monitoring.import.write", ""), ("monitoring.import.withdraw", "导错了文件")]
    withdrawal = AuditEvent.objects.get(action="monitoring.import.withdraw")
    assert (withdrawal.before[str(line.pk)], withdrawal.after[str(line.pk)]) == (
        ["candidates", 3, 2, 1],
        ["candidates", 2, 1, 0],
    )


def test_withdrawing_totals_puts_back_the_typed_figures(client, cast, plans, tmp_path, frozen):
    line = line_of(plans["school"], plans["logistics"], M)
    services.record_line_progress(actor=cast.staff, line=line, counts=services.Counts(20, 15, 10))
    typed = figures(cast, line)
    client.force_login(cast.provincial_reviewer)
    rows = [[cast.school1.name, LOGISTICS, "中级", "物流管理", "38", "35", "30"]]
    job = run_import(client, file_of(tmp_path, "合计.xlsx", rows, TOTALS_HEADERS), kind="totals")
    imported = figures(cast, line)

    refused = withdraw(client, job, reason="  ")
    still = figures(cast, line)
    withdraw(client, job, reason="学校报错数字")

    assert imported == (("totals", 38, 35, 30), (38, 35, 30))
    assert refused.status_code == 302 and still == imported
    assert figures(cast, line) == typed == (("typed", 20, 15, 10), (20, 15, 10))
    assert ProgressImport.objects.get(pk=job.pk).withdraw_reason == "学校报错数字"


def test_a_line_changed_after_the_import_keeps_its_figures(client, cast, plans, tmp_path, frozen):
    line = line_of(plans["school"], plans["logistics"], M)
    client.force_login(cast.provincial_reviewer)
    rows = [[cast.school1.name, LOGISTICS, "中级", "物流管理", "38", "35", "30"]]
    job = run_import(client, file_of(tmp_path, "合计.xlsx", rows, TOTALS_HEADERS), kind="totals")
    services.record_line_progress(actor=cast.staff, line=line, counts=services.Counts(40, 36, 31))

    withdraw(client, job)

    assert figures(cast, line) == (("typed", 40, 36, 31), (40, 36, 31))


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (datetime(2027, 6, 30, 23, 59, 59), True),  # the June checkpoint's day, its last second
        (datetime(2027, 7, 1, 0, 0, 0), False),  # the next day: the office only
    ],
)
def test_the_institution_withdraws_until_the_next_checkpoint_the_office_any_time(
    client, cast, plans, tmp_path, moment, allowed
):
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2027, 6, 15, 10, 0, tzinfo=shanghai), tick=False):
        client.force_login(cast.staff)
        job = run_import(client, file_of(tmp_path, "五月.xlsx", [["张三", id_number(), LOGISTICS, "中级", "", "", ""]]))
    with time_machine.travel(moment.replace(tzinfo=shanghai), tick=False):
        client.force_login(cast.staff)  # a new session: the first one has timed out by then
        page = client.get(reverse("monitoring:import_detail", args=[job.pk])).content.decode()
        withdraw(client, job)
        by_institution = ProgressImport.objects.get(pk=job.pk).withdrawn_at is not None
        client.force_login(cast.provincial_admin)
        withdraw(client, job, reason="省级核查后撤销")

    assert ('data-testid="withdraw"' in page, by_institution) == (allowed, allowed)
    assert ProgressImport.objects.get(pk=job.pk).withdrawn_at is not None
    assert Candidate.objects.count() == 0


def test_another_institution_cannot_see_or_withdraw_an_import(client, cast, plans, tmp_path, frozen):
    client.force_login(cast.staff)
    job = run_import(client, file_of(tmp_path, "五月.xlsx", [["张三", id_number(), LOGISTICS, "中级", "", "", ""]]))
    client.force_login(cast.other_staff)

    response = withdraw(client, job)

    assert (response.status_code, ProgressImport.objects.get(pk=job.pk).withdrawn_at) == (404, None)
