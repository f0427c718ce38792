"""Review at provincial scale: the province's queue over N plans in provincial review (5 lines each), one plan's
review page, a bulk preview of 50 plans, and the reminder job over the same plans.

Runs on a scratch database (SQLite in /tmp unless BENCH_DATABASE_URL is set, e.g. a PostgreSQL database of your
own) and prints figures; nothing is asserted.

    .venv/bin/python bench/review_queue.py [N=600]
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/onex_bench_reviews.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")  # no line per request on the console

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from load_runs import verify_second_factor  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from catalog.enums import Level  # noqa: E402
from catalog.models import AwardingBody, Certificate, CertificateLevel  # noqa: E402
from core.dates import SHANGHAI  # noqa: E402
from institutions.enums import InstitutionKind  # noqa: E402
from institutions.models import Bureau, Institution  # noqa: E402
from plans.enums import PlanStatus  # noqa: E402
from plans.models import Plan, PlanLine  # noqa: E402
from reviews import services  # noqa: E402
from reviews.checks import refresh_checks  # noqa: E402
from reviews.reminders import due_reminders  # noqa: E402
from rounds.models import Round  # noqa: E402

AT = datetime(2027, 4, 13, 10, 0, tzinfo=SHANGHAI)


def timed(label: str, func):
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed * 1000:9.1f} ms  {len(queries):6d} queries")
    return result


def page(client: Client, url: str, params: dict | None = None):
    """GET `url`; stops when it does not answer 200 (a redirect would be measured instead of the page)."""
    response = client.get(url, params or {})
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code} {response.get('Location', '')}; not measuring")
    return response


def build(n: int) -> tuple[User, list[Plan]]:
    call_command("flush", "--no-input", verbosity=0) if Plan.objects.exists() else None
    rnd = Round.objects.create(year=2027, season="spring", **Round.notice_defaults(2027, "spring"))
    body = AwardingBody.objects.create(name="基准评价组织")
    certificates = []
    for i in range(20):
        cert = Certificate.objects.create(name=f"基准证书{i:02d}职业技能等级证书", batch=1, awarding_body=body)
        CertificateLevel.objects.create(certificate=cert, level=Level.JUNIOR)
        certificates.append(cert)
    bureaus = [Bureau.objects.create(name=f"基准市{i:02d}") for i in range(16)]
    institutions = Institution.objects.bulk_create(
        Institution(
            name=f"基准学院{i:04d}",
            kind=InstitutionKind.HIGHER_VOCATIONAL,
            bureau=bureaus[i % 16],
            platform_account="AH",
        )
        for i in range(n)
    )
    plans = Plan.objects.bulk_create(
        Plan(institution=inst, round=rnd, status=PlanStatus.PROVINCIAL_REVIEW, submitted_at=AT) for inst in institutions
    )
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan, certificate=certificates[(p + j) % 20], level=Level.JUNIOR, major_name="物流管理", headcount=40
        )
        for p, plan in enumerate(plans)
        for j in range(5)
    )
    # Continuing certificates need no application form: give every institution last year's approved lines.
    last = Round.objects.create(year=2026, season="spring", **Round.notice_defaults(2026, "spring"))
    old = Plan.objects.bulk_create(
        Plan(institution=inst, round=last, status=PlanStatus.PUBLISHED) for inst in institutions
    )
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            certificate=cert,
            level=Level.JUNIOR,
            major_name="物流管理",
            headcount=40,
            approved_headcount=40,
        )
        for plan in old
        for cert in certificates
    )
    reviewer = User.objects.create_user(username="bench_reviewer", password="x" * 12, role=Role.PROVINCIAL_REVIEWER)
    return reviewer, plans


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {n} plans in provincial review, 5 lines each")
    reviewer, plans = timed("build the data", lambda: build(n))
    client = Client()
    with time_machine.travel(AT, tick=True):
        client.force_login(reviewer)
        verify_second_factor(client, reviewer)  # else every page answers with the second-factor redirect
        queue = reverse("review_queue")
        timed("queue, first visit (queues the rule checks)", lambda: page(client, queue))
        timed(f"worker: rule checks of {n} plans", lambda: refresh_checks([p.pk for p in plans], at=AT))
        timed("queue, next visit", lambda: page(client, queue))
        timed("queue, filtered: has warnings", lambda: page(client, queue, {"has_warnings": "on"}))
        timed("queue, filtered: one bureau, newest first", lambda: page(client, queue, {"bureau": 1, "sort": "newest"}))
        timed("review page of one plan", lambda: page(client, reverse("review_plan", args=[plans[0].pk])))
        ids = [plan.pk for plan in plans[:50]]
        preview = timed(
            "bulk preview of 50 plans",
            lambda: services.bulk_approve_preview(actor=reviewer, plan_ids=ids, at=AT),
        )
        timed(
            "bulk approve + publish of 50 plans",
            lambda: services.bulk_approve(actor=reviewer, plan_ids=ids, fingerprint=preview.fingerprint, at=AT),
        )
        timed("reminders due (who has something to do)", lambda: due_reminders(at=AT))


if __name__ == "__main__":
    main()
