"""Reminders 3 and 1 days before each deadline, to whoever still has something to do; safe to run twice."""

from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core.dates import SHANGHAI
from core.models import ProvinceSettings
from plans.enums import PlanStatus, ReviewLevel
from reviews.models import ReminderRun, ReminderSent
from reviews.reminders import send_due_reminders
from reviews.tasks import next_run_after, send_reminders
from rounds.enums import Stage
from rounds.services import grant_extension
from tests.reviews.factories import J, plan_in


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2027, 4, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def emails(cast):
    for user in cast.one_of_every_role() + [cast.college_staff, cast.college_leader, cast.other_bureau_reviewer]:
        user.email = f"{user.username}@example.org"
        user.save()


def mailed() -> list[tuple[str, str]]:
    return sorted((m.to[0].split("@")[0], m.subject) for m in mail.outbox)


def test_reminders_run_twice_at_the_same_time_send_one_mail_per_person(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])
    plan_in(cast.college1, spring, PlanStatus.AWAITING_SIGNOFF, [(logistics, J, "物流管理", 40)])

    first = send_due_reminders(at=at(5))
    second = send_due_reminders(at=at(5))

    assert (first, second) == (2, 0)
    assert mailed() == [
        ("college_leader", "[OneX] institutions file of 2027年spring closes in 3 days"),
        ("staff", "[OneX] institutions file of 2027年spring closes in 3 days"),
    ]
    assert list(ReminderSent.objects.order_by("user__username").values_list("user__username", "days_before")) == [
        ("college_leader", 3),
        ("staff", 3),
    ]


def test_reminders_go_3_days_and_1_day_before_the_deadline_and_not_in_between(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])

    sent = [send_due_reminders(at=at(day)) for day in (3, 4, 5, 6, 7)]

    assert sent == [0, 0, 1, 0, 1]
    assert [m.subject for m in mail.outbox] == [
        "[OneX] institutions file of 2027年spring closes in 3 days",
        "[OneX] institutions file of 2027年spring closes in 1 day",
    ]


def test_no_reminder_once_the_deadline_has_passed(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])

    sent = send_due_reminders(at=datetime(2027, 4, 8, 0, 0, tzinfo=SHANGHAI))

    assert sent == 0
    assert mail.outbox == []


def test_a_job_that_missed_a_day_sends_only_the_nearest_reminder(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])

    send_due_reminders(at=at(7, 23))

    assert list(ReminderSent.objects.values_list("days_before", flat=True)) == [1]


def test_reviewers_are_reminded_of_their_own_windows_only(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.BUREAU_REVIEW, [(logistics, J, "物流管理", 40)])
    plan_in(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 40)])

    send_due_reminders(at=at(10))  # bureau review closes on the 12th: 3 days
    send_due_reminders(at=at(13))  # provincial review closes on the 15th: 3 days

    assert mailed() == [
        ("bureau_reviewer", "[OneX] bureau review of 2027年spring closes in 3 days"),
        ("provincial_reviewer", "[OneX] provincial review of 2027年spring closes in 3 days"),
    ]


def test_a_returned_plan_is_due_at_the_end_of_the_returning_levels_window(cast, spring, logistics, emails):
    plan = plan_in(cast.school1, spring, PlanStatus.RETURNED_BY_BUREAU, [(logistics, J, "物流管理", 40)])
    plan.returned_from = ReviewLevel.BUREAU
    plan.save()

    send_due_reminders(at=at(10))

    assert mailed() == [("staff", "[OneX] bureau review of 2027年spring closes in 3 days")]
    assert "示例合肥职业学校" in mail.outbox[0].body


def test_submitted_and_published_plans_need_no_reminder_from_the_institution(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.PUBLISHED, [(logistics, J, "物流管理", 40)])

    assert send_due_reminders(at=at(5)) == 0


def test_an_extension_moves_the_institutions_reminders(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])
    grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage=Stage.FILING,
        until=date(2027, 4, 10),
        reason="系统故障",
        institution=cast.school1,
    )

    assert [send_due_reminders(at=at(day)) for day in (5, 8, 10, 11)] == [0, 1, 1, 0]


def test_reminder_days_come_from_the_province_settings(cast, spring, logistics, emails):
    settings = ProvinceSettings.current()
    settings.reminder_days = "2"
    settings.save()
    plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])

    assert [send_due_reminders(at=at(day)) for day in (5, 6, 7)] == [0, 1, 0]


def test_reminder_task_queues_tomorrows_run_once(cast, spring, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(at(5, 8), tick=False):
        send_reminders.call()
        send_reminders.call()

    assert list(ReminderRun.objects.values_list("run_on", flat=True)) == [date(2027, 4, 6)]
    assert list(DBTaskResult.objects.values_list("task_path", "run_after")) == [
        ("reviews.tasks.send_reminders", datetime(2027, 4, 6, 8, 0, tzinfo=SHANGHAI))
    ]
    assert next_run_after(at(5, 23)) == datetime(2027, 4, 6, 8, 0, tzinfo=SHANGHAI)


def test_send_reminders_command_queues_todays_run_once(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)

    assert out.getvalue().splitlines() == [
        "Reminder job queued; db_worker runs it and queues the next day's run.",
        "The reminder job is already queued for today.",
    ]
    assert DBTaskResult.objects.count() == 1


def test_send_reminders_now_sends_in_the_process(cast, spring, logistics, emails):
    plan_in(cast.school1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)])
    out = StringIO()

    with time_machine.travel(at(5), tick=False):
        call_command("send_reminders", "--now", stdout=out)
        call_command("send_reminders", "--now", stdout=out)

    assert out.getvalue().splitlines() == ["1 reminders sent.", "0 reminders sent."]
    assert len(mail.outbox) == 1
