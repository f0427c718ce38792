from __future__ import annotations

import socket

import pytest
from django.db import connections


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_database(db, tmp_path):
    """Point the default alias at a database that cannot be reached: a closed port, or a file in no directory."""
    good = connections["default"]
    settings_dict = dict(good.settings_dict)
    if good.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-directory" / "onex.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    broken = type(good)(settings_dict, alias="default")
    # The handler keeps one wrapper per alias; swapping it leaves the test's own connection untouched.
    connections._connections.default = broken
    try:
        yield
    finally:
        broken.close()
        connections._connections.default = good


def test_health_reports_ok_with_the_database(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_health_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (503, {"status": "error", "database": "unreachable"})


def test_health_refuses_post(client, db):
    response = client.post("/healthz")

    assert response.status_code == 405
