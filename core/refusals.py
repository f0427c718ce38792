"""One kind of "no": a step that may not happen now, with a code, a message and the violations behind it.

Every app's refusal derives from `StepRefused` (plans' `PlanError` and `RuleError`, adjustments, reviews,
monitoring, notices, uploads). The API maps it once (`api.problems`), the pages once (`tell`): a message per
violation (the rule's name and its message), or the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Violation(Protocol):
    """What a refusal needs of a rule's violation (`plans.rules.Violation` is one): its rule, name and message for
    a person (the pages, `tell`), and for a program (the API, `api.problems`) its severity, the lines it names and
    whether a justification answers it."""

    @property
    def code(self) -> str: ...

    @property
    def label(self) -> str:  # the rule's name, e.g. "R2 开考最低人数"
        ...

    @property
    def message(self) -> str: ...

    @property
    def severity(self) -> str: ...

    @property
    def line_id(self) -> int | None: ...

    @property
    def line_ids(self) -> tuple[int, ...]: ...

    @property
    def needs_justification(self) -> bool: ...


class StepRefused(Exception):
    """A step that may not happen now. `code` names the kind of refusal for a program ("role", "state",
    "window", "rules"…), `message` says why for a person, `violations` lists the rules that block it (if any)."""

    code = "refused"

    def __init__(self, message: Any = "", *, code: str = "", violations: Sequence[Violation] = ()):
        self.violations = list(violations)
        if not message and self.violations:
            message = "；".join(str(v.message) for v in self.violations)
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)


def tell(request, refused: StepRefused) -> None:
    """Show `refused` on the next page: one message per violation, with its rule's name, else the message."""
    from django.contrib import messages

    if refused.violations:
        for violation in refused.violations:
            messages.error(request, f"{violation.label}：{violation.message}")
    else:
        messages.error(request, str(refused))
