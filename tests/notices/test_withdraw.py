"""Withdrawing a published notice (撤回): kept at its address with the reason, no longer asks to be confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from notices import services
from notices.models import Notice
from notifications.models import Notification
from tests.notices.conftest import AT, make_notice

LATER = AT + timedelta(days=1)


def test_withdraw_keeps_the_notice_and_records_who_why_and_when(cast):
    notice = make_notice(cast.provincial_admin)

    services.withdraw_notice(actor=cast.provincial_admin, notice=notice, reason="  日期有误，另行通知  ", at=LATER)

    notice.refresh_from_db()
    assert (notice.withdrawn_at, notice.withdrawn_by, notice.withdrawn_reason) == (
        LATER,
        cast.provincial_admin,
        "日期有误，另行通知",
    )
    event = AuditEvent.objects.for_object(notice).get(action="notice.withdraw")
    assert event.after["reason"] == "日期有误，另行通知"


def test_a_withdrawn_notice_is_no_longer_unread_confirmable_or_reminded(cast):
    notice = make_notice(cast.provincial_admin)
    assert list(Notice.objects.unconfirmed_by(cast.staff)) == [notice]

    services.withdraw_notice(actor=cast.provincial_admin, notice=notice, reason="重复发布", at=LATER)

    assert list(Notice.objects.unconfirmed_by(cast.staff)) == []
    with pytest.raises(services.NoticeError):
        services.confirm_read(user=cast.staff, notice=notice, at=LATER)
    assert services.remind_unconfirmed(actor=cast.provincial_admin, notice=notice) == 0
    assert Notification.objects.filter(name="notice_reminder").count() == 0


@pytest.mark.parametrize(
    ("published", "reason", "message"),
    [
        (False, "草稿", "A draft is not withdrawn"),
        (True, "   ", "Say why the notice is withdrawn"),
    ],
)
def test_withdraw_refuses_a_draft_and_an_empty_reason(cast, published, reason, message):
    notice = make_notice(cast.provincial_admin, published=published)

    with pytest.raises(services.NoticeError, match=message):
        services.withdraw_notice(actor=cast.provincial_admin, notice=notice, reason=reason, at=LATER)

    notice.refresh_from_db()
    assert notice.withdrawn_at is None
    assert not AuditEvent.objects.for_object(notice).filter(action="notice.withdraw").exists()


def test_withdraw_twice_is_refused_and_keeps_the_first_reason(cast):
    notice = make_notice(cast.provincial_admin)
    services.withdraw_notice(actor=cast.provincial_admin, notice=notice, reason="第一次", at=LATER)

    with pytest.raises(services.NoticeError, match="withdrawn already"):
        services.withdraw_notice(actor=cast.provincial_admin, notice=notice, reason="第二次", at=LATER)

    notice.refresh_from_db()
    assert notice.withdrawn_reason == "第一次"


def test_only_the_office_withdraws(cast):
    notice = make_notice(cast.provincial_admin)

    with pytest.raises(PermissionError):
        services.withdraw_notice(actor=cast.staff, notice=notice, reason="x", at=LATER)


def test_the_database_refuses_a_withdrawal_without_publication_or_reason(cast):
    draft = make_notice(cast.provincial_admin, published=False)
    published = make_notice(cast.provincial_admin, title="另一通知")

    for notice, reason in [(draft, "理由"), (published, "")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Notice.objects.filter(pk=notice.pk).update(
                withdrawn_at=LATER, withdrawn_by=cast.provincial_admin, withdrawn_reason=reason
            )


def test_withdraw_page_flow_office_then_reader(client, cast):
    notice = make_notice(cast.provincial_admin)
    url = reverse("notice_withdraw", args=[notice.year, notice.pk])

    client.force_login(cast.staff)
    assert client.post(url, {"reason": "x"}).status_code == 403

    client.force_login(cast.provincial_admin)
    page = client.get(notice.get_absolute_url())
    assert b'data-testid="withdraw-form"' in page.content
    response = client.post(url, {"reason": "<b>日期有误</b>"})
    assert response.status_code == 302

    client.force_login(cast.staff)
    page = client.get(notice.get_absolute_url())
    assert page.status_code == 200
    assert b'data-testid="notice-withdrawn"' in page.content
    assert "&lt;b&gt;日期有误&lt;/b&gt;" in page.content.decode()
    assert b'data-testid="confirm-read"' not in page.content
    assert b'data-testid="withdrawn-badge"' in client.get(reverse("notice_list")).content


def test_withdraw_posted_twice_withdraws_once_and_shows_success_both_times(client, cast):
    notice = make_notice(cast.provincial_admin)
    url = reverse("notice_withdraw", args=[notice.year, notice.pk])
    client.force_login(cast.provincial_admin)

    responses = [client.post(url, {"reason": "日期有误"}, follow=True) for _ in range(2)]

    assert AuditEvent.objects.for_object(notice).filter(action="notice.withdraw").count() == 1
    assert [r.redirect_chain for r in responses] == [[(notice.get_absolute_url(), 302)]] * 2
    assert [[str(m) for m in r.context["messages"]] for r in responses] == [["The notice is withdrawn."]] * 2


def test_withdraw_page_asks_for_confirmation_first(client, cast):
    notice = make_notice(cast.provincial_admin)
    client.force_login(cast.provincial_admin)

    page = client.get(notice.get_absolute_url()).content.decode()

    assert 'data-confirm="Withdraw the notice? This cannot be undone: a correction is a new notice."' in page
