"""Exam progress per approved line, the candidates behind it, imports, rollups and checkpoints.

Nothing a page shows is computed from candidate rows: imports and typed figures update
`LineProgress` and the two rollups (`InstitutionProgress`, `CertificateProgress`) in the same
transaction; checkpoints freeze copies of the rollups. Bureau, kind and province figures are
sums over the institution rollup (one row per institution and year).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from catalog.enums import Level
from institutions.scope import scoped
from monitoring.enums import ImportKind, ImportMode, ImportStatus, ProgressSource, Result, Standing
from monitoring.rates import CHECKPOINT_MONTHS
from monitoring.rollup_fields import Counts, Rollup


class ScopedQuerySet(models.QuerySet):
    institution_field = "institution"

    def for_user(self, user):
        return scoped(self, user, self.institution_field)


class LineProgress(Counts):
    """Registered, examined and passed for one approved plan line (the figures of record), and the
    counts of its imported candidates, kept up by every candidate import (they become the figures of
    record whenever candidates arrive; a typed or totals figure replaces them until the next import)."""

    line = models.OneToOneField(
        "plans.PlanLine", on_delete=models.CASCADE, primary_key=True, related_name="progress", verbose_name=_("line")
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    certificate = models.ForeignKey(
        "catalog.Certificate", on_delete=models.PROTECT, related_name="+", verbose_name=_("certificate")
    )
    source = models.CharField(_("source"), max_length=20, choices=ProgressSource.choices)
    candidate_registered = models.IntegerField(_("candidates registered"), default=0)
    candidate_examined = models.IntegerField(_("candidates examined"), default=0)
    candidate_passed = models.IntegerField(_("candidates passed"), default=0)
    updated_at = models.DateTimeField(_("updated at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("line progress")
        verbose_name_plural = _("line progress")
        indexes = [
            models.Index(fields=["year", "institution"], name="lineprogress_year_inst"),
            models.Index(fields=["year", "certificate"], name="lineprogress_year_cert"),
        ]
        # examined > registered, passed > examined (and examined > approved) are implausible, not impossible:
        # they are written only when confirmed with a reason (monitoring.plausibility) and then flagged.
        constraints = [
            models.CheckConstraint(condition=Q(source__in=ProgressSource.values), name="lineprogress_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.line_id} {self.registered}/{self.examined}/{self.passed}"


class ColumnLayout(models.Model):
    """How one export layout's headers map to OneX's fields, found again by its set of headers."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    signature = models.CharField(_("header signature"), max_length=64)
    mapping = models.JSONField(_("mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("saved by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("column layout")
        verbose_name_plural = _("column layouts")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "signature"], name="columnlayout_kind_signature")]

    def __str__(self) -> str:
        return self.name


class ProgressImportQuerySet(ScopedQuerySet):
    def for_user(self, user):
        if user.sees_everything:
            return self
        if user.institution_id:
            return self.filter(institution_id=user.institution_id)
        return self.none()


class ProgressImport(models.Model):
    """One uploaded file and the job that reads it. The file is deleted once the job is over."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
        help_text=_("Every row belongs to this institution; empty: the file names the institution of each row."),
    )
    file = models.FileField(_("file"), upload_to="progress_imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    headers = models.JSONField(_("headers"), default=list)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    mapping = models.JSONField(_("mapping"), default=dict)
    layout = models.ForeignKey(
        ColumnLayout, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("layout")
    )
    mode = models.CharField(_("when rows are bad"), max_length=20, choices=ImportMode.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    issues = models.JSONField(_("row issues"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    implausible = models.JSONField(_("implausible lines"), default=list, blank=True)
    confirmed_reason = models.TextField(_("reason the implausible figures are right"), blank=True)
    # Each line this import wrote: {line id: {"before": [source, registered, examined, passed] or None,
    # "after": [...]}}, so that a withdrawal puts back what was there.
    figures = models.JSONField(_("line figures before and after"), default=dict, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdraw_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ProgressImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress import")
        verbose_name_plural = _("progress imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="progressimport_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="progressimport_status_valid"),
            models.CheckConstraint(
                condition=Q(mode="") | Q(mode__in=ImportMode.values), name="progressimport_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_kind_display()}, {self.year})"

    @property
    def is_running(self) -> bool:
        return self.status in ImportStatus.running()

    @property
    def is_finished(self) -> bool:
        return self.status in ImportStatus.finished()

    @property
    def percent(self) -> int:
        """For the progress bar: reading is the first 90 %, writing the rest."""
        if self.is_finished:
            return 100
        if self.status == ImportStatus.WRITING:
            return 95
        if self.status == ImportStatus.READING and self.rows_total:
            return min(90, 90 * self.rows_read // self.rows_total)
        return 0


class CandidateQuerySet(models.QuerySet):
    def for_user(self, user):
        return scoped(self, user, "line__plan__institution")


class Candidate(models.Model):
    """One person's exam for one certificate level in one year. Name and ID number are sealed."""

    # No foreign-key constraints in the database on this table: PostgreSQL checks them row by row,
    # and for a million candidates the three checks cost more than writing the rows (measured with
    # bench/bench_progress_import.py). The line is an approved line of a published plan, which is
    # never deleted (DOMAIN.md §7), and the import resolves it from the plans in its transaction.
    line = models.ForeignKey(
        "plans.PlanLine",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("line"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    certificate = models.ForeignKey(
        "catalog.Certificate",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("certificate"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    id_hash = models.BinaryField(_("ID number (keyed hash)"), max_length=32)
    sealed = models.BinaryField(_("name and ID number (encrypted)"))
    id_masked = models.CharField(_("ID number"), max_length=18)
    name_masked = models.CharField(_("name"), max_length=50)
    exam_date = models.DateField(_("exam date"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    source_import = models.ForeignKey(
        ProgressImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("import"),
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["id"]
        # One index: it de-duplicates, and its prefix (certificate, level, year) finds a line's
        # candidates and, with the hash, one person on a line. Counts never scan it (see bulk.py).
        constraints = [
            models.UniqueConstraint(fields=["certificate", "level", "year", "id_hash"], name="candidate_once_per_year"),
            models.CheckConstraint(condition=Q(result__in=Result.values), name="candidate_result_valid"),
        ]

    def __str__(self) -> str:
        # Never the whole ID number: this string lands in the audit trail.
        return f"{self.name_masked} {self.id_masked}"


class InstitutionProgress(Rollup):
    """One institution's year: approved headcount (published lines) and progress summed over its lines."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    refreshed_at = models.DateTimeField(_("refreshed at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution progress")
        verbose_name_plural = _("institution progress")
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="institutionprogress_unique"),
        ]
        indexes = [models.Index(fields=["year"], name="institutionprogress_year")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year}"


class CertificateProgress(Rollup):
    """One certificate's year over the whole province."""

    certificate = models.ForeignKey(
        "catalog.Certificate", on_delete=models.CASCADE, related_name="+", verbose_name=_("certificate")
    )
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("certificate progress")
        verbose_name_plural = _("certificate progress")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="certificateprogress_unique"),
        ]
        indexes = [models.Index(fields=["year"], name="certificateprogress_year")]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.year}"


class Checkpoint(models.Model):
    """A bi-monthly snapshot (end of Feb, Apr, Jun, Aug, Oct, Dec) with the target it was judged by."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    target = models.DecimalField(_("completion target (%)"), max_digits=5, decimal_places=2)
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="checkpoint_once_per_month"),
            models.CheckConstraint(condition=Q(month__in=CHECKPOINT_MONTHS), name="checkpoint_month_even"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


# Worst first: counted ÷ approved as a double (-1 without an approved headcount), what the drill-down sorts a
# checkpoint's institutions by (monitoring.figures); indexed with the checkpoint so that a page of those behind
# reads a hundred rows in order instead of sorting all of them.
WORST_FIRST = Case(
    When(approved__gt=0, then=Cast("counted", models.FloatField()) / Cast("approved", models.FloatField())),
    default=Value(-1.0),
    output_field=models.FloatField(),
)


class InstitutionSnapshot(Rollup):
    """An institution's figures frozen at a checkpoint, with where it stood and where it was then."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="institution_rows")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey("institutions.Bureau", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=30)
    standing = models.CharField(_("standing"), max_length=20, choices=Standing.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution snapshot")
        verbose_name_plural = _("institution snapshots")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "institution"], name="institutionsnapshot_unique"),
            models.CheckConstraint(condition=Q(standing__in=Standing.values), name="institutionsnapshot_standing"),
        ]
        indexes = [
            models.Index(fields=["checkpoint", "standing"], name="institutionsnapshot_standing"),
            models.Index(F("checkpoint"), WORST_FIRST, name="institutionsnapshot_worst"),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.institution_id}"


class CertificateSnapshot(Rollup):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="certificate_rows")
    certificate = models.ForeignKey("catalog.Certificate", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("certificate snapshot")
        verbose_name_plural = _("certificate snapshots")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "certificate"], name="certificatesnapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.certificate_id}"


# Models kept in their own modules, registered with the app here.
from monitoring.checkpoint_totals import CheckpointTotal  # noqa: E402, F401
from monitoring.forecast_rows import InstitutionForecast  # noqa: E402, F401
from monitoring.records import Bulletin, CheckpointRun, ClosedRate, WarningSent, YearEndClose  # noqa: E402, F401
from monitoring.versions import SupersededCandidate  # noqa: E402, F401
