from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """A decision (province) or recommendation (bureau) on one plan line."""

    APPROVE = "approve", _("approve")
    REDUCE = "reduce", _("reduce the headcount")
    REJECT = "reject", _("reject")

    @classmethod
    def needs_reason(cls) -> frozenset[str]:
        return frozenset({cls.REDUCE, cls.REJECT})
