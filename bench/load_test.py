"""Load test: the production server on loopback, national-scale data, 200 concurrent users, 60 s per run.

One kind of request at a time, in one run: the bare Django view anonymous (no query, no session; the baseline)
and signed in, the site's base template signed in (bench/load_urls.py), then each of the three busiest pages
alone (institution staff on their plan page; provincial reviewers on the review queue; provincial reviewers on
the dashboard: the page, then its figures' JSON, like a browser), then their mix. Each line gives requests
per second, p50 / p95 / p99, errors (non-2xx responses, redirects to the login page included, plus socket
errors and timeouts), and the server's CPU time per request: gunicorn's processes plus their PostgreSQL
backends, read from /proc (bench/cpu.py). CPU time is the figure to compare on a shared machine: throughput
moves with the others' load, CPU per request much less. `use` is the measured rate over cores ÷ CPU per
request. Then the ratios of each to the anonymous bare view. Exits 1 if any error.

Data (database onex_load, built once and reused; --rebuild builds it again): the national data of
bench/bench_dashboard.py (11,000 institutions, 300,000 approved lines, 5,000,000 candidates, six checkpoints)
plus this year's autumn round: 11,000 plans of 27 lines, 8,800 in provincial review (their rule checks
stored, as the worker does) and 2,200 still drafts. `--scale small` (or a fraction) divides institutions,
lines and candidates (not the catalogue or the bureaus) into a database of its own: the whole run then
takes under 5 minutes on a quiet 2-core machine (5-7 at load average 15), 40 connections and 15 s per run
unless told otherwise.

Server: gunicorn with deploy/gunicorn.conf.py (workers not recycled while measuring; GUNICORN_WORKER_CLASS,
WEB_CONCURRENCY and GUNICORN_THREADS choose another shape), the production settings
(bench/load_settings.py), DEBUG off, persistent database connections (DB_CONN_MAX_AGE=600), static
files collected into a scratch STATIC_ROOT. wrk runs one thread per connection so that each connection
is one user with its own session cookie (wrk's Lua has no per-connection hook). Sessions are created
with Django's own login() on the server's session engine, second factor marked verified.

    .venv/bin/python bench/load_test.py [--scale small] [--connections 200] [--duration 60] [--rebuild]
        [--conn-age] [--only WORDS] [--think 10,25,50,100,200,400|no]

--think runs the mix again with users who pause 5-10 s between clicks, each click on a connection of its own as
through nginx (bench/load_think.py: wrk's own pause holds the server's threads), 40 s per number of users, and
reports the largest number served with p95 < 1 s and no error (it stops at the first number not served).
--conn-age adds the persistent-connection measurement: wrk on /healthz (one query) with DB_CONN_MAX_AGE=0
(a new PostgreSQL connection per request) and with 600.
"""

from __future__ import annotations

import argparse
import os
import random
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("BENCH_DB_NAME", "onex_load")
SMALL = 0.05  # --scale small: 550 institutions, 15,000 lines, 250,000 candidates; the same catalogue and bureaus
os.environ["DJANGO_SETTINGS_MODULE"] = "load_settings"

import bench_dashboard as national  # noqa: E402  (sets DATABASE_URL to the bench database)
import load_runs as runs  # noqa: E402

DB_NAME = national.DB_NAME
YEAR = national.YEAR
STAFF_USERS = 200
REVIEWER_USERS = 200
DRAFT_EVERY = 5  # one autumn plan in five is still a draft; the others are in provincial review
LINES_PER_PLAN = 27

# The server's environment: production values, loopback, throwaway secrets.
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "load-test-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": "http://127.0.0.1",
    "DB_CONN_MAX_AGE": "600",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    "GUNICORN_ACCESS_LOG": "",
    "LOG_LEVEL": "WARNING",
    "SECURE_SSL_REDIRECT": "false",
}


# ------------------------------------------------------------------------------------------------ data


def use_scale(scale: float) -> None:
    """Institutions, lines and candidates × `scale` (the catalogue and the bureaus stay whole: the review queue's
    drop-downs list them all), in a database of their own so that each scale is built once."""
    global DB_NAME, STAFF_USERS
    if scale == 1:
        return
    national.INSTITUTIONS = round(national.INSTITUTIONS * scale)
    national.LINES = round(national.LINES * scale)
    national.CANDIDATES = round(national.CANDIDATES * scale)
    DB_NAME = national.DB_NAME = f"{DB_NAME}_{str(scale).replace('.', '_')}"
    os.environ["DATABASE_URL"] = f"{national.SERVER}/{DB_NAME}"
    STAFF_USERS = min(STAFF_USERS, national.INSTITUTIONS // DRAFT_EVERY)


def database_ready() -> bool:
    import psycopg

    with psycopg.connect(f"{national.SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            return False
    with psycopg.connect(f"{national.SERVER}/{DB_NAME}", autocommit=True) as conn:
        # The users are created last: their presence means the build finished.
        try:
            row = conn.execute("SELECT count(*) FROM accounts_user WHERE username LIKE 'load\\_%%'").fetchone()
        except psycopg.errors.UndefinedTable:
            return False
    return row[0] == STAFF_USERS + REVIEWER_USERS


def add_autumn_round() -> dict:
    """This year's autumn round: a plan per institution, 27 lines each, most in provincial review (COPY)."""
    from django.db import connection
    from django.utils import timezone

    from rounds.models import Round

    started = time.perf_counter()
    autumn = Round.objects.create(year=YEAR, season="autumn", **Round.notice_defaults(YEAR, "autumn"))
    now = timezone.now().isoformat()
    raw = connection.cursor().cursor
    raw.execute("SELECT id FROM institutions_institution ORDER BY id")
    institution_ids = [r[0] for r in raw.fetchall()]
    national.copy_rows(
        raw,
        "plans_plan",
        ["institution_id", "round_id", "status", "returned_reason", "returned_from", "submitted_at"]
        + ["created_at", "updated_at"],
        (
            (i, autumn.pk, "draft", "", "", None, now, now)
            if n % DRAFT_EVERY == 0
            else (i, autumn.pk, "provincial_review", "", "", now, now, now)
            for n, i in enumerate(institution_ids)
        ),
    )
    raw.execute("SELECT id FROM plans_plan WHERE round_id = %s ORDER BY id", [autumn.pk])
    plan_ids = [r[0] for r in raw.fetchall()]
    rng = random.Random(11)
    certificates = national.CERTIFICATES
    raw.execute("SELECT id FROM catalog_certificate ORDER BY id")
    certificate_ids = [r[0] for r in raw.fetchall()]
    national.copy_rows(
        raw,
        "plans_planline",
        ["plan_id", "certificate_id", "level", "major_name", "major_code", "headcount", "remark"]
        + ["justification", "approved_headcount", "created_at"],
        (
            (
                plan,
                certificate_ids[(p * 17 + k * 11) % certificates],
                national.LEVELS[(p + k) % 3],
                f"专业{k}",
                "",
                rng.choice((20, 30, 40, 50, 60, 80)),
                "",
                "",
                None,
                now,
            )
            for p, plan in enumerate(plan_ids)
            for k in range(LINES_PER_PLAN)
        ),
    )
    raw.execute("VACUUM ANALYZE plans_plan")
    raw.execute("VACUUM ANALYZE plans_planline")
    label = f"autumn round: {len(plan_ids):,} plans, {len(plan_ids) * LINES_PER_PLAN:,} lines"
    return {label: time.perf_counter() - started}


def store_checks() -> dict:
    """The rule checks of every plan in the province's queue, as the worker stores them after a submission."""
    from django.utils import timezone

    from plans.models import Plan
    from reviews.checks import refresh_checks
    from reviews.queues import PROVINCE_STATUSES

    started = time.perf_counter()
    ids = list(Plan.objects.filter(status__in=PROVINCE_STATUSES).values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        refresh_checks(ids[start : start + 500], at=timezone.now())
    return {f"rule checks of the {len(ids):,} plans in the province's queue": time.perf_counter() - started}


def create_users() -> None:
    """Institution staff of the draft plans' institutions and provincial reviewers (one password hash)."""
    from django.contrib.auth.hashers import make_password

    from accounts.enums import Role
    from accounts.models import User
    from plans.models import Plan

    password = make_password("load-test-password-1")
    institutions = list(
        Plan.objects.filter(round__season="autumn", status="draft")
        .order_by("pk")
        .values_list("institution_id", flat=True)[:STAFF_USERS]
    )
    User.objects.bulk_create(
        [
            User(username=f"load_staff_{n:03d}", password=password, role=Role.INSTITUTION_STAFF, institution_id=i)
            for n, i in enumerate(institutions)
        ]
        + [
            User(username=f"load_reviewer_{n:03d}", password=password, role=Role.PROVINCIAL_REVIEWER)
            for n in range(REVIEWER_USERS)
        ]
    )


def build() -> None:
    national.admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    national.admin_sql(f"CREATE DATABASE {DB_NAME}")
    import django

    django.setup()
    timings = {**national.seed(), **national.build_figures(), **add_autumn_round(), **store_checks()}
    create_users()
    for label, seconds in timings.items():
        print(f"  {label:<70} {seconds:8.1f} s")


# ---------------------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with deploy/gunicorn.conf.py on 127.0.0.1, the bench settings, `env` on top of SERVER_ENV."""

    def __init__(self, static_root: str, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **SERVER_ENV, "STATIC_ROOT": static_root, **env}
        # Production settings want the ID-number key given: the bench's own (ONEX_ID_KEY, set by
        # bench_dashboard unless the environment has one), the key the data was built with.
        self.env.setdefault("ONEX_ID_KEY", os.environ["ONEX_ID_KEY"])
        handle, self.log = tempfile.mkstemp(prefix="onex_load_gunicorn_", suffix=".log")
        os.close(handle)
        self.process = None

    def __enter__(self) -> Server:
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        command += ["--pythonpath", str(BENCH), "--bind", f"127.0.0.1:{self.port}"]
        # No worker recycling while measuring: a recycled worker's PostgreSQL backend would take its CPU time
        # out of the count (bench/cpu.py).
        command += ["--max-requests", "0"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped at start:\n{Path(self.log).read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        self.__exit__()
        sys.exit("gunicorn did not answer /healthz within 90 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        Path(self.log).unlink(missing_ok=True)

    def get(self, path: str, cookie: str = "") -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, headers={"Cookie": cookie} if cookie else {})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=120) as response:
                return response.status, ""
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def gunicorn_workers(env: dict) -> tuple[int, str, int]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return conf["workers"], conf["worker_class"], conf.get("threads", 1)


# ------------------------------------------------------------------------------------------------ main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1", help=f"'small' ({SMALL}) or a fraction of the national data")
    parser.add_argument("--connections", type=int, help="concurrent users (default 200; 40 when scaled down)")
    parser.add_argument("--duration", type=int, help="seconds per run (default 60; 15 when scaled down)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--conn-age", action="store_true", help="also measure DB_CONN_MAX_AGE=0 against 600")
    parser.add_argument(
        "--think",
        help="also the think-time run: growing user counts, comma-separated (default 10,25,50,100,200,400; 'no' to "
        "skip); it stops at the first count not served",
        default="10,25,50,100,200,400",
    )
    parser.add_argument("--only", help="comma-separated words: only the runs whose label has one (e.g. bare,mix)")
    args = parser.parse_args()
    args.scale = SMALL if args.scale == "small" else float(args.scale)
    scaled = args.scale < 1
    args.connections = args.connections or (40 if scaled else 200)
    args.duration = args.duration or (15 if scaled else 60)
    return args


def prepare(args: argparse.Namespace) -> str:
    """Build the database if needed, migrate it, collect the static files; returns the scratch STATIC_ROOT."""
    use_scale(args.scale)
    for key, value in SERVER_ENV.items():
        os.environ.setdefault(key, value)
    if args.rebuild or not database_ready():
        print(f"building {DB_NAME} at scale {args.scale} (once; reused by later runs)")
        build()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a reused database catches up with the code

    from institutions.models import Institution
    from monitoring.models import Candidate
    from plans.models import Plan, PlanLine

    print(
        f"data ({DB_NAME}): {Institution.objects.count():,} institutions, {Plan.objects.count():,} plans, "
        f"{PlanLine.objects.count():,} plan lines, {Candidate.objects.count():,} candidates"
    )
    static_root = tempfile.mkdtemp(prefix="onex_load_static_")
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "STATIC_ROOT": static_root, "PYTHONPATH": str(BENCH)},
        check=True,
    )
    return static_root


def measure_all(server: Server, args: argparse.Namespace) -> list[runs.Run]:
    """The bare view anonymous and signed in, the base template signed in, each page alone, then the mix."""
    import psycopg

    plan = runs.plan_connections(args.connections, YEAR)
    runs.check_sessions(server, plan)
    reviewers = [(kind, cookie, []) for kind, cookie, _paths in plan if kind != "plan"]
    signed_in = [("bare", reviewers[n % len(reviewers)][1], [runs.BARE]) for n in range(args.connections)]
    base = [("base", cookie, [runs.BASE]) for _kind, cookie, _paths in signed_in]
    runs.check_sessions(server, base[:1])
    print(f"{args.connections} connections (one user each), {args.duration} s each, wrk {runs.LUA.name}")
    print(runs.HEADER)
    measured = []
    with psycopg.connect(f"{national.SERVER}/{DB_NAME}", autocommit=True) as conn:
        for label, connections in (
            ("bare view, anonymous", [("bare", "", [runs.BARE])] * args.connections),
            ("bare view, signed in", signed_in),
            ("base template, signed in", base),
            ("plan page", [line for line in plan if line[0] == "plan"]),
            ("review queue", [line for line in plan if line[0] == "queue"]),
            ("dashboard + its JSON", [line for line in plan if line[0] == "dashboard"]),
            ("mix: plan page, queue, dashboard", plan),
        ):
            if args.only and not any(word in label for word in args.only.split(",")):
                continue
            measured.append(runs.measure(server, conn, DB_NAME, label, connections, args.duration))
    if measured:
        runs.ratios(measured)
        runs.targets(measured)
    return measured


THINK_MS = (5000, 10000)
THINK_SECONDS = 40  # several pauses per user: a user makes ~5 requests a run


def measure_think_time(server: Server, args: argparse.Namespace) -> bool:
    """The mix with users who pause 5-10 s before each click, at growing numbers of users; prints how many were
    served with p95 under a second. Returns whether any run had errors."""
    import psycopg

    print(
        f"think time: each user pauses {THINK_MS[0]}-{THINK_MS[1]} ms before each click (the mix), one connection a "
        f"click as through nginx (bench/load_think.py), {THINK_SECONDS} s per run"
    )
    print(runs.HEADER)
    served, failed, beyond = 0, False, ""
    with psycopg.connect(f"{national.SERVER}/{DB_NAME}", autocommit=True) as conn:
        for users in sorted(int(n) for n in args.think.split(",")):
            plan = runs.plan_connections(users, YEAR)
            run = runs.measure(server, conn, DB_NAME, f"{users} users thinking", plan, THINK_SECONDS, THINK_MS)
            failed = failed or bool(run.errors)
            if run.errors or run.summary["p95_us"] >= 1_000_000:
                beyond = f"; {users} were not: p95 {run.summary['p95_us'] / 1000:.0f} ms, {run.errors} errors"
                break
            served = users
    print(f"served with p95 < 1 s and no error: {served} concurrent users{beyond}")
    return failed


def measure_conn_age(static_root: str, args: argparse.Namespace) -> bool:
    """wrk on /healthz (one query) with a new PostgreSQL connection per request and with persistent ones."""
    import psycopg

    health = [("healthz", "", ["/healthz"])] * args.connections
    figures = {}
    with psycopg.connect(f"{national.SERVER}/{DB_NAME}", autocommit=True) as conn:
        for age in ("0", "600"):
            with Server(static_root, DB_CONN_MAX_AGE=age) as server:
                label = f"/healthz, DB_CONN_MAX_AGE={age}"
                figures[age] = runs.measure(server, conn, DB_NAME, label, health, max(20, args.duration // 3))
    print(f"persistent connections: {figures['600'].rate / figures['0'].rate:.1f}× the throughput")
    return any(run.errors for run in figures.values())


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    args = parse_args()
    runs.require_wrk()
    static_root = prepare(args)
    from django.conf import settings

    workers, worker_class, threads = gunicorn_workers({**SERVER_ENV, "STATIC_ROOT": static_root})
    print(
        f"server: gunicorn {workers} {worker_class} workers × {threads} threads (deploy/gunicorn.conf.py) on "
        f"{os.cpu_count()} CPUs shared "
        f"with other work; settings onex.settings_production via bench/load_settings.py; DEBUG {settings.DEBUG}; "
        f"CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}; sessions {settings.SESSION_ENGINE}"
    )
    try:
        with Server(static_root) as server:
            failed = any(run.errors for run in measure_all(server, args))
            if args.think != "no":
                failed = measure_think_time(server, args) or failed
        if args.conn_age:
            failed = measure_conn_age(static_root, args) or failed
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    if failed:
        print("FAILED: errors above 0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
