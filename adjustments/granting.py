"""What a granted request does to the plan of record, and what that does to the other pending requests."""

from __future__ import annotations

from django.utils.translation import gettext as _

from adjustments.enums import AdjustmentStatus, ItemKind, Outcome
from adjustments.guards import AdjustmentError
from adjustments.models import AdjustmentItem, AdjustmentRequest
from adjustments.rules import Checker
from audit.services import record
from plans.models import Plan, PlanLine
from plans.rules import Violation


def errors_of(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.is_error]


def granted_figures(items: list[AdjustmentItem], outcome: str, approved: dict[int, int] | None) -> dict[int, int]:
    """The figure to grant per item id: as asked, or the province's lower figures (each between the figure of
    record and the figure asked; at least one lower than asked, at least one above the figure of record)."""
    if outcome == Outcome.APPROVE:
        return {item.pk: item.after for item in items}
    approved = approved or {}
    figures = {}
    for item in items:
        figure = approved.get(item.pk, item.after)
        if not item.before <= figure <= item.after:
            raise AdjustmentError(
                _("%(item)s: the approved figure must lie between %(before)d and %(after)d.")
                % {"item": str(item), "before": item.before, "after": item.after}
            )
        figures[item.pk] = figure
    if all(figures[item.pk] == item.after for item in items):
        raise AdjustmentError(_("Every figure is as asked: approve the request instead."))
    if all(figures[item.pk] == item.before for item in items):
        raise AdjustmentError(_("No figure goes up: reject the request instead."))
    return figures


def _raised(item: AdjustmentItem) -> tuple[PlanLine, dict]:
    """The approved line `item` raises, at its granted figure (saved), and its figure before."""
    assert item.line_id is not None, "an increase raises a line (adjustment_item_kind_matches)"
    line = PlanLine.objects.get(pk=item.line_id)
    before = {"approved_headcount": line.approved_headcount}
    line.approved_headcount = item.approved
    line.save(update_fields=["approved_headcount"])
    return line, before


def _added(request: AdjustmentRequest, item: AdjustmentItem) -> PlanLine:
    """The new line of a new major or level, planned at the figure asked and approved at the figure granted."""
    line = PlanLine.objects.create(
        plan=request.plan,
        certificate=item.certificate,
        level=item.level,
        major_name=item.major_name,
        major_code=item.major_code,
        headcount=item.after,
        approved_headcount=item.approved,
        remark=f"调增申请 #{request.pk}",
    )
    item.line = line
    return line


def write_plan_of_record(*, actor, request: AdjustmentRequest, items: list[AdjustmentItem]) -> list[PlanLine]:
    """Write the granted figures into the plan of record. Call under the institution-year lock.

    Side effects: PlanLine.approved_headcount raised, or a new PlanLine (planned at the figure asked, approved at
    the figure granted) for a new major or level; one audit event `line.adjust` per line with the figure before and
    after; the items' `approved` and `line`.
    """
    changed = []
    for item in items:
        if item.approved == item.before:
            continue
        if item.kind == ItemKind.INCREASE:
            line, before = _raised(item)
        else:
            line, before = _added(request, item), {"approved_headcount": None}
        record(
            actor=actor,
            action="line.adjust",
            obj=line,
            before=before,
            after={"approved_headcount": item.approved, "adjustment": request.pk},
            reason=request.reason,
        )
        changed.append(line)
    AdjustmentItem.objects.bulk_update(items, ["approved", "line"])
    return changed


def pending_blockers(plan: Plan, *, exclude: int | None = None) -> dict[int, list[Violation]]:
    """The other pending requests of the institution's year that the plan of record now blocks, with why."""
    pending = AdjustmentRequest.objects.filter(
        plan__institution_id=plan.institution_id,
        plan__round__year=plan.round.year,
        status__in=AdjustmentStatus.pending(),
    )
    if exclude is not None:
        pending = pending.exclude(pk=exclude)
    pending = pending.select_related("plan__institution__bureau", "plan__round").prefetch_related("items__certificate")
    checkers: dict[int, Checker] = {}
    blocked = {}
    for other in pending:
        checker = checkers.get(other.plan_id) or checkers.setdefault(other.plan_id, Checker(other.plan))
        errors = errors_of(checker.violations(other.items.all()))
        if errors:
            blocked[other.pk] = errors
    return blocked
