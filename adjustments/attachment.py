"""附件3 of one request, as the plain data `documents.adjustment_request` renders (Word and PDF)."""

from __future__ import annotations

from datetime import datetime

from adjustments.enums import AdjustmentStatus
from adjustments.models import AdjustmentRequest
from core.dates import local_today
from documents import adjustment_request as attachment3
from documents import labels

AGREED = "同意"
VERDICTS: dict[str, str] = {
    AdjustmentStatus.APPROVED: "同意",
    AdjustmentStatus.REDUCED: "核减后同意",
    AdjustmentStatus.REJECTED: "不同意",
}


def _signoff(user, at: datetime | None) -> attachment3.SignOff:
    if user is None or at is None:
        return attachment3.SignOff()
    return attachment3.SignOff(name=str(user), on=local_today(at), opinion=AGREED)


def paper(request: AdjustmentRequest) -> attachment3.AdjustmentRequest:
    """The request's lines (approved before, asked for after) and both sign-offs, blank where not yet signed."""
    plan = request.plan
    institution = plan.institution
    items = request.items.select_related("certificate__awarding_body").order_by("id")
    return attachment3.AdjustmentRequest(
        institution_name=institution.name,
        year=plan.round.year,
        lines=[
            attachment3.AdjustmentLine(
                certificate=item.certificate.name,
                level=item.level,
                major=item.major_name,
                before=item.before,
                after=item.after,
                awarding_body=item.certificate.awarding_body.name if item.certificate.awarding_body else "",
                approved=item.approved,
            )
            for item in items
        ],
        reason=request.reason,
        office_head=_signoff(request.office_head_signed_by, request.office_head_signed_at),
        leader=_signoff(request.leader_signed_by, request.leader_signed_at),
        institution_kind=labels.kind(institution.kind),
        bureau_name=institution.bureau.name if institution.bureau_id else "",
        # The institution's contacts (kept on its page); the clerk who filed it while it has none.
        contact_name=institution.contact_name or str(request.created_by),
        contact_phone=institution.contact_phone or request.created_by.phone,
        secondary=institution.is_secondary,
        bureau=_signoff(request.bureau_forwarded_by, request.bureau_forwarded_at),
        decision=_decision(request),
    )


def _decision(request: AdjustmentRequest) -> attachment3.Decision | None:
    if request.status not in VERDICTS or request.decided_at is None:
        return None
    return attachment3.Decision(
        verdict=VERDICTS[request.status],
        on=local_today(request.decided_at),
        reason=request.decision_reason,
        name=str(request.decided_by or ""),
    )
