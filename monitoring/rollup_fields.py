"""The columns every table of figures has: the three progress counts, and a rollup's sums over lines."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from monitoring.rates import Figures


class Counts(models.Model):
    """The three progress counts (examined > registered or passed > examined only when confirmed)."""

    registered = models.PositiveIntegerField(_("registered"), default=0)
    examined = models.PositiveIntegerField(_("examined"), default=0)
    passed = models.PositiveIntegerField(_("passed"), default=0)

    class Meta:
        abstract = True


class Rollup(Counts):
    approved = models.PositiveIntegerField(_("approved headcount"), default=0)
    # Examined summed with each line capped at its approved headcount: what completion is computed from.
    counted = models.PositiveIntegerField(_("examined counted toward completion"), default=0)
    implausible = models.PositiveIntegerField(_("lines with implausible figures"), default=0)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        abstract = True

    @property
    def figures(self) -> Figures:
        return Figures.of(self)
