from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from catalog.enums import Level
from catalog.pinyin import is_typed, matches


def pinyin_initials(text: str) -> str:
    """'物流管理' → 'wlgl': how people type a certificate they are looking for."""
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if p).lower()


class AwardingBody(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("awarding body")
        verbose_name_plural = _("awarding bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Major(models.Model):
    """A major (考核专业): a name and, where the catalogue has one, its code."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "code"], name="major_name_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）" if self.code else self.name


class CertificateQuerySet(models.QuerySet):
    def search(self, q: str) -> CertificateQuerySet:
        """By name, awarding body, or pinyin: initials (wlgl), in full (wuliu), mixed with the name's Latin letters
        (webqd → Web前端开发). The catalogue is a few hundred names: pinyin is matched in Python."""
        q = q.strip()
        if not q:
            return self
        found = Q(name__icontains=q) | Q(awarding_body__name__icontains=q) | Q(pinyin__contains=q.lower())
        if is_typed(q):
            found |= Q(pk__in=[pk for pk, name in self.values_list("pk", "name") if matches(q, name)])
        return self.filter(found)


class Certificate(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    batch = models.PositiveSmallIntegerField(_("catalogue batch"), null=True, blank=True)
    awarding_body = models.ForeignKey(
        AwardingBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("awarding body"),
    )
    majors = models.ManyToManyField(
        Major, blank=True, related_name="certificates", verbose_name=_("corresponding majors")
    )
    restricted = models.BooleanField(_("restricted"), default=False)
    restricted_reason = models.CharField(_("reason for restriction"), max_length=200, blank=True)
    pinyin = models.CharField(max_length=200, editable=False, db_index=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["batch", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(batch__gte=1, batch__lte=4), name="certificate_batch_1_4"
            ),
            models.CheckConstraint(
                condition=Q(restricted=False) | ~Q(restricted_reason=""), name="certificate_restriction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pinyin = pinyin_initials(self.name)
        super().save(*args, **kwargs)

    @property
    def short_name(self) -> str:
        return self.name.removesuffix("职业技能等级证书")


class CertificateLevelQuerySet(models.QuerySet):
    def offered(self, certificate_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
        """The levels each certificate offers (of `certificate_ids`, or of all), junior first: the one answer to
        "does this certificate offer this level" for the plan page, the Excel upload, the API and adjustments."""
        rows = self if certificate_ids is None else self.filter(certificate_id__in=list(certificate_ids))
        offered: dict[int, list[str]] = {}
        for certificate_id, level in rows.values_list("certificate_id", "level"):
            offered.setdefault(certificate_id, []).append(level)
        return {pk: sorted(levels, key=Level.values.index) for pk, levels in offered.items()}


class CertificateLevel(models.Model):
    """One level a certificate offers, with its minimum headcount (None: the province's default)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    min_headcount = models.PositiveIntegerField(_("minimum headcount"), null=True, blank=True)
    platform_id = models.CharField(_("national platform id"), max_length=64, blank=True)

    objects = CertificateLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate level")
        verbose_name_plural = _("certificate levels")
        ordering = ["certificate_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "level"], name="certificate_level_unique"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="certificate_level_valid"),
            models.CheckConstraint(
                condition=Q(min_headcount__isnull=True) | Q(min_headcount__gt=0), name="certificate_level_min_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.name}（{self.get_level_display()}）"
