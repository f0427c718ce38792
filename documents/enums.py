from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The papers that come back stamped (DOMAIN.md §9)."""

    APPLICATION_FORM = "application_form", _("certificate application form (attachment 1)")
    INSTITUTION_SUMMARY = "institution_summary", _("institution summary sheet (attachment 2)")
    ADJUSTMENT_REQUEST = "adjustment_request", _("adjustment request (attachment 3)")
    BUREAU_SUMMARY = "bureau_summary", _("bureau summary of its schools")

    @classmethod
    def for_plans(cls) -> frozenset[str]:
        """Kinds an institution uploads against its plan."""
        return frozenset({cls.APPLICATION_FORM, cls.INSTITUTION_SUMMARY, cls.ADJUSTMENT_REQUEST})


class ScanType(models.TextChoices):
    """What a stamped scan may be, decided from its bytes."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[self.value]


class BundleStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")

    @classmethod
    def finished(cls) -> frozenset[str]:
        return frozenset({cls.DONE, cls.FAILED})
