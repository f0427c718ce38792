from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Result(models.TextChoices):
    """A candidate's outcome. Registered candidates without a result have not sat the exam yet."""

    REGISTERED = "registered", _("registered")
    ABSENT = "absent", _("absent")
    # "failed" as an exam result (未通过), not as a job that failed (失败).
    FAILED = "failed", pgettext_lazy("exam result", "failed")
    PASSED = "passed", _("passed")

    @classmethod
    def examined(cls) -> frozenset[str]:
        return frozenset({cls.FAILED, cls.PASSED})


class ProgressSource(models.TextChoices):
    TYPED = "typed", _("typed in")
    TOTALS = "totals", _("imported totals")
    CANDIDATES = "candidates", _("imported candidates")


class ImportKind(models.TextChoices):
    CANDIDATES = "candidates", _("per-candidate rows")
    TOTALS = "totals", _("per-line totals")


class ImportMode(models.TextChoices):
    GOOD_ROWS = "good_rows", _("write the good rows, skip the bad ones")
    ALL_OR_NOTHING = "all_or_nothing", _("refuse the whole file if any row is bad")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded, columns to map")
    QUEUED = "queued", _("queued")
    READING = "reading", _("reading and checking rows")
    WRITING = "writing", _("writing")
    HELD = "held", _("held: implausible figures to confirm")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")

    @classmethod
    def running(cls) -> frozenset[str]:
        return frozenset({cls.QUEUED, cls.READING, cls.WRITING})

    @classmethod
    def finished(cls) -> frozenset[str]:
        return frozenset({cls.DONE, cls.REFUSED, cls.FAILED})


class Superseded(models.TextChoices):
    """Why a candidate row left the candidates that count (it is kept, never deleted)."""

    REPLACED = "replaced", _("replaced by a later import")
    WITHDRAWN = "withdrawn", _("its import was withdrawn")


class Standing(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    SLOW = "slow", _("slow")
    SERIOUS = "serious", _("seriously behind")

    @classmethod
    def behind(cls) -> frozenset[str]:
        return frozenset({cls.SLOW, cls.SERIOUS})


class WhatIfSource(models.TextChoices):
    """Which completion rates a what-if scenario judges the institutions by."""

    RECORDED = "recorded", _("recorded rates (year-end close)")
    CURRENT = "current", _("current rates")
    FORECAST = "forecast", _("year-end forecasts")


class ForecastStatus(models.TextChoices):
    """An institution's forecast against the R3 threshold (the API's status)."""

    AT_RISK = "at_risk", _("expected to miss the threshold")
    ON_COURSE = "on_course", _("expected to meet the threshold")
    UNKNOWN = "unknown", _("no forecast yet")
