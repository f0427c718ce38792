"""What reviewers decide, held until published, and the bookkeeping of the review room."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.enums import ReviewLevel
from plans.rules import rule_label
from reviews.enums import Outcome
from rounds.enums import Stage


class LineDecisionQuerySet(models.QuerySet):
    def current(self) -> LineDecisionQuerySet:
        return self.filter(superseded_at__isnull=True)

    def for_user(self, user) -> LineDecisionQuerySet:
        """Reviewers see the decisions on the plans they see; an institution only the province's published ones."""
        from plans.models import Plan

        decisions = self.filter(plan__in=Plan.objects.for_user(user))
        if user.is_institution_user:
            return decisions.filter(level=ReviewLevel.PROVINCE, published_at__isnull=False)
        return decisions


class LineDecision(models.Model):
    """One reviewer's word on one plan line.

    At the bureau level it is a recommendation shown to the province; at the provincial level it is the
    decision, held (invisible to the institution) until the plan is published. A newer word on the same line
    and level supersedes the older one, which stays.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="decisions")
    line = models.ForeignKey("plans.PlanLine", on_delete=models.CASCADE, related_name="decisions")
    level = models.CharField(_("level"), max_length=10, choices=ReviewLevel.choices)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    headcount = models.PositiveIntegerField(_("approved headcount"))
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = LineDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("line decision")
        verbose_name_plural = _("line decisions")
        ordering = ["line_id", "level", "-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "level"], condition=Q(superseded_at__isnull=True), name="line_decision_one_current"
            ),
            models.CheckConstraint(condition=Q(level__in=ReviewLevel.values), name="line_decision_level_valid"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="line_decision_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.APPROVE) | ~Q(reason=""), name="line_decision_reason_unless_approved"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.REJECT) | Q(headcount=0), name="line_decision_reject_is_zero"
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.REJECT) | Q(headcount__gt=0), name="line_decision_headcount_positive"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(level=ReviewLevel.PROVINCE),
                name="line_decision_only_province_published",
            ),
        ]
        indexes = [models.Index(fields=["plan", "level"], name="line_decision_plan_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_outcome_display()} {self.headcount}"

    @property
    def is_held(self) -> bool:
        return self.level == ReviewLevel.PROVINCE and self.published_at is None


class PlanCheck(models.Model):
    """The rule checks of a plan as of its last submission: what the queues filter on ("has warnings").

    Lines change only while the institution holds the plan, and every return to review stamps a new
    `submitted_at`, so a check is current while status and submitted_at match the plan's.
    The review page always re-runs the rules and refreshes this row.
    """

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="review_check")
    status = models.CharField(max_length=30)
    submitted_at = models.DateTimeField(null=True, blank=True)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    codes = models.CharField(_("rules"), max_length=200, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("plan check")
        verbose_name_plural = _("plan checks")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.errors}/{self.warnings}"

    @property
    def code_labels(self) -> list[str]:
        """The rules broken, as shown: "R2 开考最低人数", "申报表"."""
        return [rule_label(code) for code in self.codes.split(",") if code]


class ReminderSent(models.Model):
    """Written before a reminder goes out; the unique key is what makes the job safe to run twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=30, choices=Stage.choices)
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "round", "stage", "days_before"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.round_id} {self.stage} -{self.days_before}"


class ReminderRun(models.Model):
    """One row per day the reminder job is scheduled: the job re-enqueues itself only once per day."""

    run_on = models.DateField(unique=True)
    enqueued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")

    def __str__(self) -> str:
        return f"{self.run_on:%Y-%m-%d}"
