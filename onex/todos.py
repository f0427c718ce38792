"""What waits on a user, collected from each room that has work for people (top of the house)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    due: str = ""


def todos_for(user, *, at: datetime) -> list[Todo]:
    from plans.todos import plan_todos

    return plan_todos(user, at=at)
