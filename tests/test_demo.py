from datetime import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accounts.enums import Role
from accounts.models import User
from catalog.models import Certificate, CertificateLevel
from core.dates import SHANGHAI
from institutions.enums import InstitutionKind
from institutions.models import Bureau, Institution
from plans.enums import PlanStatus
from plans.models import InstitutionYear, Plan, PlanLine
from rounds.models import Round
from tests.institutions.helpers import table_counts

# 00:30 on 1 January in Shanghai is still 31 December in UTC: the demo's year is Shanghai's.
NEW_YEAR = datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)
ILLUSTRATIVE = "示例数据（演示用，非真实数字）"


@pytest.fixture
def demo(db, tmp_path):
    accounts = tmp_path / "demo_accounts.txt"
    out = StringIO()
    with time_machine.travel(NEW_YEAR, tick=False):
        call_command("load_demo", accounts_file=str(accounts), stdout=out, stderr=StringIO())
    return out.getvalue(), accounts


def test_load_demo_loads_the_real_reference_data(demo):
    assert Bureau.objects.count() == 16
    assert Institution.objects.filter(is_example=False).count() == 120
    assert Certificate.objects.count() == 30
    assert CertificateLevel.objects.count() == 78


def test_load_demo_example_schools_are_marked_and_one_is_unregistered(demo):
    examples = Institution.objects.filter(is_example=True)

    assert examples.count() == 6
    assert all(s.name.startswith("示例") and s.kind in InstitutionKind.secondary() for s in examples)
    assert [s.name for s in examples if not s.is_registered_on_platform] == ["示例阜阳市职业学校"]


def test_load_demo_rounds_for_last_this_and_next_year(demo):
    rounds = sorted((r.year, r.season) for r in Round.objects.all())

    assert rounds == [
        (2025, "autumn"),  # the illustrative candidate history's earlier year
        (2025, "spring"),
        (2026, "autumn"),
        (2026, "spring"),
        (2027, "autumn"),
        (2027, "spring"),
        (2028, "spring"),
    ]
    spring = Round.objects.get(year=2027, season="spring")
    assert (str(spring.filing_start), str(spring.filing_end), str(spring.scan_deadline)) == (
        "2027-04-01",
        "2027-04-07",
        "2027-04-12",
    )


def test_load_demo_last_year_plans_are_published_and_marked_illustrative(demo):
    plans = Plan.objects.filter(round__year=2026)

    assert plans.count() == 6
    assert set(plans.values_list("status", flat=True)) == {PlanStatus.PUBLISHED}
    lines = PlanLine.objects.filter(plan__round__year=2026)
    assert lines.count() == 8
    assert lines.filter(approved_headcount__isnull=True).count() == 0
    assert set(lines.values_list("remark", flat=True)) == {ILLUSTRATIVE}


def test_load_demo_completion_rates_bite_and_do_not(demo):
    rates = dict(InstitutionYear.objects.filter(year=2026).values_list("institution__name", "completion_rate"))

    assert rates == {
        "示例合肥市第一职业学校": Decimal("42.0"),
        "安徽职业技术学院": Decimal("78.5"),
        "示例芜湖市中等专业学校": Decimal("55.0"),
        "示例蚌埠市职业教育中心": Decimal("36.5"),
    }


def test_load_demo_gives_certificates_corresponding_majors(demo):
    majors = Certificate.objects.get(name="物流管理职业技能等级证书").majors.values_list("name", flat=True)

    assert sorted(majors) == ["物流服务与管理", "物流管理"]


def test_load_demo_one_account_for_every_role(demo, client):
    out, accounts = demo
    roles = sorted(User.objects.values_list("role", flat=True))

    assert set(roles) == set(Role.values)
    assert User.objects.count() == 10
    assert client.login(username="school_staff", password="onex-demo-1x") is True
    text = accounts.read_text(encoding="utf-8")
    assert text.splitlines()[0].split() == ["username", "role", "scope", "password"]
    assert text.splitlines()[7].split() == ["bureau_hefei", "bureau_reviewer", "合肥市教育局", "onex-demo-1x"]
    assert len(text.splitlines()) == 11
    assert text in out


def test_load_demo_twice_changes_nothing(demo, tmp_path):
    before = table_counts()

    with time_machine.travel(NEW_YEAR, tick=False):
        call_command("load_demo", accounts_file=str(tmp_path / "again.txt"), stdout=StringIO(), stderr=StringIO())

    assert table_counts() == before
    assert (tmp_path / "again.txt").read_text(encoding="utf-8") == demo[1].read_text(encoding="utf-8")


def test_load_demo_two_years_of_illustrative_candidates_give_the_forecast_a_profile(demo):
    from monitoring.forecasting import profile_for
    from monitoring.models import Candidate, InstitutionProgress

    names = set(Candidate.objects.values_list("name_masked", flat=True))
    earlier = PlanLine.objects.filter(plan__round__year=2025)
    completion = {p.institution.name: p.figures.completion for p in InstitutionProgress.objects.filter(year=2026)}

    assert sorted(set(Candidate.objects.values_list("year", flat=True))) == [2025, 2026]
    assert all(name.startswith("示例考生") for name in names)
    assert set(earlier.values_list("remark", flat=True)) == {ILLUSTRATIVE}
    assert completion["示例芜湖市中等专业学校"] == Decimal(19) * 100 / 35  # 55.0 % recorded: 35 × 55 % ≈ 19
    assert profile_for(2027).years == (2025, 2026)
