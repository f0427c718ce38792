"""Province-wide settings: every number DOMAIN.md marks as (decided) lives here, not in code."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceSettings(models.Model):
    """A single row (pk=1) the provincial admin edits; read it with `ProvinceSettings.current()`."""

    default_min_headcount = models.PositiveIntegerField(
        _("default minimum headcount per certificate level"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    cap_completion_threshold = models.DecimalField(
        _("completion rate below which next year's plan is capped (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reminder_days = models.CharField(_("reminder days before a deadline"), max_length=50, default="3,1")
    checkpoint_targets = models.CharField(
        _("bi-monthly completion targets (Feb, Apr, Jun, Aug, Oct, Dec) in %"),
        max_length=100,
        default="0,10,30,45,65,90",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("province settings")
        verbose_name_plural = _("province settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="province_settings_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("province settings"))

    @classmethod
    def current(cls) -> ProvinceSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def reminder_day_list(self) -> list[int]:
        return sorted({int(x) for x in self.reminder_days.split(",") if x.strip()}, reverse=True)
