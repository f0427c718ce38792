"""What the adjustment pages show: the plan before and after side by side, the violations, the plan's history."""

from __future__ import annotations

from dataclasses import dataclass, field

from adjustments.enums import AdjustmentStatus
from adjustments.models import AdjustmentItem, AdjustmentRequest
from adjustments.rules import Checker, Record, approved_headcount
from catalog.enums import Level
from plans.models import Plan
from plans.rules import Violation
from plans.rules.placing import place


@dataclass
class Row:
    certificate: str
    level: str
    major: str
    before: int | None  # None: a new major or level
    after: int
    violations: list[Violation] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def increase(self) -> int:
        return self.after - (self.before or 0)


@dataclass
class Comparison:
    rows: list[Row]
    violations: list[Violation]  # plan-wide (R3) and those of no single row
    all_violations: list[Violation]

    @property
    def before_total(self) -> int:
        return sum(row.before or 0 for row in self.rows)

    @property
    def after_total(self) -> int:
        return sum(row.after for row in self.rows)

    @property
    def increase_total(self) -> int:
        return self.after_total - self.before_total

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.all_violations if v.is_error]


def _level(level: str) -> str:
    return str(Level(level).label) if level in Level.values else level


def compare(record: Record, items: list[AdjustmentItem], violations: list[Violation], *, figure: str = "after"):
    """Every approved line before and after `items`, new lines last, with `violations` placed on their rows."""
    placed = place(violations, rows=record.lines)
    raised = {item.line_id: item for item in items if item.line_id in record.lines}
    rows = []
    for pk, line in record.lines.items():
        item = raised.get(pk)
        before = approved_headcount(line)
        figure_now = (getattr(item, figure) or item.after) if item else before
        rows.append(
            Row(
                line.certificate.short_name,
                _level(line.level),
                line.major_name,
                before,
                figure_now,
                placed.on(pk),
            )
        )
    for item in items:
        if item.line_id not in record.lines:
            value = getattr(item, figure)
            rows.append(
                Row(
                    item.certificate.short_name,
                    _level(item.level),
                    item.major_name,
                    None,
                    item.after if value is None else value,
                )
            )
    return Comparison(rows=rows, violations=placed.loose, all_violations=violations)


def request_comparison(request: AdjustmentRequest, *, checker: Checker | None = None) -> Comparison | None:
    """The plan before and after a pending request, with what blocks it now; None once the request is closed (its
    items then keep their own before / after / approved figures)."""
    if not request.is_pending:
        return None
    checker = checker or Checker(request.plan)
    items = list(request.items.select_related("certificate"))
    return compare(checker.record, items, checker.violations(items))


@dataclass
class ListedRequest:
    request: AdjustmentRequest
    items: list[AdjustmentItem]
    errors: list[Violation]

    @property
    def before_total(self) -> int:
        return sum(item.before for item in self.items)

    @property
    def after_total(self) -> int:
        return sum(item.after for item in self.items)

    @property
    def approved_total(self) -> int | None:
        if not self.request.is_granted:
            return None
        return sum(item.granted for item in self.items)


def plan_requests(plan: Plan, requests) -> list[ListedRequest]:
    """The requests of one plan with the errors that block each pending one now (one rule read for them all)."""
    requests = list(requests)
    checker = Checker(plan) if any(r.is_pending for r in requests) else None
    listed = []
    for request in requests:
        items = list(request.items.all())
        errors = [v for v in checker.violations(items) if v.is_error] if checker and request.is_pending else []
        listed.append(ListedRequest(request, items, errors))
    return listed


def plan_history(plan: Plan) -> list[AdjustmentRequest]:
    """The granted requests of `plan`, oldest first: how the plan of record came to its figures."""
    return list(
        AdjustmentRequest.objects.filter(plan=plan, status__in=AdjustmentStatus.granted())
        .select_related("decided_by")
        .prefetch_related("items__certificate")
        .order_by("decided_at", "id")
    )
