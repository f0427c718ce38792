from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AWAITING_SIGNOFF = "awaiting_signoff", _("awaiting sign-off")
    BUREAU_REVIEW = "bureau_review", _("bureau review")
    PROVINCIAL_REVIEW = "provincial_review", _("provincial review")
    RETURNED_BY_BUREAU = "returned_by_bureau", _("returned by the bureau")
    RETURNED_BY_PROVINCE = "returned_by_province", _("returned by the province")
    PUBLISHED = "published", _("published")

    @classmethod
    def editable(cls) -> frozenset[str]:
        """The institution may change lines and forms."""
        return frozenset({cls.DRAFT, cls.RETURNED_BY_BUREAU, cls.RETURNED_BY_PROVINCE})

    @classmethod
    def returned(cls) -> frozenset[str]:
        return frozenset({cls.RETURNED_BY_BUREAU, cls.RETURNED_BY_PROVINCE})

    @classmethod
    def submitted(cls) -> frozenset[str]:
        """Left the institution: counted against R3 for the other round of the year."""
        return frozenset({cls.BUREAU_REVIEW, cls.PROVINCIAL_REVIEW, cls.PUBLISHED})

    @classmethod
    def in_review(cls) -> frozenset[str]:
        return frozenset({cls.BUREAU_REVIEW, cls.PROVINCIAL_REVIEW})


class Severity(models.TextChoices):
    ERROR = "error", _("error")
    WARNING = "warning", _("warning")


class Continuity(models.TextChoices):
    NEW = "new", _("new")
    CONTINUING = "continuing", _("continuing")


class ReviewLevel(models.TextChoices):
    BUREAU = "bureau", _("bureau")
    PROVINCE = "province", _("province")
