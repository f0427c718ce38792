"""Two plans of one institution-year racing their sign-offs cannot together break the cap (R3).

Real threads, real transactions, real row locks: PostgreSQL only (CI runs it there).
"""

import threading
from datetime import datetime

import pytest
from django.db import connection, connections

from core.dates import SHANGHAI
from plans import services
from plans.enums import PlanStatus
from plans.models import Plan, PlanLine
from tests.conftest import make_certificate, make_round
from tests.factories import J, completion, draft, published_plan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs this there"),
]

THREADS = 20
REPEATS = 20
SPRING_AT = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
AUTUMN_AT = datetime(2027, 9, 15, 10, 0, tzinfo=SHANGHAI)


def race(plans_and_times, leader) -> list[str]:
    """Start THREADS sign-offs at once, spread over the plans; return each thread's outcome."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(i: int):
        plan_id, at = plans_and_times[i % len(plans_and_times)]
        try:
            barrier.wait()
            services.sign_off(actor=leader, plan=Plan.objects.get(pk=plan_id), at=at)
            outcome = "signed"
        except services.RuleError as exc:
            outcome = "+".join(v.code for v in exc.violations)
        except services.PlanError:
            outcome = "not awaiting"
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


@pytest.fixture(autouse=True)
def wide_race_window(monkeypatch):
    """Let every sign-off linger between its check and its commit, so unlocked code would really collide.

    The real check runs; only a pause follows it (without the institution-year lock this test fails).
    """
    import time

    real = services.check_plan

    def check_then_pause(*args, **kwargs):
        result = real(*args, **kwargs)
        time.sleep(0.02)
        return result

    monkeypatch.setattr(services, "check_plan", check_then_pause)


@pytest.fixture
def two_rounds(cast):
    logistics = make_certificate("物流管理职业技能等级证书")
    published_plan(cast.school1, 2026, [(logistics, J, "物流管理", 200)])
    completion(cast.school1, 2026, "42.0")  # cap for 2027: 200
    spring, autumn = make_round(2027, "spring"), make_round(2027, "autumn")
    # Continuing certificate: no application form needed; the remark explains the increase.
    first = draft(
        cast.school1, spring, [(logistics, J, "物流管理", 120, "扩大规模")], status=PlanStatus.AWAITING_SIGNOFF
    )
    second = draft(
        cast.school1, autumn, [(logistics, J, "物流管理", 120, "扩大规模")], status=PlanStatus.AWAITING_SIGNOFF
    )
    return first, second


def reset(*plans):
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(status=PlanStatus.AWAITING_SIGNOFF, submitted_at=None)


def test_race_two_rounds_over_the_cap_only_one_commits(cast, two_rounds):
    first, second = two_rounds
    for _ in range(REPEATS):
        reset(first, second)

        outcomes = race([(first.pk, SPRING_AT), (second.pk, AUTUMN_AT)], cast.leader)

        submitted = Plan.objects.filter(pk__in=[first.pk, second.pk], status=PlanStatus.BUREAU_REVIEW)
        total = sum(PlanLine.objects.filter(plan__in=submitted).values_list("headcount", flat=True))
        assert outcomes.count("signed") == 1
        assert submitted.count() == 1
        assert total == 120
        assert sorted(set(outcomes) - {"signed"}) == ["R3", "not awaiting"]


def test_race_two_rounds_within_the_cap_both_commit(cast, two_rounds):
    first, second = two_rounds
    PlanLine.objects.filter(plan__in=[first, second]).update(headcount=100)
    for _ in range(REPEATS):
        reset(first, second)

        outcomes = race([(first.pk, SPRING_AT), (second.pk, AUTUMN_AT)], cast.leader)

        assert outcomes.count("signed") == 2
        assert Plan.objects.filter(status=PlanStatus.BUREAU_REVIEW).count() == 2
