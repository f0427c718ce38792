from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.enums import Level
from institutions.scope import scoped
from plans.enums import PlanStatus, ReviewLevel


class InstitutionYear(models.Model):
    """An institution's year: its completion rate (fixed at year end) and the row R3 locks on submit."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    completion_rate = models.DecimalField(
        _("completion rate (%)"),
        max_digits=10,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Examined ÷ approved planned headcount, fixed at the year-end close."),
    )
    cap_lifted = models.BooleanField(_("cap lifted for the next year"), default=False)
    cap_lift_reason = models.TextField(_("reason for lifting the cap"), blank=True)

    class Meta:
        verbose_name = _("institution year")
        verbose_name_plural = _("institution years")
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="institution_year_unique"),
            models.CheckConstraint(
                condition=Q(completion_rate__isnull=True) | Q(completion_rate__gte=0),
                name="institution_year_rate_positive",
            ),
            models.CheckConstraint(
                condition=Q(cap_lifted=False) | ~Q(cap_lift_reason=""), name="institution_year_lift_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}"


class PlanQuerySet(models.QuerySet):
    def for_user(self, user) -> PlanQuerySet:
        """DOMAIN.md §3: own institution; a bureau sees its secondary schools' plans once submitted."""
        plans = scoped(self, user)
        if user.is_bureau_reviewer:
            return plans.exclude(status__in=[PlanStatus.DRAFT, PlanStatus.AWAITING_SIGNOFF])
        return plans


class Plan(models.Model):
    """One institution's exam plan for one round."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="plans", verbose_name=_("institution")
    )
    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="plans", verbose_name=_("round"))
    status = models.CharField(_("status"), max_length=30, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    returned_reason = models.TextField(_("reason for return"), blank=True)
    returned_from = models.CharField(
        _("returned by"),
        max_length=10,
        choices=ReviewLevel.choices,
        blank=True,
        help_text=_("The level a returned plan goes back to when it is signed off again."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("exam plan")
        verbose_name_plural = _("exam plans")
        ordering = ["-round__year", "round__season", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "round"], name="plan_one_per_institution_round"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status_valid"),
        ]
        indexes = [
            # The review queues list plans by submission, 50 a page: read in this order, PostgreSQL stops after
            # the page instead of joining and sorting the whole national queue (42 ms → 2 ms for 19,800 plans).
            models.Index(fields=["submitted_at", "id"], name="plan_submitted_order"),
            # The same within a round (the queues show one round unless asked for all): the page's ids are read
            # from this index alone (reviews.queues.cut), not from every submission of every round before them.
            models.Index(fields=["round", "submitted_at", "id"], name="plan_round_submitted"),
            # The queues' counts per status, counted from the index (an index-only scan; `Count("*")`).
            models.Index(fields=["round", "status"], name="plan_round_status"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.round}"

    @property
    def is_editable(self) -> bool:
        return self.status in PlanStatus.editable()

    @property
    def year(self) -> int:
        return self.round.year


class PlanLine(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    certificate = models.ForeignKey(
        "catalog.Certificate", on_delete=models.PROTECT, related_name="plan_lines", verbose_name=_("certificate")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    major_name = models.CharField(_("major"), max_length=100)
    major_code = models.CharField(_("major code"), max_length=20, blank=True)
    headcount = models.PositiveIntegerField(_("planned headcount"))
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    justification = models.CharField(_("justification for warnings"), max_length=500, blank=True)
    approved_headcount = models.PositiveIntegerField(
        _("approved headcount"),
        null=True,
        blank=True,
        help_text=_("The plan of record once the provincial decision is published."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "certificate", "level", "major_name"], name="plan_line_unique"),
            models.CheckConstraint(condition=Q(headcount__gt=0), name="plan_line_headcount_positive"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="plan_line_level_valid"),
            models.CheckConstraint(condition=~Q(major_name=""), name="plan_line_major_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.short_name} {self.get_level_display()} {self.major_name} {self.headcount}"

    @property
    def published_decision(self):
        """The province's published decision on this line (from `decisions`, prefetched by the plan page)."""
        return next(
            (
                d
                for d in self.decisions.all()
                if d.level == ReviewLevel.PROVINCE and d.published_at and d.superseded_at is None
            ),
            None,
        )


class ApplicationForm(models.Model):
    """申报表（附件1）: one per new certificate in a plan (一证书一论证一申报)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="forms")
    certificate = models.ForeignKey("catalog.Certificate", on_delete=models.PROTECT, related_name="+")
    majors = models.JSONField(_("majors and enrolled students"), default=list, blank=True)
    teachers = models.JSONField(_("trained teachers / assessors"), default=list, blank=True)
    facilities = models.TextField(_("training and exam facilities"), blank=True)
    is_exam_site = models.BooleanField(_("the institution is an exam site"), null=True, blank=True)
    enterprises = models.TextField(_("recognised enterprises"), blank=True)
    training_plan = models.TextField(_("training plan"), blank=True)
    budget_amount = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    budget_source = models.CharField(_("budget source"), max_length=200, blank=True)
    review_date = models.DateField(_("expert review date"), null=True, blank=True)
    experts = models.JSONField(_("experts"), default=list, blank=True)
    review_conclusion = models.TextField(_("expert review conclusion"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    REQUIRED = (
        "majors",
        "teachers",
        "facilities",
        "is_exam_site",
        "enterprises",
        "training_plan",
        "budget_amount",
        "budget_source",
        "review_date",
        "experts",
        "review_conclusion",
    )

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        constraints = [
            models.UniqueConstraint(fields=["plan", "certificate"], name="application_form_one_per_certificate"),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=Decimal("0")),
                name="application_form_budget_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.institution} {self.certificate} 申报表"

    def missing_fields(self) -> list[str]:
        """Verbose names of the fields still empty."""
        missing = []
        for name in self.REQUIRED:
            value = getattr(self, name)
            if value is None or value == "" or value == []:
                missing.append(str(getattr(self._meta.get_field(name), "verbose_name", name)))
        return missing

    @property
    def is_complete(self) -> bool:
        return not self.missing_fields()
