"""The navigation's unread count is cached per person (notifications.counts) and forgotten whenever one of their
messages is sent or read."""

from datetime import datetime

from django.urls import reverse

from core.dates import SHANGHAI
from notifications import services
from notifications.counts import unread_count
from notifications.models import Notification
from tests.notifications.test_views import send

AT = datetime(2027, 4, 9, 9, 0, tzinfo=SHANGHAI)


def badge(client) -> str:
    """The unread badge of the navigation, as the page shows it ("" without one)."""
    html = client.get(reverse("home")).content.decode()
    marker = 'data-testid="unread-count">'
    return html.split(marker, 1)[1].split("<", 1)[0] if marker in html else ""


def test_unread_count_is_read_from_the_cache_once_counted(cast, django_assert_num_queries):
    send(cast.staff, 2)
    unread_count(cast.staff)

    with django_assert_num_queries(0):
        assert unread_count(cast.staff) == 2


def test_unread_count_is_forgotten_when_a_message_is_sent(client, cast):
    client.force_login(cast.staff)
    seen = {"none": badge(client)}
    send(cast.staff, 2)
    seen["two sent"] = badge(client)
    send(cast.leader)  # someone else's message leaves the count alone
    seen["one to someone else"] = badge(client)

    assert seen == {"none": "", "two sent": "2", "one to someone else": "2"}


def test_unread_count_is_forgotten_when_a_message_is_read(client, cast):
    send(cast.staff, 3)
    client.force_login(cast.staff)
    seen = {"three": badge(client)}
    services.mark_read(user=cast.staff, notification=Notification.objects.first(), at=AT)
    seen["one read"] = badge(client)
    services.mark_all_read(user=cast.staff, at=AT)
    seen["all read"] = badge(client)

    assert seen == {"three": "3", "one read": "2", "all read": ""}


def test_unread_count_is_forgotten_again_when_the_transaction_commits(cast, django_capture_on_commit_callbacks):
    unread_count(cast.staff)
    with django_capture_on_commit_callbacks() as callbacks:
        send(cast.staff)
    unread_count(cast.staff)  # a reader between the change and its commit caches the count it sees

    for callback in callbacks:
        callback()

    assert unread_count(cast.staff) == 1
