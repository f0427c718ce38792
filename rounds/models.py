from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import end_of
from rounds import calendar
from rounds.enums import Season, Stage


class RoundQuerySet(models.QuerySet):
    def for_user(self, user) -> RoundQuerySet:
        # Rounds are public within the platform: every signed-in role sees the calendar.
        return self.all() if user.is_authenticated else self.none()

    def current(self, *, today: date) -> Round | None:
        """The round people work on: the newest whose filing has opened by `today`, else the next to open."""
        rounds = Round.objects.all()
        opened = rounds.filter(filing_start__lte=today).order_by("-filing_start", "-pk").first()
        return opened or rounds.order_by("filing_start", "pk").first()


def current_round_id(filing_starts: dict[int, date], *, today: date) -> int | None:
    """The id of the current round (`RoundQuerySet.current`, the same rule) among rounds given as id → filing
    start, for callers that keep the rounds' dates cached."""
    opened = [(start, pk) for pk, start in filing_starts.items() if start <= today]
    if opened:
        return max(opened)[1]
    return min((start, pk) for pk, start in filing_starts.items())[1] if filing_starts else None


class Round(models.Model):
    """One filing round (year + season) with its windows (DOMAIN.md §4)."""

    year = models.PositiveSmallIntegerField(_("year"))
    season = models.CharField(_("season"), max_length=10, choices=Season.choices)
    filing_start = models.DateField(_("filing opens"))
    filing_end = models.DateField(_("filing closes"))
    bureau_review_start = models.DateField(_("bureau review opens"))
    bureau_review_end = models.DateField(_("bureau review closes"))
    provincial_review_start = models.DateField(_("provincial review opens"))
    provincial_review_end = models.DateField(_("provincial review closes"))
    scan_deadline = models.DateField(_("stamped scans due"))
    adjustment_end = models.DateField(_("adjustment requests close"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-year", "-season"]
        constraints = [
            models.UniqueConstraint(fields=["year", "season"], name="round_year_season_unique"),
            models.CheckConstraint(condition=Q(filing_start__lte=F("filing_end")), name="round_filing_start_le_end"),
            models.CheckConstraint(
                condition=Q(bureau_review_start__lte=F("bureau_review_end")), name="round_bureau_start_le_end"
            ),
            models.CheckConstraint(
                condition=Q(provincial_review_start__lte=F("provincial_review_end")),
                name="round_provincial_start_le_end",
            ),
            models.CheckConstraint(condition=Q(season__in=Season.values), name="round_season_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_season_display()}"

    @classmethod
    def notice_defaults(cls, year: int, season: str) -> dict[str, date]:
        """The notice's dates for `year` and `season`, as field values."""
        d = calendar.NOTICE_DEFAULTS[season]

        def day(md):
            return date(year, *md)

        return {
            "filing_start": day(d["filing"][0]),
            "filing_end": day(d["filing"][1]),
            "bureau_review_start": day(d["bureau_review"][0]),
            "bureau_review_end": day(d["bureau_review"][1]),
            "provincial_review_start": day(d["provincial_review"][0]),
            "provincial_review_end": day(d["provincial_review"][1]),
            "scan_deadline": day(d["scan_deadline"]),
            "adjustment_end": day(calendar.ADJUSTMENT_END),
        }

    def window_for(self, stage: str, *, institution=None, bureau=None) -> calendar.Window:
        """The window of `stage`, stretched by an extension granted to `institution` or `bureau`."""
        start, end = {
            Stage.FILING: (self.filing_start, self.filing_end),
            Stage.BUREAU_REVIEW: (self.bureau_review_start, self.bureau_review_end),
            Stage.PROVINCIAL_REVIEW: (self.provincial_review_start, self.provincial_review_end),
            Stage.ADJUSTMENT: (self.provincial_review_start, self.adjustment_end),
        }[Stage(stage)]
        extended = self.extension_until(stage, institution=institution, bureau=bureau)
        return calendar.Window(label=str(Stage(stage).label), start=start, end=end, extended_until=extended)

    def extension_until(self, stage: str, *, institution=None, bureau=None) -> date | None:
        if institution is None and bureau is None:
            return None
        # Iterating .all() lets callers prefetch extensions for a list of rounds.
        found = [e.until for e in self.extensions.all() if e.stage == stage and _matches(e, institution, bureau)]
        return max(found, default=None)

    def windows(self) -> list[calendar.Window]:
        return [self.window_for(stage) for stage in (Stage.FILING, Stage.BUREAU_REVIEW, Stage.PROVINCIAL_REVIEW)]

    def scan_deadline_passed(self, *, at: datetime) -> bool:
        return at >= end_of(self.scan_deadline)


def _matches(extension, institution, bureau) -> bool:
    return (institution is not None and extension.institution_id == institution.pk) or (
        bureau is not None and extension.bureau_id == bureau.pk
    )


class ExtensionQuerySet(models.QuerySet):
    def for_user(self, user) -> ExtensionQuerySet:
        """The province sees every extension; an institution or a bureau only those granted to it."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.institution_id:
            return self.filter(institution_id=user.institution_id)
        return self.filter(bureau_id=user.bureau_id) if user.bureau_id else self.none()


class Extension(models.Model):
    """An exception granted by the provincial admin: one institution or bureau, one stage, until a date."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("round"))
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="extensions",
        verbose_name=_("institution"),
    )
    bureau = models.ForeignKey(
        "institutions.Bureau",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="extensions",
        verbose_name=_("bureau"),
    )
    until = models.DateField(_("until (inclusive)"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(institution__isnull=False, bureau__isnull=True)
                    | Q(institution__isnull=True, bureau__isnull=False)
                ),
                name="extension_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        target = self.institution or self.bureau
        return f"{target} {self.get_stage_display()} → {self.until:%Y-%m-%d}"
