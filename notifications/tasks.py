"""Background work of the inbox: takes ids, re-reads, calls a service, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from notifications import services


@task
def deliver_email(notification_id: int) -> bool:
    return services.deliver(notification_id=notification_id)
