"""The inbox through the API: each person's own messages, marking one or all read; another's message is 404."""

from __future__ import annotations

from notifications.models import Notification


def _message(user, subject: str) -> Notification:
    return Notification.objects.create(recipient=user, name="plan_returned", subject=subject, body="正文")


def test_inbox_list_shows_only_my_messages_with_the_unread_count(api, cast):
    _message(cast.staff, "退回")
    _message(cast.staff, "通过")
    _message(cast.other_staff, "别人的")

    answer = api(cast.staff).get("/inbox").json()

    assert ([m["subject"] for m in answer["items"]], answer["count"], answer["unread"]) == (["通过", "退回"], 2, 2)


def test_inbox_mark_read_marks_mine_and_answers_404_for_anothers(api, cast):
    mine, theirs = _message(cast.staff, "退回"), _message(cast.other_staff, "别人的")
    client = api(cast.staff)

    marked = client.post(f"/inbox/{mine.pk}/read")
    refused = client.post(f"/inbox/{theirs.pk}/read")
    unread = client.get("/inbox", unread=True).json()

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (marked.status_code, marked.json()["read_at"] is not None, mine.is_read) == (200, True, True)
    assert (refused.status_code, theirs.is_read) == (404, False)
    assert (unread["count"], unread["unread"]) == (0, 0)


def test_inbox_mark_all_read_marks_only_mine(api, cast):
    _message(cast.staff, "一"), _message(cast.staff, "二"), _message(cast.other_staff, "三")

    answer = api(cast.staff).post("/inbox/read-all")

    assert (answer.status_code, answer.json()) == (200, {"marked": 2})
    assert Notification.objects.unread().get().subject == "三"
