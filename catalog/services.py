"""The provincial admin's changes to the catalogue: a certificate's restriction, a level's minimum headcount, a
certificate's corresponding majors. Pages and the API call these; each records one audit event per change."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from catalog.models import Certificate, CertificateLevel, Major
from core.refusals import StepRefused


class CatalogError(StepRefused):
    """A change to the catalogue that may not be made; the message says why."""


def _require_admin(actor) -> None:
    if not getattr(actor, "is_provincial_admin", False):
        raise CatalogError(_("Only the provincial administrator may change the catalogue."), code="role")


def set_restriction(*, actor, certificate: Certificate, restricted: bool, reason: str = "") -> Certificate:
    """Mark `certificate` restricted with `reason` (shown to institutions by rule R5), or lift the restriction.

    Side effects: saves the certificate (lifting clears the reason); one audit event `catalog.restriction` with
    the before and after values, unless nothing changed. Raises CatalogError for another role or a restriction
    without a reason.
    """
    _require_admin(actor)
    reason = reason.strip() if restricted else ""
    if restricted and not reason:
        raise CatalogError(_("Give the reason for the restriction."), code="invalid")
    before = {"restricted": certificate.restricted, "restricted_reason": certificate.restricted_reason}
    after = {"restricted": restricted, "restricted_reason": reason}
    if before == after:
        return certificate
    certificate.restricted, certificate.restricted_reason = restricted, reason
    with transaction.atomic():
        certificate.save(update_fields=["restricted", "restricted_reason"])
        record(actor=actor, action="catalog.restriction", obj=certificate, before=before, after=after, reason=reason)
    return certificate


def set_min_headcount(*, actor, level: CertificateLevel, min_headcount: int | None) -> CertificateLevel:
    """Set the minimum headcount of one certificate level (rule R2); None means the province's default.

    Side effects: saves the level; one audit event `catalog.min_headcount` (before → after), unless unchanged.
    Plans already filed are checked against the new figure the next time their rules run. Raises CatalogError
    for another role or a figure below 1.
    """
    _require_admin(actor)
    if min_headcount is not None and min_headcount < 1:
        raise CatalogError(_("The minimum headcount is at least 1."), code="invalid")
    before = level.min_headcount
    if before == min_headcount:
        return level
    level.min_headcount = min_headcount
    with transaction.atomic():
        level.save(update_fields=["min_headcount"])
        record(
            actor=actor,
            action="catalog.min_headcount",
            obj=level,
            before={"min_headcount": before},
            after={"min_headcount": min_headcount},
        )
    return level


def set_majors(*, actor, certificate: Certificate, majors: Iterable[Major]) -> Certificate:
    """Make `majors` the certificate's corresponding majors (rule R6 warns of a line with another major).

    Side effects: replaces the certificate's majors; one audit event `catalog.majors` naming the majors added and
    removed, unless the set is unchanged. Raises CatalogError for another role.
    """
    _require_admin(actor)
    wanted = {major.pk: major for major in majors}
    current = {major.pk: major for major in certificate.majors.all()}
    added = sorted(str(wanted[pk]) for pk in wanted.keys() - current.keys())
    removed = sorted(str(current[pk]) for pk in current.keys() - wanted.keys())
    if not added and not removed:
        return certificate
    with transaction.atomic():
        certificate.majors.set(list(wanted.values()))
        record(
            actor=actor,
            action="catalog.majors",
            obj=certificate,
            before={"majors": sorted(str(m) for m in current.values())},
            after={"majors": sorted(str(m) for m in wanted.values()), "added": added, "removed": removed},
        )
    return certificate
