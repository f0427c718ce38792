"""What the monitoring room keeps up to date when rows of its own or of other rooms change: the cached dashboard
figures (monitoring.figure_cache) are dropped when what they count, label or scope changes."""

from __future__ import annotations

from monitoring.figure_cache import figures_changed
from plans.enums import PlanStatus


def source_changed(sender, **kwargs) -> None:
    """A checkpoint, an institution, a bureau or a certificate saved or deleted."""
    figures_changed()


def plan_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """A plan published (or leaving published): the lines of record change."""
    if instance.status == PlanStatus.PUBLISHED or update_fields is None or "status" in update_fields:
        figures_changed()


def line_changed(sender, instance, **kwargs) -> None:
    """A line with an approved headcount saved or deleted (an adjustment granted); a line being drafted is counted
    by no figure."""
    if instance.approved_headcount is not None:
        figures_changed()
