from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from institutions.enums import BureauKind, ImportState, InstitutionKind, ReferenceKind
from institutions.scope import scoped


class BureauQuerySet(models.QuerySet):
    def for_user(self, user) -> BureauQuerySet:
        if user.sees_everything:
            return self.all()
        if user.bureau_id:
            return self.filter(pk=user.bureau_id)
        if user.institution_id:
            return self.filter(institutions=user.institution_id)
        return self.none()


class Bureau(models.Model):
    """A city education bureau, or a county bureau directly under the province."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BureauKind.choices, default=BureauKind.CITY)

    objects = BureauQuerySet.as_manager()

    class Meta:
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return f"{self.name}教育局"


class InstitutionQuerySet(models.QuerySet):
    def secondary(self) -> InstitutionQuerySet:
        return self.filter(kind__in=InstitutionKind.secondary())

    def higher(self) -> InstitutionQuerySet:
        return self.filter(kind__in=InstitutionKind.higher())

    def for_user(self, user) -> InstitutionQuerySet:
        """What DOMAIN.md §3 lets `user` see."""
        return scoped(self, user, field="")


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices)
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="institutions", verbose_name=_("bureau (location)")
    )
    ministry_code = models.CharField(
        _("ministry code"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The Ministry of Education's 10-digit institution code."),
    )
    platform_account = models.CharField(
        _("national platform registration"),
        max_length=100,
        blank=True,
        help_text=_("Account or institution code on the national platform (vslc.ncb.edu.cn)."),
    )
    authority = models.CharField(_("competent authority"), max_length=100, blank=True)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_example = models.BooleanField(
        _("example (not a real institution)"),
        default=False,
        help_text=_("Demo schools are marked 示例 and never mixed with real data."),
    )

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["bureau_id", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=InstitutionKind.values), name="institution_kind_valid"),
            models.CheckConstraint(condition=~models.Q(name=""), name="institution_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_secondary(self) -> bool:
        return self.kind in InstitutionKind.secondary()

    @property
    def is_registered_on_platform(self) -> bool:
        return bool(self.platform_account.strip())


class ReferenceImport(models.Model):
    """One reference import run as a job (institutions.reference_imports): the file, where it stands, its report."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReferenceKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=ImportState.choices, default=ImportState.QUEUED)
    file = models.FileField(_("file"), upload_to="reference_imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reference import")
        verbose_name_plural = _("reference imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ReferenceKind.values), name="reference_import_kind"),
            models.CheckConstraint(condition=models.Q(state__in=ImportState.values), name="reference_import_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"
