from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from monitoring import services
from monitoring.models import YearEndClose
from plans.models import InstitutionYear
from tests.monitoring.factories import J, M, line_of


def typed(line, registered, examined, passed):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


def test_year_end_review_lists_who_r3_will_cap(client, cast, plans, frozen):
    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)  # 34 of 70 = 48.57 % → capped
    typed(line_of(plans["college"], plans["logistics"], J), 50, 25, 20)  # 25 of 50 = 50 % → not capped
    client.force_login(cast.provincial_reviewer)

    page = client.get(reverse("monitoring:year_end", args=[2027]))

    assert [(r.institution_name, r.rate, r.cap) for r in page.context["capped"]] == [
        (cast.school1.name, Decimal("48.571428"), 70)
    ]
    assert {r.institution_name: r.capped for r in page.context["rows"]} == {
        cast.college1.name: False,
        cast.school1.name: True,
    }


def test_year_end_close_fixes_rates_into_institution_years_for_r3(client, cast, plans, frozen):
    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)
    typed(line_of(plans["college"], plans["logistics"], J), 50, 25, 20)
    client.force_login(cast.provincial_admin)
    reviewed = client.get(reverse("monitoring:year_end", args=[2027])).context["close_form"]["reviewed"].value()

    client.post(reverse("monitoring:year_end_close", args=[2027]), {"reviewed": reviewed})

    rates = dict(InstitutionYear.objects.filter(year=2027).values_list("institution__name", "completion_rate"))
    assert rates == {cast.school1.name: Decimal("48.571428"), cast.college1.name: Decimal("50.000000")}
    closed = YearEndClose.objects.get(year=2027)
    assert (closed.institutions, closed.capped, closed.threshold) == (2, 1, Decimal("50.00"))
    fixed = AuditEvent.objects.filter(action="monitoring.completion_rate.fix")
    assert sorted((e.before["completion_rate"], e.after["completion_rate"]) for e in fixed) == [
        (None, "48.571428"),
        (None, "50.000000"),
    ]


def test_year_end_close_refuses_figures_that_moved_since_review(client, cast, plans, frozen):
    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)
    client.force_login(cast.provincial_admin)
    reviewed = client.get(reverse("monitoring:year_end", args=[2027])).context["close_form"]["reviewed"].value()
    typed(line_of(plans["school"], plans["logistics"], M), 40, 36, 30)

    client.post(reverse("monitoring:year_end_close", args=[2027]), {"reviewed": reviewed})

    assert (YearEndClose.objects.count(), InstitutionYear.objects.filter(year=2027).count()) == (0, 0)


def test_year_end_close_happens_once(cast, plans, frozen):
    from monitoring.yearend import fingerprint, review

    services.refresh_figures(year=2027)
    services.close_year(actor=cast.provincial_admin, year=2027, reviewed=fingerprint(review(2027)))

    with pytest.raises(services.Refused):
        services.close_year(actor=cast.provincial_admin, year=2027, reviewed=fingerprint(review(2027)))

    assert YearEndClose.objects.count() == 1


def test_lifting_a_cap_needs_the_provincial_admin_and_a_reason(client, cast, plans, frozen):
    url = reverse("monitoring:lift_cap", args=[2027, cast.school1.pk])
    client.force_login(cast.provincial_reviewer)
    reviewer = client.post(url, {"reason": "新校区投用"})
    client.force_login(cast.provincial_admin)
    client.post(url, {"reason": "  "})
    no_reason = InstitutionYear.objects.filter(institution=cast.school1, year=2027).exists()

    client.post(url, {"reason": "新校区投用，实训条件大幅改善"})

    year = InstitutionYear.objects.get(institution=cast.school1, year=2027)
    assert (reviewer.status_code, no_reason) == (403, False)
    assert (year.cap_lifted, year.cap_lift_reason) == (True, "新校区投用，实训条件大幅改善")
    event = AuditEvent.objects.get(action="monitoring.cap.lift")
    assert (event.actor, event.reason, event.after["cap_lifted"]) == (
        cast.provincial_admin,
        "新校区投用，实训条件大幅改善",
        True,
    )


def test_closed_rate_is_what_next_years_r3_reads(cast, plans, frozen):
    from monitoring.yearend import fingerprint, review
    from plans.continuity import last_year_for

    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)
    services.refresh_figures(year=2027)
    services.close_year(actor=cast.provincial_admin, year=2027, reviewed=fingerprint(review(2027)))

    last = last_year_for(cast.school1.pk, 2028)

    assert (last.completion_rate, last.approved_total) == (Decimal("48.571428"), 70)


def test_year_end_close_posted_twice_closes_once_and_shows_success_both_times(client, cast, plans, frozen):
    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)
    client.force_login(cast.provincial_admin)
    reviewed = client.get(reverse("monitoring:year_end", args=[2027])).context["close_form"]["reviewed"].value()
    url = reverse("monitoring:year_end_close", args=[2027])

    responses = [client.post(url, {"reviewed": reviewed}, follow=True) for _ in range(2)]

    assert YearEndClose.objects.filter(year=2027).count() == 1
    assert AuditEvent.objects.filter(action="monitoring.year.close").count() == 1
    assert [[str(m) for m in r.context["messages"]] for r in responses] == [
        ["2027年度已完成年终结算：确定2个考核完成率，下一年有1所院校受限。"]
    ] * 2


def test_year_end_close_by_another_after_a_close_is_still_refused(client, cast, plans, frozen):
    client.force_login(cast.provincial_admin)
    reviewed = client.get(reverse("monitoring:year_end", args=[2027])).context["close_form"]["reviewed"].value()
    client.post(reverse("monitoring:year_end_close", args=[2027]), {"reviewed": reviewed}, follow=True)
    client.force_login(cast.provincial_reviewer)

    response = client.post(reverse("monitoring:year_end_close", args=[2027]), {"reviewed": reviewed}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["2027年度已完成年终结算。"]
    assert YearEndClose.objects.filter(year=2027).count() == 1
