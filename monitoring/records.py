"""Monitoring's models beyond models.py (kept small): the checkpoint job's runs, the year-end close and its
rate versions, the warnings sent, the 通报."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monitoring.enums import Standing


class CheckpointRun(models.Model):
    """One row per day the checkpoint job is scheduled for: the job re-enqueues itself once per day."""

    run_on = models.DateField(_("run on"), unique=True)
    enqueued_at = models.DateTimeField(_("enqueued at"))

    class Meta:
        app_label = "monitoring"
        verbose_name = _("checkpoint job run")
        verbose_name_plural = _("checkpoint job runs")

    def __str__(self) -> str:
        return f"{self.run_on:%Y-%m-%d}"


class RateSource(models.TextChoices):
    """Where a closed rate came from."""

    COMPUTED = "computed", _("computed from the progress data")
    KEPT = "kept", _("recorded rate kept (no progress data)")
    CHOSEN = "chosen", _("computed rate chosen by the office (no progress data)")


class ClosedRate(models.Model):
    """One institution's completion rate in one version of a year's close: the value before and after it."""

    close = models.ForeignKey("monitoring.YearEndClose", on_delete=models.PROTECT, related_name="rates")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    before = models.DecimalField(_("rate before (%)"), max_digits=10, decimal_places=6, null=True, blank=True)
    after = models.DecimalField(_("rate fixed (%)"), max_digits=10, decimal_places=6, null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=RateSource.choices)
    approved = models.PositiveIntegerField(_("approved headcount"), default=0)
    examined = models.PositiveIntegerField(_("examined"), default=0)
    counted = models.PositiveIntegerField(_("examined counted toward completion"), default=0)

    class Meta:
        app_label = "monitoring"
        verbose_name = _("closed rate")
        verbose_name_plural = _("closed rates")
        constraints = [
            models.UniqueConstraint(fields=["close", "institution"], name="closedrate_once_per_close"),
            models.CheckConstraint(
                condition=models.Q(source__in=["computed", "kept", "chosen"]), name="closedrate_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.close} {self.institution_id}"


class WarningSent(models.Model):
    """One warning one person received after a checkpoint: an institution's staff about its standing, or a
    bureau's reviewer about its seriously behind schools. The office reads who was warned from these."""

    checkpoint = models.ForeignKey("monitoring.Checkpoint", on_delete=models.CASCADE, related_name="warnings_sent")
    notification = models.OneToOneField(
        "notifications.Notification", on_delete=models.CASCADE, related_name="+", verbose_name=_("notification")
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    bureau = models.ForeignKey("institutions.Bureau", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    standing = models.CharField(_("standing"), max_length=20, choices=Standing.choices, blank=True)

    class Meta:
        app_label = "monitoring"
        verbose_name = _("warning sent")
        verbose_name_plural = _("warnings sent")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(institution__isnull=False) | models.Q(bureau__isnull=False),
                name="warningsent_names_whom",
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.notification_id}"


class Bulletin(models.Model):
    """The 通报 of one checkpoint as an official document: drafted from the data, edited by the office, then
    issued as Word and PDF (the files kept) and published as a notice."""

    checkpoint = models.OneToOneField("monitoring.Checkpoint", on_delete=models.PROTECT, related_name="bulletin")
    number = models.CharField(_("document number"), max_length=60, blank=True)
    date = models.DateField(_("date of issue"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("drafted at"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    docx = models.FileField(_("Word file"), upload_to="bulletins/%Y/", blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="bulletins/%Y/", blank=True)
    notice = models.OneToOneField(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("notice")
    )

    class Meta:
        app_label = "monitoring"
        verbose_name = _("checkpoint bulletin")
        verbose_name_plural = _("checkpoint bulletins")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issued_at__isnull=True) | ~models.Q(number=""), name="bulletin_issued_has_number"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


class YearEndClose(models.Model):
    """One version of a year's completion rates: the close fixed them into InstitutionYear (what R3 reads
    next year), keeping each previous value in its ClosedRate rows; a reopen puts those back."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    threshold = models.DecimalField(_("cap threshold (%)"), max_digits=5, decimal_places=2)
    institutions = models.PositiveIntegerField(_("institutions closed"))
    capped = models.PositiveIntegerField(_("institutions capped next year"))
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        app_label = "monitoring"
        verbose_name = _("year-end close")
        verbose_name_plural = _("year-end closes")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="yearendclose_version"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(reopened_at__isnull=True), name="yearendclose_one_in_force"
            ),
            models.CheckConstraint(
                condition=models.Q(reopened_at__isnull=True) | ~models.Q(reopen_reason=""),
                name="yearendclose_reopen_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度（第{self.version}版）"
