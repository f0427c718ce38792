"""Stored forecasts: computed by the job when progress changes, at-risk marking (预计未达标) appearing and
disappearing, scoped pages, the home page's warning, and equal query counts at 1 and 3 institutions."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.enums import InstitutionKind
from institutions.models import Institution
from monitoring import bulletins, forecasting, services
from monitoring.forecast_rows import InstitutionForecast
from tests.conftest import make_certificate
from tests.factories import published_plan
from tests.monitoring.factories import J, M, line_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE_END = date(2027, 6, 30)


def typed(line, registered, examined, passed=0):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


@pytest.fixture
def cert(db):
    return make_certificate("物流管理职业技能等级证书")


@pytest.fixture
def lines(cast, cert):
    """school1 approved 100, college1 100, school2 100 (one line each), no history: the flat profile."""
    found = {}
    for key, institution in (("school1", cast.school1), ("college1", cast.college1), ("school2", cast.school2)):
        plan = published_plan(institution, 2027, [(cert, M, "物流管理", 100)])
        found[key] = line_of(plan, cert, M)
    return found


def row(institution) -> InstitutionForecast:
    return InstitutionForecast.objects.get(institution=institution, year=2027)


def test_forecasting_stores_each_institution_per_checkpoint_period(cast, lines):
    typed(lines["school1"], 80, 20)  # halfway through a flat year: 40 expected of 100 → 40 % < 50 %
    typed(lines["college1"], 90, 30)  # 60 expected → 60 %

    stored = forecasting.refresh(2027, day=JUNE_END)

    assert stored == 3
    school = row(cast.school1)
    assert (school.month, school.expected, school.low, school.high) == (6, 40, 36, 44)
    assert (school.at_risk, school.still_needed, school.months_left) == (True, 30, 6)
    assert (row(cast.college1).expected, row(cast.college1).at_risk) == (60, False)
    assert school.sentence.startswith("已考 20 人，按全年均匀进度")


def test_forecasting_at_risk_disappears_when_the_forecast_rises(cast, lines):
    typed(lines["school1"], 80, 20)
    forecasting.refresh(2027, day=JUNE_END)
    assert row(cast.school1).at_risk is True

    typed(lines["school1"], 80, 30)  # now 60 expected
    forecasting.refresh(2027, day=JUNE_END)

    assert row(cast.school1).at_risk is False
    assert InstitutionForecast.objects.filter(year=2027).count() == 3  # replaced, not added


def test_forecasting_keeps_the_forecast_made_at_each_checkpoint(cast, lines):
    typed(lines["school1"], 80, 20)
    forecasting.refresh(2027, day=JUNE_END)
    typed(lines["school1"], 80, 50)
    forecasting.refresh(2027, day=date(2027, 7, 10))

    kept = dict(InstitutionForecast.objects.filter(institution=cast.school1).values_list("month", "examined"))

    assert kept == {6: 20, 8: 50}


def test_forecasting_learns_the_profile_from_earlier_years_candidates(cast, cert):
    from monitoring.enums import Result
    from monitoring.models import Candidate

    old = line_of(published_plan(cast.school1, 2026, [(cert, J, "物流管理", 10)]), cert, J)
    for n, month in enumerate([6, 6, 12, 12]):
        Candidate.objects.create(
            line=old,
            year=2026,
            certificate=cert,
            level=J,
            id_hash=bytes([n]),
            sealed=b"x",
            id_masked="3401**",
            name_masked="张*",
            exam_date=date(2026, month, 10),
            result=Result.PASSED,
        )

    profile = forecasting.profile_for(2027)

    assert (profile.shares[5], profile.shares[11], profile.years) == (Decimal(1) / 2, Decimal(1) / 2, (2026,))


def test_forecasting_is_queued_when_progress_changes(cast, lines, django_capture_on_commit_callbacks):
    june = time_machine.travel(datetime(2027, 6, 30, 12, 0, tzinfo=SHANGHAI), tick=False)
    with june, django_capture_on_commit_callbacks(execute=True):
        typed(lines["school1"], 80, 20)

    assert row(cast.school1).at_risk is True


def test_forecast_pages_are_scoped(client, cast, lines):
    typed(lines["school1"], 80, 20)
    typed(lines["school2"], 80, 10)
    forecasting.refresh(2027, day=JUNE_END)
    url = reverse("monitoring:forecasts") + "?year=2027"

    seen = {}
    for user in (cast.bureau_reviewer, cast.other_bureau_reviewer, cast.provincial_reviewer, cast.staff):
        client.force_login(user)
        page = client.get(url).content.decode()
        listed = (cast.school1, cast.college1, cast.school2)
        seen[user.username] = [i.pk for i in listed if f'data-testid="forecast-{i.pk}"' in page]

    assert seen == {
        "bureau_reviewer": [cast.school1.pk],
        "other_bureau_reviewer": [cast.school2.pk],
        "provincial_reviewer": [cast.school1.pk, cast.college1.pk, cast.school2.pk],
        "staff": [cast.school1.pk],
    }


def test_forecast_at_risk_shows_on_the_institution_page_and_home(client, cast, lines):
    typed(lines["school1"], 80, 20)
    forecasting.refresh(2027, day=JUNE_END)
    with time_machine.travel(datetime(2027, 7, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(cast.staff)
        page = client.get(reverse("monitoring:institution", args=[cast.school1.pk]) + "?year=2027").content.decode()
        home = client.get(reverse("home")).content.decode()

    assert 'data-testid="at-risk-note"' in page
    assert "还需考核 30 人" in page
    assert f'data-testid="line-forecast-{lines["school1"].pk}">40.0%' in page
    assert "预计未达标" in home


def test_forecast_home_of_the_bureau_counts_its_schools_at_risk(client, cast, lines):
    typed(lines["school1"], 80, 20)
    typed(lines["school2"], 80, 10)
    typed(lines["college1"], 80, 10)
    forecasting.refresh(2027, day=JUNE_END)
    with time_machine.travel(datetime(2027, 7, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(cast.bureau_reviewer)
        home = client.get(reverse("home")).content.decode()

    assert "1 所院校预计年底完成率未达标" in home


def _institutions(n: int, cert) -> None:
    bureau = Institution.objects.first().bureau
    for i in range(n):
        kind = InstitutionKind.SECONDARY_VOCATIONAL
        school = Institution.objects.create(name=f"示例学校{n}-{i}", kind=kind, bureau=bureau)
        plan = published_plan(school, 2027, [(cert, M, "物流管理", 50)])
        typed(line_of(plan, cert, M), 20, 5 + i)


def test_forecast_page_queries_are_the_same_at_1_and_3_institutions(client, cast, cert):
    client.force_login(cast.provincial_reviewer)
    url = reverse("monitoring:forecasts") + "?year=2027"
    counts = []
    for n in (1, 2):  # 1 institution, then 3
        _institutions(n, cert)
        forecasting.refresh(2027, day=JUNE_END)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert InstitutionForecast.objects.count() == 3
    assert counts[0] == counts[1]


def test_forecast_at_risk_list_goes_into_the_bulletin_draft_when_asked(client, cast, lines):
    typed(lines["school1"], 80, 20)
    typed(lines["college1"], 80, 30)
    typed(lines["school2"], 80, 30)
    forecasting.refresh(2027, day=JUNE_END)
    checkpoint, _taken = services.take_checkpoint(year=2027, month=6)
    plain, _created = bulletins.create_draft(actor=cast.provincial_admin, checkpoint=checkpoint)
    plain.delete()

    drafted, _created = bulletins.create_draft(actor=cast.provincial_admin, checkpoint=checkpoint, with_forecast=True)

    assert "预计未达标" not in plain.body
    assert (
        "四、年底完成率预测。按当前进度预测，共有1所院校年底考核完成率预计低于50%（预计未达标）："
        f"{cast.bureau1.name}{cast.school1.name}（预计约40.0%，还需考核30人）。"
    ) in drafted.body


def test_forecasting_made_late_for_a_checkpoint_uses_the_figures_of_its_day(cast, lines):
    with time_machine.travel(datetime(2027, 6, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        typed(lines["school1"], 80, 20)
    with time_machine.travel(datetime(2027, 7, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        typed(lines["school1"], 80, 50)

    with time_machine.travel(datetime(2027, 7, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        forecasting.refresh(2027, day=JUNE_END)

    school = row(cast.school1)
    assert (school.month, school.as_of, school.examined, school.expected) == (6, JUNE_END, 20, 40)
