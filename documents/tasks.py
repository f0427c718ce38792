"""Background work: building a round bundle (Django's tasks API, django-tasks-db in production)."""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import datetime, timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from documents.bundle import write_bundle
from documents.enums import BundleStatus
from documents.models import Bundle

BUNDLE_DAYS = 7  # the link stays available for a week (issue 5)
log = logging.getLogger(__name__)


@task()
def build_bundle(bundle_id: int) -> str:
    """Build the ZIP of bundle `bundle_id`; safe to run twice (a finished bundle is left alone).

    Side effects: the ZIP is stored in the private storage; the Bundle row records progress,
    then its stored name, size and expiry (BUNDLE_DAYS after it finished), or the error.
    Expired bundles' files are removed first.
    """
    purge_expired(at=timezone.now())
    bundle = Bundle.objects.select_related("round").filter(pk=bundle_id).first()
    if bundle is None or bundle.status in BundleStatus.finished():
        return bundle.status if bundle else "missing"
    Bundle.objects.filter(pk=bundle_id).update(status=BundleStatus.RUNNING, done=0, total=0, error="")

    def progress(done: int, total: int) -> None:
        Bundle.objects.filter(pk=bundle_id).update(done=done, total=total)

    try:
        with tempfile.TemporaryFile() as tmp:
            write_bundle(bundle.round, tmp, progress=progress)
            size = tmp.tell()
            tmp.seek(0)
            name = default_storage.save(f"bundles/{secrets.token_hex(16)}.zip", File(tmp))
    except Exception as exc:
        log.exception("bundle %s failed", bundle_id)
        Bundle.objects.filter(pk=bundle_id).update(status=BundleStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        return BundleStatus.FAILED
    finished = timezone.now()
    Bundle.objects.filter(pk=bundle_id).update(
        status=BundleStatus.DONE,
        stored_name=name,
        size=size,
        finished_at=finished,
        expires_at=finished + timedelta(days=BUNDLE_DAYS),
    )
    return BundleStatus.DONE


def purge_expired(*, at: datetime) -> int:
    """Remove the files of bundles whose link has expired (the rows stay, as a record)."""
    expired = Bundle.objects.filter(~Q(stored_name=""), expires_at__lte=at)
    count = 0
    for bundle in expired:
        default_storage.delete(bundle.stored_name)
        Bundle.objects.filter(pk=bundle.pk).update(stored_name="")
        count += 1
    return count
