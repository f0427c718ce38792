"""On SQLite the append-only triggers ask `onex_audit_locked()`, a function each connection registers.

It answers 1 (locked) except while `manage.py flush` empties the whole database — the one operation that may
remove audit rows, as TRUNCATE does on PostgreSQL (row triggers do not fire on TRUNCATE). Any other client that
opens the file has no such function, so its UPDATE or DELETE of an audit row fails too.
"""

from __future__ import annotations

import contextvars

flushing: contextvars.ContextVar[bool] = contextvars.ContextVar("onex_audit_flushing", default=False)


def _locked() -> int:
    return 0 if flushing.get() else 1


def register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("onex_audit_locked", 0, _locked)
