"""The stored forecasts: one row per institution per checkpoint period, kept so that their accuracy can be
checked against the year end later (bench/bench_forecast.py)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from institutions.scope import scoped
from monitoring.forecast import Forecast, explain
from monitoring.rates import CHECKPOINT_MONTHS

SHARE = Decimal("0.000001")


class ForecastQuerySet(models.QuerySet):
    def for_user(self, user):
        return scoped(self, user)


class InstitutionForecast(models.Model):
    """An institution's year-end forecast as it stood in the period ending at checkpoint `month` (the last
    computation before the checkpoint's day ended is the forecast made at that checkpoint)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("checkpoint month"))
    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey("institutions.Bureau", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=30)
    approved = models.PositiveIntegerField(_("approved headcount"), default=0)
    examined = models.PositiveIntegerField(_("examined counted toward completion"), default=0)
    scheduled = models.PositiveIntegerField(_("registered with an exam date ahead"), default=0)
    expected = models.PositiveIntegerField(_("expected examined by the year end"), default=0)
    low = models.PositiveIntegerField(_("expected, low"), default=0)
    high = models.PositiveIntegerField(_("expected, high"), default=0)
    # The share of the year's exams held when computed (None: none held by now in past years).
    elapsed = models.DecimalField(_("share of the year's exams held"), max_digits=7, decimal_places=6, null=True)
    flat_profile = models.BooleanField(_("flat profile (no history)"), default=True)
    threshold = models.DecimalField(_("cap threshold (%)"), max_digits=5, decimal_places=2)
    at_risk = models.BooleanField(_("expected to miss the threshold"), default=False)
    still_needed = models.PositiveIntegerField(_("still to examine to reach the threshold"), default=0)
    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))

    objects = ForecastQuerySet.as_manager()

    class Meta:
        app_label = "monitoring"
        verbose_name = _("institution forecast")
        verbose_name_plural = _("institution forecasts")
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "institution"], name="institutionforecast_unique"),
            models.CheckConstraint(condition=Q(month__in=CHECKPOINT_MONTHS), name="institutionforecast_month"),
        ]
        indexes = [models.Index(fields=["year", "month", "at_risk"], name="institutionforecast_risk")]

    def __str__(self) -> str:
        return f"{self.year}/{self.month} {self.institution_id}"

    @property
    def forecast(self) -> Forecast:
        share = None if self.elapsed is None else Fraction(self.elapsed)
        return Forecast(self.approved, self.examined, self.expected, self.low, self.high, share, self.flat_profile)

    @property
    def sentence(self) -> str:
        return explain(self.forecast)

    @property
    def months_left(self) -> int:
        """Whole months of the year after the one the forecast was made in."""
        return 12 - self.as_of.month


def share_column(share: Fraction | None) -> Decimal | None:
    if share is None:
        return None
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(SHARE)
