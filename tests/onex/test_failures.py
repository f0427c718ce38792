"""The database goes away: mid-action (the connection is killed between two writes) and for the whole app.

Both need a PostgreSQL server (pg_terminate_backend, a TCP connection to cut); CI runs them there.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import quote

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from django.urls import reverse

from catalog.enums import Level
from core.backup_engines import libpq_params
from core.dates import SHANGHAI
from plans.models import PlanLine
from tests.conftest import make_certificate
from tests.factories import draft

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kills PostgreSQL connections; CI runs this there"),
]

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)


def other_connection() -> psycopg.Connection:
    """A second connection to the test database, outside Django's."""
    return psycopg.connect(**libpq_params(connection.settings_dict), autocommit=True)


def terminate(pid: int) -> None:
    """Kill backend `pid` from another connection and wait until it is gone."""
    with other_connection() as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            time.sleep(0.01)


def line_data(certificate, headcount: int = 30) -> dict:
    data = {"certificate": certificate.pk, "level": Level.JUNIOR, "major_name": "物流管理", "headcount": headcount}
    return data | {"major_code": "", "remark": "", "justification": ""}


@pytest.fixture
def kill_after_line_insert():
    """Kills the request's database connection right after a plan line is inserted, before its audit event."""
    killed: list[int] = []

    def kill(sender, instance, created, **kwargs):
        pid = connection.connection.info.backend_pid
        terminate(pid)
        killed.append(pid)

    post_save.connect(kill, sender=PlanLine, dispatch_uid="kill_after_line_insert")
    yield killed
    post_save.disconnect(sender=PlanLine, dispatch_uid="kill_after_line_insert")


def test_connection_killed_between_two_writes_gives_an_error_page_leaves_no_rows_and_the_next_request_works(
    client, cast, spring, kill_after_line_insert
):
    plan = draft(cast.school1, spring)
    certificate = make_certificate("物流管理职业技能等级证书", levels=[Level.JUNIOR])
    client.raise_request_exception = False
    with time_machine.travel(FILING, tick=False):
        client.force_login(cast.staff)

        failed = client.post(reverse("line_add", args=[plan.pk]), line_data(certificate))
        post_save.disconnect(sender=PlanLine, dispatch_uid="kill_after_line_insert")
        retried = client.post(reverse("line_add", args=[plan.pk]), line_data(certificate, headcount=31), follow=True)

    assert len(kill_after_line_insert) == 1
    assert failed.status_code == 500
    # A new connection answers, so the error page is drawn in the site's layout (issue 15: error pages in Chinese
    # inside the layout); with the database down it would be the plain 500.html (tests/onex/test_error_pages.py).
    assert b'data-testid="error-500"' in failed.content
    assert failed.templates[0].name == "error.html"
    # The broken connection was dropped, not reused: the retry ran on a new server process.
    assert connection.connection.info.backend_pid != kill_after_line_insert[0]
    assert (retried.redirect_chain, retried.status_code) == ([(reverse("plan_detail", args=[plan.pk]), 302)], 200)
    with other_connection() as fresh:
        lines = fresh.execute("SELECT headcount FROM plans_planline WHERE plan_id = %s", [plan.pk]).fetchall()
        audited = fresh.execute("SELECT count(*) FROM audit_auditevent WHERE action = 'line.add'").fetchone()
    assert lines == [(31,)]
    assert audited == (1,)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL. `stop()` cuts the live connections and refuses new ones."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._running = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._acceptor: threading.Thread | None = None

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.05)
        self._running.set()
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        self._running.clear()
        self._acceptor.join()  # the listener is closed: new connections are refused
        with self._lock:
            for sock in self._sockets:
                self._close(sock)
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._running.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                upstream = socket.create_connection(self.target)
                with self._lock:
                    self._sockets |= {client, upstream}
                threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
                threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        self._close(sink)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a local http URL
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def proxy():
    database = connection.settings_dict
    proxy = TcpProxy((database["HOST"] or "localhost", int(database["PORT"] or 5432)))
    yield proxy
    if proxy._running.is_set():
        proxy.stop()


@pytest.fixture
def app_behind(proxy, tmp_path):
    """The app in gunicorn (one worker), its DATABASE_URL pointing at the proxy; started with the proxy down."""
    database = connection.settings_dict
    credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": f"postgres://{credentials}@127.0.0.1:{proxy.port}/{quote(database['NAME'])}",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    log = (tmp_path / "gunicorn.log").open("w+")
    command = [sys.executable, "-m", "gunicorn", "onex.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    app = subprocess.Popen([*command, "--workers", "1"], cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/healthz"
    # Wait for the port to answer at all (the worker boots in a second or two).
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert app.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.05)
    yield app, url, tmp_path / "gunicorn.log"
    app.terminate()
    app.wait(timeout=30)
    log.close()


def test_app_started_without_the_database_answers_503_and_recovers_without_a_restart(proxy, app_behind):
    app, url, log = app_behind

    while_down = get_health(url)
    proxy.start()
    after_start = get_health(url)
    proxy.stop()
    after_loss = get_health(url)
    proxy.start()
    after_return = get_health(url)

    down = (503, {"status": "error", "database": "unreachable"})
    up = (200, {"status": "ok", "database": "ok"})
    assert [while_down, after_start, after_loss, after_return] == [down, up, down, up]
    assert app.poll() is None
    assert "Traceback" not in log.read_text()
