"""Warnings reach people (issue 14 item 9): an institution's staff and office head hear of its standing in the
inbox and by e-mail, a bureau gets the list of its seriously behind schools, the office sees who was warned."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from monitoring import services
from notifications.models import Notification
from tests.factories import published_plan
from tests.monitoring.factories import J, M, line_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def typed(line, registered, examined, passed):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


@pytest.fixture
def april(cast, plans):
    """April's target is 10 %: school1 2 of 70 and college1 1 of 50 are serious (below 5 %), school2 3 of 40 slow."""
    for user in (cast.staff, cast.office_head, cast.bureau_reviewer, cast.other_bureau_reviewer, cast.college_staff):
        user.email = f"{user.username}@example.org"
        user.save()
    with time_machine.travel(datetime(2027, 4, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        typed(line_of(plans["school"], plans["logistics"], M), 2, 2, 0)
        typed(line_of(plans["college"], plans["logistics"], J), 1, 1, 0)
        school2 = published_plan(cast.school2, 2027, [(plans["care"], J, "护理", 40)])
        typed(line_of(school2, plans["care"], J), 3, 3, 0)
    with time_machine.travel(datetime(2027, 5, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        checkpoint, _taken = services.take_checkpoint(year=2027, month=4)
    return checkpoint


def test_warning_reaches_the_staff_and_office_head_in_the_inbox_and_by_email(cast, april):
    inbox = Notification.objects.filter(name="monitoring_warning")

    assert sorted(n.recipient.username for n in inbox.filter(recipient__institution=cast.school1)) == [
        "leader",
        "office_head",
        "staff",
    ]
    assert sorted(m.to[0] for m in mail.outbox if "示例合肥职业学校" in m.subject) == [
        "office_head@example.org",
        "staff@example.org",
    ]


def test_bureau_gets_the_list_of_its_seriously_behind_schools_only(cast, april):
    to_bureaus = Notification.objects.filter(name="monitoring_bureau_serious")

    # bureau1: school1 (serious); college1 is serious too but a higher institution, not the bureau's to see.
    # bureau2: school2 is only slow, so no message.
    assert [n.recipient.username for n in to_bureaus] == ["bureau_reviewer"]
    message = to_bureaus.get()
    assert (cast.school1.name in message.body, cast.college1.name in message.body) == (True, False)
    assert "2.9%" in message.body  # 2 of 70, rounded half up
    assert [m.to for m in mail.outbox if m.subject == message.subject] == [["bureau_reviewer@example.org"]]


def test_office_sees_who_was_warned_and_a_bureau_does_not(client, cast, april):
    client.force_login(cast.provincial_reviewer)
    office = client.get(reverse("monitoring:report", args=[april.pk]))
    client.force_login(cast.bureau_reviewer)
    bureau = client.get(reverse("monitoring:report", args=[april.pk]))

    warned = [
        (w.institution.name if w.institution else w.bureau.name, w.notification.recipient.username, w.standing)
        for w in office.context["warned"]
    ]
    assert sorted(warned) == sorted(
        [
            (cast.school1.name, "staff", "serious"),
            (cast.school1.name, "office_head", "serious"),
            (cast.school1.name, "leader", "serious"),
            (cast.college1.name, "college_staff", "serious"),
            (cast.college1.name, "college_office_head", "serious"),
            (cast.college1.name, "college_leader", "serious"),
            (cast.school2.name, "other_staff", "slow"),
            (cast.bureau1.name, "bureau_reviewer", "serious"),
        ]
    )
    assert 'data-testid="warned"' in office.content.decode()
    assert ("warned" in bureau.context, 'data-testid="warned"' in bureau.content.decode()) == (False, False)
