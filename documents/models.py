from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.enums import BundleStatus, DocumentKind, ScanType
from institutions.scope import institution_scope


class ScanQuerySet(models.QuerySet):
    def for_user(self, user) -> ScanQuerySet:
        """DOMAIN.md §3: own institution's scans; a bureau its own and its secondary schools'; the province all."""
        scope = institution_scope(user, "plan__institution")
        if scope is None:
            return self.all()
        if user.is_bureau_reviewer:
            scope |= Q(bureau_id=user.bureau_id)
        return self.filter(scope)


class Scan(models.Model):
    """A stamped scan of one generated document, uploaded by the side that signed it.

    The file lives in the default (private) storage under `stored_name`, a random name; it is
    only ever served by `documents.views_scans.scan_download`, which checks the user's scope.
    """

    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="scans", verbose_name=_("round"))
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="scans", verbose_name=_("plan")
    )
    certificate = models.ForeignKey(
        "catalog.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate"),
        help_text=_("For an application form: the new certificate it applies for."),
    )
    bureau = models.ForeignKey(
        "institutions.Bureau",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("bureau"),
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    is_late = models.BooleanField(_("late"), default=False)
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(_("type"), max_length=40, choices=ScanType.choices)

    objects = ScanQuerySet.as_manager()

    class Meta:
        verbose_name = _("stamped scan")
        verbose_name_plural = _("stamped scans")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False, bureau__isnull=True) | Q(plan__isnull=True, bureau__isnull=False),
                name="scan_plan_or_bureau",
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.BUREAU_SUMMARY, bureau__isnull=False)
                | (~Q(kind=DocumentKind.BUREAU_SUMMARY) & Q(plan__isnull=False)),
                name="scan_kind_matches_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.APPLICATION_FORM, certificate__isnull=False)
                | (~Q(kind=DocumentKind.APPLICATION_FORM) & Q(certificate__isnull=True)),
                name="scan_certificate_for_forms_only",
            ),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="scan_kind_valid"),
            models.CheckConstraint(condition=Q(content_type__in=ScanType.values), name="scan_type_valid"),
        ]
        indexes = [models.Index(fields=["round", "kind"])]

    def __str__(self) -> str:
        owner = self.plan.institution if self.plan is not None else self.bureau
        return f"{owner} {self.get_kind_display()} {self.original_name}"

    @property
    def download_name(self) -> str:
        """The uploaded name with the extension its bytes really have."""
        stem = PurePosixPath(self.original_name).stem or "scan"
        return f"{stem}.{ScanType(self.content_type).extension}"


class BundleQuerySet(models.QuerySet):
    def for_user(self, user) -> BundleQuerySet:
        # A round bundle holds every institution's papers: the provincial office only.
        return self.all() if user.sees_everything else self.none()


class Bundle(models.Model):
    """One ZIP of a round, built by `documents.tasks.build_bundle`; its link lasts `BUNDLE_DAYS`."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="bundles")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=20, choices=BundleStatus.choices, default=BundleStatus.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stored_name = models.CharField(max_length=200, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = BundleQuerySet.as_manager()

    class Meta:
        verbose_name = _("round bundle")
        verbose_name_plural = _("round bundles")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BundleStatus.values), name="bundle_status_valid"),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="bundle_done_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.round} ZIP #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == BundleStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def is_available(self, *, at: datetime) -> bool:
        return self.status == BundleStatus.DONE and self.expires_at is not None and at < self.expires_at
