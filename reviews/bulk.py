"""What a bulk approval would do, as plain data: shown as the preview, fingerprinted for the confirmation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from plans.models import Plan, PlanLine
from reviews.enums import Outcome


@dataclass
class BulkLine:
    line: PlanLine
    headcount: int
    outcome: str
    reason: str = ""
    decided: bool = False  # a held decision the bulk approval keeps

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


@dataclass
class BulkItem:
    plan: Plan
    lines: list[BulkLine] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(bl.line.headcount for bl in self.lines)

    @property
    def approved(self) -> int:
        return sum(bl.headcount for bl in self.lines)


@dataclass
class BulkPreview:
    level: str
    items: list[BulkItem]

    @property
    def ready(self) -> list[BulkItem]:
        return [item for item in self.items if not item.blockers]

    @property
    def blocked(self) -> list[BulkItem]:
        return [item for item in self.items if item.blockers]

    @property
    def fingerprint(self) -> str:
        """What the reviewer saw: confirming a preview that no longer matches the plans is refused."""
        seen = [
            [item.plan.pk, item.plan.status, str(item.plan.submitted_at)]
            + [[bl.line.pk, bl.headcount, bl.outcome] for bl in item.lines]
            + [len(item.blockers)]
            for item in self.items
        ]
        return hashlib.sha256(json.dumps([self.level, seen]).encode()).hexdigest()
