"""plans/rules/fact_query.py (the plan page's one query of the facts) against the ORM's queries that it stands for:
last_year_for and year_headcount, and the batch of plans/rules/batch.py that checks thousands of plans."""

from decimal import Decimal

from catalog.models import CertificateLevel
from plans.continuity import last_year_for
from plans.enums import PlanStatus
from plans.models import InstitutionYear, PlanLine
from plans.rules import gather_facts, year_headcount
from plans.rules.batch import gather_facts_for
from plans.rules.fact_query import fact_rows
from tests.conftest import make_certificate
from tests.factories import J, M, completion, draft, published_plan


def history(cast, spring, autumn, logistics, care):
    """School 1: two published plans in 2026 (one line approved at 0), a rate, a plan in review in the spring of
    2027 and the autumn plan of 2027 under test; college 1's plan, which must not count."""
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 40), (care, J, "护理", 25)], season="spring")
    published = published_plan(
        cast.school1, 2026, [(logistics, M, "物流管理", 15), (care, M, "护理", 9)], season="autumn"
    )
    PlanLine.objects.filter(plan=published, certificate=care).update(approved_headcount=0)
    published_plan(cast.college1, 2026, [(care, J, "护理", 99)])
    completion(cast.school1, 2026, "42.5")
    draft(cast.school1, spring, [(care, J, "护理", 30)], status=PlanStatus.BUREAU_REVIEW)
    return draft(cast.school1, autumn, [(logistics, J, "物流管理", 70), (care, M, "护理", 5)])


def test_fact_rows_read_what_last_year_for_and_year_headcount_read(cast, spring, autumn):
    logistics = make_certificate("物流管理职业技能等级证书")
    care = make_certificate("老年照护职业技能等级证书")
    plan = history(cast, spring, autumn, logistics, care)
    plan.status = PlanStatus.PROVINCIAL_REVIEW
    plan.save()

    found = fact_rows(institution_id=cast.school1.pk, year=2027, plan_id=plan.pk, certificate_ids=[logistics.pk])
    unsaved = fact_rows(institution_id=cast.school1.pk, year=2027, plan_id=None, certificate_ids=[])

    last = last_year_for(cast.school1.pk, 2027)
    assert found.prior == last.headcount_by_certificate == {logistics.pk: 55, care.pk: 25}
    assert found.rate == last.completion_rate == Decimal("42.5")
    assert found.other == year_headcount(cast.school1.pk, 2027, exclude_plan_id=plan.pk) == 30
    assert unsaved.other == year_headcount(cast.school1.pk, 2027) == 105
    assert (found.cap_lifted, unsaved.min_headcounts, unsaved.majors) == (False, {}, {})


def test_fact_rows_of_an_institution_without_history_are_empty(cast, spring):
    found = fact_rows(institution_id=cast.school1.pk, year=2027, plan_id=None, certificate_ids=[])

    assert (found.rate, found.cap_lifted, found.prior, found.other) == (None, False, {}, 0)


def test_gather_facts_reads_what_the_batch_of_many_plans_reads(cast, spring, autumn):
    logistics = make_certificate("物流管理职业技能等级证书", levels=[J, M], majors=["物流管理", "冷链物流"])
    care = make_certificate("老年照护职业技能等级证书", levels=[J, M], min_headcount=20, majors=["护理"])
    plan = history(cast, spring, autumn, logistics, care)
    CertificateLevel.objects.filter(certificate=logistics, level=M).update(min_headcount=12)
    InstitutionYear.objects.filter(institution=cast.school1, year=2026).update(cap_lifted=True, cap_lift_reason="x")

    one, batch = gather_facts(plan), gather_facts_for([plan])[plan.pk]

    assert one.last_year == batch.last_year
    assert (
        (one.other_rounds_headcount, one.cap_lifted) == (batch.other_rounds_headcount, batch.cap_lifted) == (30, True)
    )
    assert one.min_headcounts == batch.min_headcounts
    assert one.min_headcounts == {(logistics.pk, J): None, (logistics.pk, M): 12, (care.pk, J): 20, (care.pk, M): 20}
    majors = {pk: [(m.pk, m.name, m.code) for m in found] for pk, found in one.majors.items()}
    assert majors == {pk: [(m.pk, m.name, m.code) for m in found] for pk, found in batch.majors.items()}
    assert [name for _pk, name, _code in majors[logistics.pk]] == sorted(["物流管理", "冷链物流"])
