"""附件3 from a request as it moves: the institution's contacts, the bureau's box for a school, the decision."""

from __future__ import annotations

from datetime import date

from adjustments import services
from adjustments.attachment import paper
from adjustments.enums import Outcome
from tests.adjustments.factories import DAY, raise_line, signed


def test_attachment_carries_contacts_bureau_and_the_decision(cast, school_plan):
    cast.school1.contact_name, cast.school1.contact_phone = "王老师", "0551-12345678"
    cast.school1.save()
    request = signed(cast.staff, cast.office_head, cast.leader, school_plan, raise_line(school_plan, "物流管理", 90))
    asked = paper(request)
    services.bureau_forward(actor=cast.bureau_reviewer, request=request, at=DAY)
    [item] = request.items.all()
    services.decide(
        actor=cast.provincial_reviewer,
        request=request,
        outcome=Outcome.REDUCE,
        at=DAY,
        reason="按实际报名核减",
        approved={item.pk: 80},
    )

    done = paper(type(request).objects.get(pk=request.pk))

    assert (asked.contact_name, asked.contact_phone, asked.secondary, asked.decision) == (
        "王老师",
        "0551-12345678",
        True,
        None,
    )
    assert (done.bureau.name, done.bureau.on) == (str(cast.bureau_reviewer), date(2027, 5, 10))
    assert (done.decision.verdict, done.decision.reason, done.decision.on) == (
        "核减后同意",
        "按实际报名核减",
        date(2027, 5, 10),
    )
    assert [(ln.before, ln.after, ln.approved) for ln in done.lines] == [(60, 90, 80)]


def test_attachment_of_a_college_has_no_bureau_and_falls_back_to_the_filer(cast, college_plan):
    request = signed(
        cast.college_staff,
        cast.college_office_head,
        cast.college_leader,
        college_plan,
        raise_line(college_plan, "物流管理", 120),
    )

    data = paper(request)

    assert (data.secondary, data.contact_name) == (False, str(cast.college_staff))
