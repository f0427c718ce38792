"""A published notice reaches the inbox of its audience, not only the home page."""

from __future__ import annotations

from django.core import mail

from notices.enums import Audience
from notifications.models import Notification
from tests.notices.conftest import make_notice


def inboxes(notice) -> list[str]:
    return sorted(
        Notification.objects.filter(url=notice.get_absolute_url()).values_list("recipient__username", flat=True)
    )


def test_notice_for_institutions_reaches_every_institution_person(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.INSTITUTIONS)

    assert inboxes(notice) == [
        "college_leader",
        "college_office_head",
        "college_staff",
        "leader",
        "office_head",
        "other_staff",
        "staff",
    ]
    assert Notification.objects.filter(recipient=cast.staff).get().subject == (
        "[OneX] New notice: 关于做好2027年1+X证书申报工作的通知"
    )


def test_notice_for_one_kind_reaches_only_that_kinds_people(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.KIND, kind=cast.school1.kind)

    assert inboxes(notice) == ["leader", "office_head", "staff"]


def test_notice_for_bureaus_reaches_the_bureaus_only(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.BUREAUS)

    assert inboxes(notice) == ["bureau_reviewer", "other_bureau_reviewer"]


def test_public_notice_reaches_institutions_and_bureaus_and_is_mailed_to_those_with_an_address(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cast.leader.email = "leader@example.org"
    cast.leader.save()

    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)

    assert len(inboxes(notice)) == 9
    assert [m.to for m in mail.outbox] == [["leader@example.org"]]


def test_a_draft_reaches_no_inbox(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.INSTITUTIONS, published=False)

    assert inboxes(notice) == []
