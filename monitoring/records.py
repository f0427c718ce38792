"""Monitoring's models beyond models.py (kept small): the runs of the self-scheduling checkpoint job."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckpointRun(models.Model):
    """One row per day the checkpoint job is scheduled for: the job re-enqueues itself once per day."""

    run_on = models.DateField(_("run on"), unique=True)
    enqueued_at = models.DateTimeField(_("enqueued at"))

    class Meta:
        app_label = "monitoring"
        verbose_name = _("checkpoint job run")
        verbose_name_plural = _("checkpoint job runs")

    def __str__(self) -> str:
        return f"{self.run_on:%Y-%m-%d}"
