"""Checkpoints take themselves at the end of each checkpoint month (Asia/Shanghai), once, and a late one
counts only what was known at its date (issue 14 item 6)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from monitoring import services
from monitoring.models import Checkpoint, InstitutionSnapshot
from monitoring.records import CheckpointRun
from monitoring.scheduling import next_run_after
from monitoring.tasks import take_due_checkpoints
from tests.monitoring.factories import CANDIDATE_HEADERS, J, M, id_number, line_of, write_xlsx
from tests.monitoring.helpers import run_import

SHANGHAI = ZoneInfo("Asia/Shanghai")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def typed(line, registered, examined, passed):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


def months() -> list[tuple[int, int]]:
    return list(Checkpoint.objects.order_by("year", "month").values_list("year", "month"))


def test_scheduled_checkpoint_is_taken_once_at_the_end_of_the_month_not_before(cast, plans, settings):
    settings.TASKS = DB_TASKS
    with time_machine.travel(at(2027, 6, 1, 9, 0), tick=False):
        typed(line_of(plans["school"], plans["logistics"], M), 30, 20, 10)
    with time_machine.travel(at(2027, 6, 30, 23, 59, 59), tick=False):
        last_second = take_due_checkpoints.call()
    before = months()
    with time_machine.travel(at(2027, 7, 1, 0, 30), tick=False):
        first = take_due_checkpoints.call()
        again = take_due_checkpoints.call()

    assert before == [(2027, 2), (2027, 4)]
    assert (len(last_second), len(first), again) == (2, 1, [])
    assert months() == [(2027, 2), (2027, 4), (2027, 6)]
    assert InstitutionSnapshot.objects.filter(checkpoint__month=6).count() == 2


def test_scheduled_checkpoint_job_queues_its_next_run_after_the_next_checkpoint_day(cast, settings):
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(at(2027, 7, 1, 0, 30), tick=False):
        take_due_checkpoints.call()
        take_due_checkpoints.call()

    assert list(CheckpointRun.objects.values_list("run_on", flat=True)) == [date(2027, 9, 1)]
    assert list(DBTaskResult.objects.values_list("task_path", "run_after")) == [
        ("monitoring.tasks.take_due_checkpoints", at(2027, 9, 1, 0, 30))
    ]
    assert [next_run_after(at(*moment)) for moment in ((2027, 6, 30, 23, 0), (2027, 12, 31, 12, 0))] == [
        at(2027, 7, 1, 0, 30),
        at(2028, 1, 1, 0, 30),
    ]


def test_take_checkpoints_schedule_command_queues_the_job_once(cast, settings):
    settings.TASKS = DB_TASKS
    out = io.StringIO()

    with time_machine.travel(at(2027, 5, 3, 10, 0), tick=False):
        call_command("take_checkpoints", "--schedule", stdout=out)
        call_command("take_checkpoints", "--schedule", stdout=out)

    assert list(CheckpointRun.objects.values_list("run_on", flat=True)) == [date(2027, 5, 3)]
    assert out.getvalue().splitlines()[1] == "The checkpoint job is already queued for today."
    assert months() == []


def test_late_checkpoint_counts_only_figures_typed_before_its_date(cast, plans):
    school = line_of(plans["school"], plans["logistics"], M)
    with time_machine.travel(at(2027, 8, 20, 10, 0), tick=False):
        typed(school, 30, 20, 10)  # 20 of 70 at the end of August
    with time_machine.travel(at(2027, 10, 15, 10, 0), tick=False):
        typed(school, 40, 35, 30)
    with time_machine.travel(at(2027, 12, 2, 10, 0), tick=False):
        august, _new = services.take_checkpoint(year=2027, month=8)
        october, _new = services.take_checkpoint(year=2027, month=10)

    rows = InstitutionSnapshot.objects.filter(institution=cast.school1)
    assert [(r.registered, r.examined, r.passed) for r in rows.order_by("checkpoint__month")] == [
        (30, 20, 10),
        (40, 35, 30),
    ]
    assert (august.target, october.target) == (45, 65)


@pytest.fixture
def exams_in_august_and_october(client, cast, plans, tmp_path):
    """Four candidates imported in November: two sat in August, one in October, one has no result yet."""
    path = write_xlsx(
        tmp_path / "results.xlsx",
        [
            CANDIDATE_HEADERS,
            ["甲", id_number(), "物流管理", "中级", date(2027, 8, 31), "通过", ""],
            ["乙", id_number(), "物流管理", "中级", date(2027, 8, 10), "不通过", ""],
            ["丙", id_number(), "物流管理", "中级", date(2027, 9, 1), "通过", ""],
            ["丁", id_number(), "物流管理", "中级", None, "", ""],
        ],
    )
    with time_machine.travel(at(2027, 11, 5, 10, 0), tick=False):
        client.force_login(cast.staff)
        job = run_import(client, path)
    assert job.status == "done"
    return plans


def test_late_checkpoint_counts_only_exams_dated_on_or_before_it(cast, exams_in_august_and_october):
    with time_machine.travel(at(2027, 12, 1, 0, 30), tick=False):
        services.take_checkpoint(year=2027, month=8)
        services.take_checkpoint(year=2027, month=10)

    rows = InstitutionSnapshot.objects.filter(institution=cast.school1).order_by("checkpoint__month")
    # August: the two dated in August; October: and the one of September. The undated one came in
    # after both days had ended: it counts for neither.
    assert [(r.registered, r.examined, r.passed, r.counted) for r in rows] == [(2, 2, 1, 2), (3, 3, 2, 3)]


def test_late_checkpoint_warns_against_its_own_next_target_date(cast, plans):
    from notifications.models import Notification

    with time_machine.travel(at(2027, 8, 20, 10, 0), tick=False):
        typed(line_of(plans["college"], plans["logistics"], J), 10, 5, 5)  # 5 of 50 = 10 % < 45 %
    with time_machine.travel(at(2027, 12, 2, 10, 0), tick=False):
        services.take_checkpoint(year=2027, month=8)

    warned = Notification.objects.filter(name="monitoring_warning", recipient=cast.college_staff).get()
    # October 31 has passed by the time it is taken: the warning points to December (90 %).
    assert ("2027-12-31" in warned.body, "2027-10-31" in warned.body) == (True, False)
