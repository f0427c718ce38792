"""notify(): one inbox row per person and one e-mail through one helper (subject, text and HTML templates)."""

from datetime import datetime

import pytest
from django.core import mail

from core.dates import SHANGHAI
from notifications import emails, services
from notifications.models import Notification

AT = datetime(2027, 4, 9, 9, 0, tzinfo=SHANGHAI)


def test_notify_puts_one_message_in_each_inbox_and_mails_those_with_an_address(cast):
    cast.staff.email = "staff@example.org"
    cast.staff.save()

    rows = services.notify(
        recipients=[cast.staff, cast.leader, cast.staff],
        name="plan_returned",
        context={"plan": "示例计划", "level": "bureau", "reason": "请补充 <材料> & 说明", "window": "bureau review"},
        url="/plans/1/",
    )

    assert sorted(row.recipient.username for row in rows) == ["leader", "staff"]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["staff@example.org"], "[OneX] The exam plan 示例计划 was returned for revision")
    ]
    assert "请补充 <材料> & 说明" in mail.outbox[0].body
    assert "http://127.0.0.1:8000/plans/1/" in mail.outbox[0].body
    assert "请补充 &lt;材料&gt; &amp; 说明" in mail.outbox[0].alternatives[0].content
    assert Notification.objects.get(recipient=cast.staff).emailed_at is not None
    assert Notification.objects.get(recipient=cast.leader).emailed_at is None


def test_notify_links_come_from_the_site_url(cast, settings):
    settings.SITE_URL = "http://127.0.0.1:8765"
    cast.staff.email = "staff@example.org"
    cast.staff.save()

    row = services.notify(recipients=[cast.staff], name="plan_sent_back", context={"plan": "p"}, url="/plans/7/")[0]

    assert "http://127.0.0.1:8765/plans/7/" in row.body
    assert 'href="http://127.0.0.1:8765/plans/7/"' in row.html
    assert "http://127.0.0.1:8765/plans/7/" in mail.outbox[0].body
    assert "8000" not in row.body + row.html + mail.outbox[0].body


def test_notify_skips_inactive_people(cast):
    cast.leader.is_active = False
    cast.leader.save()

    rows = services.notify(recipients=[cast.leader], name="plan_sent_for_signoff", context={"plan": "p"}, url="")

    assert rows == []
    assert Notification.objects.count() == 0


def test_deliver_twice_sends_one_mail(cast):
    cast.staff.email = "staff@example.org"
    cast.staff.save()
    row = services.notify(recipients=[cast.staff], name="plan_sent_back", context={"plan": "p"}, url="")[0]

    again = services.deliver(notification_id=row.pk)

    assert again is False
    assert len(mail.outbox) == 1


def test_deliver_with_the_database_task_backend_waits_for_the_worker(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cast.staff.email = "staff@example.org"
    cast.staff.save()
    from django_tasks_db.models import DBTaskResult

    row = services.notify(recipients=[cast.staff], name="plan_sent_back", context={"plan": "p"}, url="")[0]

    assert mail.outbox == []
    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        ("notifications.tasks.deliver_email", {"args": [row.pk], "kwargs": {}})
    ]


@pytest.mark.parametrize(
    "name",
    [
        "plan_sent_for_signoff",
        "plan_sent_back",
        "plan_submitted",
        "plan_returned",
        "plan_bureau_approved",
        "plan_published",
        "reminder",
    ],
)
def test_every_message_has_a_one_line_subject_a_text_and_an_html_part(name):
    message = emails.render(
        name,
        {
            "plan": "示例计划",
            "actor": "张三",
            "reason": "理由",
            "level": "bureau",
            "window": "w",
            "stage": "filing",
            "round": "2027年春季",
            "deadline": AT.date(),
            "days_left": 3,
            "items": ["示例计划"],
            "approved": 60,
            "planned": 75,
            "rows": [],
            "url": "/x/",
        },
    )

    assert message.subject.startswith("[OneX] ")
    assert "\n" not in message.subject
    assert "http://127.0.0.1:8000/x/" in message.text
    assert 'href="http://127.0.0.1:8000/x/"' in message.html


def test_mark_read_and_mark_all_read(cast):
    first, second = (
        services.notify(recipients=[cast.staff], name="plan_sent_back", context={"plan": str(n)}, url="")[0]
        for n in range(2)
    )

    services.mark_read(user=cast.staff, notification=first, at=AT)
    count = services.mark_all_read(user=cast.staff, at=AT)

    assert count == 1
    assert Notification.objects.for_user(cast.staff).unread().count() == 0
    with pytest.raises(PermissionError):
        services.mark_read(user=cast.leader, notification=second, at=AT)
