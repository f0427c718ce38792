"""What-if caps: the capped set and the headcount effect checked by hand, a simulation writes nothing, the page is
the office's and the observers', its queries do not grow with the institutions, and applying a scenario is the
admin's audited step."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEvent
from core.models import ProvinceSettings
from institutions.enums import InstitutionKind
from institutions.models import Institution
from monitoring import forecasting, scenarios, services
from monitoring.enums import WhatIfSource
from monitoring.rates import parse_targets
from monitoring.whatif import Case, Scenario, simulate
from tests.conftest import make_certificate
from tests.factories import completion, published_plan
from tests.monitoring.factories import M, line_of

R, C, F = WhatIfSource.RECORDED, WhatIfSource.CURRENT, WhatIfSource.FORECAST
TARGETS = parse_targets("0,10,30,45,65,90")


def case(pk, bureau, approved, counted, demand, forecast, *, lifted=False):
    current = Decimal(counted) * 100 / approved
    return Case(pk, f"示例{pk}", bureau, "中职", approved, counted, demand, {R: None, C: current, F: forecast}, lifted)


CASES = [
    case(1, "甲市", 100, 30, 120, Decimal(48)),
    case(2, "甲市", 80, 60, 70, Decimal(55)),
    case(3, "乙市", 50, 10, 90, None),  # no forecast yet
    case(4, "乙市", 40, 40, 60, Decimal(20), lifted=True),
]


def outcome(threshold, source):
    return simulate(CASES, Scenario(Decimal(threshold), TARGETS, source), month=12)


def test_whatif_capped_set_and_headcount_effect_by_hand():
    at_50 = outcome(50, F)
    at_60 = outcome(60, F)
    at_40 = outcome(40, F)
    current = outcome(50, C)

    assert ([c.case.institution_id for c in at_50.capped], at_50.limited_by) == ([1], 20)  # 120 asked, cap 100
    assert ([c.case.institution_id for c in at_60.capped], at_60.limited_by) == ([1, 2], 20)  # 70 < cap 80
    assert (at_40.capped, at_40.limited_by) == ([], 0)
    assert ([c.case.institution_id for c in current.capped], current.limited_by) == ([1, 3], 60)
    assert {k: (t.capped, t.limited_by) for k, t in current.by_bureau.items()} == {"乙市": (1, 40), "甲市": (1, 20)}
    assert {k: (t.capped, t.limited_by) for k, t in current.by_kind.items()} == {"中职": (2, 60)}
    assert (at_50.judged, current.judged, outcome(50, R).judged) == (3, 4, 0)


def test_whatif_counts_the_institutions_behind_the_scenarios_target():
    # December target 90 %: 30 % and 20 % are serious, 75 % slow, 100 % on track; a 70 % target leaves 75 % alone.
    assert outcome(50, F).behind == 3
    assert simulate(CASES, Scenario(Decimal(50), parse_targets("0,10,30,45,65,70"), F), month=12).behind == 2


@pytest.fixture
def year_2027(cast):
    cert = make_certificate("物流管理职业技能等级证书")
    for institution, examined in ((cast.school1, 20), (cast.college1, 70)):
        plan = published_plan(institution, 2027, [(cert, M, "物流管理", 100)])
        services.record_line_progress(
            actor=None, line=line_of(plan, cert, M), counts=services.Counts(registered=90, examined=examined, passed=0)
        )
    completion(cast.school1, 2027, "35.5")
    forecasting.refresh(2027, day=date(2027, 6, 30))
    return cert


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def test_whatif_cases_read_each_source(cast, year_2027):
    found = {c.institution_id: c for c in scenarios.cases(cast.provincial_admin, 2027)}

    school = found[cast.school1.pk]
    assert (school.rates[R], school.rates[C], school.rates[F]) == (Decimal("35.5"), Decimal(20), Decimal(40))
    assert (school.demand, found[cast.college1.pk].rates[F]) == (100, Decimal(100))


def test_whatif_simulation_writes_nothing(client, cast, year_2027):
    client.force_login(cast.provincial_admin)
    before = row_counts()

    page = client.get(reverse("monitoring:what_if") + "?year=2027")
    sheet = client.get(reverse("monitoring:what_if_xlsx") + "?year=2027")

    assert (page.status_code, sheet.status_code) == (200, 200)
    after = row_counts()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed == {}
    rows = CalamineWorkbook.from_filelike(__import__("io").BytesIO(sheet.content)).get_sheet_by_index(0).to_python()
    assert rows[3][3] == 1.0  # scenario 1 (the settings' 50 %, forecasts): school1 at 40 % capped


def test_whatif_page_is_the_offices_and_the_observers(client, cast, year_2027):
    seen = {}
    for user in (cast.observer, cast.provincial_reviewer, cast.bureau_reviewer, cast.staff):
        client.force_login(user)
        seen[user.username] = client.get(reverse("monitoring:what_if") + "?year=2027").status_code

    assert seen == {"observer": 200, "provincial_reviewer": 200, "bureau_reviewer": 403, "staff": 403}


def test_whatif_compares_three_scenarios_from_the_query(client, cast, year_2027):
    client.force_login(cast.observer)
    query = (
        "year=2027&s1-threshold=50&s1-source=forecast&s2-threshold=45&s2-source=current"
        "&s3-threshold=30&s3-source=recorded"
    )

    page = client.get(reverse("monitoring:what_if") + "?" + query).content.decode()

    assert 'data-testid="capped-1">1<' in page  # forecast 40 % < 50 %
    assert 'data-testid="capped-2">1<' in page  # current 20 % < 45 %
    assert 'data-testid="capped-3">0<' in page  # recorded 35.5 % ≥ 30 %


def _institutions(n: int, cert) -> None:
    bureau = Institution.objects.first().bureau
    for i in range(n):
        kind = InstitutionKind.SECONDARY_VOCATIONAL
        school = Institution.objects.create(name=f"示例学校{n}-{i}", kind=kind, bureau=bureau)
        plan = published_plan(school, 2026, [(cert, M, "物流管理", 50)])
        services.record_line_progress(
            actor=None, line=line_of(plan, cert, M), counts=services.Counts(registered=20, examined=5 + i, passed=0)
        )


def test_whatif_page_queries_are_the_same_at_1_and_3_institutions(client, cast):
    cert = make_certificate("物流管理职业技能等级证书")
    client.force_login(cast.provincial_admin)
    counts = []
    for n in (1, 2):
        _institutions(n, cert)
        forecasting.refresh(2026, day=date(2026, 10, 31))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("monitoring:what_if") + "?year=2026").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_whatif_apply_is_the_admins_audited_step(client, cast):
    client.force_login(cast.provincial_reviewer)
    refused = client.post(reverse("monitoring:what_if_apply"), {"threshold": "40", "targets": "0,10,30,40,60,80"})
    client.force_login(cast.provincial_admin)
    client.post(reverse("monitoring:what_if_apply"), {"threshold": "40", "targets": "0,10,30,40,60,80"})

    settings = ProvinceSettings.objects.get(pk=1)
    event = AuditEvent.objects.get(action="monitoring.whatif.apply")
    assert refused.status_code == 403
    assert (settings.cap_completion_threshold, settings.checkpoint_targets) == (Decimal(40), "0,10,30,40,60,80")
    assert (event.before["cap_completion_threshold"], event.after["cap_completion_threshold"]) == ("50.00", "40")
