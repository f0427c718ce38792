"""The refusals of a plan's steps: `PlanError` (the institution's steps), `ReviewError` (the reviewers'), and
`RuleError` when rules of DOMAIN.md §6 block a step. All are `core.refusals.StepRefused`."""

from __future__ import annotations

from core.refusals import StepRefused
from plans.rules import Violation


class PlanError(StepRefused):
    """A step that may not happen now; the message says why."""


class RuleError(PlanError):
    """Rules of DOMAIN.md §6 block the step; `violations` lists them."""

    def __init__(self, violations: list[Violation]):
        super().__init__(code="rules", violations=violations)


class ReviewError(PlanError):
    """A review step that may not happen now; the message says why."""
