"""CPU time of the load test's server processes, read from /proc (Linux), so that the cost of a request can be
measured on a machine others share: wall-clock throughput moves with their load, process CPU time much less.

The server is gunicorn (its master and live workers; a worker that exited during a run is counted through the
master's `cutime`, which the kernel fills when the master reaps it), the PostgreSQL backends connected to
the load test's database (persistent connections, one per worker), and the machine's Redis server, which holds
the sessions and the cached fragments and figures (shared with whatever else uses it: measure on a quiet machine).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) may hold spaces: the fields after it start after its closing parenthesis.
    return text[text.rindex(")") + 2 :].split()


def own_seconds(pid: int, *, reaped_children: bool = False) -> float:
    """User + system CPU seconds of `pid` (plus its reaped children's if asked); 0 if it is gone."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    # After the name: state ppid ... utime is field 14 of the line, i.e. index 11 here; stime 12, cutime 13, cstime 14.
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def gunicorn_seconds(master: int) -> float:
    return own_seconds(master, reaped_children=True) + sum(own_seconds(pid) for pid in children(master))


def redis_servers() -> list[int]:
    """The processes named redis-server on this machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "redis-server":
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
    return found


def postgres_backends(conn, database: str) -> list[int]:
    """The server processes of every connection to `database` but `conn`'s own."""
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
    ).fetchall()
    return [row[0] for row in rows]


@dataclass
class Sample:
    gunicorn: float
    postgres: dict[int, float]
    redis: float


def sample(master: int, conn, database: str) -> Sample:
    return Sample(
        gunicorn=gunicorn_seconds(master),
        postgres={pid: own_seconds(pid) for pid in postgres_backends(conn, database)},
        redis=sum(own_seconds(pid) for pid in redis_servers()),
    )


def spent(before: Sample, after: Sample) -> tuple[float, float, float]:
    """(gunicorn, PostgreSQL, Redis) CPU seconds between two samples; a backend born during the run counts from 0."""
    postgres = sum(seconds - before.postgres.get(pid, 0.0) for pid, seconds in after.postgres.items())
    return after.gunicorn - before.gunicorn, postgres, after.redis - before.redis
