"""New vs continuing across years and seasons (DOMAIN.md §5)."""

import pytest

from plans.continuity import last_year_for
from plans.enums import Continuity, PlanStatus
from tests.conftest import make_certificate
from tests.factories import J, M, completion, draft, published_plan


@pytest.fixture
def certs(db):
    return make_certificate("物流管理职业技能等级证书"), make_certificate("老年照护职业技能等级证书")


def test_continuity_certificate_approved_last_spring_is_continuing(cast, certs):
    logistics, care = certs
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40)], season="spring")

    last = last_year_for(cast.school1.pk, 2027)

    assert last.continuity(logistics.pk) == Continuity.CONTINUING
    assert last.continuity(care.pk) == Continuity.NEW


def test_continuity_certificate_approved_last_autumn_is_continuing(cast, certs):
    logistics, _ = certs
    published_plan(cast.school1, 2026, [(logistics, M, "物流管理", 35)], season="autumn")

    assert last_year_for(cast.school1.pk, 2027).continuity(logistics.pk) == Continuity.CONTINUING


def test_continuity_two_years_ago_is_new(cast, certs):
    logistics, _ = certs
    published_plan(cast.school1, 2025, [(logistics, J, "物流管理", 40)])

    assert last_year_for(cast.school1.pk, 2027).continuity(logistics.pk) == Continuity.NEW


def test_continuity_same_year_earlier_round_does_not_count(cast, certs, spring):
    logistics, _ = certs
    published_plan(cast.school1, 2027, [(logistics, J, "物流管理", 40)], season="autumn")

    assert last_year_for(cast.school1.pk, 2027).continuity(logistics.pk) == Continuity.NEW


def test_continuity_unpublished_or_rejected_lines_do_not_count(cast, certs, spring):
    logistics, care = certs
    from tests.conftest import make_round

    last_spring = make_round(2026, "spring")
    draft(cast.school1, last_spring, [(logistics, J, "物流管理", 40)], status=PlanStatus.PROVINCIAL_REVIEW)
    rejected = published_plan(cast.school1, 2026, [(care, J, "护理", 30)], season="autumn")
    rejected.lines.update(approved_headcount=0)

    last = last_year_for(cast.school1.pk, 2027)

    assert (last.continuity(logistics.pk), last.continuity(care.pk)) == (Continuity.NEW, Continuity.NEW)


def test_continuity_other_institution_does_not_count(cast, certs):
    logistics, _ = certs
    published_plan(cast.school2, 2026, [(logistics, J, "物流管理", 40)])

    assert last_year_for(cast.school1.pk, 2027).continuity(logistics.pk) == Continuity.NEW


def test_last_year_totals_both_rounds_and_reads_the_rate(cast, certs):
    logistics, care = certs
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40), (care, J, "护理", 30)], season="spring")
    published_plan(cast.school1, 2026, [(logistics, M, "物流管理", 35)], season="autumn")
    completion(cast.school1, 2026, "42.0")

    last = last_year_for(cast.school1.pk, 2027)

    assert (last.approved_total, last.headcount_for(logistics.pk), last.completion_rate) == (105, 75, 42.0)
