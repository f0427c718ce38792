"""Two adjustments of one institution-year approved at the same moment cannot together exceed the cap (R3).

Real threads, real transactions, real row locks: PostgreSQL only (CI runs it there).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from django.db import connection, connections

from adjustments import services
from adjustments.enums import AdjustmentStatus, Outcome
from adjustments.guards import AdjustmentError
from adjustments.models import AdjustmentItem, AdjustmentRequest
from adjustments.rules import Checker
from core.dates import SHANGHAI
from plans.models import PlanLine
from plans.services import RuleError
from tests.adjustments.factories import J, capped, published, raise_line, signed
from tests.conftest import make_certificate, make_round
from tests.factories import published_plan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs this there"),
]

THREADS = 10
AT = datetime(2027, 10, 10, 10, 0, tzinfo=SHANGHAI)  # both rounds' adjustment windows are open
REPEATS = 10


@pytest.fixture(autouse=True)
def wide_race_window(monkeypatch):
    """Let every decision linger between its rule check and its commit, so unlocked code would really collide.

    The real check runs; only a pause follows it (without the institution-year lock this test fails).
    """
    real = Checker.violations

    def check_then_pause(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        time.sleep(0.02)
        return result

    monkeypatch.setattr(Checker, "violations", check_then_pause)


@pytest.fixture
def two_requests(cast):
    """college1 2027: spring 100 and autumn 40 approved, cap 200; one request raises each plan by 40."""
    logistics = make_certificate("物流管理职业技能等级证书")
    published_plan(cast.college1, 2026, [(logistics, J, "物流管理", 200)])
    capped(cast.college1, 2026)
    spring = published(cast.college1, make_round(2027, "spring"), [(logistics, J, "物流管理", 100)])
    autumn = published(cast.college1, make_round(2027, "autumn"), [(logistics, J, "电子商务", 40)])
    people = (cast.college_staff, cast.college_office_head, cast.college_leader)
    first = signed(*people, spring, raise_line(spring, "物流管理", 140), at=AT)
    second = signed(*people, autumn, raise_line(autumn, "电子商务", 80), at=AT)
    return first, second


def reset(*requests: AdjustmentRequest) -> None:
    AdjustmentRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        status=AdjustmentStatus.PROVINCIAL_REVIEW, decided_by=None, decided_at=None
    )
    for item in AdjustmentItem.objects.filter(request__in=requests):
        PlanLine.objects.filter(pk=item.line_id).update(approved_headcount=item.before)
    AdjustmentItem.objects.filter(request__in=requests).update(approved=None)


def race(requests: list[AdjustmentRequest], reviewer) -> list[str]:
    """Start THREADS approvals at once, spread over the requests; return each thread's outcome."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(i: int):
        request_id = requests[i % len(requests)].pk
        try:
            barrier.wait()
            request = AdjustmentRequest.objects.select_related("plan__round").get(pk=request_id)
            services.decide(actor=reviewer, request=request, outcome=Outcome.APPROVE, at=AT)
            outcome = "approved"
        except RuleError as exc:
            outcome = "+".join(v.code for v in exc.violations)
        except AdjustmentError:
            outcome = "not in review"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def year_total(cast) -> int:
    return sum(
        PlanLine.objects.filter(plan__institution=cast.college1, plan__round__year=2027).values_list(
            "approved_headcount", flat=True
        )
    )


def test_race_two_adjustments_over_the_cap_only_one_is_approved(cast, two_requests):
    for _ in range(REPEATS):
        reset(*two_requests)

        outcomes = race(list(two_requests), cast.provincial_reviewer)

        approved = AdjustmentRequest.objects.filter(status=AdjustmentStatus.APPROVED)
        assert outcomes.count("approved") == 1
        assert approved.count() == 1
        assert year_total(cast) == 180
        assert sorted(set(outcomes) - {"approved"}) == ["R3", "not in review"]


def test_race_two_adjustments_within_the_cap_both_are_approved(cast, two_requests):
    first, second = two_requests
    AdjustmentItem.objects.filter(request=second).update(after=60)  # 140 + 60 = 200: both fit
    for _ in range(REPEATS):
        reset(first, second)

        outcomes = race([first, second], cast.provincial_reviewer)

        assert outcomes.count("approved") == 2
        assert AdjustmentRequest.objects.filter(status=AdjustmentStatus.APPROVED).count() == 2
        assert year_total(cast) == 200
