"""Who may take which step on a notice, and in which state: DOMAIN.md §11 as one table.

A notice keeps no status field: its dates say where it stands (`Notice.state`: draft, published, withdrawn).
`TABLE.move` is the only code that publishes or withdraws one (`notices.services` calls it), `TABLE.check` guards
the steps that keep the state (changing a draft, reminding), and `allowed_steps` is what the pages and the to-dos
offer. `manage.py workflow notices` prints the table.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notices.access import WRITERS, can_write
from notices.enums import NoticeState
from notices.errors import NoticeError, WriterOnly
from notices.models import Notice
from plans.transitions import Row, Table, Who

N = NoticeState


class Step(models.TextChoices):
    EDIT = "edit", gettext_lazy("change the draft and its attachments")
    PUBLISH = "publish", gettext_lazy("publish to its audience")
    WITHDRAW = "withdraw", gettext_lazy("withdraw (reason)")
    REMIND = "remind", gettext_lazy("remind those who have not confirmed")
    CONFIRM = "confirm", gettext_lazy("confirm read (已阅)")


def writer_only(user, notice: Notice | None = None) -> WriterOnly:
    return WriterOnly(_("Only the provincial office writes notices."))


WRITER = Who(gettext_lazy("provincial office"), WRITERS, lambda user, notice: can_write(user), writer_only)


def _confirms(user, notice: Notice) -> bool:
    # An institution or a bureau confirms, for a notice that asks it to; the office reads every notice anyway.
    return bool(getattr(user, "institution_id", None) or getattr(user, "bureau_id", None)) and notice.expects_receipts


READER = Who(
    gettext_lazy("an institution or bureau it asks to confirm"),
    frozenset(),
    _confirms,
    lambda user, notice: NoticeError(_("This notice asks no confirmation from you.")),
)


def _published_only(notice: Notice) -> NoticeError:
    if notice.state == N.WITHDRAWN:
        return NoticeError(_("The notice was withdrawn already."))
    return NoticeError(_("A draft is not withdrawn: change it, or leave it unpublished."))


def _draft_only(notice: Notice) -> NoticeError:
    return NoticeError(_("The notice is published and can no longer be changed."))


def _lock(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


DRAFT, PUBLISHED = frozenset({N.DRAFT}), frozenset({N.PUBLISHED})
UNCHANGED = gettext_lazy("unchanged")

TABLE = Table(
    [
        Row(DRAFT, Step.EDIT, WRITER, None, None, _draft_only, to_label=UNCHANGED),
        Row(DRAFT, Step.PUBLISH, WRITER, N.PUBLISHED, None, _draft_only, "notice.publish"),
        Row(PUBLISHED, Step.WITHDRAW, WRITER, N.WITHDRAWN, None, _published_only, "notice.withdraw"),
        Row(PUBLISHED, Step.REMIND, WRITER, None, None, _published_only, to_label=UNCHANGED),
        Row(PUBLISHED, Step.CONFIRM, READER, None, None, _published_only, to_label=UNCHANGED),
    ],
    lock=_lock,
    status=lambda notice: notice.state,
)


def allowed_steps(user, notice: Notice, at: datetime | None = None) -> list[str]:
    """The steps `user` may take on `notice` now (see `plans.transitions.Table.allowed_steps`)."""
    return TABLE.allowed_steps(user, notice, at)


def move(notice: Notice, step: str, *, actor, at: datetime, reason: str = "", prepare=None, **fields) -> Notice:
    """Take `step` on `notice` (see `plans.transitions.Table.move`): lock, check the table, set the step's dates,
    save, audit."""
    return TABLE.move(notice, step, actor=actor, at=at, reason=reason, prepare=prepare, **fields)


def check(notice: Notice, step: str, *, actor) -> Row:
    """Refuse a step that keeps the state (changing a draft, reminding) unless the table allows it."""
    return TABLE.check(notice, step, actor=actor, at=None)
