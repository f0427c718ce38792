"""The year-end close and its undoing: each close is a new version of the year's completion rates, the
values it replaced kept beside it, so a reopen puts back exactly what was there (DOMAIN.md §10, R3)."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from core.models import ProvinceSettings
from monitoring.errors import Refused
from monitoring.models import YearEndClose
from monitoring.records import ClosedRate
from monitoring.rollups import refresh_year, year_lock
from monitoring.yearend import CapRow, fingerprint, review
from plans.models import InstitutionYear

RATE = ["completion_rate"]


def close_year(*, actor, year: int, reviewed: str, use_computed: Collection[int] = ()) -> YearEndClose:
    """Fix the completion rates of `year` into InstitutionYear (what R3 reads next year) as a new version.

    Institutions with progress data get the computed rate; those without keep their recorded rate
    unless listed in `use_computed`. Side effects: refreshes the year's rollups; one YearEndClose
    (the next version) with one ClosedRate per institution holding the value before and after;
    creates or updates InstitutionYear rows whose rate changes, each audited with before and after;
    the close audited. Refused when a close of the year is in force, or when the figures are not the
    ones the office reviewed (`reviewed` is their fingerprint).
    """
    threshold = ProvinceSettings.current().cap_completion_threshold
    with transaction.atomic():
        year_lock(year)
        if YearEndClose.objects.filter(year=year, reopened_at__isnull=True).exists():
            raise Refused(_("The year %(year)s is closed already.") % {"year": year})
        refresh_year(year)
        rows = review(year, threshold=threshold, use_computed=use_computed)
        if fingerprint(rows) != reviewed:
            raise Refused(_("The figures changed since you reviewed them: review the list again."))
        closed = _new_version(actor, year, threshold, rows)
        for row in rows:
            _fix(actor, closed, row)
        record(
            actor=actor,
            action="monitoring.year.close",
            obj=closed,
            after={
                "version": closed.version,
                "threshold": threshold,
                "institutions": len(rows),
                "capped": closed.capped,
            },
        )
    return closed


def prepare_review(*, year: int) -> list[CapRow]:
    """The rows the office reviews before closing `year` (their `fingerprint` is what a close must match).

    Side effects: while no close of the year is in force, the year's rollups are refreshed first (under the
    year lock), so that the list reviewed is the list a close fixes.
    """
    if not YearEndClose.objects.filter(year=year, reopened_at__isnull=True).exists():
        with transaction.atomic():
            year_lock(year)
            refresh_year(year)
    return review(year)


def close_year_once(
    *, actor, year: int, reviewed: str, use_computed: Collection[int] = ()
) -> tuple[YearEndClose, bool]:
    """`close_year`, safe to ask twice: (the close, closed now). A second identical request of the same person
    (a double click, a retried call) gets the close they made instead of a refusal.

    Side effects: those of `close_year` when it closes; none otherwise.
    """
    try:
        return close_year(actor=actor, year=year, reviewed=reviewed, use_computed=use_computed), True
    except Refused:
        done = YearEndClose.objects.filter(year=year, reopened_at__isnull=True, confirmed_by=actor).first()
        if done is None:
            raise
        return done, False


def _new_version(actor, year: int, threshold, rows: list[CapRow]) -> YearEndClose:
    return YearEndClose.objects.create(
        year=year,
        version=YearEndClose.objects.filter(year=year).count() + 1,
        threshold=threshold,
        institutions=len(rows),
        capped=sum(1 for r in rows if r.capped),
        confirmed_at=timezone.now(),
        confirmed_by=actor,
    )


def _fix(actor, closed: YearEndClose, row: CapRow) -> None:
    ClosedRate.objects.create(
        close=closed,
        institution_id=row.institution_id,
        before=row.recorded,
        after=row.rate,
        source=row.source,
        approved=row.figures.approved,
        examined=row.figures.examined,
        counted=row.figures.toward_completion,
    )
    if not row.changes:
        return
    institution_year, _created = InstitutionYear.objects.select_for_update().get_or_create(
        institution_id=row.institution_id, year=closed.year
    )
    _set_rate(actor, institution_year, row.rate, action="monitoring.completion_rate.fix")


def _set_rate(actor, institution_year: InstitutionYear, value, *, action: str, reason: str = "") -> None:
    before = snapshot(institution_year, RATE)
    institution_year.completion_rate = value
    institution_year.save(update_fields=RATE)
    record(
        actor=actor,
        action=action,
        obj=institution_year,
        before=before,
        after=snapshot(institution_year, RATE),
        reason=reason,
    )


def reopen_year(*, actor, year: int, reason: str) -> YearEndClose:
    """Undo the close of `year` in force: every rate it fixed goes back to the value it replaced, exactly.

    Side effects: InstitutionYear rates restored (each audited, with the reason); the close marked
    reopened (who, when, why; it and its rates stay as a past version); one audit event.
    """
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason for reopening the year."))
    with transaction.atomic():
        year_lock(year)
        closed = YearEndClose.objects.select_for_update().filter(year=year, reopened_at__isnull=True).first()
        if closed is None:
            raise Refused(_("The year %(year)s is not closed.") % {"year": year})
        for rate in closed.rates.exclude(after=None, before=None).select_related("institution"):
            if rate.before == rate.after:
                continue
            institution_year = InstitutionYear.objects.select_for_update().get(
                institution_id=rate.institution_id, year=year
            )
            _set_rate(actor, institution_year, rate.before, action="monitoring.completion_rate.restore", reason=reason)
        closed.reopened_at, closed.reopened_by, closed.reopen_reason = timezone.now(), actor, reason
        closed.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
        record(
            actor=actor, action="monitoring.year.reopen", obj=closed, after={"version": closed.version}, reason=reason
        )
    return closed


def lift_cap(*, actor, institution, year: int, reason: str) -> InstitutionYear:
    """Lift the R3 cap that `year`'s completion puts on `institution` in year+1 (原则上), with a reason.

    Side effects: creates or updates InstitutionYear(institution, year) with cap_lifted and the
    reason; one audit event.
    """
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason for lifting the cap."))
    with transaction.atomic():
        institution_year, _created = InstitutionYear.objects.select_for_update().get_or_create(
            institution=institution, year=year
        )
        if institution_year.cap_lifted:
            raise Refused(_("The cap of %(name)s is lifted already.") % {"name": institution.name})
        before = snapshot(institution_year, ["cap_lifted", "cap_lift_reason"])
        institution_year.cap_lifted = True
        institution_year.cap_lift_reason = reason
        institution_year.save(update_fields=["cap_lifted", "cap_lift_reason"])
        record(
            actor=actor,
            action="monitoring.cap.lift",
            obj=institution_year,
            before=before,
            after=snapshot(institution_year, ["cap_lifted", "cap_lift_reason"]),
            reason=reason,
        )
    return institution_year
