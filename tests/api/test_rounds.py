"""Rounds through the API: the calendar as it applies to the caller, and the provincial admin's rounds, dates and
extensions — audited, refused for every other role (403), with the services' refusals as problems."""

from __future__ import annotations

from datetime import date

import time_machine

from audit.models import AuditEvent
from rounds.models import Extension, Round
from rounds.services import grant_extension
from tests.api.conftest import FILING_DAY


def _filing(answer_json: dict) -> dict:
    return next(w for w in answer_json["windows"] if w["stage"] == "filing")


def test_rounds_list_shows_the_callers_extension_in_the_window(api, cast, spring):
    grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage="filing",
        until=date(2027, 4, 10),
        reason="系统故障",
        institution=cast.school1,
    )

    with time_machine.travel(FILING_DAY, tick=False):
        mine = _filing(api(cast.staff).get("/rounds").json()["items"][0])
        other = _filing(api(cast.other_staff).get("/rounds").json()["items"][0])

    assert (mine["end"], mine["extended_until"], mine["last_day"], mine["days_left"]) == (
        "2027-04-07",
        "2027-04-10",
        "2027-04-10",
        8,
    )
    assert (other["extended_until"], other["last_day"], other["days_left"], other["is_open"]) == (
        None,
        "2027-04-07",
        5,
        True,
    )


def test_rounds_read_answers_404_for_a_round_that_does_not_exist(api, cast, spring):
    assert api(cast.staff).get(f"/rounds/{spring.pk + 100}").status_code == 404


def test_rounds_create_takes_the_notices_dates_and_is_audited(api, cast):
    answer = api(cast.provincial_admin).post(
        "/rounds", {"year": 2028, "season": "autumn", "scan_deadline": "2028-09-25"}
    )

    created = Round.objects.get(year=2028, season="autumn")
    assert answer.status_code == 201
    assert (created.filing_start, created.scan_deadline) == (date(2028, 9, 13), date(2028, 9, 25))
    assert AuditEvent.objects.filter(action="round.create", object_id=str(created.pk)).count() == 1


def test_rounds_create_refuses_an_existing_round_and_other_roles(api, cast, spring):
    twice = api(cast.provincial_admin).post("/rounds", {"year": 2027, "season": "spring"})
    reviewer = api(cast.provincial_reviewer).post("/rounds", {"year": 2029, "season": "spring"})

    assert (twice.status_code, twice.json()["type"]) == (409, "urn:onex:problem:step-refused")
    assert reviewer.status_code == 403
    assert Round.objects.count() == 1


def test_rounds_update_moves_a_window_and_audits_before_and_after(api, cast, spring):
    answer = api(cast.provincial_admin).patch(f"/rounds/{spring.pk}", {"filing_end": "2027-04-09"})

    spring.refresh_from_db()
    event = AuditEvent.objects.get(action="round.change")
    assert (answer.status_code, _filing(answer.json())["end"], spring.filing_end) == (
        200,
        "2027-04-09",
        date(2027, 4, 9),
    )
    assert (event.before, event.after) == ({"filing_end": "2027-04-07"}, {"filing_end": "2027-04-09"})


def test_rounds_update_refuses_a_window_ending_before_it_starts(api, cast, spring):
    answer = api(cast.provincial_admin).patch(f"/rounds/{spring.pk}", {"filing_end": "2027-03-01"})
    staff = api(cast.staff).patch(f"/rounds/{spring.pk}", {"filing_end": "2027-04-09"})

    spring.refresh_from_db()
    assert (answer.status_code, staff.status_code, spring.filing_end) == (409, 403, date(2027, 4, 7))


def test_round_extensions_create_and_revoke_are_audited_with_their_reason(api, cast, spring):
    admin = api(cast.provincial_admin)
    body = {"stage": "bureau_review", "until": "2027-04-20", "reason": "材料补交", "bureau_id": cast.bureau1.pk}

    granted = admin.post(f"/rounds/{spring.pk}/extensions", body)
    extension_id = granted.json()["id"]
    bureau_sees = api(cast.bureau_reviewer).get(f"/rounds/{spring.pk}/extensions").json()["count"]
    other_sees = api(cast.other_bureau_reviewer).get(f"/rounds/{spring.pk}/extensions").json()["count"]
    revoked = admin.post(f"/rounds/{spring.pk}/extensions/{extension_id}/revoke", {"reason": "误批"})

    assert (granted.status_code, granted.json()["bureau"]["id"], revoked.status_code) == (201, cast.bureau1.pk, 204)
    assert (bureau_sees, other_sees) == (1, 0)
    assert not Extension.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="extension.").order_by("id")
    assert [(e.action, e.reason) for e in events] == [("extension.grant", "材料补交"), ("extension.revoke", "误批")]


def test_round_extensions_create_refuses_no_more_time_two_targets_and_other_roles(api, cast, spring):
    short = {"stage": "filing", "until": "2027-04-07", "reason": "x", "institution_id": cast.school1.pk}
    both = short | {"until": "2027-04-09", "bureau_id": cast.bureau1.pk}
    missing = short | {"until": "2027-04-09", "institution_id": 999_999}

    answers = [api(cast.provincial_admin).post(f"/rounds/{spring.pk}/extensions", body) for body in (short, both)]
    unknown = api(cast.provincial_admin).post(f"/rounds/{spring.pk}/extensions", missing)
    reviewer = api(cast.provincial_reviewer).post(f"/rounds/{spring.pk}/extensions", short | {"until": "2027-04-09"})

    assert [a.status_code for a in answers] == [409, 409]
    assert answers[0].json()["detail"] == "The window already runs until 2027-04-07."
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "institution_id")
    assert reviewer.status_code == 403
    assert not Extension.objects.exists()


def test_round_extensions_revoke_answers_404_for_another_schools_extension_seen_by_a_school(api, cast, spring):
    extension = grant_extension(
        actor=cast.provincial_admin,
        round=spring,
        stage="filing",
        until=date(2027, 4, 10),
        reason="系统故障",
        institution=cast.school2,
    )

    answer = api(cast.staff).post(f"/rounds/{spring.pk}/extensions/{extension.pk}/revoke", {"reason": "x"})

    assert answer.status_code == 404
    assert Extension.objects.count() == 1
