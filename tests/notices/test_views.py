"""The pages: writing and publishing, the home page's unread notices, the round page, receipts, contacts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from notices import receipts, services
from notices.enums import Audience, ContactTopic
from notices.models import Contact, Notice
from notifications.models import Notification
from tests.notices.conftest import AT, make_notice

FORM = {
    "title": "关于做好2027年1+X证书申报工作的通知",
    "number": "皖教秘职成〔2027〕1号",
    "year": "2027",
    "date": "2027-03-15",
    "audience": Audience.INSTITUTIONS,
    "institution_kind": "",
    "round": "",
    "body": "各院校：\n\n### 一、申报范围",
    "expects_receipts": "on",
}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_office_writes_then_publishes_a_notice(cast):
    client = logged_in(cast.provincial_reviewer)

    created = client.post("/notices/new/", FORM)
    notice = Notice.objects.get()
    before = Notice.objects.for_user(cast.staff).count()
    published = client.post(f"/notices/2027/{notice.pk}/publish/")

    notice.refresh_from_db()
    assert (created.status_code, created["Location"]) == (302, f"/notices/2027/{notice.pk}/edit/")
    assert (published.status_code, published["Location"]) == (302, f"/notices/2027/{notice.pk}/")
    assert (notice.number, notice.published_by, before, Notice.objects.for_user(cast.staff).count()) == (
        "皖教秘职成〔2027〕1号",
        cast.provincial_reviewer,
        0,
        1,
    )
    assert list(AuditEvent.objects.for_object(notice).values_list("action", flat=True)) == [
        "notice.publish",
        "notice.create",
    ]


def test_kind_audience_needs_a_kind(cast):
    response = logged_in(cast.provincial_admin).post("/notices/new/", FORM | {"audience": Audience.KIND})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {"institution_kind": ["Choose the kind of institution the notice is for."]}


@pytest.mark.parametrize("username", ["staff", "leader", "bureau_reviewer", "observer"])
def test_only_the_office_writes_notices(cast, username):
    user = getattr(cast, username)
    draft = make_notice(cast.provincial_admin, audience=Audience.PUBLIC, published=False)
    client = logged_in(user)

    statuses = [
        client.get("/notices/new/").status_code,
        client.post("/notices/new/", FORM).status_code,
        client.post(f"/notices/2027/{draft.pk}/publish/").status_code,
    ]

    expected = [403, 403, 403] if username == "observer" else [403, 403, 404]
    assert statuses == expected
    assert Notice.objects.count() == 1


def test_published_notice_can_no_longer_be_edited(cast):
    notice = make_notice(cast.provincial_admin)
    client = logged_in(cast.provincial_admin)

    response = client.get(f"/notices/2027/{notice.pk}/edit/")
    with pytest.raises(services.NoticeError):
        services.update_notice(actor=cast.provincial_admin, notice=notice, title="改")

    assert (response.status_code, response["Location"]) == (302, notice.get_absolute_url())


def test_update_is_audited_with_before_and_after(cast):
    notice = make_notice(cast.provincial_admin, published=False)

    services.update_notice(actor=cast.provincial_admin, notice=notice, title="新标题", body=notice.body)

    event = AuditEvent.objects.for_object(notice).get(action="notice.update")
    assert (event.before, event.after) == ({"title": "关于做好2027年1+X证书申报工作的通知"}, {"title": "新标题"})


def test_home_shows_unread_notices_until_confirmed(cast):
    notice = make_notice(cast.provincial_admin, title="请阅")
    client = logged_in(cast.leader)

    before = client.get("/").content.decode()
    confirmed = client.post(f"/notices/2027/{notice.pk}/confirm/", {"next": "/"})
    after = client.get("/").content.decode()
    colleague = logged_in(cast.staff).get("/").content.decode()

    assert ('data-testid="unread-notice"' in before, "请阅" in before) == (True, True)
    assert (confirmed.status_code, confirmed["Location"]) == (302, "/")
    assert ('data-testid="unread-notices"' in after, 'data-testid="unread-notices"' in colleague) == (False, False)


def test_confirm_next_to_another_site_goes_to_the_notice(cast):
    notice = make_notice(cast.provincial_admin)

    response = logged_in(cast.staff).post(f"/notices/2027/{notice.pk}/confirm/", {"next": "https://example.com/"})

    assert response["Location"] == notice.get_absolute_url()


def test_confirm_outside_the_audience_is_404(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.BUREAUS)

    response = logged_in(cast.staff).post(f"/notices/2027/{notice.pk}/confirm/")

    assert response.status_code == 404


def test_notice_page_shows_the_receipt(cast):
    notice = make_notice(cast.provincial_admin)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)

    html = logged_in(cast.leader).get(notice.get_absolute_url()).content.decode()

    assert 'data-testid="notice-confirmed"' in html
    assert 'data-testid="confirm-read"' not in html


def test_receipts_page_for_the_office_only(cast):
    notice = make_notice(cast.provincial_admin)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)
    url = f"/notices/2027/{notice.pk}/receipts/"

    response = logged_in(cast.observer).get(url)
    refused = [logged_in(u).get(url).status_code for u in (cast.staff, cast.bureau_reviewer)]

    assert refused == [403, 403]
    assert response.status_code == 200
    assert (response.context["confirmed"], response.context["pending"]) == (1, 3)
    assert 'data-testid="remind-all"' not in response.content.decode()  # the observer only reads


def test_remind_from_the_receipts_page(cast):
    notice = make_notice(cast.provincial_admin)
    client = logged_in(cast.provincial_admin)

    response = client.post(f"/notices/2027/{notice.pk}/remind/", {"bureau": cast.bureau1.pk}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["4 people were reminded."]
    reminded = Notification.objects.filter(name="notice_reminder").values_list("recipient__username", flat=True)
    assert sorted(reminded) == [
        "college_office_head",
        "college_staff",
        "office_head",
        "staff",
    ]


def test_round_page_shows_its_notices(cast, spring):
    make_notice(cast.provincial_admin, title="春季申报通知", round=spring)
    make_notice(cast.provincial_admin, title="致各市教育局", audience=Audience.BUREAUS, round=spring)

    html = logged_in(cast.staff).get(f"/rounds/{spring.pk}/").content.decode()

    assert ("春季申报通知" in html, "致各市教育局" in html) == (True, False)


def test_contacts_page_is_public_and_linked_from_every_footer(db, client):
    Contact.objects.create(topic=ContactTopic.QUOTAS, unit="省1+X办公室", names="甲、乙", phone="0551-00000000")

    contacts = client.get("/notices/contacts/")
    login = client.get("/accounts/login/").content.decode()

    assert contacts.status_code == 200
    assert [(c.get_topic_display(), c.phone) for c in contacts.context["contacts"]] == [
        ("quotas and adjustments", "0551-00000000")
    ]
    assert 'href="/notices/contacts/"' in login


@pytest.mark.parametrize("url", ["/notices/", "/"])
def test_notice_pages_query_count_is_the_same_at_one_and_three_notices(cast, url):
    client = logged_in(cast.staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_notice(cast.provincial_admin, title="通知1")
    one = count()
    for n in (2, 3):
        make_notice(cast.provincial_admin, title=f"通知{n}")

    assert count() == one


def test_receipts_page_query_count_is_the_same_at_one_and_three_receipts(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)
    client = logged_in(cast.provincial_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/notices/2027/{notice.pk}/receipts/").status_code == 200
        return len(queries)

    services.confirm_read(user=cast.staff, notice=notice, at=AT)
    one = count()
    services.confirm_read(user=cast.college_staff, notice=notice, at=AT)
    services.confirm_read(user=cast.bureau_reviewer, notice=notice, at=AT)

    assert count() == one


def test_office_list_counts_the_confirmations(cast):
    notice = make_notice(cast.provincial_admin)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)
    services.confirm_read(user=cast.college_staff, notice=notice, at=AT)

    office = logged_in(cast.provincial_reviewer).get("/notices/")
    school = logged_in(cast.staff).get("/notices/").content.decode()

    assert [n.confirmed for n in office.context["page"].object_list] == [2]
    assert 'data-testid="confirmed-count"' not in school


def test_contacts_edit_link_for_the_admin_only(cast):
    admin = logged_in(cast.provincial_admin).get("/notices/contacts/").content.decode()
    reviewer = logged_in(cast.provincial_reviewer).get("/notices/contacts/").content.decode()

    assert ('href="/admin/notices/contact/"' in admin, 'data-testid="edit-contacts"' in reviewer) == (True, False)


def test_receipts_page_above_the_listing_limit_lists_only_the_chosen_bureau(cast, monkeypatch):
    monkeypatch.setattr(receipts, "LIST_ALL_READERS", 3)
    notice = make_notice(cast.provincial_admin)
    client = logged_in(cast.provincial_admin)
    url = f"/notices/2027/{notice.pk}/receipts/"

    summary_only = client.get(url)
    chosen = client.get(url, {"bureau": cast.bureau2.pk})

    assert [(c.bureau.name, c.pending) for c in summary_only.context["counts"]] == [("合肥市", 2), ("芜湖市", 2)]
    assert summary_only.context["groups"] == []
    assert [g.bureau.name for g in chosen.context["groups"]] == ["芜湖市"]
