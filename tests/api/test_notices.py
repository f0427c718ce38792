"""Notices through the API: the office writes, publishes, withdraws and reminds; institutions and bureaus read and
confirm; the receipts by bureau — the same services and scope as the pages."""

from __future__ import annotations

from audit.models import AuditEvent
from notices.enums import Audience
from notices.models import Notice, ReadReceipt
from notifications.models import Notification
from tests.notices.conftest import make_notice

NEW = {"title": "关于2028年申报的通知", "year": 2028, "audience": "institutions", "number": "皖教秘职成〔2028〕1号"}


def test_notice_goes_from_draft_to_confirmed_through_the_api(api, cast):
    office, school = api(cast.provincial_admin), api(cast.staff)

    created = office.post("/notices", NEW)
    notice_id = created.json()["id"]
    unseen = school.get(f"/notices/{notice_id}").status_code
    published = office.post(f"/notices/{notice_id}/publish")
    listed = school.get("/notices", to_confirm=True).json()
    confirmed = school.post(f"/notices/{notice_id}/confirm")
    again = api(cast.office_head).post(f"/notices/{notice_id}/confirm")
    read = school.get(f"/notices/{notice_id}").json()

    assert (created.status_code, created.json()["state"], unseen) == (201, "draft", 404)
    assert (published.status_code, published.json()["state"]) == (200, "published")
    assert [(n["id"], n["to_confirm"]) for n in listed["items"]] == [(notice_id, True)]
    assert (confirmed.status_code, confirmed.json()["created"], again.json()["created"]) == (200, True, False)
    assert (read["to_confirm"], read["my_receipt"]["confirmed_by"]) == (False, "staff")
    assert Notification.objects.filter(recipient=cast.staff, name="notice_published").count() == 1
    actions = list(
        AuditEvent.objects.filter(object_type="notices.notice", object_id=str(notice_id))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["notice.create", "notice.publish", "notice.confirm"]


def test_notices_create_refuses_other_roles_a_taken_number_and_a_kind_without_kind(api, cast):
    make_notice(cast.provincial_admin, number=NEW["number"])
    office = api(cast.provincial_reviewer)

    taken = office.post("/notices", NEW)
    no_kind = office.post("/notices", NEW | {"number": "", "audience": "kind"})
    staff = api(cast.staff).post("/notices", NEW | {"number": ""})
    observer = api(cast.observer).post("/notices", NEW | {"number": ""})

    assert [a.status_code for a in (taken, no_kind, staff, observer)] == [409, 409, 403, 403]
    assert Notice.objects.count() == 1


def test_notices_publish_refuses_a_published_notice_and_the_observer(api, cast):
    notice = make_notice(cast.provincial_admin)

    twice = api(cast.provincial_admin).post(f"/notices/{notice.pk}/publish")
    observer = api(cast.observer).post(f"/notices/{notice.pk}/publish")
    staff = api(cast.staff).post(f"/notices/{notice.pk}/publish")

    assert (twice.status_code, twice.json()["type"]) == (409, "urn:onex:problem:step-refused")
    assert (observer.status_code, staff.status_code) == (403, 403)


def test_notices_withdraw_keeps_the_notice_readable_with_its_reason(api, cast):
    notice = make_notice(cast.provincial_admin)

    answer = api(cast.provincial_admin).post(f"/notices/{notice.pk}/withdraw", {"reason": "文号有误"})
    twice = api(cast.provincial_admin).post(f"/notices/{notice.pk}/withdraw", {"reason": "文号有误"})
    read = api(cast.staff).get(f"/notices/{notice.pk}").json()
    confirm = api(cast.staff).post(f"/notices/{notice.pk}/confirm")

    assert (answer.status_code, twice.status_code) == (200, 409)
    assert (read["state"], read["withdrawn_reason"]) == ("withdrawn", "文号有误")
    assert confirm.status_code == 409
    assert AuditEvent.objects.filter(action="notice.withdraw").count() == 1


def test_notices_read_answers_404_for_a_notice_not_meant_for_the_caller(api, cast):
    for_bureaus = make_notice(cast.provincial_admin, audience=Audience.BUREAUS)

    school = api(cast.staff).get(f"/notices/{for_bureaus.pk}")
    bureau = api(cast.bureau_reviewer).get(f"/notices/{for_bureaus.pk}")

    assert (school.status_code, bureau.status_code) == (404, 200)


def test_notices_receipts_by_bureau_for_the_province_only(api, cast):
    notice = make_notice(cast.provincial_admin)
    api(cast.staff).post(f"/notices/{notice.pk}/confirm")

    answer = api(cast.observer).get(f"/notices/{notice.pk}/receipts").json()
    refused = api(cast.staff).get(f"/notices/{notice.pk}/receipts").status_code

    assert (answer["confirmed"], answer["pending"], refused) == (1, 3, 403)
    hefei = answer["bureaus"][0]
    assert (hefei["bureau"]["id"], hefei["confirmed"], hefei["pending"]) == (cast.bureau1.pk, 1, 1)
    assert sorted((r["name"], r["confirmed_at"] is not None) for r in hefei["listed"]) == sorted(
        [(cast.school1.name, True), (cast.college1.name, False)]
    )


def test_notices_remind_reaches_the_unconfirmed_of_one_bureau(api, cast):
    notice = make_notice(cast.provincial_admin)
    api(cast.staff).post(f"/notices/{notice.pk}/confirm")

    answer = api(cast.provincial_reviewer).post(f"/notices/{notice.pk}/remind", {"bureau_id": cast.bureau1.pk})
    refused = api(cast.observer).post(f"/notices/{notice.pk}/remind")

    reminded = set(Notification.objects.filter(name="notice_reminder").values_list("recipient__username", flat=True))
    assert (answer.status_code, refused.status_code) == (200, 403)
    assert (answer.json()["people"], reminded) == (len(reminded), {"college_staff", "college_office_head"})
    assert ReadReceipt.objects.count() == 1
