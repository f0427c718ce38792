"""The load test's users and runs (bench/load_test.py): session cookies, wrk, CPU time per request, the table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cpu
import load_think

BENCH = Path(__file__).resolve().parent
WRK = shutil.which("wrk")
LUA = BENCH / "load_mix.lua"
BARE = "/bench/bare"
BASE = "/bench/base"  # signed in: the site's base template (navigation, inbox count), no query of its own


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


def plan_connections(connections: int, year: int) -> list[tuple[str, str, list[str]]]:
    """(kind, cookie, paths) per connection: a third staff on their plan page, a third reviewers on the queue,
    a third reviewers on the dashboard and its figures (the page, then the one JSON its script asks for)."""
    from django.urls import reverse

    from accounts.models import User
    from plans.models import Plan

    staff = list(User.objects.filter(username__startswith="load_staff_").order_by("username"))
    reviewers = list(User.objects.filter(username__startswith="load_reviewer_").order_by("username"))
    plan_of = dict(
        Plan.objects.filter(
            round__year=year, round__season="autumn", institution__in=[u.institution_id for u in staff]
        ).values_list("institution_id", "pk")
    )
    queue = reverse("review_queue")
    dashboard = [reverse("monitoring:dashboard") + f"?year={year}"]
    dashboard += [reverse("monitoring:dashboard_data") + f"?year={year}"]
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


def check_sessions(server, plan) -> None:
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


def require_wrk() -> None:
    """Stops with what to install when wrk (Debian's HTTP benchmarking tool) is not on the PATH."""
    if WRK is None:
        sys.exit(
            "load test: wrk is missing (it sends the requests). Install it: `scripts/setup.sh --dev` as root, "
            "or `apt-get install wrk`."
        )


def run_wrk(url: str, plan, duration: int) -> dict:
    """wrk with one thread per connection, each with its line of `plan`; returns the Lua summary."""
    with tempfile.NamedTemporaryFile("w", prefix="onex_load_plan_", suffix=".txt", delete=False) as handle:
        for kind, cookie, paths in plan:
            handle.write(" ".join([kind, cookie or "-", *paths]) + "\n")
    try:
        command = [str(WRK), "-t", str(len(plan)), "-c", str(len(plan)), "-d", f"{duration}s", "--timeout", "30s"]
        command += ["-s", str(LUA), url]
        result = subprocess.run(
            command,
            env={**os.environ, "ONEX_LOAD_PLAN": handle.name},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    sys.exit(f"wrk printed no result (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")


@dataclass
class Run:
    label: str
    summary: dict
    gunicorn_s: float
    postgres_s: float
    redis_s: float

    @property
    def requests(self) -> int:
        return self.summary["requests"]

    @property
    def rate(self) -> float:
        return self.requests / (self.summary["duration_us"] / 1e6)

    @property
    def errors(self) -> int:
        return self.summary["non_2xx"] + sum(self.summary["socket"].values())

    def cpu_ms(self) -> tuple[float, float, float, float]:
        """CPU milliseconds per request: all, gunicorn, PostgreSQL, Redis."""
        app, db, cache = (
            1000 * seconds / max(self.requests, 1) for seconds in (self.gunicorn_s, self.postgres_s, self.redis_s)
        )
        return app + db + cache, app, db, cache


def measure(server, conn, database: str, label: str, plan, duration: int, think_ms: tuple | None = None) -> Run:
    """One run of `plan` with the server's CPU time (gunicorn + its PostgreSQL backends + Redis) around it: wrk, or with
    `think_ms` (5000, 10000) users who pause that long before each click (bench/load_think.py)."""
    before = cpu.sample(server.process.pid, conn, database)
    summary = load_think.run(server.url, plan, duration, think_ms) if think_ms else run_wrk(server.url, plan, duration)
    run = Run(label, summary, *cpu.spent(before, cpu.sample(server.process.pid, conn, database)))
    report(run)
    return run


HEADER = (
    f"{'requests':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    f"  {'CPU ms/req':>10} {'gunicorn':>9} {'postgres':>9} {'redis':>6} {'use':>5}"
)


def report(run: Run) -> None:
    """One line of the table; `use` is the measured rate over what the CPU cost allows (cores ÷ CPU per request)."""
    s = run.summary
    total, app, db, cache = run.cpu_ms()
    allowed = os.cpu_count() * 1000 / total if total else 0
    print(
        f"{run.label:<34} {run.rate:8.1f} {s['p50_us'] / 1000:8.1f} {s['p95_us'] / 1000:8.1f} {s['p99_us'] / 1000:8.1f}"
        f" {run.errors:7d}  {total:10.2f} {app:9.2f} {db:9.2f} {cache:6.2f} {run.rate / allowed if allowed else 0:5.2f}"
    )
    if run.errors:
        socket = ", ".join(f"{kind} {n}" for kind, n in s["socket"].items() if n)
        print(" " * 35 + f"errors: outside 2xx {s['non_2xx']}" + (f"; socket: {socket}" if socket else ""))
    kinds = s.get("kinds", {})
    if len(kinds) > 1:
        print(" " * 35 + "requests by page: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))


def ratios(runs: list[Run]) -> None:
    """Each run's CPU per request and throughput against the anonymous bare view's (the first run)."""
    bare = runs[0]
    print(f"{'ratios to ' + bare.label:<34} {'CPU ×':>8} {'req/s ×':>8}")
    for run in runs[1:]:
        print(f"{run.label:<34} {run.cpu_ms()[0] / bare.cpu_ms()[0]:8.2f} {run.rate / bare.rate:8.3f}")


PAGE_BUDGET_MS = 15
# The pages with a CPU budget, and how many of the run's requests make one of them: the dashboard is its page and
# the one JSON of its figures, asked for one after the other.
BUDGETED = {"plan page": 1, "review queue": 1, "dashboard + its JSON": 2}


def page_budgets(by_label: dict[str, Run]) -> list[tuple[str, str, str, bool]]:
    """Each budgeted page's CPU (whole machine) against its budget of 15 ms."""
    checks = []
    for label, requests in BUDGETED.items():
        if run := by_label.get(label):
            ms = run.cpu_ms()[0] * requests
            name = "dashboard with all its figures" if requests > 1 else label
            checks.append((f"{name}, CPU ms", f"{ms:.1f}", f"≤ {PAGE_BUDGET_MS}", ms <= PAGE_BUDGET_MS))
    return checks


def targets(runs: list[Run]) -> None:
    """Issue 21's targets that one run of the load test measures, each with its figure and whether it is met:
    each page's CPU within its budget; the signed-in bare view's CPU per request ≤ 1.5× the anonymous one's; the
    mix ≥ 0.25× the anonymous bare view's throughput, with no error and using ≥ 0.8 of what its CPU cost per request
    allows."""
    by_label = {run.label.split(":")[0]: run for run in runs}
    anonymous, signed_in, mix = (by_label.get(k) for k in ("bare view, anonymous", "bare view, signed in", "mix"))
    checks = page_budgets(by_label)
    if anonymous and signed_in:
        ratio = signed_in.cpu_ms()[0] / anonymous.cpu_ms()[0]
        checks.append(("signed-in bare view, CPU × anonymous", f"{ratio:.2f}", "≤ 1.5", ratio <= 1.5))
    if mix:
        if anonymous:
            ratio = mix.rate / anonymous.rate
            checks.append(("mix, req/s × anonymous bare view", f"{ratio:.3f}", "≥ 0.25", ratio >= 0.25))
        checks.append(("mix, errors", str(mix.errors), "0", mix.errors == 0))
        use = mix.rate * mix.cpu_ms()[0] / (os.cpu_count() * 1000)
        checks.append(("mix, req/s ÷ (cores ÷ CPU per request)", f"{use:.2f}", "≥ 0.8", use >= 0.8))
    if checks:
        print(f"{'targets (issue 21)':<44} {'measured':>9} {'target':>8}")
    for label, measured, target, met in checks:
        print(f"{label:<44} {measured:>9} {target:>8}  {'met' if met else 'NOT MET'}")
