"""A checkpoint's figures summed once, when it is taken: its snapshot rows never change after, so the dashboard's
trend reads a few stored sums instead of adding up every snapshot row of the year on each request.

One row per bureau and institution kind (what every bureau's scope is made of) and one for the whole checkpoint
(no bureau, no kind: what the province sees). An institution's people read their own snapshot rows instead.
Written by monitoring.checkpoints.store_totals, read by monitoring.figures.frozen_totals.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from monitoring.rollup_fields import Rollup


class CheckpointTotal(Rollup):
    """The sums of a checkpoint's snapshot rows of one bureau and kind, or of all of them (bureau empty)."""

    checkpoint = models.ForeignKey("monitoring.Checkpoint", on_delete=models.CASCADE, related_name="totals")
    bureau = models.ForeignKey("institutions.Bureau", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    slow = models.PositiveIntegerField(_("slow"), default=0)
    serious = models.PositiveIntegerField(_("serious"), default=0)

    class Meta:
        verbose_name = _("checkpoint total")
        verbose_name_plural = _("checkpoint totals")
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "bureau", "kind"], nulls_distinct=False, name="checkpointtotal_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.bureau_id or '*'} {self.kind or '*'}"
