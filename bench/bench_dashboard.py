"""Dashboards at national scale: 11,000 institutions, 300,000 approved lines, 5,000,000 candidates,
6 checkpoints, on PostgreSQL. Prints p50 / p95 / p99 of the provincial dashboard page and of each
chart's data endpoint (target p95 < 300 ms), and of the drill-downs, tables and the report, after the first
request of each (which computes the figures the others read cached; printed apart); also how
long the year's full refresh and one checkpoint take at this scale. Nothing is asserted.

The data goes into its own database (onex_bench_dashboard; dropped at the end unless --keep), all of
it with COPY. Requests go through Django's test client (the whole middleware stack, sessions and a
persistent database connection), one at a time.

    .venv/bin/python bench/bench_dashboard.py [--requests 60] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DB_NAME", "onex_bench_dashboard")
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@localhost")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")
os.environ.setdefault("ONEX_ID_KEY", "YmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMDA=")
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")  # no line per request on the console
YEAR = 2027
BUREAUS = 340
INSTITUTIONS = 11_000
CERTIFICATES = 447
LINES = 300_000
CANDIDATES = 5_000_000
LEVELS = ("junior", "intermediate", "senior")
KINDS = ("applied_undergrad", "higher_vocational", "provincial_secondary", "secondary_vocational")
CHUNK = 50_000


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """COPY `rows` (tuples of plain values) into `table`, in chunks of text."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = []
        for row in rows:
            buffer.append("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            if len(buffer) >= CHUNK:
                copy.write("".join(buffer))
                buffer = []
        copy.write("".join(buffer))


def seed() -> dict:
    """Reference data through the ORM, the big tables through COPY."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.enums import Role
    from accounts.models import User
    from catalog.models import Certificate, CertificateLevel
    from institutions.models import Bureau
    from rounds.models import Round

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    Bureau.objects.bulk_create([Bureau(name=f"基准市{b:03d}") for b in range(BUREAUS)])
    Certificate.objects.bulk_create(
        [
            Certificate(name=f"基准证书{c:03d}职业技能等级证书", batch=1 + c % 4, pinyin="jz")
            for c in range(CERTIFICATES)
        ]
    )
    CertificateLevel.objects.bulk_create(
        [CertificateLevel(certificate_id=c.pk, level=lv) for c in Certificate.objects.all() for lv in LEVELS]
    )
    spring = Round.objects.create(year=YEAR, season="spring", **Round.notice_defaults(YEAR, "spring"))
    bureau_ids = list(Bureau.objects.values_list("pk", flat=True))
    certificate_ids = list(Certificate.objects.values_list("pk", flat=True))
    now = timezone.now().isoformat()
    raw = connection.cursor().cursor
    copy_rows(
        raw,
        "institutions_institution",
        [
            "name",
            "kind",
            "bureau_id",
            "platform_account",
            "authority",
            "remarks",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_example",
        ],
        (
            (f"基准院校{i:05d}", KINDS[i % 4], bureau_ids[i % BUREAUS], "X", "", "", "", "", "", "true")
            for i in range(INSTITUTIONS)
        ),
    )
    raw.execute("SELECT id FROM institutions_institution ORDER BY id")
    institution_ids = [r[0] for r in raw.fetchall()]
    copy_rows(
        raw,
        "plans_plan",
        [
            "institution_id",
            "round_id",
            "status",
            "returned_reason",
            "returned_from",
            "published_at",
            "created_at",
            "updated_at",
        ],
        ((i, spring.pk, "published", "", "", now, now, now) for i in institution_ids),
    )
    raw.execute("SELECT id FROM plans_plan ORDER BY id")
    plan_ids = [r[0] for r in raw.fetchall()]
    rng = random.Random(7)

    def lines():
        # 300,000 lines over 11,000 plans: 27 or 28 each.
        for p, plan in enumerate(plan_ids):
            for k in range((p + 1) * LINES // INSTITUTIONS - p * LINES // INSTITUTIONS):
                approved = rng.choice((20, 30, 40, 50, 60, 80, 100))
                yield (
                    plan,
                    certificate_ids[(p * 31 + k * 7) % CERTIFICATES],
                    LEVELS[(p + k) % 3],
                    f"专业{k}",
                    "",
                    approved,
                    "",
                    "",
                    approved,
                    now,
                )

    copy_rows(
        raw,
        "plans_planline",
        [
            "plan_id",
            "certificate_id",
            "level",
            "major_name",
            "major_code",
            "headcount",
            "remark",
            "justification",
            "approved_headcount",
            "created_at",
        ],
        lines(),
    )
    timings["seed reference data, 11,000 institutions, 300,000 lines"] = time.perf_counter() - started
    started = time.perf_counter()
    raw.execute("SELECT l.id, l.certificate_id, l.level, l.approved_headcount FROM plans_planline l ORDER BY l.id")
    line_rows = raw.fetchall()
    # Candidates: each line gets a share of 5,000,000 by its approved headcount; the later the
    # institution, the further behind (so that every standing appears).
    total_approved = sum(r[3] for r in line_rows)
    results = ("passed", "passed", "failed", "absent", "registered")
    raw.execute("ALTER TABLE monitoring_candidate DROP CONSTRAINT candidate_once_per_year")

    def candidates():
        serial = 0
        for line, certificate, level, approved in line_rows:
            share = round(CANDIDATES * approved / total_approved * rng.uniform(0.4, 1.8))
            for _ in range(share):
                serial += 1
                if serial > CANDIDATES:
                    return
                result = results[serial % 5]
                yield (
                    line,
                    YEAR,
                    certificate,
                    level,
                    "\\\\x" + serial.to_bytes(32, "big").hex(),
                    "\\\\x01" + "ab" * 44,
                    "340***********123X",
                    "张*",
                    "2027-05-10" if result != "registered" else None,
                    result,
                    "",
                )

    copy_rows(
        raw,
        "monitoring_candidate",
        [
            "line_id",
            "year",
            "certificate_id",
            "level",
            "id_hash",
            "sealed",
            "id_masked",
            "name_masked",
            "exam_date",
            "result",
            "certificate_number",
        ],
        candidates(),
    )
    raw.execute(
        "ALTER TABLE monitoring_candidate ADD CONSTRAINT candidate_once_per_year "
        "UNIQUE (certificate_id, level, year, id_hash)"
    )
    raw.execute("VACUUM ANALYZE")
    timings["COPY 5,000,000 candidates and index them"] = time.perf_counter() - started
    User.objects.create_user(username="bench_observer", password="bench-password-1", role=Role.OBSERVER)
    User.objects.create_user(
        username="bench_bureau", password="bench-password-1", role=Role.BUREAU_REVIEWER, bureau_id=bureau_ids[0]
    )
    return timings


def build_figures() -> dict:
    """Line counts from the candidates, rollups and six checkpoints: the real services."""
    from django.db import connection, transaction

    from monitoring import services
    from monitoring.enums import ProgressSource

    timings = {}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Every line with candidates gets its LineProgress row, then the recount fills them in.
        cursor.execute(
            "INSERT INTO monitoring_lineprogress (line_id, institution_id, year, certificate_id, registered, examined, "
            "passed, candidate_registered, candidate_examined, candidate_passed, source, updated_at) "
            "SELECT l.id, p.institution_id, %s, l.certificate_id, 0, 0, 0, 0, 0, 0, %s, now() "
            "FROM plans_planline l JOIN plans_plan p ON p.id = l.plan_id",
            [YEAR, ProgressSource.CANDIDATES],
        )
    services.refresh_figures(year=YEAR)
    timings["full refresh of the year (recount 5 M candidates, rollups)"] = time.perf_counter() - started
    for month in (2, 4, 6, 8, 10, 12):
        started = time.perf_counter()
        services.take_checkpoint(year=YEAR, month=month)
        timings[f"checkpoint {month:02d} (refresh + 11,000 snapshots)"] = time.perf_counter() - started
    return timings


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    quantiles = statistics.quantiles(ordered, n=100, method="inclusive")
    return quantiles[49], quantiles[94], quantiles[98]


def measure(requests: int) -> list[tuple[str, list[float], int]]:
    from django.test import Client
    from django.urls import reverse
    from load_runs import verify_second_factor

    from accounts.enums import Role
    from accounts.models import User
    from monitoring.figures import FIGURES
    from monitoring.models import Checkpoint

    checkpoint = Checkpoint.objects.get(year=YEAR, month=12)
    year = f"?year={YEAR}"
    targets = [("dashboard page", reverse("monitoring:dashboard") + year)]
    targets += [("every chart's data (one JSON)", reverse("monitoring:dashboard_data") + year)]
    targets += [(f"chart data: {name}", reverse("monitoring:figure_data", args=[name]) + year) for name in FIGURES]
    targets += [
        ("drill-down: one bureau", reverse("monitoring:institutions") + f"{year}&bureau=1"),
        ("drill-down: one certificate", reverse("monitoring:institutions") + f"{year}&certificate=1"),
        (
            "drill-down: behind at a checkpoint",
            reverse("monitoring:institutions") + f"?checkpoint={checkpoint.pk}&standing=behind",
        ),
        ("table: bureaus", reverse("monitoring:figure_table", args=["bureaus"]) + year),
        ("report page (通报)", reverse("monitoring:report", args=[checkpoint.pk])),
    ]
    out = []
    for who in ("bench_observer", "bench_bureau"):
        user = User.objects.get(username=who)
        client = Client()
        client.force_login(user)
        if user.role in Role.second_factor_roles():
            verify_second_factor(client, user)  # else every page answers with the second-factor redirect
        for label, url in targets:
            started = time.perf_counter()
            warm = client.get(url)
            first = (time.perf_counter() - started) * 1000  # the figures computed, not yet cached
            if warm.status_code != 200:
                sys.exit(f"{who}: GET {url} answered {warm.status_code} {warm.get('Location', '')}; not measuring")
            samples = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            out.append((f"{who.removeprefix('bench_')}: {label}", [first, *samples], response.status_code))
    return out


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again (and keep it)")
    args = parser.parse_args()
    if not args.reuse:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin_sql(f"CREATE DATABASE {DB_NAME}")
    import django

    django.setup()
    try:
        if args.reuse:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)  # a kept database catches up with the code
        timings = {} if args.reuse else {**seed(), **build_figures()}
        for label, seconds in timings.items():
            print(f"{label:<62} {seconds:8.1f} s")
        from monitoring.models import Candidate, InstitutionProgress, InstitutionSnapshot
        from plans.models import PlanLine

        print(
            f"data: {InstitutionProgress.objects.count():,} institutions with lines, {PlanLine.objects.count():,} "
            f"lines, {Candidate.objects.count():,} candidates, {InstitutionSnapshot.objects.count():,} snapshot rows"
        )
        # "first": the first request after a change of the data, which computes the figures the others read cached.
        print(f"{'request (ms, ' + str(args.requests) + ' each)':<62} {'first':>7} {'p50':>7} {'p95':>7} {'p99':>7}")
        for label, (first, *samples), status in measure(args.requests):
            p50, p95, p99 = percentiles(samples)
            flag = "" if max(first, p95) < 300 else "  > 300 ms"
            print(f"{label:<62} {first:7.1f} {p50:7.1f} {p95:7.1f} {p99:7.1f}  HTTP {status}{flag}")
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):  # a database measured again is someone's kept one: never dropped here
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
