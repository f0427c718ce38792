"""Read receipts: one per notice and institution (or bureau), who has and has not confirmed by bureau, reminders."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from institutions.enums import InstitutionKind
from notices import services
from notices.enums import Audience
from notices.models import Notice, ReadReceipt
from notices.receipts import by_bureau, summary
from notifications.models import Notification
from tests.conftest import make_user
from tests.notices.conftest import AT, make_notice


def reminders():
    return Notification.objects.filter(name="notice_reminder")


def table(notice: Notice) -> list[tuple[str, list[str], list[str]]]:
    return [(g.bureau.name, [r.name for r in g.confirmed], [r.name for r in g.pending]) for g in by_bureau(notice)]


def test_receipt_confirm_twice_counts_once(cast):
    notice = make_notice(cast.provincial_admin)

    first = services.confirm_read(user=cast.staff, notice=notice, at=AT)
    second = services.confirm_read(user=cast.staff, notice=notice, at=AT)
    third = services.confirm_read(user=cast.leader, notice=notice, at=AT)  # same institution, another person

    assert (first[1], second[1], third[1]) == (True, False, False)
    assert list(ReadReceipt.objects.values_list("institution_id", "confirmed_by__username")) == [
        (cast.school1.pk, "staff")
    ]
    assert AuditEvent.objects.for_object(notice).filter(action="notice.confirm").count() == 1


def test_receipt_database_refuses_a_second_receipt_for_one_institution(cast):
    notice = make_notice(cast.provincial_admin)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReadReceipt.objects.create(notice=notice, institution=cast.school1, confirmed_by=cast.leader, confirmed_at=AT)


def test_receipt_database_refuses_a_receipt_for_both_or_neither(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReadReceipt.objects.create(
            notice=notice, institution=cast.school1, bureau=cast.bureau1, confirmed_by=cast.staff, confirmed_at=AT
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadReceipt.objects.create(notice=notice, confirmed_by=cast.staff, confirmed_at=AT)


def test_receipt_not_confirmed_list_by_bureau_for_the_cast(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)
    services.confirm_read(user=cast.other_bureau_reviewer, notice=notice, at=AT)

    assert table(notice) == [
        ("合肥市", ["示例合肥职业学校"], ["合肥市教育局", "示例合肥职业技术学院"]),
        ("芜湖市", ["芜湖市教育局"], ["示例芜湖中等专业学校", "示例芜湖应用技术学院"]),
    ]


def test_receipt_lists_only_the_audience(cast):
    kind = make_notice(cast.provincial_admin, audience=Audience.KIND, kind=InstitutionKind.SECONDARY_VOCATIONAL)
    bureaus = make_notice(cast.provincial_admin, audience=Audience.BUREAUS)
    services.confirm_read(user=cast.bureau_reviewer, notice=bureaus, at=AT)

    assert table(kind) == [("合肥市", [], ["示例合肥职业学校"])]
    assert table(bureaus) == [("合肥市", ["合肥市教育局"], []), ("芜湖市", [], ["芜湖市教育局"])]


def test_receipt_refused_to_the_office_and_outside_the_audience(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.KIND, kind=InstitutionKind.SECONDARY_VOCATIONAL)
    draft = make_notice(cast.provincial_admin, published=False)

    for user, target in [(cast.provincial_reviewer, notice), (cast.college_staff, notice), (cast.staff, draft)]:
        with pytest.raises(services.NoticeError):
            services.confirm_read(user=user, notice=target, at=AT)

    assert ReadReceipt.objects.count() == 0


def test_receipt_unconfirmed_by_follows_the_institution(cast):
    first = make_notice(cast.provincial_admin, title="一")
    second = make_notice(cast.provincial_admin, title="二")
    make_notice(cast.provincial_admin, title="无需确认", expects_receipts=False)
    services.confirm_read(user=cast.office_head, notice=first, at=AT)

    assert list(Notice.objects.unconfirmed_by(cast.staff)) == [second]
    assert [n.title for n in Notice.objects.unconfirmed_by(cast.college_staff)] == ["二", "一"]
    assert list(Notice.objects.unconfirmed_by(cast.provincial_admin)) == []


def test_remind_reaches_the_pilot_offices_and_bureaus_that_have_not_confirmed(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)

    count = services.remind_unconfirmed(actor=cast.provincial_admin, notice=notice)

    reminded = sorted(reminders().values_list("recipient__username", flat=True))
    assert (count, reminded) == (
        5,
        ["bureau_reviewer", "college_office_head", "college_staff", "other_bureau_reviewer", "other_staff"],
    )
    assert set(reminders().values_list("url", flat=True)) == {notice.get_absolute_url()}
    event = AuditEvent.objects.for_object(notice).get(action="notice.remind")
    assert event.after["people"] == count


def test_remind_one_bureau_only(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)

    count = services.remind_unconfirmed(actor=cast.provincial_admin, notice=notice, bureau=cast.bureau2)

    assert (count, sorted(reminders().values_list("recipient__username", flat=True))) == (
        2,
        ["other_bureau_reviewer", "other_staff"],
    )


def test_remind_by_someone_outside_the_office_is_refused(cast):
    notice = make_notice(cast.provincial_admin)

    with pytest.raises(PermissionError):
        services.remind_unconfirmed(actor=cast.observer, notice=notice)


def test_remind_skips_inactive_people_and_leaders(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.KIND, kind=InstitutionKind.SECONDARY_VOCATIONAL)
    gone = make_user("gone", "institution_staff", institution=cast.school1)
    gone.is_active = False
    gone.save()

    services.remind_unconfirmed(actor=cast.provincial_admin, notice=notice)

    assert sorted(reminders().values_list("recipient__username", flat=True)) == ["office_head", "staff"]


def test_receipt_summary_counts_by_bureau_for_the_cast(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)
    services.confirm_read(user=cast.college_staff, notice=notice, at=AT)
    services.confirm_read(user=cast.other_bureau_reviewer, notice=notice, at=AT)

    counts = [(c.bureau.name, c.readers, c.confirmed, c.pending) for c in summary(notice)]

    assert counts == [("合肥市", 3, 2, 1), ("芜湖市", 3, 1, 2)]


def test_receipt_lists_one_bureau_when_asked(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)
    services.confirm_read(user=cast.other_staff, notice=notice, at=AT)
    services.confirm_read(user=cast.staff, notice=notice, at=AT)

    assert [
        (g.bureau.name, [r.name for r in g.confirmed], [r.name for r in g.pending])
        for g in by_bureau(notice, [cast.bureau2.pk])
    ] == [("芜湖市", ["示例芜湖中等专业学校"], ["芜湖市教育局", "示例芜湖应用技术学院"])]
