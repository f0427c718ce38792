"""GET /monitoring/forecasts and POST /monitoring/what-if: scoped, typed, documented, and the simulation writes
nothing."""

from datetime import date

import pytest

from audit.models import AuditEvent
from monitoring import forecasting, services
from monitoring.forecast_rows import InstitutionForecast
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.factories import M, line_of


@pytest.fixture
def forecasts_2027(cast):
    cert = make_certificate("物流管理职业技能等级证书")
    for institution, examined in ((cast.school1, 20), (cast.college1, 70), (cast.school2, 40)):
        plan = published_plan(institution, 2027, [(cert, M, "物流管理", 100)])
        services.record_line_progress(
            actor=None, line=line_of(plan, cert, M), counts=services.Counts(registered=90, examined=examined, passed=0)
        )
    forecasting.refresh(2027, day=date(2027, 6, 30))


def test_api_forecasts_list_is_scoped_and_at_risk_first(api, cast, forecasts_2027):
    office = api(cast.observer).get("/monitoring/forecasts", year=2027).json()
    bureau = api(cast.bureau_reviewer).get("/monitoring/forecasts", year=2027).json()

    assert [(i["institution_id"], i["status"], i["expected"]) for i in office["items"]] == [
        (cast.school1.pk, "at_risk", 40),
        (cast.college1.pk, "on_course", 140),
        (cast.school2.pk, "on_course", 80),
    ]
    assert (office["count"], office["total"]["at_risk"], office["threshold"]) == (3, 1, "50.00")
    assert office["items"][0]["still_needed"] == 30
    assert [i["institution_id"] for i in bureau["items"]] == [cast.school1.pk]


def test_api_what_if_simulates_without_writing(api, cast, forecasts_2027):
    monitoring_events = AuditEvent.objects.filter(action__startswith="monitoring.")
    before = (InstitutionForecast.objects.count(), monitoring_events.count())
    body = {"year": 2027, "scenarios": [{"threshold": 50}, {"threshold": 85, "source": "forecast"}]}

    answer = api(cast.provincial_reviewer).post("/monitoring/what-if", body)
    refused = api(cast.bureau_reviewer).post("/monitoring/what-if", body)

    found = answer.json()["scenarios"]
    assert answer.status_code == 200
    assert [(s["capped_count"], [c["institution_id"] for c in s["capped"]]) for s in found] == [
        (1, [cast.school1.pk]),
        (2, [cast.school1.pk, cast.school2.pk]),  # school2 at 80 % < 85 %
    ]
    assert found[0]["capped"][0]["rate"] == "40.0"
    assert refused.status_code == 403
    assert (InstitutionForecast.objects.count(), monitoring_events.count()) == before


def test_api_forecast_operations_are_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    listed = schema["paths"]["/api/v1/monitoring/forecasts"]["get"]
    simulated = schema["paths"]["/api/v1/monitoring/what-if"]["post"]

    assert (listed["operationId"], simulated["operationId"]) == ("forecasts_list", "what_if_create")
    assert "observers" in simulated["description"] and listed["summary"] and listed["tags"] == ["forecasts"]
    assert schema["components"]["schemas"]["ForecastStatus"]["enum"] == ["at_risk", "on_course", "unknown"]
