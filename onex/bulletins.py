"""Issuing a checkpoint's 通报 and publishing it as a notice, in one step. It lives on the top floor because it
joins two rooms of the same floor: monitoring (the document) and notices (its readers and their receipts)."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from audit.services import record
from monitoring import bulletins
from monitoring.access import OFFICE_ROLES
from monitoring.errors import Refused
from monitoring.records import Bulletin
from notices.enums import Audience
from notices.models import Notice
from notices.services import add_attachment, create_notice, publish_notice


def issue_and_publish(*, actor, bulletin: Bulletin, audience: str) -> Notice:
    """Issue the 通报 (Word and PDF kept) and publish it as a notice to `audience` with the PDF attached.

    Side effects: monitoring.bulletins.issue; a Notice (number, date, title and text of the 通报, asking its
    readers to confirm they read it) with the PDF as its attachment, published now; the bulletin linked to
    it; each step audited. All or nothing.
    """
    if audience not in Audience.values or audience == Audience.KIND:
        raise Refused(_("Choose who the bulletin is for."))
    with transaction.atomic():
        bulletin = bulletins.issue(actor=actor, bulletin=bulletin)
        now = timezone.now()
        notice = create_notice(
            actor=actor,
            year=bulletin.date.year,
            number=bulletin.number,
            date=bulletin.date,
            title=bulletin.title,
            body=bulletin.body,
            audience=audience,
            expects_receipts=True,
        )
        with bulletin.pdf.open("rb") as pdf:
            upload = SimpleUploadedFile(f"{bulletin.title}.pdf", pdf.read(), content_type="application/pdf")
        add_attachment(actor=actor, notice=notice, title=bulletin.title, upload=upload, at=now)
        notice = publish_notice(actor=actor, notice=notice, at=now)
        bulletin.notice = notice
        bulletin.save(update_fields=["notice"])
        record(actor=actor, action="monitoring.bulletin.publish", obj=bulletin, after={"notice": notice.pk})
    return notice


@role_required(*OFFICE_ROLES)
@require_POST
def bulletin_publish(request, pk: int):
    bulletin = get_object_or_404(Bulletin, pk=pk)
    try:
        notice = issue_and_publish(actor=request.user, bulletin=bulletin, audience=request.POST.get("audience", ""))
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:bulletin", pk)
    messages.success(request, _("The bulletin is issued and published as a notice."))
    return redirect("notice_detail", notice.year, notice.pk)
