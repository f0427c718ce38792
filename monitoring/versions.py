"""Candidate rows that no longer count: replaced by a later import, or taken out by a withdrawal.

Nothing is deleted (DOMAIN.md §7): a row an import replaces (a changed result) is copied here before
the upsert overwrites it, and the rows of a withdrawn import are moved here; withdrawing the later
import puts the replaced rows back. Same columns as the candidate table, sealed and masked alike."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.enums import Level
from monitoring.enums import Result, Superseded


class SupersededCandidate(models.Model):
    line_id = models.BigIntegerField(_("line"))
    year = models.PositiveSmallIntegerField(_("year"))
    certificate_id = models.BigIntegerField(_("certificate"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    id_hash = models.BinaryField(_("ID number (keyed hash)"), max_length=32)
    sealed = models.BinaryField(_("name and ID number (encrypted)"))
    id_masked = models.CharField(_("ID number"), max_length=18)
    name_masked = models.CharField(_("name"), max_length=50)
    exam_date = models.DateField(_("exam date"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    source_import_id = models.BigIntegerField(_("import"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "monitoring.ProgressImport", on_delete=models.PROTECT, related_name="+", verbose_name=_("superseded by")
    )
    cause = models.CharField(_("cause"), max_length=20, choices=Superseded.choices)
    superseded_at = models.DateTimeField(_("superseded at"))
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)

    class Meta:
        app_label = "monitoring"
        verbose_name = _("superseded candidate")
        verbose_name_plural = _("superseded candidates")
        indexes = [models.Index(fields=["superseded_by", "cause"], name="supersededcandidate_import")]
        constraints = [
            models.CheckConstraint(condition=models.Q(cause__in=Superseded.values), name="supersededcandidate_cause")
        ]

    def __str__(self) -> str:
        return f"{self.name_masked} {self.id_masked}"
