"""Telling people: `notify(...)` puts a message in each recipient's inbox and e-mails it.

Other rooms call `notify(recipients=..., name=..., context=..., url=...)`; `name` picks the templates
`emails/<name>_subject.txt`, `_body.txt` and `_body.html` (see `notifications.emails`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from notifications import emails
from notifications.counts import forget_unread
from notifications.models import Notification


@transaction.atomic
def notify(*, recipients, name: str, context: dict, url: str = "") -> list[Notification]:
    """Send the message `name` to every active person in `recipients` (each once).

    Side effects: one inbox row per recipient (their cached unread counts forgotten); for each recipient with
    an e-mail address, one `deliver_email` job on the task queue. With the database task backend the job row is
    written in the same transaction as the inbox rows, so both exist or neither does.
    """
    from notifications.tasks import deliver_email

    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    if not people:
        return []
    message = emails.render(name, {**context, "url": url})
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=person, name=name, subject=message.subject, body=message.text, html=message.html, url=url
        )
        for person in people.values()
    )
    forget_unread(people)
    for row in rows:
        if row.recipient.email:
            deliver_email.enqueue(row.pk)
    return rows


@transaction.atomic
def deliver(*, notification_id: int, at: datetime | None = None) -> bool:
    """E-mail one inbox row to its recipient unless it went out already; True when it was sent now.

    Safe to run twice: the row is locked and stamped with `emailed_at` in the same transaction.
    Side effects: one e-mail, `emailed_at`.
    """
    row = Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
    if row is None or row.emailed_at is not None or not row.recipient.email:
        return False
    message = emails.Rendered(subject=row.subject, text=row.body, html=row.html)
    emails.send_rendered(to=[row.recipient.email], message=message)
    row.emailed_at = at or timezone.now()
    row.save(update_fields=["emailed_at"])
    return True


def mark_read(*, user, notification: Notification, at: datetime) -> Notification:
    """Mark one of `user`'s messages read. Side effects: `read_at` (not audited: it changes no plan), the cached
    unread count forgotten."""
    if notification.recipient_id != user.pk:
        raise PermissionError("not your notification")
    if notification.read_at is None:
        notification.read_at = at
        notification.save(update_fields=["read_at"])
        forget_unread([user.pk])
    return notification


def mark_all_read(*, user, at: datetime) -> int:
    """Mark every unread message of `user` read; returns how many. Side effects: `read_at`, the cached unread
    count forgotten."""
    marked = Notification.objects.for_user(user).unread().update(read_at=at)
    forget_unread([user.pk])
    return marked
