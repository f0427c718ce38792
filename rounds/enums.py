from django.db import models
from django.utils.translation import gettext_lazy as _


class Season(models.TextChoices):
    SPRING = "spring", _("spring")
    AUTUMN = "autumn", _("autumn")


class Stage(models.TextChoices):
    FILING = "filing", _("institutions file")
    BUREAU_REVIEW = "bureau_review", _("bureau review")
    PROVINCIAL_REVIEW = "provincial_review", _("provincial review")
    ADJUSTMENT = "adjustment", _("adjustment requests")
