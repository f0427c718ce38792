"""The provincial admin's changes to the catalogue: a certificate's restriction, a level's minimum headcount, a
certificate's corresponding majors. Pages and the API call these; each records one audit event per change."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from catalog.models import AwardingBody, Certificate, CertificateLevel, Major
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


# ---------------------------------------------------------------- new entries (the API's; Django's admin for pages)


def create_awarding_body(*, actor, name: str) -> AwardingBody:
    """A new awarding body. Side effects: the row; audit `catalog.awarding_body`. Raises CatalogError for another
    role or a name taken."""
    _require_admin(actor)
    if AwardingBody.objects.filter(name=name).exists():
        raise CatalogError(_("%(name)s exists already.") % {"name": name}, code="state")
    with transaction.atomic():
        body = AwardingBody.objects.create(name=name)
        record(actor=actor, action="catalog.awarding_body", obj=body, after={"name": name})
    return body


def create_major(*, actor, name: str, code: str = "") -> Major:
    """A new major (name and code). Side effects: the row; audit `catalog.major`. Raises CatalogError for another
    role or a major that exists."""
    _require_admin(actor)
    if Major.objects.filter(name=name, code=code).exists():
        raise CatalogError(_("%(name)s exists already.") % {"name": name}, code="state")
    with transaction.atomic():
        major = Major.objects.create(name=name, code=code)
        record(actor=actor, action="catalog.major", obj=major, after={"name": name, "code": code})
    return major


def _require_free_name(name: str, certificate: Certificate | None = None) -> None:
    taken = Certificate.objects.filter(name=name)
    if certificate is not None:
        taken = taken.exclude(pk=certificate.pk)
    if taken.exists():
        raise CatalogError(_("%(name)s exists already.") % {"name": name}, code="state")


def create_certificate(
    *, actor, name: str, batch: int | None, awarding_body: AwardingBody | None, levels: dict[str, int | None]
) -> Certificate:
    """A new certificate offering `levels` ({level: minimum headcount, None for the province's default}).
    Side effects: the certificate and its levels; audit `catalog.certificate`. Raises CatalogError for another
    role or a name taken."""
    _require_admin(actor)
    _require_free_name(name)
    with transaction.atomic():
        certificate = Certificate.objects.create(name=name, batch=batch, awarding_body=awarding_body)
        CertificateLevel.objects.bulk_create(
            CertificateLevel(certificate=certificate, level=level, min_headcount=minimum)
            for level, minimum in levels.items()
        )
        after = {"name": name, "batch": batch, "awarding_body": str(awarding_body or ""), "levels": levels}
        record(actor=actor, action="catalog.certificate", obj=certificate, after=after)
    return certificate


def update_certificate(*, actor, certificate: Certificate, **changes) -> Certificate:
    """Change a certificate's `name`, `batch` or `awarding_body`. Side effects: the changed fields; audit
    `catalog.certificate_change` with before and after, unless unchanged. Raises CatalogError for another role or
    a name another certificate has."""
    _require_admin(actor)
    changed = {name: value for name, value in changes.items() if getattr(certificate, name) != value}
    if not changed:
        return certificate
    if "name" in changed:
        _require_free_name(changed["name"], certificate)
    before = {name: str(getattr(certificate, name) or "") for name in changed}
    for name, value in changed.items():
        setattr(certificate, name, value)
    with transaction.atomic():
        certificate.save()
        after = {name: str(value or "") for name, value in changed.items()}
        record(actor=actor, action="catalog.certificate_change", obj=certificate, before=before, after=after)
    return certificate


def add_level(*, actor, certificate: Certificate, level: str, min_headcount: int | None) -> CertificateLevel:
    """Offer one more level of `certificate`, with its minimum headcount (None: the province's default; change it
    later with `set_min_headcount`). Side effects: the level row; audit `catalog.level`. Raises CatalogError for
    another role or a level offered already."""
    _require_admin(actor)
    if certificate.levels.filter(level=level).exists():
        raise CatalogError(_("The certificate offers this level already."), code="state")
    with transaction.atomic():
        found = CertificateLevel.objects.create(certificate=certificate, level=level, min_headcount=min_headcount)
        record(
            actor=actor, action="catalog.level", obj=certificate, after={"level": level, "min_headcount": min_headcount}
        )
    return found
