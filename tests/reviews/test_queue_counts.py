"""The province's queue counts are cached on a version of their data (reviews.queue_counts): the cached figures
equal the counted ones, and a change to a plan, its stored check or an institution is seen on the next read."""

from datetime import datetime

import pytest

from core.dates import SHANGHAI
from institutions.enums import InstitutionKind
from institutions.models import Institution
from plans.enums import PlanStatus
from reviews import services
from reviews.checks import refresh_checks
from reviews.queue_counts import queue_counts
from reviews.queues import QueueFilters, filtered, queue_for, status_counts
from tests.conftest import make_certificate
from tests.reviews.factories import PROVINCE_DAY, J, in_provincial_review

AT = datetime(2027, 4, 20, 10, 0, tzinfo=SHANGHAI)


def counted(user, filters: QueueFilters) -> dict[str, int]:
    return status_counts(filtered(queue_for(user), filters, with_status=False))


def cached(user, filters: QueueFilters) -> dict[str, int]:
    return queue_counts(user, queue_for(user), filters)


@pytest.fixture
def two_plans(cast, spring, logistics):
    return in_provincial_review(cast, spring, logistics), in_provincial_review(
        cast, spring, logistics, institution=cast.college2
    )


def test_queue_counts_cached_equal_the_counted_and_are_read_without_a_query(
    cast, spring, two_plans, django_assert_num_queries
):
    reviewer = cast.provincial_reviewer
    for filters in (QueueFilters(round=spring.pk), QueueFilters(), QueueFilters(bureau=cast.bureau2.pk)):
        first = cached(reviewer, filters)
        with django_assert_num_queries(0):
            second = cached(reviewer, filters)
        assert first == second == counted(reviewer, filters)
    assert cached(reviewer, QueueFilters(round=spring.pk)) == {PlanStatus.PROVINCIAL_REVIEW: 2}
    assert cached(reviewer, QueueFilters(bureau=cast.bureau2.pk)) == {PlanStatus.PROVINCIAL_REVIEW: 1}


def test_queue_counts_change_when_a_plan_moves(cast, spring, two_plans, django_capture_on_commit_callbacks):
    filters = QueueFilters(round=spring.pk)
    cached(cast.provincial_reviewer, filters)

    with django_capture_on_commit_callbacks(execute=True):
        services.return_plan(actor=cast.provincial_reviewer, plan=two_plans[0], reason="预算来源不明", at=PROVINCE_DAY)

    expected = {PlanStatus.PROVINCIAL_REVIEW: 1, PlanStatus.RETURNED_BY_PROVINCE: 1}
    assert cached(cast.provincial_reviewer, filters) == counted(cast.provincial_reviewer, filters) == expected


def test_queue_counts_change_when_a_plan_is_deleted(cast, spring, two_plans, django_capture_on_commit_callbacks):
    filters = QueueFilters(round=spring.pk)
    cached(cast.provincial_reviewer, filters)

    with django_capture_on_commit_callbacks(execute=True):
        two_plans[1].delete()

    assert cached(cast.provincial_reviewer, filters) == {PlanStatus.PROVINCIAL_REVIEW: 1}


def test_queue_counts_with_warnings_change_when_the_checks_are_stored(
    cast, spring, logistics, django_capture_on_commit_callbacks
):
    with_majors = make_certificate("智能财税职业技能等级证书", levels=[J], majors=["会计事务"])
    plan = in_provincial_review(cast, spring, with_majors)  # R6: a major not among the certificate's (a warning)
    filters = QueueFilters(round=spring.pk, has_warnings=True)
    assert cached(cast.provincial_reviewer, filters) == {}

    with django_capture_on_commit_callbacks(execute=True):
        refresh_checks([plan.pk], at=AT)  # a bulk write: no signal of its own

    assert cached(cast.provincial_reviewer, filters) == {PlanStatus.PROVINCIAL_REVIEW: 1}


def test_queue_counts_by_kind_change_when_an_institution_changes_kind(
    cast, spring, two_plans, django_capture_on_commit_callbacks
):
    filters = QueueFilters(round=spring.pk, kind=InstitutionKind.PROVINCIAL_SECONDARY)
    assert cached(cast.provincial_reviewer, filters) == {}

    with django_capture_on_commit_callbacks(execute=True):
        college = Institution.objects.get(pk=cast.college2.pk)
        college.kind = InstitutionKind.PROVINCIAL_SECONDARY
        college.save()

    assert cached(cast.provincial_reviewer, filters) == {PlanStatus.PROVINCIAL_REVIEW: 1}


def test_queue_counts_by_text_or_certificate_and_of_a_bureau_are_counted_each_time(
    cast, spring, logistics, two_plans, django_assert_num_queries
):
    for user, filters in (
        (cast.provincial_reviewer, QueueFilters(round=spring.pk, text="学院")),
        (cast.provincial_reviewer, QueueFilters(round=spring.pk, certificate=logistics.pk)),
        (cast.bureau_reviewer, QueueFilters(round=spring.pk)),
    ):
        cached(user, filters)
        with django_assert_num_queries(1):
            again = cached(user, filters)
        assert again == counted(user, filters)
