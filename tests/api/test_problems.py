"""Every error is application/problem+json (RFC 9457); invalid input names the field; no input gives a 500."""

from __future__ import annotations

import logging

import time_machine
from django.test import RequestFactory

from api.problems import on_unexpected
from plans.enums import PlanStatus
from tests.api.conftest import FILING_DAY
from tests.conftest import make_certificate
from tests.reviews.factories import J, plan_in

PROBLEM = "application/problem+json; charset=utf-8"


def test_problem_unknown_id_and_out_of_scope_answer_the_same_404(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    other = plan_in(cast.school2, spring, PlanStatus.DRAFT, [(certificate, J, "物流管理", 40)])
    staff = api(cast.staff)

    unknown, foreign = staff.get("/plans/999999"), staff.get(f"/plans/{other.pk}")

    assert (unknown["Content-Type"], unknown.json()) == (
        PROBLEM,
        {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No such object, or not yours to see."},
    )
    assert (foreign.status_code, foreign.json()) == (404, unknown.json())


def test_problem_wrong_role_is_403(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, PlanStatus.DRAFT, [(certificate, J, "物流管理", 40)])

    answer = api(cast.leader).post(f"/plans/{plan.pk}/actions/send_for_signoff")

    assert (answer.status_code, answer["Content-Type"]) == (403, PROBLEM)
    assert answer.json()["detail"] == "Your role (institution leader) may not do this."


def test_problem_validation_names_the_field(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, PlanStatus.DRAFT, [(certificate, J, "物流管理", 40)])
    body = {"certificate_id": certificate.pk, "level": "expert", "major_name": "  ", "headcount": 0}

    answer = api(cast.staff).post(f"/plans/{plan.pk}/lines", body)

    problem = answer.json()
    assert (answer.status_code, answer["Content-Type"], problem["type"]) == (
        422,
        PROBLEM,
        "urn:onex:problem:invalid-input",
    )
    assert [(e["field"], e["location"]) for e in problem["errors"]] == [
        ("level", "body"),
        ("major_name", "body"),
        ("headcount", "body"),
    ]


def test_problem_query_and_path_fields_are_named(api, cast):
    staff = api(cast.staff)

    limit = staff.get("/certificates", limit=1000).json()["errors"]
    path = staff.get("/plans/0").json()["errors"]

    assert [(e["field"], e["location"]) for e in limit] == [("limit", "query")]
    assert [(e["field"], e["location"]) for e in path] == [("plan_id", "path")]


def test_problem_unknown_reference_in_the_body_names_the_field(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, PlanStatus.DRAFT, [(certificate, J, "物流管理", 40)])
    body = {"certificate_id": certificate.pk + 100, "level": "junior", "major_name": "物流", "headcount": 30}

    answer = api(cast.staff).post(f"/plans/{plan.pk}/lines", body)

    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "certificate_id", "location": "body", "message": "No such certificate.", "code": "value_error"}
    ]


def test_problem_line_decision_of_another_plans_line_names_the_field(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW, [(certificate, J, "物流管理", 40)])
    other = plan_in(cast.college2, spring, PlanStatus.PROVINCIAL_REVIEW, [(certificate, J, "物流管理", 40)])
    body = {"decisions": [{"line_id": other.lines.get().pk, "outcome": "approve"}]}

    with time_machine.travel("2027-04-14 10:00 +0800", tick=False):
        answer = api(cast.provincial_reviewer).post(f"/plans/{plan.pk}/actions/decide", body)

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["decisions.0.line_id"]


def test_problem_control_characters_and_broken_unicode_are_refused_not_stored(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, PlanStatus.DRAFT, [(certificate, J, "物流管理", 40)])
    staff = api(cast.staff)
    raw = b'{"certificate_id": %d, "level": "junior", "major_name": "\\ud800", "headcount": 30}' % certificate.pk

    nul = staff.post(
        f"/plans/{plan.pk}/lines",
        {"certificate_id": certificate.pk, "level": "junior", "major_name": "物\x00流", "headcount": 30},
    )
    surrogate = staff.client.post(
        f"/api/v1/plans/{plan.pk}/lines", raw, content_type="application/json", headers=staff.headers
    )
    query = staff.get("/certificates", q="物\x00")

    assert (nul.status_code, surrogate.status_code, query.status_code) == (422, 422, 422)
    assert plan.lines.count() == 1


def test_problem_step_refused_is_409_with_the_services_reason(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, PlanStatus.AWAITING_SIGNOFF, [(certificate, J, "物流管理", 40)])

    answer = api(cast.leader).post(f"/plans/{plan.pk}/actions/send_back", {"reason": ""})

    assert answer.status_code == 409
    assert answer.json() == {
        "type": "urn:onex:problem:step-refused",
        "title": "Step refused",
        "status": 409,
        "detail": "Give a reason for sending the plan back.",
    }


def test_problem_outside_the_window_is_an_r1_violation(api, cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, PlanStatus.DRAFT, [(certificate, J, "物流管理", 40)])

    with time_machine.travel("2027-04-08 00:00 +0800", tick=False):
        answer = api(cast.staff).post(f"/plans/{plan.pk}/actions/send_for_signoff")

    assert answer.status_code == 422
    assert [(v["rule"], v["line"]) for v in answer.json()["violations"]] == [("R1", None)]


def test_problem_unparseable_body_is_400(api, cast, spring):
    staff = api(cast.staff)

    answer = staff.client.post("/api/v1/plans", b"{not json", content_type="application/json", headers=staff.headers)

    assert (answer.status_code, answer["Content-Type"], answer.json()["status"]) == (400, PROBLEM, 400)


def test_problem_unknown_api_path_is_a_404_problem(api, cast):
    answer = api(cast.staff).get("/no/such/thing")

    assert (answer.status_code, answer["Content-Type"], answer.json()["title"]) == (404, PROBLEM, "Not Found")


def test_problem_unknown_action_is_422_naming_the_action(api, cast, spring):
    with time_machine.travel(FILING_DAY, tick=False):
        answer = api(cast.staff).post("/plans/1/actions/launch")

    assert [(e["field"], e["location"]) for e in answer.json()["errors"]] == [("action", "path")]


def test_problem_unexpected_errors_are_logged_and_answered_as_a_500_problem(caplog):
    request = RequestFactory().get("/api/v1/me")

    with caplog.at_level(logging.ERROR, logger="api"):
        answer = on_unexpected(request, RuntimeError("boom"))

    assert (answer.status_code, answer["Content-Type"]) == (500, PROBLEM)
    assert [record.getMessage() for record in caplog.records] == ["API error on GET /api/v1/me"]
