"""The refusals of a notice's steps: `NoticeError` (a `core.refusals.StepRefused`), and `WriterOnly` for anyone but
the provincial office writing or changing one (also a `PermissionError`, as before there was a table)."""

from __future__ import annotations

from core.refusals import StepRefused


class NoticeError(StepRefused):
    """A notice step that may not happen; `message` says why."""


class WriterOnly(NoticeError, PermissionError):
    """Only the provincial office writes, publishes, withdraws and reminds."""

    code = "role"
