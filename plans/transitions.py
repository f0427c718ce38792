"""A state table as data, and the one way to move an object along it.

A `Row` says: from these statuses, this step, taken by whom, leads to that status, while this window is open —
DOMAIN.md §7 for plans (`plans.workflow`), §8 for adjustment requests (`adjustments.workflow`). `Table.move` is
the only code that changes a status: it locks the row, checks the table (who, then from, then when), runs the
step's own work, saves, records one audit event and sends the notification, like pretalx's
`set_submission_state`. `Table.allowed_steps` is what pages and the API show and gate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.functional import Promise

from audit.services import record
from core.refusals import StepRefused


@dataclass(frozen=True)
class Who:
    """Who may take a step: someone of `roles` whom `allows(user, obj)` admits (their own institution, their
    bureau's schools…); `refusal(user, obj)` says why not to anyone else."""

    label: str | Promise
    roles: frozenset[str]
    allows: Callable[[Any, Any], bool]
    refusal: Callable[[Any, Any], StepRefused]


@dataclass(frozen=True)
class When:
    """The time a step needs: `problem(obj, at)` is the refusal outside it, else None."""

    label: str | Promise
    problem: Callable[[Any, datetime], StepRefused | None]


@dataclass(frozen=True)
class Notice:
    """The message a step sends: its name, to whom, which page it links and what it says."""

    name: str
    recipients: Callable[[Any], Iterable[Any]]
    url: Callable[[Any], str]
    context: Callable[[Any, Any], dict]


@dataclass(frozen=True)
class Row:
    source: frozenset[str]
    step: str
    who: Who
    # a status; a function of the object that picks one of `to_any`; None: unchanged; or `to_any` alone: the
    # caller of `move` picks one of them (the province's decision on a request)
    to: str | Callable[[Any], str] | None
    when: When | None
    wrong_state: Callable[[Any], StepRefused]  # the refusal in any other status
    action: str = ""  # the audit action of the move; "" for a step that keeps the status (its service audits)
    notice: Notice | None = None
    to_any: frozenset[str] = frozenset()  # the statuses a function `to` may pick
    to_label: Any = ""  # how the table prints a `to` that is a function

    def target(self, obj, chosen: str | None = None, *, current: str) -> str:
        if chosen is not None:
            if chosen not in self.to_any:
                raise ValueError(f"{self.step} cannot lead to {chosen}")
            return chosen
        if self.to is None:
            return current
        return self.to(obj) if callable(self.to) else self.to

    def pairs(self) -> set[tuple[str, str]]:
        """Every (from, to) this row allows."""
        if self.to is None and not self.to_any:
            return {(s, s) for s in self.source}
        targets = {self.to} if isinstance(self.to, str) else self.to_any
        return {(s, t) for s in self.source for t in targets}


@dataclass
class Work:
    """What a step's own code adds to a move, done under the lock once the table allows the step: `audit`
    replaces the fields in the audit event's `after`, `context` goes to the notification, `then` runs once the
    new status is saved."""

    audit: dict | None = None
    context: dict = field(default_factory=dict)
    then: Callable[[], Any] | None = None
    before: dict = field(default_factory=dict)  # more of the audit event's `before` than the status


class Table:
    def __init__(
        self,
        rows: list[Row],
        *,
        lock: Callable[[Any], Any],
        audit_ids: bool = False,
        status: Callable[[Any], str] | None = None,
    ):
        self.rows = rows
        self.lock = lock
        self.audit_ids = audit_ids  # the audit event names related objects by id (else by their text)
        # An object without a status field (a notice: its dates say where it stands) gives `status`; a move then
        # sets only the step's fields, and they must lead where the row says.
        self.derived = status
        self.steps = list(dict.fromkeys(row.step for row in rows))

    def status_of(self, obj) -> str:
        return self.derived(obj) if self.derived else obj.status

    def rows_of(self, step: str) -> list[Row]:
        rows = [row for row in self.rows if row.step == step]
        if not rows:
            raise KeyError(step)
        return rows

    def who_may(self, user, obj, step: str, *, holding: bool = False) -> bool:
        """`user` is among those who take `step` on `obj` (in some status): the gate that answers 403 before the
        table's other conditions are asked. With `holding`, only the rows of the object's status count when it
        has any: the reviewer holding a plan returns it, the other level is refused outright."""
        rows = self.rows_of(step)
        if holding:
            rows = [row for row in rows if self.status_of(obj) in row.source] or rows
        return any(row.who.allows(user, obj) for row in rows)

    def allowed_steps(self, user, obj, at: datetime | None = None) -> list[str]:
        """The steps `user` may take on `obj` in its status, in the table's order. With `at`, only those whose
        window is open then; without, a step outside its window is still offered (and refused with the dates)."""
        allowed = []
        for row in self.rows:
            if row.step in allowed or self.status_of(obj) not in row.source or not row.who.allows(user, obj):
                continue
            if at is not None and row.when is not None and row.when.problem(obj, at) is not None:
                continue
            allowed.append(row.step)
        return allowed

    def check(self, obj, step: str, *, actor, at: datetime | None) -> Row:
        """The row that allows `actor` to take `step` on `obj` at `at`; raises the refusal of the first
        condition that fails, in the order who, from, when."""
        rows = self.rows_of(step)
        mine = [row for row in rows if row.who.allows(actor, obj)]
        if not mine:
            nearest = next((row for row in rows if getattr(actor, "role", None) in row.who.roles), rows[0])
            raise nearest.who.refusal(actor, obj)
        row = next((row for row in mine if self.status_of(obj) in row.source), None)
        if row is None:
            raise mine[0].wrong_state(obj)
        if row.when is not None:
            if at is None:
                raise ValueError(f"{step} is taken within {row.when.label}: give the time it is taken at")
            if (problem := row.when.problem(obj, at)) is not None:
                raise problem
        return row

    def move(
        self,
        obj,
        step: str,
        *,
        actor,
        at: datetime | None,
        reason: str = "",
        prepare: Callable[[Any], Work | None] | None = None,
        to: str | None = None,
        **fields,
    ):
        """Take `step` on `obj`: lock it, check the table, run `prepare(locked)` (the step's own conditions
        and work), set the new status and `fields`, save, record one audit event (`row.action`, the status
        before and after, the fields or the work's `audit`, `reason`) and send the row's notification. `to`
        picks the status for a row that leaves the choice to the caller; `at` may be None for a step without a
        window.
        Returns the locked, moved object; `obj` gets the new values too. Nothing is saved when refused."""
        with transaction.atomic():
            locked = self.lock(obj)
            row = self.check(locked, step, actor=actor, at=at)
            work = (prepare(locked) if prepare else None) or Work()
            before = {"status": self.status_of(locked)} | work.before
            to = row.target(locked, to, current=self.status_of(locked))
            changed = fields if self.derived else {"status": to, **fields}
            for name, value in changed.items():
                setattr(locked, name, value)
                setattr(obj, name, value)
            if self.status_of(locked) != to:
                raise ValueError(f"{step} sets fields that do not lead to {to}")
            locked.save()
            if work.then:
                work.then()
            after = {"status": to} | (self._audited(fields) if work.audit is None else work.audit)
            record(actor=actor, action=row.action, obj=locked, before=before, after=after, reason=reason)
            if row.notice:
                _send(row.notice, locked, actor, work.context)
        return locked

    def _audited(self, fields: dict) -> dict:
        if not self.audit_ids:
            return fields
        return {name: getattr(value, "pk", value) for name, value in fields.items()}

    def describe(self, labels: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
        """The table as text rows (from, step, who, to, when), for DOMAIN.md and the `workflow` command;
        `labels` names the statuses, in their order."""
        order = list(labels)
        lines = []
        for row in self.rows:
            source = " / ".join(str(labels[s]) for s in sorted(row.source, key=order.index))
            to = (
                str(row.to_label)
                if row.to_label
                else " / ".join(str(labels[t]) for t in sorted({t for _, t in row.pairs()}, key=order.index))
            )
            lines.append((source, row.step, str(row.who.label), to, str(row.when.label) if row.when else "—"))
        return lines


def _send(notice: Notice, obj, actor, extra: dict) -> None:
    from notifications.services import notify

    notify(
        recipients=notice.recipients(obj),
        name=notice.name,
        context=notice.context(obj, actor) | extra,
        url=notice.url(obj),
    )
