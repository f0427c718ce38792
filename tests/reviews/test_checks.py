"""Which plans' stored rule checks are stale (reviews.checks.stale_plan_ids), compared in the database."""

from datetime import timedelta

from django.utils import timezone

from plans.enums import PlanStatus
from plans.models import Plan
from reviews.checks import stale_plan_ids
from reviews.models import PlanCheck
from tests.reviews.factories import FILED, J, plan_in


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
