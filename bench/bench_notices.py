"""Notices at national scale: 340 bureaus, 11,000 institutions (one staff account each), one public notice that
half of them have confirmed. Prints p50 / p95 of the office's receipts page (counts by bureau; one bureau's list), of a
school's home page (its unread notices) and of the notice list, and how long one reminder to the other half takes.
Nothing is asserted.

The data goes into its own PostgreSQL database (onex_bench_notices; dropped at the end unless --keep). Requests go
through Django's test client, one at a time.

    .venv/bin/python bench/bench_notices.py [--requests 20] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DB_NAME", "onex_bench_notices")
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@localhost")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")  # no line per request on the console
BUREAUS = 340
INSTITUTIONS = 11_000
KINDS = ("applied_undergrad", "higher_vocational", "provincial_secondary", "secondary_vocational")


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def seed():
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from institutions.models import Bureau, Institution
    from notices import services
    from notices.models import ReadReceipt

    bureaus = Bureau.objects.bulk_create(Bureau(name=f"市{i:03d}") for i in range(BUREAUS))
    institutions = Institution.objects.bulk_create(
        Institution(name=f"院校{i:05d}", kind=KINDS[i % 4], bureau=bureaus[i % BUREAUS], platform_account="x")
        for i in range(INSTITUTIONS)
    )
    password = make_password("bench-password-1")  # one hash for all: nobody logs in with it
    staff = User.objects.bulk_create(
        User(username=f"s{i:05d}", password=password, role="institution_staff", institution=inst)
        for i, inst in enumerate(institutions)
    )
    admin = User.objects.create(username="admin", password=password, role="provincial_admin")
    # The receipts page is read as the observer: the admin's pages want a second factor first.
    User.objects.create(username="observer", password=password, role="observer")
    now = timezone.now()
    notice = services.create_notice(
        actor=admin,
        year=2027,
        number="",
        date=None,
        title="关于做好2027年1+X证书申报工作的通知",
        body="各院校：\n\n### 一、申报范围\n\n" + "正文。" * 400,
        audience="public",
        institution_kind="",
        round=None,
        offers_templates=True,
        expects_receipts=True,
    )
    notice = services.publish_notice(actor=admin, notice=notice, at=now)
    ReadReceipt.objects.bulk_create(
        ReadReceipt(notice=notice, institution=inst, confirmed_by=staff[i], confirmed_at=now)
        for i, inst in enumerate(institutions)
        if i % 2 == 0
    )
    return admin, staff[1], notice


def timed(client, url: str, n: int) -> str:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return f"p50 {statistics.median(times):7.1f} ms  p95 {times[int(len(times) * 0.95) - 1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from load_runs import verify_second_factor

        from accounts.models import User
        from notices import services

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        admin, school_staff, notice = seed()
        print(f"seeded {INSTITUTIONS} institutions, {BUREAUS} bureaus in {time.perf_counter() - start:.1f} s")
        office, school = Client(), Client()
        observer = User.objects.get(username="observer")
        office.force_login(observer)
        verify_second_factor(office, observer)  # else the office's pages answer with the second-factor redirect
        school.force_login(school_staff)
        receipts = f"/notices/2027/{notice.pk}/receipts/"
        print(f"receipts page, summary by bureau: {timed(office, receipts, args.requests)}")
        print(f"receipts page, one bureau:        {timed(office, receipts + '?bureau=1', args.requests)}")
        print(f"school home page (1 unread):      {timed(school, '/', args.requests)}")
        print(f"notice list (school):             {timed(school, '/notices/', args.requests)}")
        print(f"notice page (school):             {timed(school, notice.get_absolute_url(), args.requests)}")
        start = time.perf_counter()
        count = services.remind_unconfirmed(actor=admin, notice=notice)
        print(f"reminder to {count} people: {time.perf_counter() - start:.2f} s")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
