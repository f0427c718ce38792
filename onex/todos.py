"""What waits on a user, collected from each room that has work for people (top of the house)."""

from __future__ import annotations

from datetime import datetime

from adjustments.todos import adjustment_todos
from core.todos import Todo
from documents.todos import scan_todos
from monitoring.todos import forecast_todos
from notices.todos import notice_todos
from plans.todos import plan_todos


def todos_for(user, *, at: datetime) -> list[Todo]:
    return (
        plan_todos(user, at=at)
        + adjustment_todos(user, at=at)
        + notice_todos(user, at=at)
        + scan_todos(user, at=at)
        + forecast_todos(user, at=at)
    )
