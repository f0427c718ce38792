"""One thing waiting on a user: each room that has work for people lists its own (onex.todos collects them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    due: str = ""
