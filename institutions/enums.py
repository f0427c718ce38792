from django.db import models
from django.utils.translation import gettext_lazy as _


class BureauKind(models.TextChoices):
    CITY = "city", _("city education bureau")
    COUNTY = "county", _("county-level bureau directly under the province")


class InstitutionKind(models.TextChoices):
    APPLIED_UNDERGRAD = "applied_undergrad", _("applied undergraduate")
    HIGHER_VOCATIONAL = "higher_vocational", _("higher vocational")
    PROVINCIAL_SECONDARY = "provincial_secondary", _("provincial secondary school")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("secondary vocational school")

    @classmethod
    def secondary(cls) -> frozenset[str]:
        """Kinds whose plans pass their bureau first (DOMAIN.md §7)."""
        return frozenset({cls.PROVINCIAL_SECONDARY, cls.SECONDARY_VOCATIONAL})

    @classmethod
    def higher(cls) -> frozenset[str]:
        return frozenset({cls.APPLIED_UNDERGRAD, cls.HIGHER_VOCATIONAL})


class ReferenceKind(models.TextChoices):
    """What a reference import reads (institutions.reference_imports.FORMATS lists the file formats of each)."""

    INSTITUTIONS = "institutions", _("institutions")
    CERTIFICATES = "certificates", _("certificates")
    BUREAUS = "bureaus", _("city bureaus")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused")
