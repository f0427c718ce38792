"""State changes of the documents room: receiving a stamped scan, asking for a round bundle."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from documents.enums import BundleStatus, DocumentKind
from documents.models import Bundle, Scan
from documents.scans import ScanRefused, check, read_limited
from documents.tasks import build_bundle
from institutions.models import Bureau
from plans.models import Plan
from rounds.models import Round

SCAN_FIELDS = ["kind", "original_name", "size", "sha256", "content_type", "is_late", "stored_name"]


def _store(*, user: User, round_: Round, upload, at: datetime | None, **owner) -> Scan:
    """Check, store under a random name, record; the file is removed again if the row cannot be written."""
    checked = check(read_limited(upload), getattr(upload, "name", "") or "")
    at = at or timezone.now()
    name = f"scans/{round_.year}/{secrets.token_hex(16)}.{checked.scan_type.extension}"
    stored = default_storage.save(name, ContentFile(checked.kept))
    try:
        with transaction.atomic():
            scan = Scan.objects.create(
                round=round_,
                uploaded_by=user,
                uploaded_at=at,
                is_late=round_.scan_deadline_passed(at=at),
                stored_name=stored,
                original_name=checked.name,
                size=checked.size,
                sha256=checked.sha256,
                content_type=checked.scan_type.value,
                **owner,
            )
            record(actor=user, action="scan.upload", obj=scan, after={n: getattr(scan, n) for n in SCAN_FIELDS})
    except BaseException:
        default_storage.delete(stored)
        raise
    return scan


def upload_plan_scan(
    *, user: User, plan: Plan, kind: str, upload, certificate=None, at: datetime | None = None
) -> Scan:
    """Receive the stamped scan of one of `plan`'s documents from its institution.

    Side effects: the file is stored in the private storage under a random name; a Scan row
    (marked late after the round's scan deadline, Asia/Shanghai, whole day) and an audit event
    `scan.upload` are written. Raises ScanRefused (nothing stored) or PermissionDenied.
    """
    if not user.is_institution_user or user.institution_id != plan.institution_id:
        raise PermissionDenied
    if kind not in DocumentKind.for_plans():
        raise ScanRefused(_("Choose which document the scan is of."))
    if kind == DocumentKind.APPLICATION_FORM:
        if certificate is None or not plan.lines.filter(certificate=certificate).exists():
            raise ScanRefused(_("Choose a certificate of this plan for an application form."))
    else:
        certificate = None
    return _store(user=user, round_=plan.round, upload=upload, at=at, plan=plan, kind=kind, certificate=certificate)


def upload_bureau_scan(*, user: User, bureau: Bureau, round_: Round, upload, at: datetime | None = None) -> Scan:
    """Receive a bureau's stamped summary of its schools for `round_` (sent to the province).

    Side effects as `upload_plan_scan`. Only the bureau's own reviewers may upload.
    """
    if not user.is_bureau_reviewer or user.bureau_id != bureau.pk:
        raise PermissionDenied
    return _store(user=user, round_=round_, upload=upload, at=at, bureau=bureau, kind=DocumentKind.BUREAU_SUMMARY)


def request_bundle(*, user: User, round_: Round, at: datetime | None = None) -> Bundle:
    """Ask for a ZIP of `round_`: a Bundle row, an audit event `bundle.request`, and the task enqueued."""
    if not user.sees_everything:
        raise PermissionDenied
    bundle = Bundle.objects.create(round=round_, requested_by=user, requested_at=at or timezone.now())
    record(actor=user, action="bundle.request", obj=bundle, after={"round": str(round_)})
    result = build_bundle.enqueue(bundle.pk)
    Bundle.objects.filter(pk=bundle.pk, status=BundleStatus.PENDING).update(task_id=str(result.id))
    bundle.refresh_from_db()
    return bundle
