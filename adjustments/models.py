"""Adjustment requests (调增, DOMAIN.md §8): increases of a published plan, signed twice inside the institution and
decided by the province. The figures before and after stay on the items for ever; the plan of record changes only
through `adjustments.services.decide`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from adjustments.enums import AdjustmentStatus, ItemKind
from catalog.enums import Level
from institutions.scope import scoped


class AdjustmentRequestQuerySet(models.QuerySet):
    def for_user(self, user) -> AdjustmentRequestQuerySet:
        """DOMAIN.md §3: own institution; a bureau its secondary schools' requests once they left the school."""
        requests = scoped(self, user, "plan__institution")
        if user.is_bureau_reviewer:
            return requests.filter(submitted_at__isnull=False)
        return requests


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class AdjustmentRequest(models.Model):
    """One request to raise a published plan (附件3 调整申请表)."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("exam plan")
    )
    status = models.CharField(
        _("status"), max_length=30, choices=AdjustmentStatus.choices, default=AdjustmentStatus.DRAFT
    )
    reason = models.TextField(_("reason for the adjustment"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    created_at = models.DateTimeField(_("filed at"))
    office_head_signed_by = _user(_("office head"))
    office_head_signed_at = models.DateTimeField(_("office head signed at"), null=True, blank=True)
    leader_signed_by = _user(_("leader"))
    leader_signed_at = models.DateTimeField(_("leader signed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("left the institution at"), null=True, blank=True)
    bureau_forwarded_by = _user(_("forwarded by the bureau"))
    bureau_forwarded_at = models.DateTimeField(_("forwarded by the bureau at"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for sending back"), blank=True)
    decided_by = _user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdjustmentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("adjustment request")
        verbose_name_plural = _("adjustment requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AdjustmentStatus.values), name="adjustment_status_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_reason_given"),
            # The two-person rule, kept by the database too: the leader is never the office head who signed.
            models.CheckConstraint(
                condition=Q(leader_signed_by__isnull=True) | ~Q(leader_signed_by=F("office_head_signed_by")),
                name="adjustment_two_people",
            ),
            models.CheckConstraint(
                condition=Q(leader_signed_by__isnull=True) | Q(office_head_signed_by__isnull=False),
                name="adjustment_office_head_first",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=AdjustmentStatus.decided()) | Q(decided_by__isnull=False),
                name="adjustment_decided_by",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[AdjustmentStatus.REDUCED, AdjustmentStatus.REJECTED]) | ~Q(decision_reason=""),
                name="adjustment_reason_unless_approved",
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="adjustment_plan_status")]

    def __str__(self) -> str:
        return f"{self.plan.institution} {self.plan.round} 调整申请 #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in AdjustmentStatus.pending()

    @property
    def is_granted(self) -> bool:
        return self.status in AdjustmentStatus.granted()


class AdjustmentItem(models.Model):
    """One line of a request: an approved line raised from `before` to `after`, or a new major or level of a
    certificate already approved in the plan (before = 0). `approved` is the province's figure once decided."""

    request = models.ForeignKey(AdjustmentRequest, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    line = models.ForeignKey(
        "plans.PlanLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustment_items",
        verbose_name=_("plan line"),
        help_text=_("The line raised; for a new major or level, the line created on approval."),
    )
    certificate = models.ForeignKey(
        "catalog.Certificate", on_delete=models.PROTECT, related_name="+", verbose_name=_("certificate")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    major_name = models.CharField(_("major"), max_length=100)
    major_code = models.CharField(_("major code"), max_length=20, blank=True)
    before = models.PositiveIntegerField(_("approved headcount before"))
    after = models.PositiveIntegerField(_("headcount asked for"))
    approved = models.PositiveIntegerField(_("headcount approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("adjustment item")
        verbose_name_plural = _("adjustment items")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "certificate", "level", "major_name"], name="adjustment_item_unique"
            ),
            models.CheckConstraint(condition=Q(after__gt=0), name="adjustment_item_after_positive"),
            # Increases only (R7): the figure asked for is above the figure of record.
            models.CheckConstraint(condition=Q(after__gt=F("before")), name="adjustment_item_increase_only"),
            models.CheckConstraint(
                condition=Q(approved__isnull=True) | (Q(approved__gte=F("before")) & Q(approved__lte=F("after"))),
                name="adjustment_item_approved_between",
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.INCREASE, line__isnull=False, before__gt=0)
                | Q(kind=ItemKind.NEW_LINE, before=0),
                name="adjustment_item_kind_matches",
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="adjustment_item_kind_valid"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="adjustment_item_level_valid"),
            models.CheckConstraint(condition=~Q(major_name=""), name="adjustment_item_major_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.short_name} {self.get_level_display()} {self.major_name} {self.before}→{self.after}"

    @property
    def increase(self) -> int:
        return self.after - self.before

    @property
    def granted(self) -> int:
        """The figure of record after the decision (the request's `after` while undecided)."""
        return self.approved if self.approved is not None else self.after


class AdjustmentScan(models.Model):
    """Links a stamped scan of 附件3 (a `documents.Scan`) to the request it signs; later uploads supersede none."""

    request = models.ForeignKey(AdjustmentRequest, on_delete=models.PROTECT, related_name="scans")
    scan = models.OneToOneField("documents.Scan", on_delete=models.PROTECT, related_name="adjustment")

    class Meta:
        verbose_name = _("stamped scan of an adjustment request")
        verbose_name_plural = _("stamped scans of adjustment requests")

    def __str__(self) -> str:
        return f"{self.request} {self.scan}"
