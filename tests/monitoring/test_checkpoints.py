import io
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from audit.models import AuditEvent
from monitoring import services
from monitoring.enums import Standing
from monitoring.models import Checkpoint, InstitutionSnapshot
from monitoring.tasks import take_due_checkpoints
from tests.monitoring.factories import J, M, line_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def typed(line, registered, examined, passed):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


@pytest.fixture
def progress(plans):
    # school1: approved 70; college1: approved 50.
    typed(line_of(plans["school"], plans["logistics"], M), 30, 20, 10)
    typed(line_of(plans["college"], plans["logistics"], J), 20, 5, 5)
    return plans


def test_checkpoint_taken_twice_gives_one_snapshot(cast, progress, frozen):
    first, taken_first = services.take_checkpoint(year=2027, month=4)
    second, taken_second = services.take_checkpoint(year=2027, month=4)

    assert (first.pk == second.pk, taken_first, taken_second) == (True, True, False)
    assert Checkpoint.objects.count() == 1
    assert InstitutionSnapshot.objects.count() == 2
    assert AuditEvent.objects.filter(action="monitoring.checkpoint.take").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the year lock is PostgreSQL's; SQLite has one writer")
def test_checkpoint_taken_by_two_workers_at_once_gives_one_snapshot(cast, progress, frozen):
    results, errors = [], []

    def take():
        try:
            results.append(services.take_checkpoint(year=2027, month=6)[0].pk)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (errors, len(set(results)), Checkpoint.objects.count()) == ([], 1, 1)
    assert InstitutionSnapshot.objects.count() == 2


def test_checkpoint_flags_slow_and_serious_at_the_exact_boundaries(cast, plans, frozen):
    # June's target is 30 %: school1 21 of 70 = 30 % on track; college1 exactly half (15 %) would be
    # 7.5 of 50, so 8 is slow and 7 is serious.
    typed(line_of(plans["school"], plans["logistics"], M), 21, 21, 0)
    typed(line_of(plans["college"], plans["logistics"], J), 7, 7, 0)

    checkpoint, _taken = services.take_checkpoint(year=2027, month=6)
    first = dict(InstitutionSnapshot.objects.values_list("institution__name", "standing"))
    typed(line_of(plans["college"], plans["logistics"], J), 8, 8, 0)
    typed(line_of(plans["school"], plans["logistics"], M), 20, 20, 0)
    services.take_checkpoint(year=2027, month=8)
    august = Checkpoint.objects.get(month=8)

    assert checkpoint.target == 30
    assert first == {cast.school1.name: Standing.ON_TRACK, cast.college1.name: Standing.SERIOUS}
    # August's 45 %: school1 20 of 70 = 28.6 % slow (half is 22.5 %); college1 8 of 50 = 16 % serious.
    assert dict(august.institution_rows.values_list("institution__name", "standing")) == {
        cast.school1.name: Standing.SLOW,
        cast.college1.name: Standing.SERIOUS,
    }


def test_due_checkpoints_job_takes_each_once(cast, progress):
    with time_machine.travel(datetime(2027, 5, 1, 1, 0, tzinfo=SHANGHAI), tick=False):
        first = take_due_checkpoints.call()
        again = take_due_checkpoints.call()

    assert list(Checkpoint.objects.order_by("month").values_list("year", "month")) == [(2027, 2), (2027, 4)]
    assert (len(first), again) == (2, [])


def test_take_checkpoint_page_refuses_a_month_not_yet_come(client, cast, progress, frozen):
    client.force_login(cast.provincial_admin)

    too_early = client.post(reverse("monitoring:checkpoint_take"), {"year": 2027, "month": 6})
    taken = client.post(reverse("monitoring:checkpoint_take"), {"year": 2027, "month": 4})
    again = client.post(reverse("monitoring:checkpoint_take"), {"year": 2027, "month": 4})
    client.force_login(cast.observer)
    observer = client.post(reverse("monitoring:checkpoint_take"), {"year": 2027, "month": 4})

    checkpoint = Checkpoint.objects.get()
    assert (too_early.url, taken.url, again.url) == (
        reverse("monitoring:checkpoints"),
        reverse("monitoring:report", args=[checkpoint.pk]),
        reverse("monitoring:report", args=[checkpoint.pk]),
    )
    assert observer.status_code == 403


@pytest.fixture
def two_checkpoints(cast, plans):
    # Each checkpoint counts the figures typed by its day (a checkpoint taken late counts no later ones).
    with time_machine.travel(datetime(2027, 4, 30, 22, 0, tzinfo=SHANGHAI), tick=False):
        typed(line_of(plans["school"], plans["logistics"], M), 10, 7, 3)  # 10 % at April: on track
        typed(line_of(plans["college"], plans["logistics"], J), 30, 25, 20)
    with time_machine.travel(datetime(2027, 6, 30, 22, 0, tzinfo=SHANGHAI), tick=False):
        april, _taken = services.take_checkpoint(year=2027, month=4)
        typed(line_of(plans["school"], plans["logistics"], M), 20, 14, 8)  # 20 % at June (30 %): slow
        june, _taken = services.take_checkpoint(year=2027, month=6)
    return april, june


def test_report_lists_province_bureaus_and_behind_institutions_with_trend(client, cast, two_checkpoints):
    _april, june = two_checkpoints
    client.force_login(cast.provincial_reviewer)

    report = client.get(reverse("monitoring:report", args=[june.pk])).context["report"]

    assert (report.province.approved, report.province.examined) == (120, 39)
    assert [(b.name, b.figures.examined, b.slow, b.serious) for b in report.bureaus] == [(cast.bureau1.name, 39, 1, 0)]
    assert [(b.name, b.standing, b.figures.completion, b.trend) for b in report.behind] == [
        (cast.school1.name, Standing.SLOW, 20, [10])
    ]


def test_report_excel_and_pdf_carry_the_behind_institutions(client, cast, two_checkpoints):
    _april, june = two_checkpoints
    client.force_login(cast.observer)

    workbook = client.get(reverse("monitoring:report_xlsx", args=[june.pk]))
    pdf = client.get(reverse("monitoring:report_pdf", args=[june.pk]))

    sheets = CalamineWorkbook.from_filelike(io.BytesIO(workbook.content))
    behind = sheets.get_sheet_by_name("滞后院校").to_python()
    assert behind[3][:4] == [
        cast.school1.name,
        cast.bureau1.name,
        cast.school1.get_kind_display(),
        str(Standing.SLOW.label),
    ]
    assert sheets.get_sheet_by_name("全省及各市").to_python()[3][:5] == ["全省", 120.0, 50.0, 39.0, 28.0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert (pdf["Content-Type"], "监测通报" in text, cast.school1.name in text) == ("application/pdf", True, True)


def test_report_is_scoped_to_the_bureau_and_sends_institutions_to_their_own_page(client, cast, two_checkpoints):
    _april, june = two_checkpoints
    client.force_login(cast.other_bureau_reviewer)
    other = client.get(reverse("monitoring:report", args=[june.pk])).context["report"]
    client.force_login(cast.staff)

    own = client.get(reverse("monitoring:report", args=[june.pk]))

    assert (other.province.approved, other.behind) == (0, [])
    assert own.url == reverse("monitoring:mine")


def test_checkpoint_warns_the_people_of_institutions_behind_once(cast, plans):
    from notifications.models import Notification

    with time_machine.travel(datetime(2027, 4, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        typed(line_of(plans["school"], plans["logistics"], M), 5, 5, 0)  # 5 of 70 = 7.1 % at April's 10 %: slow
        typed(line_of(plans["college"], plans["logistics"], J), 50, 50, 50)
    with time_machine.travel(datetime(2027, 6, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.take_checkpoint(year=2027, month=4)
        services.take_checkpoint(year=2027, month=4)

    warned = Notification.objects.filter(name="monitoring_warning")
    assert sorted(n.recipient.username for n in warned) == ["leader", "office_head", "staff"]
    assert {n.url for n in warned} == {reverse("monitoring:institution", args=[cast.school1.pk]) + "?year=2027"}
    # June wants 30 % of 70 = 21 examined: 16 more than the 5 of now.
    assert "21" in warned[0].body and "16" in warned[0].body


def test_take_checkpoints_command_takes_the_due_ones(cast, progress):
    from django.core.management import call_command

    with time_machine.travel(datetime(2027, 8, 31, 0, 5, tzinfo=SHANGHAI), tick=False):
        call_command("take_checkpoints", stdout=io.StringIO())
        call_command("take_checkpoints", stdout=io.StringIO())

    assert list(Checkpoint.objects.order_by("month").values_list("month", flat=True)) == [2, 4, 6, 8]
