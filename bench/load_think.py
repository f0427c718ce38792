"""The think-time run's users (bench/load_test.py --think): each pauses 5-10 s, then clicks: opens a connection,
sends one request with its session cookie, reads the whole answer and closes, as a browser's click reaches gunicorn
through nginx (which forwards only whole requests; deploy/nginx).

wrk cannot play these users: its pause (`delay`) comes after it has connected, and gunicorn's threaded worker hands
a new connection to a thread that waits up to 5 s for the request, then parks it and closes it when no request came
within the keep-alive time (2 s). Each pausing user held one of the eight threads for up to 5 s, and the pauses over
7 s ended with the server closing the connection under wrk, which wrk counted as socket errors: errors of the
harness, not of the server. Here an error is a real one: an answer outside 2xx, a refused or broken connection,
or no whole answer within TIMEOUT_S.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from dataclasses import dataclass, field

TIMEOUT_S = 30  # as wrk's --timeout in the other runs


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    non_2xx: int = 0
    connect: int = 0
    read: int = 0
    timeout: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def summary(self, seconds: float) -> dict:
        """The figures wrk's Lua summary gives (bench/load_mix.lua), for runs.Run."""
        ordered = sorted(self.latencies)

        def percentile(p: float) -> int:
            return round(1e6 * ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]) if ordered else 0

        return {
            "requests": len(ordered),
            "duration_us": round(seconds * 1e6),
            "p50_us": percentile(50),
            "p95_us": percentile(95),
            "p99_us": percentile(99),
            "non_2xx": self.non_2xx,
            "socket": {"connect": self.connect, "read": self.read, "write": 0, "timeout": self.timeout},
            "kinds": self.kinds,
        }


async def fetch(host: str, port: int, path: str, cookie: str) -> int:
    """One click on its own connection: the answer's status, once the whole answer is read."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        writer.write((head + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())
        await writer.drain()
        status = await reader.readline()
        await reader.read()  # to the end: the server closes after the answer
    finally:
        writer.close()
    return int(status.split()[1])


async def user(host, port, line, think_ms: tuple[int, int], deadline: float, tally: Tally) -> None:
    """One user: pause, click the next of its pages, until the run's time is up (a click begun then is counted)."""
    kind, cookie, paths = line
    pause = random.Random()
    turn = 0
    while True:
        await asyncio.sleep(pause.uniform(*think_ms) / 1000)
        if time.monotonic() >= deadline:
            return
        path = paths[turn % len(paths)]
        turn += 1
        started = time.monotonic()
        try:
            status = await asyncio.wait_for(fetch(host, port, path, cookie), TIMEOUT_S)
        except TimeoutError:
            tally.timeout += 1
            continue
        except ConnectionRefusedError:
            tally.connect += 1
            continue
        except (OSError, ValueError, IndexError):  # reset, or no status line
            tally.read += 1
            continue
        tally.latencies.append(time.monotonic() - started)
        tally.kinds[kind] = tally.kinds.get(kind, 0) + 1
        if not 200 <= status < 300:
            tally.non_2xx += 1


def run(url: str, plan, duration: int, think_ms: tuple[int, int]) -> dict:
    """The users of `plan` ((kind, cookie, paths) each) for `duration` seconds; returns the summary for runs.Run."""
    host, port = url.removeprefix("http://").split(":")

    async def everyone() -> float:
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(*(user(host, int(port), line, think_ms, deadline, tally) for line in plan))
        return time.monotonic() - started

    tally = Tally()
    seconds = asyncio.run(everyone())
    return tally.summary(seconds)
