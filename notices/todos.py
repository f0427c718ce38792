"""Notices whose read receipt waits on a user's institution or bureau (DOMAIN.md §11)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from core.todos import Todo
from notices.models import Notice
from notices.workflow import Step, allowed_steps


def notice_todos(user, *, at: datetime) -> list[Todo]:
    """One to-do per published notice that asks for a receipt and that the user's side has not confirmed, each a
    step the table allows the user (notices.workflow); one query."""
    notices = Notice.objects.unconfirmed_by(user).order_by("-published_at", "-pk")[:50]
    return [
        Todo(text=_("Confirm you have read the notice: %(notice)s") % {"notice": notice}, url=notice.get_absolute_url())
        for notice in notices
        if Step.CONFIRM in allowed_steps(user, notice)
    ]
