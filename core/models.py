"""Province-wide settings: every number DOMAIN.md marks as (decided) lives here, not in code."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

PROVINCE_SETTINGS_KEY = "province-settings"
# Every change goes through save() or delete(), which forget the cached row; the timeout bounds what a change
# made around them (an update() in a shell) could leave stale.
PROVINCE_SETTINGS_SECONDS = 600


def forget_province_settings() -> None:
    cache.delete(PROVINCE_SETTINGS_KEY)
    transaction.on_commit(lambda: cache.delete(PROVINCE_SETTINGS_KEY))


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

    def save(self, *args, **kwargs):
        """Saves, and drops the cached copy now and again when the transaction commits (a request reading the
        old row before the commit may have cached it again meanwhile)."""
        super().save(*args, **kwargs)
        forget_province_settings()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_province_settings()
        return result

    @classmethod
    def current(cls) -> ProvinceSettings:
        """The row, from the cache (every rule check and several pages read it; the admin rarely changes it)."""
        obj = cache.get(PROVINCE_SETTINGS_KEY)
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
            cache.set(PROVINCE_SETTINGS_KEY, obj, PROVINCE_SETTINGS_SECONDS)
        return obj

    @property
    def reminder_day_list(self) -> list[int]:
        return sorted({int(x) for x in self.reminder_days.split(",") if x.strip()}, reverse=True)
