"""Which plans' stored rule checks are stale (reviews.checks.stale_plan_ids), compared in the database; storing
the checks of many plans at once (refresh_checks) stores what checking each alone stores."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ProvinceSettings
from plans.enums import PlanStatus
from plans.models import ApplicationForm, InstitutionYear, Plan, PlanLine
from reviews.checks import refresh_check, refresh_checks, stale_plan_ids
from reviews.models import PlanCheck
from tests.conftest import make_certificate, make_round
from tests.reviews.factories import FILED, PROVINCE_DAY, J, M, plan_in


def store_check(plan, *, status, submitted_at):
    return PlanCheck.objects.create(plan=plan, status=status, submitted_at=submitted_at, checked_at=timezone.now())


def test_a_plan_without_a_stored_check_is_stale(cast, spring, logistics):
    plan = plan_in(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 40)])

    assert stale_plan_ids(Plan.objects.all()) == [plan.pk]


def test_a_check_of_the_same_status_and_submission_is_current(cast, spring, logistics):
    plan = plan_in(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 40)])
    store_check(plan, status=plan.status, submitted_at=plan.submitted_at)

    assert stale_plan_ids(Plan.objects.all()) == []


def test_a_check_of_another_status_or_an_earlier_submission_is_stale(cast, spring, logistics):
    moved = plan_in(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 40)])
    store_check(moved, status=PlanStatus.BUREAU_REVIEW, submitted_at=moved.submitted_at)
    resubmitted = plan_in(cast.college2, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 40)])
    store_check(resubmitted, status=resubmitted.status, submitted_at=FILED - timedelta(days=3))

    assert sorted(stale_plan_ids(Plan.objects.all())) == sorted([moved.pk, resubmitted.pk])


def test_never_submitted_plans_compare_their_empty_submission_as_equal(cast, spring, logistics):
    draft = plan_in(cast.college1, spring, PlanStatus.DRAFT, [(logistics, J, "物流管理", 40)], submitted_at=None)
    checked_draft = store_check(draft, status=PlanStatus.DRAFT, submitted_at=None)

    assert stale_plan_ids(Plan.objects.all()) == []

    checked_draft.submitted_at = FILED
    checked_draft.save()
    assert stale_plan_ids(Plan.objects.all()) == [draft.pk]


def two_majors(certificate) -> list[tuple]:
    return [(certificate, J, "物流管理", 40), (certificate, J, "电子商务", 25)]


def stored_checks() -> dict[int, tuple]:
    return {
        c.plan_id: (c.status, c.submitted_at, c.errors, c.warnings, c.codes)
        for c in PlanCheck.objects.order_by("plan_id")
    }


def test_refresh_checks_stores_for_many_plans_what_refresh_check_stores_for_each(cast, spring, autumn, logistics):
    """The batch (reviews.checks.refresh_checks, plans.rules.batch) against the one-plan path, on plans that
    break different rules: last year's cap and continuing certificates, other rounds, forms, minimum headcounts."""
    last_year = make_round(2026, "spring")
    welding = make_certificate("焊接技术职业技能等级证书", levels=[J])
    published = plan_in(cast.school1, last_year, PlanStatus.PUBLISHED, [(logistics, J, "物流管理", 40)])
    PlanLine.objects.filter(plan=published).update(approved_headcount=40)
    InstitutionYear.objects.create(institution=cast.school1, year=2026, completion_rate=Decimal("20.00"))
    InstitutionYear.objects.create(institution=cast.college2, year=2026, completion_rate=Decimal("10.00"))
    plans = [
        plan_in(cast.school1, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 60)]),
        plan_in(cast.school1, autumn, PlanStatus.PROVINCIAL_REVIEW, [(welding, J, "焊接", 20)]),
        plan_in(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW, two_majors(logistics)),
        plan_in(cast.college2, spring, PlanStatus.PUBLISHED, [(logistics, M, "物流管理", 35)]),
    ]
    ApplicationForm.objects.filter(plan=plans[1]).delete()
    ids = [plan.pk for plan in [published, *plans]]
    for plan in Plan.objects.filter(pk__in=ids).select_related("institution__bureau", "round"):
        refresh_check(plan, at=PROVINCE_DAY)
    one_by_one = stored_checks()
    PlanCheck.objects.all().delete()

    assert refresh_checks(ids, at=PROVINCE_DAY) == 5
    assert stored_checks() == one_by_one
    assert sorted({code for *_, codes in one_by_one.values() for code in codes.split(",") if code}) == [
        "FORM",
        "R2",
        "R3",
        "REMARK",
    ]


def test_refresh_checks_reads_as_much_for_three_plans_as_for_one(cast, spring, logistics):
    one = [plan_in(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW, [(logistics, J, "物流管理", 40)])]
    three = [
        plan_in(institution, spring, PlanStatus.PROVINCIAL_REVIEW, two_majors(logistics))
        for institution in (cast.college2, cast.school1, cast.school2)
    ]
    ProvinceSettings.current()
    with CaptureQueriesContext(connection) as for_one:
        refresh_checks([plan.pk for plan in one], at=PROVINCE_DAY)

    with CaptureQueriesContext(connection) as for_three:
        refresh_checks([plan.pk for plan in three], at=PROVINCE_DAY)

    assert len(for_three) == len(for_one)
