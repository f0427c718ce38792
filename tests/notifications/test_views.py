"""The inbox page and the unread count in the navigation bar."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


def send(user, n: int = 1):
    for i in range(n):
        notify(recipients=[user], name="plan_sent_back", context={"plan": f"计划{i}"}, url="/plans/")


def test_inbox_lists_only_the_users_own_messages(client, cast):
    send(cast.staff, 2)
    send(cast.leader)
    client.force_login(cast.staff)

    response = client.get(reverse("inbox"))

    assert [n.subject for n in response.context["page"].object_list] == [
        "[OneX] The exam plan 计划1 was sent back",
        "[OneX] The exam plan 计划0 was sent back",
    ]


def test_nav_shows_the_unread_count(client, cast):
    send(cast.staff, 3)
    client.force_login(cast.staff)

    html = client.get(reverse("home")).content.decode()

    assert '<span class="badge text-bg-warning" data-testid="unread-count">3</span>' in html


def test_opening_a_message_marks_it_read_and_follows_its_link(client, cast):
    send(cast.staff)
    row = Notification.objects.get()
    client.force_login(cast.staff)

    response = client.post(reverse("notification_open", args=[row.pk]))

    row.refresh_from_db()
    assert (response.status_code, response.url) == (302, "/plans/")
    assert row.is_read is True


def test_opening_someone_elses_message_is_404(client, cast):
    send(cast.leader)
    client.force_login(cast.staff)

    response = client.post(reverse("notification_open", args=[Notification.objects.get().pk]))

    assert response.status_code == 404
    assert Notification.objects.get().is_read is False


def test_inbox_query_count_does_not_grow_with_messages(client, cast):
    client.force_login(cast.staff)
    send(cast.staff, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("inbox"))
    send(cast.staff, 2)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("inbox"))

    assert len(one) == len(three)
