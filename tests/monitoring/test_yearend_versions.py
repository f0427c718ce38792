"""The year-end close loses nothing (issue 14 item 7): recorded rates survive a close without data, a close
is a new version of the year's rates, a reopen restores the previous values exactly, and the R3
consequences shown before closing are what R3 then does."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from monitoring import services
from monitoring.models import YearEndClose
from monitoring.records import ClosedRate, RateSource
from monitoring.yearend import fingerprint, review
from plans.models import InstitutionYear
from plans.rules import gather_facts, r3_cap
from tests.factories import published_plan
from tests.monitoring.factories import J, M, line_of


def typed(line, registered, examined, passed):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


def recorded(institution, rate: str) -> None:
    InstitutionYear.objects.create(institution=institution, year=2027, completion_rate=Decimal(rate))


def close(actor, **kwargs) -> YearEndClose:
    services.refresh_figures(year=2027)
    return services.close_year(actor=actor, year=2027, reviewed=fingerprint(review(2027, **kwargs)), **kwargs)


def rates() -> dict:
    return dict(InstitutionYear.objects.filter(year=2027).values_list("institution__name", "completion_rate"))


def test_year_end_close_without_progress_data_keeps_the_recorded_rates(cast, plans, frozen):
    recorded(cast.school1, "78.5")
    recorded(cast.college1, "36.5")

    closed = close(cast.provincial_admin)

    assert rates() == {cast.school1.name: Decimal("78.5"), cast.college1.name: Decimal("36.5")}
    assert sorted(closed.rates.values_list("source", flat=True)) == [RateSource.KEPT, RateSource.KEPT]
    assert (closed.version, closed.capped) == (1, 1)  # 36.5 % < 50 %: the college is capped at its 50
    assert AuditEvent.objects.filter(action="monitoring.completion_rate.fix").count() == 0


def test_year_end_close_uses_the_computed_rate_only_where_the_office_chooses_it(cast, plans, frozen):
    recorded(cast.school1, "78.5")

    close(cast.provincial_admin, use_computed={cast.school1.pk})

    # The college has neither data nor a recorded rate: it stays without one (no cap).
    assert rates() == {cast.school1.name: Decimal("0.000000")}
    assert ClosedRate.objects.get(institution=cast.school1).source == RateSource.CHOSEN


def test_year_end_close_with_data_writes_a_new_version_keeping_the_previous_value(cast, plans, frozen):
    recorded(cast.college1, "78.5")
    typed(line_of(plans["college"], plans["logistics"], J), 30, 25, 20)  # 25 of 50

    closed = close(cast.provincial_admin)

    assert rates() == {cast.college1.name: Decimal("50.000000")}
    row = ClosedRate.objects.get(close=closed, institution=cast.college1)
    assert (row.before, row.after, row.source, row.approved, row.counted) == (
        Decimal("78.5"),
        Decimal("50"),
        RateSource.COMPUTED,
        50,
        25,
    )
    event = AuditEvent.objects.get(action="monitoring.completion_rate.fix")
    assert (event.before, event.after) == ({"completion_rate": "78.500000"}, {"completion_rate": "50.000000"})


def test_year_end_reopen_restores_the_previous_values_exactly(client, cast, plans, frozen):
    recorded(cast.college1, "42.125")
    typed(line_of(plans["college"], plans["logistics"], J), 30, 25, 20)
    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)
    before = rates()
    first = close(cast.provincial_admin)
    client.force_login(cast.provincial_admin)

    client.post(reverse("monitoring:year_end_reopen", args=[2027]), {"reason": "  "})
    kept = rates()
    client.post(reverse("monitoring:year_end_reopen", args=[2027]), {"reason": "导入数据有误，重新核对"})

    first.refresh_from_db()
    assert kept == {cast.college1.name: Decimal("50.000000"), cast.school1.name: Decimal("48.571428")}
    # The school had no row before the close: its rate goes back to none.
    assert rates() == {**before, cast.school1.name: None}
    assert (first.reopened_by, first.reopen_reason) == (cast.provincial_admin, "导入数据有误，重新核对")
    restored = AuditEvent.objects.filter(action="monitoring.completion_rate.restore")
    # JSON values sort differently on PostgreSQL and SQLite: the rate first, then the one restored to none.
    restored = sorted(((e.after["completion_rate"], e.reason) for e in restored), key=lambda pair: pair[0] is None)
    assert restored == [
        ("42.125000", "导入数据有误，重新核对"),
        (None, "导入数据有误，重新核对"),
    ]
    again = close(cast.provincial_admin)
    assert (again.version, YearEndClose.objects.count()) == (2, 2)


def test_year_end_reopen_needs_the_provincial_admin(client, cast, plans, frozen):
    close(cast.provincial_admin)
    client.force_login(cast.provincial_reviewer)

    response = client.post(reverse("monitoring:year_end_reopen", args=[2027]), {"reason": "重新核对"})

    assert (response.status_code, YearEndClose.objects.get().reopened_at) == (403, None)
    with pytest.raises(services.Refused):
        services.reopen_year(actor=cast.provincial_admin, year=2028, reason="没有关账")


def test_year_end_r3_consequences_shown_match_what_r3_then_does(client, cast, plans, frozen):
    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)  # 34 of 70 = 48.6 %: capped at 70
    typed(line_of(plans["college"], plans["logistics"], J), 30, 25, 20)  # 25 of 50 = 50 %: no cap
    client.force_login(cast.provincial_admin)
    page = client.get(reverse("monitoring:year_end", args=[2027]))
    shown = {r.institution_name: r.cap if r.capped else None for r in page.context["rows"]}

    client.post(
        reverse("monitoring:year_end_close", args=[2027]), {"reviewed": page.context["close_form"]["reviewed"].value()}
    )
    next_year = {
        institution.name: gather_facts(published_plan(institution, 2028, [(plans["logistics"], J, "物流管理", 90)]))
        for institution in (cast.school1, cast.college1)
    }

    assert shown == {cast.school1.name: 70, cast.college1.name: None}
    assert {name: facts.cap for name, facts in next_year.items()} == shown
    assert [len(r3_cap(facts)) for facts in next_year.values()] == [1, 0]


def test_year_end_page_points_out_a_cap_below_a_plan_already_filed_for_next_year(client, cast, plans, frozen):
    typed(line_of(plans["school"], plans["logistics"], M), 40, 34, 30)
    published_plan(cast.school1, 2028, [(plans["logistics"], M, "物流管理", 280)])
    client.force_login(cast.provincial_reviewer)

    page = client.get(reverse("monitoring:year_end", args=[2027]))

    assert [(r.institution_name, r.cap, r.next_planned) for r in page.context["over_cap"]] == [
        (cast.school1.name, 70, 280)
    ]
    assert 'data-testid="over-cap"' in page.content.decode()
