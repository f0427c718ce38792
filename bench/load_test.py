"""Load test: the production server on loopback, national-scale data, 200 concurrent users for 60 s.

The users mix the three busiest pages: institution staff on their plan page, provincial reviewers on the
review queue, provincial reviewers on the dashboard (the page, then its five charts' data, like a browser).
Then the same wrk against a bare Django view on the same server (bench/load_urls.py), the baseline.
Prints requests per second, p50 / p95 / p99 and the error count (non-2xx responses, redirects to the
login page included, plus socket errors and timeouts) of each, and their ratio; exits 1 if any error.

Data (database onex_load, built once and reused; --rebuild builds it again, ~20 minutes on 2 cores): the national
data of bench/bench_dashboard.py (11,000 institutions, 300,000 approved lines, 5,000,000 candidates,
six checkpoints) plus this year's autumn round: 11,000 plans of 27 lines, 8,800 in provincial review
(their rule checks stored, as the worker does) and 2,200 still drafts.

Server: gunicorn with deploy/gunicorn.conf.py (sync workers, 2 per CPU + 1), the production settings
(bench/load_settings.py), DEBUG off, persistent database connections (DB_CONN_MAX_AGE=600), static
files collected into a scratch STATIC_ROOT. wrk runs one thread per connection so that each connection
is one user with its own session cookie (wrk's Lua has no per-connection hook). Sessions are created
with Django's own login() on the server's session engine, second factor marked verified.

    .venv/bin/python bench/load_test.py [--connections 200] [--duration 60] [--rebuild] [--conn-age]

--conn-age adds the persistent-connection measurement: wrk on /healthz (one query) with DB_CONN_MAX_AGE=0
(a new PostgreSQL connection per request) and with 600.
"""

from __future__ import annotations

import argparse
import json
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
os.environ["DJANGO_SETTINGS_MODULE"] = "load_settings"

import bench_dashboard as national  # noqa: E402  (sets DATABASE_URL to the bench database)

DB_NAME = national.DB_NAME
YEAR = national.YEAR
STAFF_USERS = 200
REVIEWER_USERS = 200
DRAFT_EVERY = 5  # one autumn plan in five is still a draft; the others are in provincial review
LINES_PER_PLAN = 27
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = BENCH / "load_mix.lua"

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
        # Production settings want the ID-number key given: the one the data was built with (var/, see
        # monitoring.crypto), so the pages read the candidates' sealed ID numbers as in real use.
        from monitoring.crypto import dev_key_path

        self.env.setdefault("ONEX_ID_KEY_FILE", str(dev_key_path()))
        handle, self.log = tempfile.mkstemp(prefix="onex_load_gunicorn_", suffix=".log")
        os.close(handle)
        self.process = None

    def __enter__(self) -> Server:
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        command += ["--pythonpath", str(BENCH), "--bind", f"127.0.0.1:{self.port}"]
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


def gunicorn_workers(env: dict) -> tuple[int, str]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return conf["workers"], conf["worker_class"]


# -------------------------------------------------------------------------------------------- sessions


def login_cookie(user) -> str:
    """A session cookie of `user`, made by Django's login() on the server's session engine, second factor verified."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    if "django_otp" in settings.INSTALLED_APPS:
        verify_second_factor(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def verify_second_factor(client, user) -> None:
    """What the login form does after a correct code: the session remembers the user's confirmed TOTP device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="load test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def plan_connections(connections: int) -> list[tuple[str, str, list[str]]]:
    """(kind, cookie, paths) per connection: a third staff on their plan page, a third reviewers on the queue,
    a third reviewers on the dashboard and its charts."""
    from django.urls import reverse

    from accounts.models import User
    from monitoring.figures import FIGURES
    from plans.models import Plan

    staff = list(User.objects.filter(username__startswith="load_staff_").order_by("username"))
    reviewers = list(User.objects.filter(username__startswith="load_reviewer_").order_by("username"))
    plan_of = dict(
        Plan.objects.filter(
            round__year=YEAR, round__season="autumn", institution__in=[u.institution_id for u in staff]
        ).values_list("institution_id", "pk")
    )
    queue = reverse("review_queue")
    year = f"?year={YEAR}"
    dashboard = [reverse("monitoring:dashboard") + year]
    dashboard += [reverse("monitoring:figure_data", args=[name]) + year for name in FIGURES]
    plan = []
    for n in range(connections):
        if n % 3 == 0:
            user = staff[n // 3 % len(staff)]
            plan.append(("plan", login_cookie(user), [reverse("plan_detail", args=[plan_of[user.institution_id]])]))
        else:
            user = reviewers[n % len(reviewers)]
            if n % 3 == 1:
                pages = [queue, f"{queue}?page={2 + n % 40}", f"{queue}?sort=newest", f"{queue}?has_warnings=on"]
                plan.append(("queue", login_cookie(user), pages))
            else:
                plan.append(("dashboard", login_cookie(user), dashboard))
    return plan


def check_sessions(server: Server, plan) -> None:
    """Each connection's first page, and every page once, answers 200 with the connection's cookie (a redirect
    would mean the session is not valid). Also warms the workers up."""
    seen = set()
    for kind, cookie, paths in plan:
        for path in [paths[0]] + [p for p in paths[1:] if p not in seen]:
            seen.add(path)
            status, location = server.get(path, cookie)
            if status != 200:
                sys.exit(f"{kind}: GET {path} answered {status} {location} with its session; not measuring")


# ------------------------------------------------------------------------------------------------- wrk


def run_wrk(url: str, plan, duration: int) -> dict:
    """wrk with one thread per connection, each with its line of `plan`; returns the Lua summary."""
    with tempfile.NamedTemporaryFile("w", prefix="onex_load_plan_", suffix=".txt", delete=False) as handle:
        for kind, cookie, paths in plan:
            handle.write(" ".join([kind, cookie or "-", *paths]) + "\n")
    try:
        command = [WRK, "-t", str(len(plan)), "-c", str(len(plan)), "-d", f"{duration}s", "--timeout", "30s"]
        command += ["-s", str(LUA), url]
        result = subprocess.run(
            command, env={**os.environ, "ONEX_LOAD_PLAN": handle.name}, capture_output=True, text=True, check=False
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    sys.exit(f"wrk printed no result (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")


def errors_of(summary: dict) -> int:
    return summary["non_2xx"] + sum(summary["socket"].values())


def report(label: str, summary: dict) -> None:
    rate = summary["requests"] / (summary["duration_us"] / 1e6)
    socket_errors = ", ".join(f"{k} {v}" for k, v in summary["socket"].items() if v) or "none"
    print(
        f"{label:<34} {rate:8.1f} req/s  p50 {summary['p50_us'] / 1000:7.1f} ms  p95 {summary['p95_us'] / 1000:7.1f} ms"
        f"  p99 {summary['p99_us'] / 1000:7.1f} ms  errors {errors_of(summary)} "
        f"(non-2xx {summary['non_2xx']}, socket: {socket_errors})"
    )
    kinds = summary.get("kinds", {})
    if len(kinds) > 1:
        print(" " * 35 + "requests by page: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))


def rate_of(summary: dict) -> float:
    return summary["requests"] / (summary["duration_us"] / 1e6)


# ------------------------------------------------------------------------------------------------ main


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--rebuild", action="store_true", help="build the national-scale database again")
    parser.add_argument("--conn-age", action="store_true", help="also measure DB_CONN_MAX_AGE=0 against 600")
    args = parser.parse_args()
    for key, value in SERVER_ENV.items():
        os.environ.setdefault(key, value)

    if args.rebuild or not database_ready():
        print(f"building {DB_NAME} at national scale (once; reused by later runs)")
        build()
    import django

    django.setup()
    from django.conf import settings
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
    env = {**SERVER_ENV, "STATIC_ROOT": static_root}
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(BENCH)},
        check=True,
    )
    workers, worker_class = gunicorn_workers(env)
    print(
        f"server: gunicorn {workers} {worker_class} workers (deploy/gunicorn.conf.py) on {os.cpu_count()} CPUs shared "
        f"with other work; settings onex.settings_production via bench/load_settings.py; DEBUG {settings.DEBUG}; "
        f"CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}; sessions {settings.SESSION_ENGINE}"
    )
    failed = False
    try:
        with Server(static_root) as server:
            plan = plan_connections(args.connections)
            check_sessions(server, plan)
            print(f"{args.connections} connections (one user each), {args.duration} s, wrk {LUA.name}")
            mix = run_wrk(server.url, plan, args.duration)
            report("mix: plan page, queue, dashboard", mix)
            bare = run_wrk(server.url, [("bare", "", ["/bench/bare"])] * args.connections, args.duration)
            report("bare Django view (baseline)", bare)
            print(
                f"ratio mix / bare: {rate_of(mix) / rate_of(bare):.3f}  (the bare view is "
                f"{rate_of(bare) / rate_of(mix):.1f}× the mix)"
            )
            failed = errors_of(mix) > 0 or errors_of(bare) > 0
        if args.conn_age:
            health = [("healthz", "", ["/healthz"])] * args.connections
            figures = {}
            for age in ("0", "600"):
                with Server(static_root, DB_CONN_MAX_AGE=age) as server:
                    figures[age] = run_wrk(server.url, health, max(20, args.duration // 3))
                report(f"/healthz, DB_CONN_MAX_AGE={age}", figures[age])
                failed = failed or errors_of(figures[age]) > 0
            print(f"persistent connections: {rate_of(figures['600']) / rate_of(figures['0']):.1f}× the throughput")
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    if failed:
        print("FAILED: errors above 0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
