"""What adopting the bureau's recommendations on a plan would do, as plain data: the preview the province sees,
fingerprinted so that the confirmation carries out exactly that (`services.adopt_recommendations`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from plans.enums import ReviewLevel
from plans.models import Plan, PlanLine
from plans.rules import Violation
from reviews.checks import decided_lines, errors_of, review_violations
from reviews.models import LineDecision


@dataclass
class AdoptLine:
    line: PlanLine
    recommendation: LineDecision | None
    decision: LineDecision | None  # the province's held decision today

    @property
    def changes(self) -> bool:
        """Adopting changes this line: a recommendation the province's decision does not already say."""
        if self.recommendation is None:
            return False
        now = self.decision
        return now is None or (now.outcome, now.headcount) != (
            self.recommendation.outcome,
            self.recommendation.headcount,
        )


@dataclass
class AdoptPreview:
    plan: Plan
    lines: list[AdoptLine]
    blockers: list[Violation] = field(default_factory=list)

    @property
    def adopted(self) -> list[AdoptLine]:
        return [al for al in self.lines if al.changes]

    @property
    def fingerprint(self) -> str:
        """What the reviewer saw: confirming a preview that no longer matches the plan is refused."""
        seen = [[al.line.pk, al.line.headcount, _key(al.recommendation), _key(al.decision)] for al in self.lines]
        return hashlib.sha256(json.dumps([self.plan.pk, self.plan.status, seen]).encode()).hexdigest()


def _key(decision: LineDecision | None) -> list | None:
    return None if decision is None else [decision.pk, decision.outcome, decision.headcount]


def adopt_preview(plan: Plan, lines: list[PlanLine], *, at: datetime) -> AdoptPreview:
    """The province's decisions after adopting every bureau recommendation on `lines` (lines without one keep
    theirs), and the rule errors that would then fall on an adopted line that is not rejected. No side effects."""
    current = LineDecision.objects.current().filter(plan=plan)
    recommendations = {d.line_id: d for d in current if d.level == ReviewLevel.BUREAU}
    decisions = {d.line_id: d for d in current if d.level == ReviewLevel.PROVINCE}
    preview = AdoptPreview(
        plan=plan,
        lines=[AdoptLine(line, recommendations.get(line.pk), decisions.get(line.pk)) for line in lines],
    )
    after = decisions | {al.line.pk: al.recommendation for al in preview.adopted if al.recommendation}
    kept = {al.line.pk for al in preview.adopted if al.recommendation and al.recommendation.headcount > 0}
    violations = review_violations(plan, at=at, lines=decided_lines(lines, after))
    preview.blockers = [v for v in errors_of(violations) if kept & set(v.line_ids)]
    return preview
