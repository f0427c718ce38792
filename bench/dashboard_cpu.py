"""CPU per request of the dashboard and its drill-downs, in one process, through the whole middleware stack: this
process's CPU and its PostgreSQL backend's (read from /proc), so the figure is the whole machine's cost of a
request and moves little with other load. Read-only: the connection refuses writes, sessions live in memory and
sign-ins leave last_login alone, so the national database (bench_dashboard.py's, kept) can be measured as it is.

    BENCH_DB_NAME=onex_load .venv/bin/python bench/dashboard_cpu.py [--requests 20] [--who load_reviewer_000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DB_NAME = os.environ.get("BENCH_DB_NAME", "onex_load")
os.environ["DATABASE_URL"] = f"{os.environ.get('BENCH_PG_SERVER', 'postgres://postgres@localhost')}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onex.settings")
os.environ.setdefault("ONEX_ID_KEY", "YmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMDA=")
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")


def read_only_setup() -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c default_transaction_read_only=on"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    django.setup()
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    from accounts import middleware

    # A reviewer without a device (the load test's) would be sent to the second factor, and giving one writes:
    # the second factor counts as given (its one device query is left out of every figure alike).
    middleware.needs_second_factor = lambda user: False


def signed_in(username: str):
    from django.test import Client

    from accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    return client


def targets(year: int) -> list[tuple[str, str]]:
    from django.urls import reverse

    from monitoring.figures import FIGURES
    from monitoring.models import Checkpoint

    checkpoint = Checkpoint.objects.filter(year=year).order_by("-month").first()
    query = f"?year={year}"
    drill = reverse("monitoring:institutions") + query
    found = [
        ("dashboard page", reverse("monitoring:dashboard") + query),
        ("dashboard JSON", reverse("monitoring:dashboard_data") + query),
    ]
    found += [(f"chart {name}", reverse("monitoring:figure_data", args=[name]) + query) for name in FIGURES]
    found += [
        ("drill-down: one bureau", drill + "&bureau=1"),
        ("drill-down: one kind", drill + "&kind=secondary_vocational"),
        ("drill-down: one certificate", drill + "&certificate=1"),
        ("drill-down: serious", drill + "&standing=serious"),
        ("table: bureaus", reverse("monitoring:figure_table", args=["bureaus"]) + query),
    ]
    if checkpoint is not None:
        behind = f"?checkpoint={checkpoint.pk}&standing=behind"
        found.append(("drill-down: behind at a checkpoint", reverse("monitoring:institutions") + behind))
    return found


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    """Mean CPU ms per request of this process and of its database backend, after one warm-up request."""
    import cpu
    from django.db import connection

    status = client.get(url).status_code
    backend = connection.connection.info.backend_pid
    app, db = time.process_time(), cpu.own_seconds(backend)
    for _ in range(requests):
        client.get(url)
    app, db = time.process_time() - app, cpu.own_seconds(backend) - db
    return app * 1000 / requests, db * 1000 / requests, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--who", default="load_reviewer_000")
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--only", default="", help="measure only the targets whose label holds this")
    args = parser.parse_args()
    read_only_setup()
    client = signed_in(args.who)
    print(f"{args.who} on {DB_NAME}, {args.requests} requests each; CPU ms/request (this process + PostgreSQL)")
    for label, url in targets(args.year):
        if args.only in label:
            app, db, status = measure(client, url, args.requests)
            print(
                f"{label:<40} {app + db:7.1f}  ({app:5.1f} + {db:5.1f})" + ("" if status == 200 else f"  HTTP {status}")
            )


if __name__ == "__main__":
    main()
